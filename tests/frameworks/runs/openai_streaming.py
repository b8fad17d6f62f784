"""The OpenAI SDK's chat completions streamed, pointed at fake_llm_server.py, traced by mlflow.openai.autolog().
Prints the trace id."""
import sys

import mlflow
from openai import OpenAI

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("openai-streaming")
mlflow.openai.autolog()
stream = OpenAI(base_url=f"{sys.argv[2]}/v1", api_key="test").chat.completions.create(
    model="gpt-test", stream=True,
    messages=[{"role": "system", "content": "You are a weather assistant."}, {"role": "user", "content": "What is the weather in Paris?"}])
"".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
