//! The documents of a RETRIEVER span (what it found) and of a RERANKER span (what it was given and the order
//! it put them in), in the shapes MLflow's integrations log: LangChain `{page_content, metadata, id}`,
//! LlamaIndex `{node: {text, id_, metadata}, score}`, and plain `{text | content, id, score}`.

use super::{Span, SpanType};
use serde_json::{Map, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub id: Option<String>,
    pub content: String,
    /// `doc_uri` or `source` from the metadata.
    pub uri: Option<String>,
    /// `relevance_score` or `score`, as the trace holds it (never rounded here).
    pub score: Option<f64>,
    pub metadata: Map<String, Value>,
}

/// A reranked document: its place after reranking and, when it can be told, before (1 is first).
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub document: Document,
    pub rank: usize,
    pub rank_before: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SpanDocuments {
    Retrieved(Vec<Document>),
    /// The documents given to a reranker, in their order, and what it returned.
    Reranked {
        given: Vec<Document>,
        ranked: Vec<Ranked>,
    },
}

impl SpanDocuments {
    /// How many documents the span returned.
    pub fn count(&self) -> usize {
        match self {
            SpanDocuments::Retrieved(documents) => documents.len(),
            SpanDocuments::Reranked { ranked, .. } => ranked.len(),
        }
    }
}

pub fn span_documents(span: &Span) -> Option<SpanDocuments> {
    match span.span_type {
        SpanType::Retriever => Some(SpanDocuments::Retrieved(documents_in(span.outputs.as_ref()?)?)),
        SpanType::Reranker => {
            let returned = documents_in(span.outputs.as_ref()?)?;
            let given = span
                .inputs
                .as_ref()
                .and_then(|inputs| documents_in(inputs.get("documents").or_else(|| inputs.get("nodes")).unwrap_or(inputs)))
                .unwrap_or_default();
            let ranked = returned
                .into_iter()
                .enumerate()
                .map(|(at, document)| Ranked {
                    rank_before: position_in(&given, &document).map(|before| before + 1),
                    rank: at + 1,
                    document,
                })
                .collect();
            Some(SpanDocuments::Reranked { given, ranked })
        }
        _ => None,
    }
}

/// Where a returned document stood among the given ones: by id, else by its text.
fn position_in(given: &[Document], document: &Document) -> Option<usize> {
    document
        .id
        .as_ref()
        .and_then(|id| given.iter().position(|candidate| candidate.id.as_ref() == Some(id)))
        .or_else(|| given.iter().position(|candidate| candidate.content == document.content))
}

/// A list of documents (or `{"documents": […]}`), when every item reads as one.
fn documents_in(value: &Value) -> Option<Vec<Document>> {
    let items = value.as_array().or_else(|| value.get("documents")?.as_array())?;
    let documents: Vec<Document> = items.iter().map(document).collect::<Option<_>>()?;
    (!documents.is_empty()).then_some(documents)
}

fn document(item: &Value) -> Option<Document> {
    let object = item.as_object()?;
    // LlamaIndex's NodeWithScore keeps the document in `node` and the score beside it.
    let inner = object.get("node").and_then(Value::as_object).unwrap_or(object);
    let content = ["page_content", "text", "content"].iter().find_map(|key| inner.get(*key))?;
    let metadata = inner.get("metadata").and_then(Value::as_object).cloned().unwrap_or_default();
    let text = |value: &Value| value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
    let score = ["relevance_score", "score"].iter().find_map(|key| metadata.get(*key).or_else(|| object.get(*key)).and_then(Value::as_f64));
    Some(Document {
        id: ["id", "id_", "doc_id"].iter().find_map(|key| inner.get(*key).filter(|id| !id.is_null())).map(text),
        content: text(content),
        uri: ["doc_uri", "source"].iter().find_map(|key| metadata.get(*key)).map(text),
        score,
        metadata,
    })
}
