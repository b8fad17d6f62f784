"""An Agno agent with a tool, its OpenAI model pointed at fake_llm_server.py, traced by mlflow.agno.autolog().
Prints the trace id."""
import sys

import mlflow
from agno.agent import Agent
from agno.models.openai import OpenAIChat

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("agno")
mlflow.agno.autolog()


def get_weather(city: str, unit: str = "celsius") -> str:
    """The weather in a city."""
    return f"It is 21 degrees {unit} and sunny in {city}."


agent = Agent(model=OpenAIChat(id="gpt-test", base_url=f"{sys.argv[2]}/v1", api_key="test"), tools=[get_weather],
              instructions="You are a weather assistant.")
agent.run("What is the weather in Paris?")
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
