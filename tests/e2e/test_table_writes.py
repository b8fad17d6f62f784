"""What the table and trace view change on a real server, checked through MLflow's REST API afterwards:
bulk delete, tag editing (and a refused change rolled back), export loaded back, and paging through more
than a thousand traces. Each test works in its own experiment so the shared seeded one stays intact."""

import csv
import io
import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from conftest import DIST, eventually


def fresh_experiment(seeded, name: str, traces: int = 8) -> tuple[str, list[str]]:
    """An experiment of its own on the seeded server, logged through the SDK."""
    import mlflow

    from demo.seed import seed

    experiment_id = seed(seeded.url, experiment=name, traces=traces, days=1)
    found = mlflow.MlflowClient(seeded.url).search_traces(locations=[experiment_id], max_results=500)
    return experiment_id, [trace.info.trace_id for trace in found]


def remaining_ids(seeded, experiment_id: str) -> set[str]:
    import mlflow

    return {t.info.trace_id for t in mlflow.MlflowClient(seeded.url).search_traces(locations=[experiment_id], max_results=500)}


def test_bulk_delete_asks_then_deletes_on_the_server(viewer, seeded):
    experiment_id, ids = fresh_experiment(seeded, "e2e-delete")
    page = viewer.open(server=seeded.url, experiment_id=experiment_id)
    viewer.wait_for_rows(len(ids))
    doomed = viewer.rows().nth(1).get_attribute("data-trace-id"), viewer.rows().nth(2).get_attribute("data-trace-id")
    viewer.rows().nth(1).locator(".select-cell input").click()
    viewer.rows().nth(2).locator(".select-cell input").click()
    page.get_by_role("button", name="Delete 2").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Delete 2 traces from the tracking server?")
    page.get_by_role("button", name="Delete 2 traces").click()
    viewer.wait_for_rows(len(ids) - 2)
    expect(page.locator(".notice")).to_have_text("Deleted 2 traces.")
    assert remaining_ids(seeded, experiment_id) == set(ids) - set(doomed)

    # When the server cannot be reached, nothing disappears and the user is told.
    page.route("**/traces/delete-traces", lambda route: route.abort("connectionrefused"))
    viewer.rows().nth(0).locator(".select-cell input").click()
    page.get_by_role("button", name="Delete 1").click()
    page.get_by_role("button", name="Delete 1 traces").click()
    expect(page.locator(".warning")).to_contain_text("Nothing was deleted: Could not reach")
    viewer.wait_for_rows(len(ids) - 2)
    assert len(remaining_ids(seeded, experiment_id)) == len(ids) - 2


def test_tags_are_added_changed_and_removed_on_the_server(viewer, seeded):
    import mlflow

    experiment_id, ids = fresh_experiment(seeded, "e2e-tags", traces=3)
    client = mlflow.MlflowClient(seeded.url)
    tags = lambda: client.get_trace(ids[0]).info.tags  # noqa: E731
    page = viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=ids[0])
    editor = page.get_by_label("Tags")
    editor.get_by_label("New tag key").fill("reviewer")
    editor.get_by_label("New tag value").fill("bob")
    editor.get_by_role("button", name="Add tag").click()
    expect(editor.locator("[data-tag-key=reviewer]")).to_contain_text("reviewer: bob")
    eventually(lambda: tags().get("reviewer") == "bob")
    expect(editor.get_by_label("New tag key")).to_have_value("")

    editor.get_by_role("button", name="Change reviewer").click()
    editor.get_by_label("Value of reviewer").fill("carol")
    editor.get_by_role("button", name="Save").click()
    expect(editor.locator("[data-tag-key=reviewer]")).to_contain_text("reviewer: carol")
    eventually(lambda: tags().get("reviewer") == "carol")

    editor.get_by_role("button", name="Remove reviewer").click()
    expect(editor.locator("[data-tag-key=reviewer]")).to_have_count(0)
    eventually(lambda: "reviewer" not in tags())

    # Back in the table, the row is there with its tags as the server has them.
    page.get_by_role("link", name="← All traces").click()
    expect(page.locator(f".trace-row[data-trace-id='{ids[0]}']")).to_be_visible()


def test_a_tag_added_in_the_trace_view_shows_in_the_table_row(viewer, seeded):
    """The table stays mounted under an open trace; its row follows what the trace view changed."""
    experiment_id, ids = fresh_experiment(seeded, "e2e-tag-row", traces=2)
    page = viewer.open(server=seeded.url, experiment_id=experiment_id)
    viewer.wait_for_rows(len(ids))
    page.get_by_role("button", name="Columns").click()
    page.get_by_role("checkbox", name="Tags").check()
    row = page.locator(f".trace-row[data-trace-id='{ids[0]}']")
    expect(row.locator("[data-column=tags]")).not_to_contain_text("reviewer")
    row.locator("[data-column=trace_name] .open-trace").click()
    editor = page.get_by_label("Tags")
    editor.get_by_label("New tag key").fill("reviewer")
    editor.get_by_label("New tag value").fill("bob")
    editor.get_by_role("button", name="Add tag").click()
    expect(editor.locator("[data-tag-key=reviewer]")).to_contain_text("reviewer: bob")
    page.get_by_role("link", name="← All traces").click()
    expect(row.locator("[data-column=tags]")).to_contain_text("reviewer: bob")


def test_a_refused_tag_change_is_rolled_back_and_the_typing_kept(viewer, seeded):
    import mlflow

    experiment_id, ids = fresh_experiment(seeded, "e2e-tag-refused", traces=2)
    before = mlflow.MlflowClient(seeded.url).get_trace(ids[0]).info.tags
    page = viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=ids[0])
    editor = page.get_by_label("Tags")
    # MLflow refuses keys that would resolve as paths.
    editor.get_by_label("New tag key").fill("../notes")
    editor.get_by_label("New tag value").fill("see ticket 42")
    editor.get_by_role("button", name="Add tag").click()
    message = editor.locator(".warning")
    expect(message).to_contain_text('The tag "../notes" was not changed: The server answered 400 INVALID_PARAMETER_VALUE')
    expect(editor.locator("[data-tag-key='../notes']")).to_have_count(0)
    expect(editor.get_by_label("New tag key")).to_have_value("../notes")
    expect(editor.get_by_label("New tag value")).to_have_value("see ticket 42")
    assert mlflow.MlflowClient(seeded.url).get_trace(ids[0]).info.tags == before


def test_exported_traces_load_back_into_the_viewer(viewer, seeded, tmp_path):
    import mlflow

    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id)
    viewer.wait_for_rows(len(seeded.trace_ids))
    chosen = [viewer.rows().nth(i).get_attribute("data-trace-id") for i in range(3)]
    for i in range(3):
        viewer.rows().nth(i).locator(".select-cell input").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export JSON").click()
    exported = DIST / "e2e-exported.json"
    download.value.save_as(exported)
    try:
        assert [t["info"]["trace_id"] for t in json.loads(exported.read_text())] == chosen
        page = viewer.open(traces="e2e-exported.json", trace_id=chosen[0])
        spans = mlflow.MlflowClient(seeded.url).get_trace(chosen[0]).data.spans
        expect(page.locator(".span-row")).to_have_count(len(spans))
        page.get_by_role("link", name="← All traces").click()
        viewer.wait_for_rows(3)
        assert sorted(viewer.listed_ids()) == sorted(chosen)
    finally:
        exported.unlink()

    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path()).read())))
    assert rows[0][:2] == ["Trace ID", "Request"]
    assert sorted(row[0] for row in rows[1:]) == sorted(chosen)


def otlp_batch(first: int, count: int, start_ns: int) -> dict:
    """`count` one-span traces as an OTLP/JSON export request."""
    spans = [{
        "traceId": f"{first + i:032x}", "spanId": f"{first + i:016x}", "name": f"page_probe_{first + i}", "kind": 1,
        "startTimeUnixNano": str(start_ns + (first + i) * 1_000_000), "endTimeUnixNano": str(start_ns + (first + i) * 1_000_000 + 500_000),
        "attributes": [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}}], "status": {"code": 1},
    } for i in range(count)]
    return {"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "pager"}}]},
                               "scopeSpans": [{"scope": {"name": "e2e"}, "spans": spans}]}]}


@pytest.fixture(scope="session")
def paging_experiment(seeded):
    """1,100 traces in one experiment, sent to MLflow's own OTLP endpoint in batches (the SDK would take minutes)."""
    import mlflow

    experiment_id = mlflow.MlflowClient(seeded.url).create_experiment("e2e-paging")
    start_ns = time.time_ns() - 3_600_000_000_000
    for first in range(0, 1100, 100):
        request = urllib.request.Request(
            f"{seeded.url}/v1/traces", data=json.dumps(otlp_batch(first + 1, 100, start_ns)).encode(), method="POST",
            headers={"Content-Type": "application/json", "x-mlflow-experiment-id": experiment_id})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
    return experiment_id


def test_paging_through_more_than_a_thousand_traces(viewer, seeded, paging_experiment):
    page = viewer.open(server=seeded.url, experiment_id=paging_experiment)
    summary = page.locator("[data-testid=trace-count]")
    # A first page of 100 shows sooner; scrolling asks for pages of 500 (the last one full, so the server
    # offers one more, which is empty).
    expect(summary).to_have_text("100 traces, more on the server")
    scroller = page.locator(".table-scroller")
    for loaded in ("600 traces, more on the server", "1,100 traces, more on the server", "1,100 traces"):
        scroller.evaluate("element => element.scrollTop = element.scrollHeight")
        expect(summary).to_have_text(loaded)
    viewer.wait_for_rows(1100)
    assert viewer.rows().count() < 150, "rows stay windowed"
    scroller.evaluate("element => element.scrollTop = element.scrollHeight")
    # Newest first: the last row is the first trace sent.
    expect(viewer.rows().last).to_have_attribute("data-trace-id", f"tr-{1:032x}")


def rest(seeded, method: str, path: str, body=None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{seeded.url}{path}", data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_selected_traces_are_added_to_an_evaluation_dataset(viewer, seeded):
    experiment_id, ids = fresh_experiment(seeded, "e2e-dataset", traces=4)
    page = viewer.open(server=seeded.url, experiment_id=experiment_id)
    viewer.wait_for_rows(len(ids))
    chosen = [viewer.rows().nth(i).get_attribute("data-trace-id") for i in range(2)]
    for i in range(2):
        viewer.rows().nth(i).locator(".select-cell input").click()
    page.get_by_role("button", name="Add to dataset").click()
    panel = page.get_by_role("dialog", name="Add to evaluation dataset")
    panel.get_by_label("New dataset name").fill("e2e-eval")
    panel.get_by_role("button", name="Add 2 traces").click()
    expect(page.locator(".notice")).to_contain_text("Added 2 traces to the dataset e2e-eval")

    found = rest(seeded, "POST", "/api/3.0/mlflow/datasets/search", {"experiment_ids": [experiment_id]})["datasets"]
    dataset = next(d for d in found if d["name"] == "e2e-eval")
    answer = rest(seeded, "GET", f"/api/3.0/mlflow/datasets/{dataset['dataset_id']}/records")
    records = answer["records"] if isinstance(answer["records"], list) else json.loads(answer["records"])
    sources = sorted(record["source"]["source_data"]["trace_id"] for record in records)
    assert sources == sorted(chosen), records
    assert all(record["inputs"] for record in records), "the root span's inputs became the record's inputs"
