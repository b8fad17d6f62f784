"""An OpenAI Agents SDK agent with a tool, its client pointed at fake_llm_server.py, traced by
mlflow.openai.autolog(). Prints the trace id."""
import asyncio
import sys

import mlflow
from agents import Agent, Runner, function_tool, set_default_openai_client
from openai import AsyncOpenAI

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("openai-agents")
mlflow.openai.autolog()
set_default_openai_client(AsyncOpenAI(base_url=f"{sys.argv[2]}/v1", api_key="test"))


@function_tool
def get_weather(city: str, unit: str = "celsius") -> str:
    """The weather in a city."""
    return f"It is 21 degrees {unit} and sunny in {city}."


agent = Agent(name="Weather", instructions="You are a weather assistant.", tools=[get_weather], model="gpt-test")
asyncio.run(Runner.run(agent, "What is the weather in Paris?"))
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
