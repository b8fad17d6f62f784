"""A LlamaIndex chat engine (context mode, over two documents) with its MockLLM and MockEmbedding, traced by
mlflow.llama_index.autolog(). Prints the trace id."""
import sys

import mlflow
from llama_index.core import Document, Settings, VectorStoreIndex
from llama_index.core.embeddings import MockEmbedding
from llama_index.core.llms import MockLLM

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("llama-index-chat")
mlflow.llama_index.autolog()
Settings.llm = MockLLM(max_tokens=8)
Settings.embed_model = MockEmbedding(embed_dim=8)
index = VectorStoreIndex.from_documents([Document(text="Paris is sunny in summer."), Document(text="Oslo is cold in winter.")])
index.as_chat_engine(chat_mode="context", system_prompt="You are a weather assistant.").chat("What is the weather in Paris?")
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
