"""The trace view end to end against a real server: the span hierarchy with failures flagged, the selected
span's exception, inputs and outputs, folding, and a permalink that reopens the same span."""

from playwright.sync_api import expect


def failed_trace(seeded):
    """A seeded trace whose tool failed, with the failing span and its exception event (from the SDK)."""
    import mlflow

    client = mlflow.MlflowClient(seeded.url)
    for trace_id in seeded.trace_ids:
        trace = client.get_trace(trace_id)
        for span in trace.data.spans:
            if span.span_type == "TOOL" and span.status.status_code == "ERROR":
                return trace, span
    raise AssertionError("the seed logs failing tools")


def test_a_failed_span_is_flagged_and_its_exception_shown(viewer, seeded):
    trace, span = failed_trace(seeded)
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=trace.info.trace_id)
    expect(page.locator(".span-row")).to_have_count(len(trace.data.spans))
    row = page.locator(f".span-row[data-span-id='{span.span_id}']")
    expect(row).to_have_class("span-row failed")
    expect(row.locator(".span-type")).to_have_text("TOOL")
    row.click()
    panel = page.get_by_label("Selected span")
    exception = next(event for event in span.events if event.name == "exception")
    expect(panel.locator(".exception")).to_contain_text(
        f"{exception.attributes['exception.type']}: {exception.attributes['exception.message']}")
    expect(panel.locator(".json-tree").first).to_contain_text(f'"{span.inputs["city"]}"')
    expect(panel.locator("dl.facts")).to_contain_text("ERROR")


def test_a_permalink_reopens_the_same_span(viewer, seeded):
    trace, span = failed_trace(seeded)
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=trace.info.trace_id)
    page.locator(f".span-row[data-span-id='{span.span_id}']").click()
    assert f"span_id={span.span_id}" in page.url
    page.reload()
    selected = page.locator(".span-row[aria-selected=true]")
    expect(selected).to_have_attribute("data-span-id", span.span_id)
    expect(page.get_by_label("Selected span").locator(".span-title")).to_have_text(span.name)


def test_folding_the_root_hides_its_descendants(viewer, seeded):
    trace, _ = failed_trace(seeded)
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=trace.info.trace_id)
    expect(page.locator(".span-row")).to_have_count(len(trace.data.spans))
    root = page.locator(".span-row[data-depth='0']")
    root.get_by_role("button", name="Fold or unfold").click()
    expect(page.locator(".span-row")).to_have_count(1)
    expect(root).to_have_attribute("aria-expanded", "false")
    root.get_by_role("button", name="Fold or unfold").click()
    expect(page.locator(".span-row")).to_have_count(len(trace.data.spans))


def test_keyboard_moves_the_selection_and_folds(viewer, seeded):
    trace, _ = failed_trace(seeded)
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=trace.info.trace_id)
    root = page.locator(".span-row[data-depth='0']")
    root.click()
    tree = page.get_by_role("tree", name="Spans")
    tree.focus()
    selected = page.locator(".span-row[aria-selected=true]")
    page.keyboard.press("ArrowDown")
    expect(selected).to_have_attribute("data-depth", "1")
    first_child = selected.get_attribute("data-span-id")
    assert f"span_id={first_child}" in page.url
    page.keyboard.press("ArrowDown")
    expect(selected).not_to_have_attribute("data-span-id", first_child)
    page.keyboard.press("ArrowLeft")  # a leaf: to its parent
    expect(selected).to_have_attribute("data-depth", "0")
    page.keyboard.press("ArrowLeft")  # the root: fold it
    expect(page.locator(".span-row")).to_have_count(1)
    page.keyboard.press("ArrowRight")
    expect(page.locator(".span-row")).to_have_count(len(trace.data.spans))


def test_a_retriever_span_lists_its_documents(viewer, seeded):
    import mlflow

    client = mlflow.MlflowClient(seeded.url)
    trace, span = next((t, s) for t in (client.get_trace(i) for i in seeded.trace_ids)
                       for s in t.data.spans if s.span_type == "RETRIEVER")
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=trace.info.trace_id, span_id=span.span_id)
    panel = page.get_by_label("Selected span")
    expect(panel.locator(".span-title")).to_have_text(span.name)
    documents = panel.locator(".document")
    expect(documents).to_have_count(len(span.outputs))
    first = span.outputs[0]
    expect(documents.first.locator(".document-content")).to_have_text(first["page_content"])
    expect(documents.first.locator(".doc-uri")).to_have_text(first["metadata"]["doc_uri"])
