"""A stand-in for OpenAI's API (chat completions, streamed or not, and responses) and Anthropic's messages API,
for the framework runs: the first call of a conversation that offers tools asks for `get_weather` with
`{"unit": "celsius", "city": "Paris"}` (in that order: the viewer must keep it); once a tool result is in the
conversation it answers in words.

    python fake_llm_server.py PORT
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGUMENTS = json.dumps({"unit": "celsius", "city": "Paris"})
ANSWER = "It is sunny in Paris, 21 degrees."
USAGE = {"prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60}


def holds_result(items: list) -> bool:
    def is_result(item) -> bool:
        if not isinstance(item, dict):
            return False
        content = item.get("content")
        blocks = content if isinstance(content, list) else []
        # smolagents hands a result back as the user's "Observation: …".
        texts = [content] if isinstance(content, str) else [block.get("text", "") for block in blocks if isinstance(block, dict)]
        return (item.get("role") in ("tool", "tool-response") or item.get("type") == "function_call_output"
                or any(isinstance(block, dict) and block.get("type") == "tool_result" for block in blocks)
                or (item.get("role") != "system" and any(text.lstrip().startswith(("Observation:", "Call id:")) for text in texts)))
    return any(is_result(item) for item in items)


def chat_completion(body: dict) -> dict:
    offered = {tool.get("function", {}).get("name") for tool in body.get("tools") or []}
    if body.get("tools") and not holds_result(body.get("messages", [])):
        call = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": ARGUMENTS}}
        message, finish = {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"
    elif "final_answer" in offered:
        # smolagents' tool-calling agents end by calling their `final_answer` tool.
        call = {"id": "call_2", "type": "function", "function": {"name": "final_answer", "arguments": json.dumps({"answer": ANSWER})}}
        message, finish = {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"
    else:
        message, finish = {"role": "assistant", "content": ANSWER}, "stop"
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": body.get("model", "gpt-test"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}], "usage": USAGE}


def chat_chunks(answer: dict) -> list[dict]:
    message, finish = answer["choices"][0]["message"], answer["choices"][0]["finish_reason"]

    def chunk(delta, finish_reason=None):
        return {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": answer["model"],
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}

    chunks = [chunk({"role": "assistant"})]
    if message.get("content"):
        text = message["content"]
        chunks += [chunk({"content": text[:10]}), chunk({"content": text[10:]})]
    for index, call in enumerate(message.get("tool_calls") or []):
        chunks.append(chunk({"tool_calls": [{"index": index, **call}]}))
    chunks.append(chunk({}, finish))
    chunks.append({**chunk({}), "choices": [], "usage": USAGE})
    return chunks


def response(body: dict) -> dict:
    items = body.get("input") if isinstance(body.get("input"), list) else []
    if body.get("tools") and not holds_result(items):
        output = [{"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "get_weather", "arguments": ARGUMENTS,
                   "status": "completed"}]
    else:
        output = [{"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
                   "content": [{"type": "output_text", "text": ANSWER, "annotations": []}]}]
    return {"id": "resp_1", "object": "response", "created_at": 1, "model": body.get("model", "gpt-test"), "status": "completed",
            "output": output, "parallel_tool_calls": True, "tool_choice": "auto", "tools": [], "instructions": body.get("instructions"),
            "usage": {"input_tokens": 50, "output_tokens": 10, "total_tokens": 60, "input_tokens_details": {"cached_tokens": 0},
                      "output_tokens_details": {"reasoning_tokens": 0}}}


def anthropic_message(body: dict) -> dict:
    if body.get("tools") and not holds_result(body.get("messages", [])):
        content, stop = [{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": json.loads(ARGUMENTS)}], "tool_use"
    else:
        content, stop = [{"type": "text", "text": ANSWER}], "end_turn"
    return {"id": "msg_1", "type": "message", "role": "assistant", "model": body.get("model", "claude-test"), "content": content,
            "stop_reason": stop, "stop_sequence": None, "usage": {"input_tokens": 50, "output_tokens": 10}}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.path.endswith("/responses"):
            self.answer(response(body))
        elif self.path.endswith("/messages"):
            self.answer(anthropic_message(body))
        elif body.get("stream"):
            events = "".join(f"data: {json.dumps(chunk)}\n\n" for chunk in chat_chunks(chat_completion(body)))
            self.answer_bytes((events + "data: [DONE]\n\n").encode(), "text/event-stream")
        else:
            self.answer(chat_completion(body))

    def answer(self, value: dict):
        self.answer_bytes(json.dumps(value).encode(), "application/json")

    def answer_bytes(self, data: bytes, kind: str):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
