"""A DSPy ReAct agent with a tool over DSPy's DummyLM, traced by mlflow.dspy.autolog(). Prints the trace id."""
import sys

import dspy
import mlflow
from dspy.utils.dummies import DummyLM

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("dspy")
mlflow.dspy.autolog()


def get_weather(city: str, unit: str = "celsius") -> str:
    """The weather in a city."""
    return f"It is 21 degrees {unit} and sunny in {city}."


dspy.configure(lm=DummyLM([
    {"next_thought": "I should look up the weather.", "next_tool_name": "get_weather", "next_tool_args": {"unit": "celsius", "city": "Paris"}},
    {"next_thought": "I have the weather.", "next_tool_name": "finish", "next_tool_args": {}},
    {"reasoning": "The tool said it is sunny.", "answer": "It is sunny in Paris, 21 degrees."},
]))
dspy.ReAct("question -> answer", tools=[get_weather])(question="What is the weather in Paris?")
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
