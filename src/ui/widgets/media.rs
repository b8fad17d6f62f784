//! Images, audio and documents referenced by a trace, shown inline wherever they sit (chat messages, the
//! JSON tree): `data:` URLs, http(s) URLs, and `mlflow-attachment://` references fetched from the tracking
//! server into object URLs that are revoked when no longer shown. A click on an image opens it full size.
//!
//! Safety: SVG is never rendered as an image (it can carry script): it is shown as text with a download.
//! Only the schemes above are followed. Media larger than the size cap (a setting) waits for a click. A
//! broken image or clip shows a placeholder naming its source. Nothing from the trace becomes HTML.

use crate::data;
use crate::format;
use crate::location::Source;
use crate::model::chat::{Media, MediaKind, MediaSource};
use crate::ui::browser::download::{blob_url, revoke};
use crate::ui::browser::storage::{load_text, save_text};
use leptos::html;
use leptos::prelude::*;

const CAP_KEY: &str = "trace-viewer.media-cap-bytes";
const DEFAULT_CAP_BYTES: u64 = 5_000_000;
const CAP_CHOICES: [u64; 4] = [1_000_000, 5_000_000, 20_000_000, 100_000_000];
/// SVG shown as text is cut to this many characters.
const SVG_TEXT_CHARS: usize = 4_000;

/// Where attachments of the open trace are fetched from, and the inline size cap.
#[derive(Clone, Copy)]
pub struct MediaContext {
    pub source: StoredValue<Source>,
    pub trace_id: StoredValue<String>,
    pub cap_bytes: RwSignal<u64>,
}

impl MediaContext {
    pub fn new(source: Source, trace_id: String) -> MediaContext {
        let cap = load_text(CAP_KEY).and_then(|text| text.parse().ok()).unwrap_or(DEFAULT_CAP_BYTES);
        MediaContext { source: StoredValue::new(source), trace_id: StoredValue::new(trace_id), cap_bytes: RwSignal::new(cap) }
    }
}

/// The size cap setting.
#[component]
pub fn MediaCapSetting() -> impl IntoView {
    let context = expect_context::<MediaContext>();
    view! {
        <label class="check muted small">
            "Load media inline up to"
            <select class="select small" aria-label="Inline media size limit" on:change=move |event| {
                if let Ok(cap) = event_target_value(&event).parse::<u64>() {
                    context.cap_bytes.set(cap);
                    save_text(CAP_KEY, &cap.to_string());
                }
            }>
                {CAP_CHOICES.into_iter().map(|cap| view! {
                    <option value=cap.to_string() selected=move || context.cap_bytes.get() == cap>{format::bytes(cap)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

fn kind_name(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => "image",
        MediaKind::Audio => "audio",
        MediaKind::Document => "document",
    }
}

/// Where the media comes from, as a placeholder or caption names it.
fn origin(media: &Media) -> String {
    match media.source() {
        MediaSource::Data { .. } => "inline data".into(),
        MediaSource::Web => media.url.clone(),
        MediaSource::Attachment { id, .. } => format!("attachment {id}"),
        MediaSource::Other => crate::model::derive::truncate_chars(&media.url, 200),
    }
}

fn file_name(media: &Media) -> String {
    format!("{}.{}", kind_name(media.kind), media.file_extension())
}

/// "Download" for bytes the page holds (a `data:` or an attachment's object URL). A web URL is another
/// origin's, where browsers ignore `download` and would take the tab there instead: it opens in a new tab.
#[component]
fn SaveLink(media: Media, src: String, #[prop(optional)] class: &'static str) -> impl IntoView {
    match media.source() {
        MediaSource::Web => view! { <a class=class href=src target="_blank" rel="noopener noreferrer">"Open in a new tab"</a> }.into_any(),
        _ => view! { <a class=class href=src download=file_name(&media)>"Download"</a> }.into_any(),
    }
}

#[component]
pub fn MediaView(media: Media) -> impl IntoView {
    let label = format!("{} · {}", kind_name(media.kind), media.mime.clone().unwrap_or_else(|| "unknown type".into()));
    if media.is_svg() {
        return view! { <SvgAsText media=media /> }.into_any();
    }
    let source = media.source();
    let size = media.byte_size();
    if source == MediaSource::Other {
        return view! {
            <figure class="media media-unavailable">
                <code class="media-reference">{origin(&media)}</code>
                <figcaption class="muted">{format!("{label} · not loaded: only data:, http(s) and MLflow attachment links are followed")}</figcaption>
            </figure>
        }
        .into_any();
    }
    let context = use_context::<MediaContext>();
    let cap = move || context.map_or(DEFAULT_CAP_BYTES, |c| c.cap_bytes.get());
    let clicked = RwSignal::new(false);
    let allowed = move || clicked.get() || size.is_none_or(|size| size <= cap());
    let caption = match size {
        Some(size) => format!("{label} · {}", format::bytes(size)),
        None => label,
    };
    let media = StoredValue::new(media);
    view! {
        <figure class="media" data-kind=kind_name(media.with_value(|m| m.kind))>
            <Show
                when=allowed
                fallback=move || view! {
                    <button class="button small media-load" on:click=move |_| clicked.set(true)>
                        {format!("Show {} ({}, over the inline limit)", media.with_value(|m| kind_name(m.kind)), size.map(format::bytes).unwrap_or_default())}
                    </button>
                }
            >
                {move || match media.with_value(Media::source) {
                    MediaSource::Attachment { id, trace_id, .. } => view! { <Attachment media=media.get_value() id=id trace_id=trace_id /> }.into_any(),
                    _ => view! { <Shown media=media.get_value() src=media.with_value(|m| m.url.clone()) /> }.into_any(),
                }}
            </Show>
            <figcaption class="muted">{caption}</figcaption>
        </figure>
    }
    .into_any()
}

/// Fetches an attachment from the server into an object URL (revoked when it leaves the page).
#[component]
fn Attachment(media: Media, id: String, trace_id: Option<String>) -> impl IntoView {
    let Some(context) = use_context::<MediaContext>() else {
        return view! { <Placeholder media=media reason="no tracking server to fetch it from".to_string() /> }.into_any();
    };
    let trace_id = trace_id.unwrap_or_else(|| context.trace_id.get_value());
    let stored = StoredValue::new(media.clone());
    let fetched = LocalResource::new(move || {
        let (source, trace_id, id, media) = (context.source.get_value(), trace_id.clone(), id.clone(), stored.get_value());
        async move {
            let bytes = data::attachment(&source, &trace_id, &id).await.map_err(String::from)?;
            // A document is typed as a PDF only when its bytes are one; any other is only downloaded.
            let pdf = media.is_pdf(&bytes);
            let mime = match (media.kind, pdf) {
                (MediaKind::Document, true) => "application/pdf".to_string(),
                (MediaKind::Document, false) => "application/octet-stream".to_string(),
                _ => media.mime.clone().unwrap_or_else(|| "application/octet-stream".into()),
            };
            blob_url(&bytes, &mime).map(|url| (url, pdf))
        }
    });
    // The object URL lives as long as this view.
    let made = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok((url, _))) = fetched.get() {
            made.set_value(Some(url));
        }
    });
    on_cleanup(move || {
        if let Some(url) = made.try_get_value().flatten() {
            revoke(&url);
        }
    });
    let media = StoredValue::new(media);
    view! {
        {move || match fetched.get() {
            None => view! { <span class="muted small" role="status">"Loading attachment…"</span> }.into_any(),
            Some(Err(message)) => view! { <Placeholder media=media.get_value() reason=message /> }.into_any(),
            Some(Ok((url, pdf))) => view! { <Shown media=media.get_value() src=url checked_pdf=pdf /> }.into_any(),
        }}
    }
    .into_any()
}

/// The media itself, from a URL the browser can load.
#[component]
fn Shown(
    media: Media,
    src: String,
    /// The bytes behind `src` (an attachment's object URL) were checked to be a PDF.
    #[prop(optional)]
    checked_pdf: bool,
) -> impl IntoView {
    let failed = RwSignal::new(false);
    let save = view! { <SaveLink media=media.clone() src=src.clone() class="media-download small" /> };
    let media = StoredValue::new(media);
    let kind = media.with_value(|m| m.kind);
    let body = match kind {
        MediaKind::Image => {
            let open = RwSignal::new(false);
            let image = NodeRef::<html::Img>::new();
            let (src, lightbox_src) = (src.clone(), src.clone());
            view! {
                <button class="media-open" title="Open full size" on:click=move |_| open.set(true)>
                    <img node_ref=image class="media-image" src=src alt=move || format!("{} from {}", kind_name(kind), media.with_value(origin)) on:error=move |_| failed.set(true) />
                </button>
                <Show when=move || open.get()>
                    <Lightbox media=media.get_value() src=lightbox_src.clone() on_close=Callback::new(move |_| open.set(false)) />
                </Show>
            }
            .into_any()
        }
        MediaKind::Audio => {
            let duration = RwSignal::new(None::<f64>);
            let audio = NodeRef::<html::Audio>::new();
            view! {
                <audio
                    node_ref=audio
                    class="media-audio"
                    controls=true
                    preload="metadata"
                    src=src.clone()
                    on:loadedmetadata=move |_| duration.set(audio.get_untracked().map(|a| a.duration()).filter(|d| d.is_finite()))
                    on:error=move |_| failed.set(true)
                ></audio>
                {move || duration.get().map(|seconds| view! { <span class="media-duration muted small">{format!("{seconds:.1} s")}</span> })}
            }
            .into_any()
        }
        MediaKind::Document => view! { <DocumentPreview media=media.get_value() src=src.clone() checked_pdf=checked_pdf /> }.into_any(),
    };
    // A broken source hides the element (it keeps listening) and shows a placeholder in its place.
    view! {
        <div class="media-body" class:media-failed=move || failed.get()>{body}</div>
        {move || failed.get().then(|| view! { <Placeholder media=media.get_value() reason="it could not be loaded".to_string() /> })}
        {save}
    }
}

/// A PDF is previewed (under the size cap) from an object URL typed `application/pdf` over bytes that
/// begin as a PDF does: an attachment's, checked when fetched, or a data URL's, checked here. Whatever a
/// trace declares, nothing else is framed: other documents are offered for download.
#[component]
fn DocumentPreview(media: Media, src: String, checked_pdf: bool) -> impl IntoView {
    let url = if checked_pdf && src.starts_with("blob:") {
        Some(src)
    } else {
        let made = media.data_bytes().filter(|bytes| media.is_pdf(bytes)).and_then(|bytes| blob_url(&bytes, "application/pdf").ok());
        if let Some(url) = made.clone() {
            on_cleanup(move || revoke(&url));
        }
        made
    };
    url.map(|url| view! { <iframe class="media-document" src=url title="PDF preview"></iframe> })
}

#[component]
fn Placeholder(media: Media, reason: String) -> impl IntoView {
    view! {
        <div class="media-placeholder" role="img" aria-label=format!("{} unavailable", kind_name(media.kind))>
            <span class="media-placeholder-icon" aria-hidden="true">"⚠"</span>
            <span>{format!("{} not shown ({reason}): {}", kind_name(media.kind), origin(&media))}</span>
        </div>
    }
}

/// SVG as text, never as an image, with a download. An attachment's text is fetched first.
#[component]
fn SvgAsText(media: Media) -> impl IntoView {
    let context = use_context::<MediaContext>();
    let text = LocalResource::new(move || {
        let media = media.clone();
        async move {
            if let Some(text) = media.data_text() {
                return text;
            }
            match (media.source(), context) {
                (MediaSource::Attachment { id, trace_id, .. }, Some(context)) => {
                    let trace_id = trace_id.unwrap_or_else(|| context.trace_id.get_value());
                    match data::attachment(&context.source.get_value(), &trace_id, &id).await {
                        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                        Err(message) => format!("{} ({message})", media.url),
                    }
                }
                _ => media.url.clone(),
            }
        }
    });
    let download = move |_| {
        if let Some(text) = text.get_untracked() {
            let _ = crate::ui::browser::download::download("image.svg", "image/svg+xml", &text);
        }
    };
    view! {
        <figure class="media media-svg">
            <pre class="media-svg-text">{move || text.get().map(|text| crate::model::derive::truncate_chars(&text, SVG_TEXT_CHARS))}</pre>
            <figcaption class="muted">
                "SVG image, shown as text (SVG can carry script, so it is not rendered) · "
                <button class="link-button" on:click=download>"Download"</button>
            </figcaption>
        </figure>
    }
}

/// An image full size, with its type, size and a download; closes on Esc, a click outside or Close.
#[component]
fn Lightbox(media: Media, src: String, on_close: Callback<()>) -> impl IntoView {
    let image = NodeRef::<html::Img>::new();
    let dimensions = RwSignal::new(None::<(u32, u32)>);
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" {
            on_close.run(());
        }
    });
    on_cleanup(move || keys.remove());
    // While it is open, Esc is its own, not the trace view's.
    crate::ui::trace::detail::OpenOverlays::hold();
    let size = media.byte_size();
    let details = format!(
        "{}{}",
        media.mime.clone().unwrap_or_else(|| "image".into()),
        size.map(|bytes| format!(" · {}", format::bytes(bytes))).unwrap_or_default()
    );
    let save = view! { <SaveLink media=media.clone() src=src.clone() /> };
    view! {
        <div class="overlay lightbox" on:click=move |_| on_close.run(())>
            <div class="lightbox-body" role="dialog" aria-modal="true" aria-label="Image" on:click=|event| event.stop_propagation()>
                <img node_ref=image class="lightbox-image" src=src.clone() alt=origin(&media)
                    on:load=move |_| dimensions.set(image.get_untracked().map(|i| (i.natural_width(), i.natural_height()))) />
                <p class="lightbox-caption">
                    <span>{details}</span>
                    {move || dimensions.get().map(|(w, h)| format!(" · {w} × {h} px"))}
                    " · "
                    {save}
                    " "
                    <button class="button small" on:click=move |_| on_close.run(())>"Close"</button>
                </p>
            </div>
        </div>
    }
}
