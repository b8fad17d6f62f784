"""Generated filters: the browser's evaluator (file mode) agrees with a real MLflow server on the seeded traces.

Filters are drawn at random from the grammar, with identifiers, operators and values taken from the seeded data
itself (trace names, tags, metadata, span names, types and statuses, feedback values, execution times and
request times, including values exactly on a trace's own), one to three clauses joined with AND. Each is
sent to the server through the SDK and applied to the same traces exported to a file. A filter the server
refuses is skipped: the test checks the filters MLflow answers. The draw is seeded (FILTER_SEED, FILTER_COUNT
to explore more), and a failure names the seed and the filter to replay it.
"""

import json
import os
import random

import pytest
from playwright.sync_api import expect

SEED = int(os.environ.get("FILTER_SEED", "20261122"))
COUNT = int(os.environ.get("FILTER_COUNT", "40"))


def quoted(text: str) -> str:
    return "'" + text.replace("'", "\\'") + "'"


def key(name: str) -> str:
    return name if name.replace("_", "").isalnum() else f"`{name}`"


def pattern(rng: random.Random, value: str) -> str:
    """A LIKE pattern that the value matches, or a near miss."""
    if len(value) < 3:
        return value + "%"
    start = rng.randrange(0, len(value) - 2)
    part = value[start : start + rng.randint(2, 5)]
    return rng.choice([f"%{part}%", f"{value[:3]}%", f"%{value[-3:]}", f"%{part.upper()}%", f"{part}%"])


class Pools:
    """What the seeded traces hold, to draw values from."""

    def __init__(self, traces):
        self.names = sorted({t.info.tags.get("mlflow.traceName") for t in traces} - {None})
        self.tags: dict[str, set] = {}
        self.metadata: dict[str, set] = {}
        self.span_names, self.span_types = set(), set()
        self.feedback: dict[str, set] = {}
        self.durations, self.times, self.words = [], [], set()
        for trace in traces:
            for name, value in trace.info.tags.items():
                if not name.startswith("mlflow."):
                    self.tags.setdefault(name, set()).add(value)
            for name, value in trace.info.trace_metadata.items():
                if name in ("mlflow.trace.user", "mlflow.trace.session") or not name.startswith("mlflow."):
                    self.metadata.setdefault(name, set()).add(value)
            for span in trace.data.spans:
                self.span_names.add(span.name)
                self.span_types.add(span.span_type or "UNKNOWN")
            for assessment in trace.info.assessments or []:
                if assessment.feedback is not None and isinstance(assessment.feedback.value, (str, bool, int, float)):
                    self.feedback.setdefault(assessment.name, set()).add(assessment.feedback.value)
            if trace.info.execution_duration is not None:
                self.durations.append(trace.info.execution_duration)
            self.times.append(trace.info.request_time)
            self.words.update(w.strip(".,!?\"'") for w in (trace.info.request_preview or "").split() if len(w) > 4)
        self.words = sorted(w for w in self.words if w.isalpha())

    def clause(self, rng: random.Random) -> str:
        kind = rng.choice(["status", "name", "duration", "time", "tag", "metadata", "span_name", "span_type",
                           "span_status", "feedback", "text"])
        if kind == "status":
            statuses = ["OK", "ERROR", "IN_PROGRESS"]
            if rng.random() < 0.3:
                chosen = rng.sample(statuses, rng.randint(1, 2))
                return f"trace.status {rng.choice(['IN', 'NOT IN'])} ({', '.join(map(quoted, chosen))})"
            return f"trace.status {rng.choice(['=', '!='])} {quoted(rng.choice(statuses))}"
        if kind == "name":
            name = rng.choice(self.names)
            op = rng.choice(["=", "!=", "LIKE", "ILIKE", "RLIKE"])
            value = {"LIKE": pattern(rng, name), "ILIKE": pattern(rng, name).upper(), "RLIKE": f"^{name[:4]}"}.get(op, name)
            return f"trace.name {op} {quoted(value)}"
        if kind == "duration":
            threshold = rng.choice(self.durations) + rng.choice([0, 0, -1, 1])
            return f"trace.execution_time_ms {rng.choice(['>', '>=', '<', '<=', '=', '!='])} {threshold}"
        if kind == "time":
            threshold = rng.choice(self.times) + rng.choice([0, -1, 1, -1000, 1000])
            return f"trace.timestamp_ms {rng.choice(['>', '>=', '<', '<='])} {threshold}"
        if kind in ("tag", "metadata"):
            pool = self.tags if kind == "tag" else self.metadata
            name = rng.choice(sorted(pool))
            value = rng.choice(sorted(pool[name]))
            op = rng.choice(["=", "!=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL"])
            prefix = "tag" if kind == "tag" else rng.choice(["metadata", "request_metadata"])
            if op.startswith("IS"):
                return f"{prefix}.{key(name)} {op}"
            return f"{prefix}.{key(name)} {op} {quoted(pattern(rng, value) if 'LIKE' in op else value)}"
        if kind == "span_name":
            name = rng.choice(sorted(self.span_names))
            op = rng.choice(["=", "!=", "LIKE", "ILIKE"])
            return f"span.name {op} {quoted(pattern(rng, name) if 'LIKE' in op else name)}"
        if kind == "span_type":
            if rng.random() < 0.4:
                chosen = rng.sample(sorted(self.span_types), min(2, len(self.span_types)))
                return f"span.type IN ({', '.join(map(quoted, chosen))})"
            return f"span.type {rng.choice(['=', '!='])} {quoted(rng.choice(sorted(self.span_types)))}"
        if kind == "span_status":
            return f"span.status {rng.choice(['=', '!='])} {quoted(rng.choice(['OK', 'ERROR', 'UNSET']))}"
        if kind == "feedback":
            name = rng.choice(sorted(self.feedback))
            value = rng.choice(sorted(self.feedback[name], key=str))
            if rng.random() < 0.2:
                return f"feedback.{key(name)} {rng.choice(['IS NULL', 'IS NOT NULL'])}"
            if isinstance(value, bool):
                return f"feedback.{key(name)} = {quoted(str(value).lower())}"
            if isinstance(value, (int, float)):
                return f"feedback.{key(name)} {rng.choice(['>', '>=', '<', '<='])} {value}"
            return f"feedback.{key(name)} {rng.choice(['=', 'LIKE'])} {quoted(pattern(rng, value) if rng.random() < 0.5 else value)}"
        word = rng.choice(self.words)
        return f"trace.text {rng.choice(['LIKE', 'ILIKE'])} {quoted('%' + word[1:-1] + '%')}"

    def filter(self, rng: random.Random) -> str:
        return " AND ".join(self.clause(rng) for _ in range(rng.choice([1, 1, 2, 2, 3])))


@pytest.fixture(scope="module")
def generated(seeded):
    """(filter, trace ids the server answers) for the filters the server accepts, and how many it refused."""
    import mlflow
    from mlflow.exceptions import MlflowException

    client = mlflow.MlflowClient(seeded.url)
    traces = [client.get_trace(trace_id) for trace_id in seeded.trace_ids]
    pools, rng = Pools(traces), random.Random(SEED)
    answered, refused = [], []
    while len(answered) < COUNT and len(refused) < COUNT:
        filter_text = pools.filter(rng)
        try:
            found = client.search_traces(locations=[seeded.experiment_id], filter_string=filter_text, max_results=500)
        except MlflowException:
            refused.append(filter_text)
            continue
        answered.append((filter_text, sorted(t.info.trace_id for t in found)))
    return answered, refused


def test_generated_filters_select_what_the_server_selects(viewer, seeded, seeded_file, generated):
    answered, refused = generated
    assert len(answered) == COUNT, f"the server refused too many generated filters: {refused[:5]}"
    # Not a vacuous draw: some filters match nothing, some match several traces but not all.
    counts = [len(ids) for _, ids in answered]
    assert 0 in counts and any(1 < n < len(seeded.trace_ids) for n in counts), counts

    page = viewer.open(traces=seeded_file)
    viewer.wait_for_rows(len(seeded.trace_ids))
    box = page.get_by_label("Search traces")
    disagreements = []
    for filter_text, expected in answered:
        box.fill(filter_text)
        box.press("Enter")
        expect(page.locator(".filter-error")).to_have_count(0)
        try:
            expect(page.locator("[role=table]")).to_have_attribute("aria-rowcount", str(len(expected)), timeout=3000)
        except AssertionError:
            pass
        listed = sorted(viewer.listed_ids())
        if listed != expected:
            disagreements.append({"filter": filter_text, "server": expected, "browser": listed})
    assert not disagreements, f"FILTER_SEED={SEED}: " + json.dumps(disagreements, indent=1)
    assert not viewer.console_errors, viewer.console_errors
