"""A LlamaIndex FunctionAgent with a tool over its MockFunctionCallingLLM (scripted: a tool call, then the
answer), traced by mlflow.llama_index.autolog(). Prints the trace id."""
import asyncio
import sys

import mlflow
from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.base.llms.types import ChatMessage, MessageRole, TextBlock, ToolCallBlock
from llama_index.core.llms.mock import MockFunctionCallingLLM

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("llama-index-agent")
mlflow.llama_index.autolog()


def get_weather(city: str, unit: str = "celsius") -> str:
    """The weather in a city."""
    return f"It is 21 degrees {unit} and sunny in {city}."


def respond(messages, **kwargs) -> ChatMessage:
    if any(message.role == MessageRole.TOOL for message in messages):
        return ChatMessage(role=MessageRole.ASSISTANT, blocks=[TextBlock(text="It is sunny in Paris, 21 degrees.")])
    call = ToolCallBlock(tool_call_id="call_1", tool_name="get_weather", tool_kwargs={"unit": "celsius", "city": "Paris"})
    return ChatMessage(role=MessageRole.ASSISTANT, blocks=[call])


agent = FunctionAgent(tools=[get_weather], llm=MockFunctionCallingLLM(response_generator=respond), system_prompt="You are a weather assistant.")


async def main():
    return await agent.run(user_msg="What is the weather in Paris?")


asyncio.run(main())
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
