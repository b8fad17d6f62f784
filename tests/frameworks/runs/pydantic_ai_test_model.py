"""A Pydantic AI agent with a tool over its TestModel (which calls every tool, then answers with what they
returned), traced by mlflow.pydantic_ai.autolog(). Prints the trace id."""
import sys

import mlflow
from pydantic_ai import Agent
from pydantic_ai.models.test import TestModel

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("pydantic-ai-test-model")
mlflow.pydantic_ai.autolog()
agent = Agent(TestModel(), system_prompt="You are a weather assistant.")


@agent.tool_plain
def get_weather(city: str, unit: str = "celsius") -> str:
    """The weather in a city."""
    return f"It is 21 degrees {unit} and sunny in {city}."


agent.run_sync("What is the weather in Paris?")
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
