"""Traces made by agent frameworks' own code: each framework in tests/frameworks/runs/ runs a small weather agent
with MLflow's autologging on and its offline fake (or tests/frameworks/fake_llm_server.py standing in for the
provider's API), logging to a real MLflow server; the viewer then opens each trace as a reader would and the
Chat view of the span where a reader looks must show the question, the system prompt, the tool call with its
arguments in the order the model wrote them, the tool's result and the answer.

The frameworks live in .venv-frameworks (tests/frameworks/requirements.txt, installed by scripts/setup.sh --test).
"""

import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from conftest import ROOT
from mlflow_server import MlflowServer, free_port

FRAMEWORKS = ROOT / "tests" / "frameworks"
PYTHON = ROOT / ".venv-frameworks" / "bin" / "python"
QUESTION = "What is the weather in Paris?"
SYSTEM = "You are a weather assistant."
RESULT = "21 degrees celsius and sunny in Paris"
ANSWER = "It is sunny in Paris, 21 degrees."
RUNS = ["langgraph_react", "pydantic_ai_tools", "openai_agents_sdk", "strands_openai", "dspy_react", "llamaindex_rag",
        "openai_chat_tools", "anthropic_tools", "autogen_replay", "agno_openai", "smolagents_tools", "llamaindex_function_agent", "pydantic_ai_test_model",
        "dspy_chain_of_thought", "openai_image_input", "openai_streaming", "llamaindex_chat_engine", "llamaindex_react_agent"]


@pytest.fixture(scope="module")
def framework_traces():
    """Each run's trace id on one MLflow server, with the server."""
    assert PYTHON.exists(), f"{PYTHON} is missing: scripts/setup.sh --test installs the frameworks"
    port = free_port()
    fake = subprocess.Popen([sys.executable, str(FRAMEWORKS / "fake_llm_server.py"), str(port)])
    # LiteLLM (under DSPy) would fetch its price list from the network at import.
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    try:
        with MlflowServer() as server:
            traces = {}
            for run in RUNS:
                done = subprocess.run([str(PYTHON), str(FRAMEWORKS / "runs" / f"{run}.py"), server.url, f"http://127.0.0.1:{port}"],
                                      env=env, capture_output=True, text=True, timeout=300)
                assert done.returncode == 0, f"{run}: {done.stderr[-3000:]}"
                traces[run] = done.stdout.strip().splitlines()[-1]
            yield server, traces
    finally:
        fake.terminate()


def open_span(viewer, framework_traces, run: str, span_name: str, nth: int = 0):
    """Opens the run's trace at its `nth` span named `span_name`; returns the messages of its Chat view."""
    import mlflow

    server, traces = framework_traces
    trace = mlflow.MlflowClient(server.url).get_trace(traces[run])
    span = [span for span in trace.data.spans if span.name == span_name][nth]
    page = viewer.open(server=server.url, experiment_id=trace.info.experiment_id, trace_id=traces[run], span_id=span.span_id)
    panel = page.get_by_label("Selected span")
    expect(panel.get_by_role("tab", name="Chat")).to_have_attribute("aria-selected", "true")
    messages = panel.locator(".chat-message")
    expect(messages.first).to_be_visible()
    return messages.evaluate_all(
        "items => items.map(m => ({role: m.dataset.role, text: m.innerText, output: m.classList.contains('output')}))")


def roles(messages) -> list[str]:
    return [message["role"] for message in messages]


def assert_tool_call(message, *, arguments_in_order=True):
    text = message["text"]
    assert "get_weather" in text and "Paris" in text, text
    if arguments_in_order:
        assert text.index("unit") < text.index("city"), f"the arguments re-sorted: {text}"


def assert_whole_exchange(messages, *, system=True):
    """question, (system,) the call, its result, the answer as the output."""
    expected = (["system"] if system else []) + ["user", "assistant", "tool", "assistant"]
    assert roles(messages) == expected, messages
    texts = [message["text"] for message in messages]
    if system:
        assert SYSTEM in texts[0]
    assert QUESTION in texts[-4]
    assert_tool_call(messages[-3])
    assert RESULT in texts[-2]
    assert ANSWER in texts[-1] and messages[-1]["output"], messages[-1]


def test_langgraph_root_shows_the_whole_exchange(viewer, framework_traces):
    messages = open_span(viewer, framework_traces, "langgraph_react", "LangGraph")
    assert_whole_exchange(messages, system=False)
    model = open_span(viewer, framework_traces, "langgraph_react", "FakeToolModel", nth=1)
    assert SYSTEM in model[0]["text"] and ANSWER in model[-1]["text"]


def test_pydantic_ai_agent_and_its_last_model_call(viewer, framework_traces):
    assert_whole_exchange(open_span(viewer, framework_traces, "pydantic_ai_tools", "Agent.run_sync"))
    first, last = (open_span(viewer, framework_traces, "pydantic_ai_tools", "FunctionModel.request", nth) for nth in (0, 1))
    assert_tool_call(first[-1])
    assert first[-1]["output"]
    assert ANSWER in last[-1]["text"] and last[-1]["output"]


def test_openai_agents_sdk_runner_and_response(viewer, framework_traces):
    assert_whole_exchange(open_span(viewer, framework_traces, "openai_agents_sdk", "AgentRunner.run"))
    response = open_span(viewer, framework_traces, "openai_agents_sdk", "Response")
    assert roles(response) == ["system", "user", "assistant"] and SYSTEM in response[0]["text"]


def test_strands_agent_and_the_model_call_after_the_tool(viewer, framework_traces):
    assert_whole_exchange(open_span(viewer, framework_traces, "strands_openai", "invoke_agent Strands Agents"))
    second = open_span(viewer, framework_traces, "strands_openai", "chat", nth=1)
    # The model's own tool call stands between the question and the tool's result.
    assert roles(second) == ["system", "user", "assistant", "tool", "assistant"], second
    assert_tool_call(second[2])


def test_dspy_react_agent(viewer, framework_traces):
    messages = open_span(viewer, framework_traces, "dspy_react", "ReAct.forward")
    assert roles(messages)[:1] == ["user"] and QUESTION in messages[0]["text"]
    assert any("get_weather" in m["text"] and "Paris" in m["text"] for m in messages if m["role"] == "assistant")
    assert any(RESULT in m["text"] for m in messages if m["role"] == "tool")
    assert ANSWER in messages[-1]["text"] and messages[-1]["output"]


def test_llamaindex_completion_shows_its_prompt(viewer, framework_traces):
    messages = open_span(viewer, framework_traces, "llamaindex_rag", "MockLLM.complete")
    assert roles(messages) == ["user", "assistant"]
    assert QUESTION in messages[0]["text"] and "Paris is sunny in summer." in messages[0]["text"]
    predict = open_span(viewer, framework_traces, "llamaindex_rag", "MockLLM.predict")
    assert QUESTION in predict[0]["text"]


def test_openai_sdk_calls(viewer, framework_traces):
    first = open_span(viewer, framework_traces, "openai_chat_tools", "Completions", 0)
    assert roles(first) == ["system", "user", "assistant"]
    assert_tool_call(first[-1])
    second = open_span(viewer, framework_traces, "openai_chat_tools", "Completions", 1)
    assert roles(second) == ["system", "user", "assistant", "tool", "assistant"]
    assert RESULT in second[3]["text"] and ANSWER in second[4]["text"]


def test_anthropic_tool_results_read_as_the_tools(viewer, framework_traces):
    second = open_span(viewer, framework_traces, "anthropic_tools", "Messages.create", 1)
    assert roles(second) == ["system", "user", "assistant", "tool", "assistant"], second
    assert_tool_call(second[2])
    assert RESULT in second[3]["text"] and ANSWER in second[4]["text"]


def test_autogen_agent_run_and_its_model_calls(viewer, framework_traces):
    run = open_span(viewer, framework_traces, "autogen_replay", "weather.run")
    assert roles(run) == ["user", "assistant", "tool", "assistant"], run
    assert QUESTION in run[0]["text"]
    assert_tool_call(run[1])
    assert RESULT in run[2]["text"] and ANSWER in run[3]["text"] and run[3]["output"]
    second = open_span(viewer, framework_traces, "autogen_replay", "ReplayChatCompletionClient.create", 1)
    assert roles(second) == ["system", "user", "assistant", "tool", "assistant"], second
    assert SYSTEM in second[0]["text"]


def test_agno_agent_assembled_from_its_steps(viewer, framework_traces):
    assert_whole_exchange(open_span(viewer, framework_traces, "agno_openai", "Agent.run"))


def test_smolagents_agent_logs_no_model_call_and_reads_as_task_tool_and_answer(viewer, framework_traces):
    messages = open_span(viewer, framework_traces, "smolagents_tools", "ToolCallingAgent.run")
    assert roles(messages) == ["user", "assistant", "tool", "assistant"], messages
    # smolagents' tool span does not name the tool (`SimpleTool.__call__`); its arguments are the model's.
    assert messages[1]["text"].index("unit") < messages[1]["text"].index("city")
    assert QUESTION in messages[0]["text"] and RESULT in messages[2]["text"]
    assert ANSWER in messages[3]["text"] and messages[3]["output"]


def test_llamaindex_function_agent_reads_its_answer_and_its_tool(viewer, framework_traces):
    """Its model calls log a stream's object as their output (said to be not captured); the root holds the
    answer inside `result.response`, and its tool span does not name its tool but its output does."""
    assert_whole_exchange(open_span(viewer, framework_traces, "llamaindex_function_agent", "FunctionAgent.run"))
    stream = open_span(viewer, framework_traces, "llamaindex_function_agent", "MockFunctionCallingLLM.astream_chat")
    assert "The answer was not captured" in stream[-1]["text"]


def test_pydantic_ai_test_model_run(viewer, framework_traces):
    messages = open_span(viewer, framework_traces, "pydantic_ai_test_model", "Agent.run_sync")
    assert roles(messages) == ["system", "user", "assistant", "tool", "assistant"], messages
    assert not messages[1]["output"] and messages[2]["output"]
    assert "get_weather" in messages[2]["text"] and "21 degrees" in messages[3]["text"]


def test_dspy_chain_of_thought_model_call(viewer, framework_traces):
    messages = open_span(viewer, framework_traces, "dspy_chain_of_thought", "DummyLM.__call__")
    assert roles(messages) == ["system", "user", "assistant"]
    assert QUESTION in messages[1]["text"] and ANSWER in messages[2]["text"]


def test_an_image_sent_through_the_openai_sdk_is_shown(viewer, framework_traces):
    messages = open_span(viewer, framework_traces, "openai_image_input", "Completions")
    assert roles(messages) == ["system", "user", "assistant"]
    image = viewer.page.get_by_label("Selected span").locator(".chat-message[data-role=user] img.media-image")
    expect(image).to_be_visible()
    image.evaluate("img => img.decode()")
    assert image.evaluate("img => img.naturalWidth") == 4


def test_a_streamed_openai_call_shows_the_streamed_answer(viewer, framework_traces):
    messages = open_span(viewer, framework_traces, "openai_streaming", "Completions")
    assert roles(messages) == ["system", "user", "assistant"] and ANSWER in messages[2]["text"]


def test_llamaindex_chat_engine_and_react_agent(viewer, framework_traces):
    engine = open_span(viewer, framework_traces, "llamaindex_chat_engine", "ContextChatEngine.chat")
    assert roles(engine) == ["user", "assistant"] and QUESTION in engine[0]["text"] and engine[1]["output"]
    react = open_span(viewer, framework_traces, "llamaindex_react_agent", "ReActAgent.run")
    assert roles(react) == ["system", "user", "assistant", "tool", "assistant"], react
    assert_tool_call(react[2])
    assert RESULT in react[3]["text"] and ANSWER in react[4]["text"] and react[4]["output"]
