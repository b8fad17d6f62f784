"""The OpenAI SDK's chat completions with an image in the user's message, pointed at fake_llm_server.py,
traced by mlflow.openai.autolog(). Prints the trace id."""
import base64
import struct
import sys
import zlib

import mlflow
from openai import OpenAI

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("openai-image")
mlflow.openai.autolog()


def png(width: int = 4, height: int = 4) -> bytes:
    """A small solid PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x30\x90\xe0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


image = "data:image/png;base64," + base64.b64encode(png()).decode()
OpenAI(base_url=f"{sys.argv[2]}/v1", api_key="test").chat.completions.create(model="gpt-test", messages=[
    {"role": "system", "content": "You are a weather assistant."},
    {"role": "user", "content": [{"type": "text", "text": "What is the weather in Paris? Here is the sky."},
                                 {"type": "image_url", "image_url": {"url": image}}]}])
mlflow.flush_trace_async_logging()
print(mlflow.get_last_active_trace_id())
