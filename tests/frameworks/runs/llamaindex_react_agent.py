"""A LlamaIndex ReActAgent with a tool over its MockFunctionCallingLLM (scripted in ReAct's text format: an
action, then the answer), traced by mlflow.llama_index.autolog(). Prints the trace id."""
import asyncio
import sys

import mlflow
from llama_index.core.agent.workflow import ReActAgent
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms.mock import MockFunctionCallingLLM

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("llama-index-react")
mlflow.llama_index.autolog()


def get_weather(city: str, unit: str = "celsius") -> str:
    """The weather in a city."""
    return f"It is 21 degrees {unit} and sunny in {city}."


def respond(messages, **kwargs) -> ChatMessage:
    if any(message.role != MessageRole.SYSTEM and "Observation:" in (message.content or "") for message in messages):
        text = "Thought: I can answer without using any more tools.\nAnswer: It is sunny in Paris, 21 degrees."
    else:
        text = 'Thought: I need the weather.\nAction: get_weather\nAction Input: {"unit": "celsius", "city": "Paris"}'
    return ChatMessage(role=MessageRole.ASSISTANT, content=text)


agent = ReActAgent(tools=[get_weather], llm=MockFunctionCallingLLM(response_generator=respond), system_prompt="You are a weather assistant.")


async def main():
    return await agent.run(user_msg="What is the weather in Paris?")


asyncio.run(main())
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
