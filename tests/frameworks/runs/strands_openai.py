"""A Strands agent with a tool, its OpenAI model pointed at fake_llm_server.py (streamed), traced by
mlflow.strands.autolog(). Prints the trace id."""
import sys

import mlflow
from strands import Agent, tool
from strands.models.openai import OpenAIModel

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("strands")
mlflow.strands.autolog()


@tool
def get_weather(city: str, unit: str = "celsius") -> str:
    """The weather in a city."""
    return f"It is 21 degrees {unit} and sunny in {city}."


model = OpenAIModel(client_args={"base_url": f"{sys.argv[2]}/v1", "api_key": "test"}, model_id="gpt-test")
Agent(model=model, tools=[get_weather], system_prompt="You are a weather assistant.", callback_handler=None)("What is the weather in Paris?")
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
