"""The OpenAI SDK's chat completions with a tool, pointed at fake_llm_server.py, traced by
mlflow.openai.autolog(): the call, the tool, the answer, under one traced function. Prints the trace id."""
import json
import sys

import mlflow
from openai import OpenAI

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("openai")
mlflow.openai.autolog()
client = OpenAI(base_url=f"{sys.argv[2]}/v1", api_key="test")
TOOLS = [{"type": "function", "function": {"name": "get_weather", "description": "The weather in a city.",
                                           "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string"}}}}}]


@mlflow.trace(span_type="TOOL")
def get_weather(city: str, unit: str = "celsius") -> str:
    return f"It is 21 degrees {unit} and sunny in {city}."


@mlflow.trace(span_type="AGENT")
def weather_agent(question: str) -> str:
    messages = [{"role": "system", "content": "You are a weather assistant."}, {"role": "user", "content": question}]
    first = client.chat.completions.create(model="gpt-test", messages=messages, tools=TOOLS)
    call = first.choices[0].message.tool_calls[0]
    messages += [first.choices[0].message.model_dump(exclude_none=True),
                 {"role": "tool", "tool_call_id": call.id, "content": get_weather(**json.loads(call.function.arguments))}]
    return client.chat.completions.create(model="gpt-test", messages=messages, tools=TOOLS).choices[0].message.content


weather_agent("What is the weather in Paris?")
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
