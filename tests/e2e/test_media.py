"""Inline images and audio from every provider format, through a real server (with the SDK's attachment
extraction on, its default, and off) and from a trace file with no server: each image decodes, each audio
clip's duration is readable, the lightbox opens, a broken URL shows a placeholder naming it, an SVG data
URL stays text and runs nothing, and a PDF is offered for download."""

import base64
import json
import os

import pytest
from playwright.sync_api import expect

from demo.seed import export, png_image, wav_audio

PNG = base64.b64encode(png_image()).decode()
WAV = base64.b64encode(wav_audio()).decode()
PNG_URL = f"data:image/png;base64,{PNG}"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"><script>window.__pwned=1</script></svg>'
PDF = base64.b64encode(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").decode()


def user(*parts):
    return {"messages": [{"role": "user", "content": list(parts)}]}


def formats(web: str) -> dict:
    """Span name -> (inputs, outputs, expected kinds of media in order). `web` serves e2e/pic.png."""
    return {
        "openai_image_url": (user({"type": "text", "text": "What is this?"}, {"type": "image_url", "image_url": {"url": PNG_URL}}), None, ["image"]),
        "openai_responses_input_image": ({"input": [{"role": "user", "content": [{"type": "input_image", "image_url": PNG_URL}]}]}, None, ["image"]),
        "anthropic_image_base64": (user({"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}}), None, ["image"]),
        "anthropic_image_url": (user({"type": "image", "source": {"type": "url", "url": f"{web}/e2e/pic.png"}}), None, ["image"]),
        "gemini_inline_data": ({"contents": [{"role": "user", "parts": [{"inline_data": {"mime_type": "image/png", "data": PNG}}]}]}, None, ["image"]),
        "gemini_file_data": ({"contents": [{"role": "user", "parts": [{"file_data": {"mime_type": "image/png", "file_uri": f"{web}/e2e/pic.png"}}]}]}, None, ["image"]),
        "gemini_audio": ({"contents": [{"role": "user", "parts": [{"inline_data": {"mime_type": "audio/wav", "data": WAV}}]}]}, None, ["audio"]),
        "bedrock_image_bytes": (user({"image": {"format": "png", "source": {"bytes": PNG}}}), None, ["image"]),
        "langchain_image": ({"messages": [[{"type": "human", "content": [{"type": "image", "source_type": "base64", "data": PNG, "mime_type": "image/png"}]}]]}, None, ["image"]),
        "otel_gen_ai_parts": ([{"role": "user", "parts": [{"type": "blob", "mime_type": "image/png", "content": PNG}]}], None, ["image"]),
        "openai_input_audio": (user({"type": "input_audio", "input_audio": {"data": WAV, "format": "wav"}}), None, ["audio"]),
        "openai_audio_output": (user({"type": "text", "text": "Say hi"}),
                                {"choices": [{"message": {"role": "assistant", "content": None, "audio": {"id": "au_1", "data": WAV, "transcript": "hi"}}}]}, ["audio"]),
    }


def log_media_trace(url: str, experiment: str, extract: bool, web: str) -> tuple[str, str]:
    """One trace with a span per format, plus a broken image URL, an SVG and a PDF; returns (experiment id,
    trace id)."""
    os.environ["MLFLOW_TRACE_EXTRACT_ATTACHMENTS"] = "true" if extract else "false"
    import mlflow
    from mlflow.entities import SpanType

    mlflow.set_tracking_uri(url)
    experiment_id = mlflow.set_experiment(experiment).experiment_id
    root = mlflow.start_span_no_context("media_formats", span_type=SpanType.CHAIN, inputs={"case": "media"})
    spans = dict(formats(web))
    spans["broken_image_url"] = (user({"type": "image_url", "image_url": {"url": f"{web}/e2e/missing.png"}}), None, ["image"])
    spans["svg_data_url"] = (user({"type": "image_url", "image_url": {"url": "data:image/svg+xml;base64," + base64.b64encode(SVG.encode()).decode()}}), None, [])
    spans["pdf_file"] = (user({"type": "file", "file": {"file_data": f"data:application/pdf;base64,{PDF}", "filename": "a.pdf"}}), None, ["document"])
    for name, (inputs, outputs, _) in spans.items():
        span = mlflow.start_span_no_context(name, span_type=SpanType.CHAT_MODEL, parent_span=root, inputs=inputs)
        span.end(outputs=outputs or {"choices": [{"message": {"role": "assistant", "content": "ok"}}]})
    root.end(outputs={"done": True})
    mlflow.flush_trace_async_logging()
    return experiment_id, root.trace_id


@pytest.fixture(scope="module")
def web(static_port, served_files) -> str:
    """The static server also serves the image that http(s) formats point at."""
    (served_files / "pic.png").write_bytes(png_image())
    return f"http://127.0.0.1:{static_port}"


@pytest.fixture(scope="module")
def media_traces(seeded, web, served_files) -> dict:
    extracted = log_media_trace(seeded.url, "media-extracted", True, web)
    inline = log_media_trace(seeded.url, "media-inline", False, web)
    os.environ["MLFLOW_TRACE_EXTRACT_ATTACHMENTS"] = "true"
    export(seeded.url, inline[0], str(served_files / "media.json"))
    return {"extracted": extracted, "inline": inline}


def span_ids(seeded, trace_id: str) -> dict:
    import mlflow

    trace = mlflow.MlflowClient(seeded.url).get_trace(trace_id)
    return {span.name: span.span_id for span in trace.data.spans}


def check_formats(page, open_span, web):
    for name, (_, _, kinds) in formats(web).items():
        open_span(name)
        panel = page.get_by_label("Selected span")
        expect(panel.locator(".span-title")).to_have_text(name)
        media = panel.locator(".chat .media")
        expect(media).to_have_count(len(kinds))
        for index, kind in enumerate(kinds):
            item = media.nth(index)
            if kind == "image":
                image = item.locator("img.media-image")
                expect(image).to_be_visible()
                image.evaluate("img => img.decode()")
                assert image.evaluate("img => img.naturalWidth") > 0, name
            else:
                expect(item.locator(".media-duration")).to_have_text("0.6 s")
                assert item.locator("audio").evaluate("a => a.duration") > 0.5, name


@pytest.mark.parametrize("variant", ["extracted", "inline"])
def test_every_format_renders_from_the_server(viewer, seeded, media_traces, web, variant):
    experiment_id, trace_id = media_traces[variant]
    ids = span_ids(seeded, trace_id)
    page = viewer.page

    def open_span(name):
        viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=trace_id, span_id=ids[name])

    check_formats(page, open_span, web)
    if variant == "extracted":
        # The SDK moved the base64 image into an attachment: it arrives as a fetched object URL.
        open_span("openai_image_url")
        image = page.locator(".chat img.media-image")
        expect(image).to_be_visible()
        assert image.get_attribute("src").startswith("blob:")


def test_the_same_media_render_from_a_file_without_a_server(viewer, seeded, media_traces, web):
    _, trace_id = media_traces["inline"]
    ids = span_ids(seeded, trace_id)

    def open_span(name):
        viewer.open(traces="e2e/media.json", trace_id=trace_id, span_id=ids[name])

    check_formats(viewer.page, open_span, web)


def test_lightbox_placeholder_svg_and_pdf(viewer, seeded, media_traces):
    experiment_id, trace_id = media_traces["extracted"]
    ids = span_ids(seeded, trace_id)
    page = viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=trace_id, span_id=ids["gemini_inline_data"])
    page.locator(".chat .media-open").click()
    dialog = page.get_by_role("dialog", name="Image")
    expect(dialog).to_contain_text("image/png")
    expect(dialog).to_contain_text("96 × 64 px")
    expect(dialog.get_by_role("link", name="Download")).to_have_attribute("download", "image.png")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.locator(".trace-detail")).to_have_count(1)  # Esc closed the image, not the trace

    viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=trace_id, span_id=ids["broken_image_url"])
    placeholder = page.locator(".chat .media-placeholder")
    expect(placeholder).to_contain_text("/e2e/missing.png")

    viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=trace_id, span_id=ids["svg_data_url"])
    svg = page.locator(".chat .media-svg-text")
    expect(svg).to_contain_text("<script>window.__pwned=1</script>")
    expect(page.locator(".chat img")).to_have_count(0)
    assert page.evaluate("() => window.__pwned") is None

    viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=trace_id, span_id=ids["pdf_file"])
    expect(page.locator(".chat .media[data-kind=document] .media-download")).to_have_attribute("download", "document.pdf")


def test_media_over_the_size_limit_wait_for_a_click(viewer, seeded, media_traces):
    experiment_id, trace_id = media_traces["inline"]
    ids = span_ids(seeded, trace_id)
    page = viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=trace_id, span_id=ids["openai_input_audio"])
    expect(page.locator(".chat audio")).to_have_count(1)
    # Lower the limit below the clip's size: it now waits for a click, and the choice is remembered.
    page.evaluate("() => localStorage.setItem('trace-viewer.media-cap-bytes', '1000')")
    page.reload()
    button = page.locator(".chat .media-load")
    expect(button).to_contain_text("Show audio")
    expect(page.locator(".chat audio")).to_have_count(0)
    button.click()
    expect(page.locator(".chat .media-duration")).to_have_text("0.6 s")
    page.evaluate("() => localStorage.removeItem('trace-viewer.media-cap-bytes')")


def test_a_web_images_link_opens_a_new_tab_and_the_viewer_stays(viewer, seeded, media_traces, web):
    """A web URL is another origin's, where browsers ignore `download` and would take the tab there: the viewer
    offers to open it in a new tab instead."""
    experiment_id, trace_id = media_traces["inline"]
    ids = span_ids(seeded, trace_id)
    page = viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=trace_id, span_id=ids["anthropic_image_url"])
    link = page.get_by_label("Selected span").locator(".chat .media .media-download")
    expect(link).to_have_text("Open in a new tab")
    expect(link).to_have_attribute("target", "_blank")
    assert link.get_attribute("download") is None
    with page.context.expect_page() as opened:
        link.click()
    opened.value.wait_for_url(f"{web}/e2e/pic.png")
    assert trace_id in page.url, "the viewer's own tab stays where it was"
