"""A DSPy ChainOfThought over DSPy's DummyLM, traced by mlflow.dspy.autolog(). Prints the trace id."""
import sys

import dspy
import mlflow
from dspy.utils.dummies import DummyLM

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("dspy-cot")
mlflow.dspy.autolog()
dspy.configure(lm=DummyLM([{"reasoning": "Paris is sunny in summer.", "answer": "It is sunny in Paris, 21 degrees."}]))
dspy.ChainOfThought("question -> answer")(question="What is the weather in Paris?")
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
