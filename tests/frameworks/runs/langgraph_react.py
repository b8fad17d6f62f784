"""A LangGraph ReAct agent (langgraph.prebuilt) over langchain-core's fake chat model, traced by
mlflow.langchain.autolog(). Prints the trace id."""
import sys

import mlflow
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.prebuilt import create_react_agent

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("langgraph")
mlflow.langchain.autolog()


class FakeToolModel(GenericFakeChatModel):
    """langchain-core's fake, answering in turn; tools are bound by the agent and need nothing here."""

    def bind_tools(self, tools, **kwargs):
        return self


@tool
def get_weather(city: str, unit: str = "celsius") -> str:
    """The weather in a city."""
    return f"It is 21 degrees {unit} and sunny in {city}."


model = FakeToolModel(messages=iter([
    AIMessage(content="", tool_calls=[{"name": "get_weather", "args": {"unit": "celsius", "city": "Paris"}, "id": "call_1"}]),
    AIMessage(content="It is sunny in Paris, 21 degrees."),
]))
agent = create_react_agent(model, [get_weather], prompt="You are a weather assistant.")
agent.invoke({"messages": [{"role": "user", "content": "What is the weather in Paris?"}]})
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
