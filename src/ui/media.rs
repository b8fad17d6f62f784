//! Images, audio and documents referenced by a trace, shown inline when it is safe to do so: `data:` URLs
//! of raster images and audio, and http(s) URLs. SVG is never rendered as an image (it can carry script);
//! anything else is named as text.

use crate::model::chat::{Media, MediaKind};
use leptos::prelude::*;

const RASTER_IMAGES: [&str; 5] = ["image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp"];

/// What can be shown inline: a raster image or audio from a data URL of that type, or a web URL.
fn inline_source(media: &Media) -> Option<String> {
    let mime = media.mime.as_deref().unwrap_or_default().to_ascii_lowercase();
    if mime.contains("svg") {
        return None;
    }
    let url = &media.url;
    let web = url.starts_with("https://") || url.starts_with("http://");
    let data = url.starts_with("data:")
        && match media.kind {
            MediaKind::Image => RASTER_IMAGES.contains(&mime.as_str()),
            MediaKind::Audio => mime.starts_with("audio/"),
            MediaKind::Document => false,
        };
    (web || data).then(|| url.clone())
}

/// A short description for a media value: type and size of the encoded data.
fn describe(media: &Media) -> String {
    let kind = match media.kind {
        MediaKind::Image => "image",
        MediaKind::Audio => "audio",
        MediaKind::Document => "document",
    };
    let mime = media.mime.clone().unwrap_or_else(|| "unknown type".into());
    match media.url.split_once(";base64,") {
        Some((_, data)) if media.url.starts_with("data:") => format!("{kind} · {mime} · {}", crate::format::bytes(data.len() as u64 * 3 / 4)),
        _ => format!("{kind} · {mime}"),
    }
}

#[component]
pub fn MediaView(media: Media) -> impl IntoView {
    let label = describe(&media);
    let shown = match (inline_source(&media), media.kind) {
        (Some(src), MediaKind::Image) => view! { <img class="media-image" src=src alt=label.clone() loading="lazy" /> }.into_any(),
        (Some(src), MediaKind::Audio) => view! { <audio class="media-audio" controls=true preload="metadata" src=src></audio> }.into_any(),
        _ => {
            // Not shown inline: the reference itself, cut, as text.
            let reference = crate::model::derive::truncate_chars(&media.url, 200);
            view! { <code class="media-reference">{reference}</code> }.into_any()
        }
    };
    view! {
        <figure class="media">
            {shown}
            <figcaption class="muted">{label}</figcaption>
        </figure>
    }
}
