"""An AutoGen AssistantAgent with a tool over autogen-ext's ReplayChatCompletionClient, traced by
mlflow.autogen.autolog(). Prints the trace id."""
import asyncio
import sys

import mlflow
from autogen_agentchat.agents import AssistantAgent
from autogen_core import FunctionCall
from autogen_core.models import CreateResult, RequestUsage
from autogen_ext.models.replay import ReplayChatCompletionClient

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("autogen")
mlflow.autogen.autolog()


def get_weather(city: str, unit: str = "celsius") -> str:
    """The weather in a city."""
    return f"It is 21 degrees {unit} and sunny in {city}."


usage = RequestUsage(prompt_tokens=50, completion_tokens=10)
client = ReplayChatCompletionClient(
    [
        CreateResult(finish_reason="function_calls", usage=usage, cached=False,
                     content=[FunctionCall(id="call_1", name="get_weather", arguments='{"unit": "celsius", "city": "Paris"}')]),
        CreateResult(finish_reason="stop", usage=usage, cached=False, content="It is sunny in Paris, 21 degrees."),
    ],
    model_info={"vision": False, "function_calling": True, "json_output": False, "family": "unknown", "structured_output": False},
)
agent = AssistantAgent("weather", model_client=client, tools=[get_weather], system_message="You are a weather assistant.",
                       reflect_on_tool_use=True)
asyncio.run(agent.run(task="What is the weather in Paris?"))
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
