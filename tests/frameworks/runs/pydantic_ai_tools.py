"""A Pydantic AI agent with a tool over its FunctionModel, traced by mlflow.pydantic_ai.autolog(). Prints the
trace id."""
import sys

import mlflow
from pydantic_ai import Agent
from pydantic_ai.messages import ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("pydantic-ai")
mlflow.pydantic_ai.autolog()


def model(messages, info: AgentInfo) -> ModelResponse:
    if len(messages) == 1:
        return ModelResponse(parts=[ToolCallPart(tool_name="get_weather", args={"unit": "celsius", "city": "Paris"}, tool_call_id="call_1")])
    return ModelResponse(parts=[TextPart(content="It is sunny in Paris, 21 degrees.")])


agent = Agent(FunctionModel(model), system_prompt="You are a weather assistant.")


@agent.tool_plain
def get_weather(city: str, unit: str = "celsius") -> str:
    """The weather in a city."""
    return f"It is 21 degrees {unit} and sunny in {city}."


agent.run_sync("What is the weather in Paris?")
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
