//! Markdown rendered as elements and text nodes (see [`crate::markdown`]): nothing in it becomes HTML.

use crate::markdown::{self, Block, Inline};
use leptos::prelude::*;

#[component]
pub fn Markdown(text: String) -> impl IntoView {
    let blocks = markdown::parse(&text);
    view! { <div class="markdown">{blocks.into_iter().map(block_view).collect_view()}</div> }
}

fn block_view(block: Block) -> AnyView {
    match block {
        Block::Heading(level, inlines) => {
            let content = inlines_view(inlines);
            match level {
                1 => view! { <h3>{content}</h3> }.into_any(),
                2 => view! { <h4>{content}</h4> }.into_any(),
                _ => view! { <h5>{content}</h5> }.into_any(),
            }
        }
        Block::Paragraph(inlines) => view! { <p>{inlines_view(inlines)}</p> }.into_any(),
        Block::Code { language, text } => {
            view! { <pre class="code-block" data-language=language.unwrap_or_default()><code>{text}</code></pre> }.into_any()
        }
        Block::List { ordered: true, items } => {
            view! { <ol>{items.into_iter().map(|item| view! { <li>{inlines_view(item)}</li> }).collect_view()}</ol> }.into_any()
        }
        Block::List { ordered: false, items } => {
            view! { <ul>{items.into_iter().map(|item| view! { <li>{inlines_view(item)}</li> }).collect_view()}</ul> }.into_any()
        }
        Block::Quote(blocks) => view! { <blockquote>{blocks.into_iter().map(block_view).collect_view()}</blockquote> }.into_any(),
        Block::Rule => view! { <hr /> }.into_any(),
        Block::Table { header, rows } => view! {
            <div class="table-scroll">
                <table class="markdown-table">
                    <thead><tr>{header.into_iter().map(|cell| view! { <th>{inlines_view(cell)}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| view! {
                            <tr>{row.into_iter().map(|cell| view! { <td>{inlines_view(cell)}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    }
}

fn inlines_view(inlines: Vec<Inline>) -> AnyView {
    inlines
        .into_iter()
        .map(|inline| match inline {
            Inline::Text(text) => text.into_any(),
            Inline::Code(code) => view! { <code>{code}</code> }.into_any(),
            Inline::Strong(children) => view! { <strong>{inlines_view(children)}</strong> }.into_any(),
            Inline::Emphasis(children) => view! { <em>{inlines_view(children)}</em> }.into_any(),
            Inline::Link { text, href } => {
                view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{inlines_view(text)}</a> }.into_any()
            }
            Inline::LineBreak => view! { <br /> }.into_any(),
        })
        .collect_view()
        .into_any()
}
