"""A smolagents tool-calling agent, its OpenAI-compatible model pointed at fake_llm_server.py, traced by
mlflow.smolagents.autolog(). Prints the trace id."""
import sys

import mlflow
from smolagents import OpenAIServerModel, ToolCallingAgent, tool

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("smolagents")
mlflow.smolagents.autolog()


@tool
def get_weather(city: str, unit: str = "celsius") -> str:
    """The weather in a city.

    Args:
        city: the city.
        unit: celsius or fahrenheit.
    """
    return f"It is 21 degrees {unit} and sunny in {city}."


model = OpenAIServerModel(model_id="gpt-test", api_base=f"{sys.argv[2]}/v1", api_key="test")
ToolCallingAgent(tools=[get_weather], model=model, max_steps=3).run("What is the weather in Paris?")
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
