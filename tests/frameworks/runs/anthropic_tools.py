"""The Anthropic SDK's messages with a tool, pointed at fake_llm_server.py, traced by
mlflow.anthropic.autolog(). Prints the trace id."""
import sys

import anthropic
import mlflow

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("anthropic")
mlflow.anthropic.autolog()
client = anthropic.Anthropic(base_url=sys.argv[2], api_key="test")
TOOLS = [{"name": "get_weather", "description": "The weather in a city.",
          "input_schema": {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string"}}}}]


@mlflow.trace(span_type="TOOL")
def get_weather(city: str, unit: str = "celsius") -> str:
    return f"It is 21 degrees {unit} and sunny in {city}."


@mlflow.trace(span_type="AGENT")
def weather_agent(question: str) -> str:
    messages = [{"role": "user", "content": question}]
    first = client.messages.create(model="claude-test", max_tokens=100, system="You are a weather assistant.", messages=messages, tools=TOOLS)
    use = next(block for block in first.content if block.type == "tool_use")
    messages += [{"role": "assistant", "content": [block.model_dump() for block in first.content]},
                 {"role": "user", "content": [{"type": "tool_result", "tool_use_id": use.id, "content": get_weather(**use.input)}]}]
    answer = client.messages.create(model="claude-test", max_tokens=100, system="You are a weather assistant.", messages=messages, tools=TOOLS)
    return answer.content[0].text


weather_agent("What is the weather in Paris?")
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
