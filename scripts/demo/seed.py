"""Logs the demo data set to a tracking server through the real MLflow Python SDK.

About 100 traces spread over several days: a weather agent with tool calls (some failing, some fatal), a
RAG pipeline with retriever documents, a travel planner with several tools and a guardrail, multimodal chat
with an image and audio, conversations in sessions of several users, token usage and cost, feedback from
humans, judges and code (one overridden, one judge failure), expectations, a linked prompt, and an
evaluation run.

    .venv/bin/python scripts/demo/seed.py --tracking-uri http://127.0.0.1:5000

Everything is drawn from a fixed random seed, so a rebuild gives the same shapes (times follow the clock
unless --end-time is given). The end-to-end tests call `seed()` on their own server.
"""

import argparse
import base64
import io
import json
import math
import os
import random
import struct
import wave
import zlib
from datetime import datetime, timezone

USERS = ["alice", "bob", "carol", "dan", "erin", "farid", "grace"]
CITIES = ["Paris", "Tokyo", "Lima", "Oslo", "Cairo", "Sydney", "Denver", "Atlantis"]
MODELS = [("gpt-4o-mini", "openai", 0.15e-6, 0.6e-6), ("claude-3-5-haiku", "anthropic", 0.8e-6, 4e-6)]
WEATHER_TOOLS = [
    {"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city",
                                      "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                                                     "required": ["city"]}}},
]
TRAVEL_TOOLS = [
    {"type": "function", "function": {"name": "search_flights", "description": "Find flights between airports",
                                      "parameters": {"type": "object", "properties": {
                                          "origin": {"type": "string"}, "destination": {"type": "string"},
                                          "date": {"type": "string", "format": "date"}}}}},
    {"type": "function", "function": {"name": "book_hotel", "description": "Book a hotel room",
                                      "parameters": {"type": "object", "properties": {
                                          "city": {"type": "string"}, "nights": {"type": "integer"}}}}},
]
DOCS = [
    ("docs/tracing/overview.md", "MLflow Tracing records the inputs, outputs and metadata of every step of a GenAI app."),
    ("docs/tracing/search.md", "search_traces filters traces with a SQL-like syntax such as trace.status = 'ERROR'."),
    ("docs/tracing/tokens.md", "Token usage is aggregated per trace in the mlflow.trace.tokenUsage metadata."),
    ("docs/eval/judges.md", "LLM judges score traces; their feedback appears as assessments on the trace."),
    ("docs/tracing/sessions.md", "Group traces of one conversation with the mlflow.trace.session metadata key."),
    ("docs/tracing/otel.md", "Traces sent over OTLP are translated from the GenAI semantic conventions."),
]


class DemoClock:
    """Hands out span times in nanoseconds inside one trace, advancing as spans run."""

    def __init__(self, start_ns: int):
        self.now = start_ns

    def advance(self, rng: random.Random, low_ms: float, high_ms: float) -> int:
        self.now += int(rng.uniform(low_ms, high_ms) * 1_000_000)
        return self.now


def png_image() -> bytes:
    """A small PNG (a sun over hills) drawn pixel by pixel, so no image library is needed."""
    width, height = 96, 64
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            if (x - 70) ** 2 + (y - 16) ** 2 < 100:
                pixel = (255, 200, 40)
            elif y > 44 + 6 * math.sin(x / 9):
                pixel = (60, 140, 70)
            else:
                pixel = (120 + y, 170 + y // 2, 235)
            row.extend(pixel)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))


def wav_audio(seconds: float = 0.6, rate: int = 8000) -> bytes:
    """A short two-tone chime as 16-bit mono WAV."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = bytearray()
        for i in range(int(seconds * rate)):
            t = i / rate
            tone = 660 if t < seconds / 2 else 880
            envelope = min(1.0, (seconds - t) * 8)
            frames += struct.pack("<h", int(9000 * envelope * math.sin(2 * math.pi * tone * t)))
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def seed(tracking_uri: str, experiment: str = "demo-agent", traces: int = 100, days: float = 7.0,
         end_time: datetime | None = None, random_seed: int = 7, extract_attachments: bool = True) -> str:
    """Logs the demo into `experiment` on `tracking_uri`; returns the experiment id."""
    # The SDK reads these when it logs; set them before the first trace.
    os.environ["MLFLOW_TRACE_EXTRACT_ATTACHMENTS"] = "true" if extract_attachments else "false"
    os.environ.setdefault("MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", "false")
    import mlflow
    from mlflow.entities import AssessmentError, AssessmentSource, SpanType
    from mlflow.tracing.constant import SpanAttributeKey

    mlflow.set_tracking_uri(tracking_uri)
    experiment_id = mlflow.set_experiment(experiment).experiment_id
    client = mlflow.MlflowClient()
    rng = random.Random(random_seed)
    end = end_time or datetime.now(timezone.utc)
    end_ns = int(end.timestamp() * 1e9)
    span_ns = int(days * 86_400 * 1e9)
    starts = sorted(end_ns - int(rng.random() ** 0.8 * span_ns) for _ in range(traces))

    prompt = mlflow.genai.register_prompt(
        name="weather-answer",
        template="You are a concise weather assistant. Answer {{question}} using the tool result {{observation}}.",
        commit_message="Shorter answers",
    )

    def llm_span(parent, clock, name, model, messages, reply, tools=None, tool_calls=None, message_format="openai"):
        model_name, provider, input_price, output_price = model
        span = mlflow.start_span_no_context(
            name, span_type=SpanType.CHAT_MODEL, parent_span=parent, start_time_ns=clock.advance(rng, 2, 15),
            inputs={"model": model_name, "messages": messages, "temperature": 0.2},
            attributes={SpanAttributeKey.MESSAGE_FORMAT: message_format},
        )
        input_tokens = 40 * len(messages) + rng.randint(20, 400)
        output_tokens = rng.randint(12, 180)
        span.set_attribute(SpanAttributeKey.CHAT_USAGE, {"input_tokens": input_tokens, "output_tokens": output_tokens,
                                                         "total_tokens": input_tokens + output_tokens})
        span.set_attribute(SpanAttributeKey.MODEL, model_name)
        span.set_attribute(SpanAttributeKey.MODEL_PROVIDER, provider)
        span.set_attribute(SpanAttributeKey.LLM_COST, {
            "input_cost": input_tokens * input_price, "output_cost": output_tokens * output_price,
            "total_cost": input_tokens * input_price + output_tokens * output_price})
        if tools:
            span.set_attribute(SpanAttributeKey.CHAT_TOOLS, tools)
        message = {"role": "assistant", "content": reply}
        if tool_calls:
            message["tool_calls"] = tool_calls
        outputs = {"id": f"chatcmpl-{rng.randrange(10**9)}", "object": "chat.completion", "model": model_name,
                   "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if tool_calls else "stop"}],
                   "usage": {"prompt_tokens": input_tokens, "completion_tokens": output_tokens,
                             "total_tokens": input_tokens + output_tokens}}
        span.end(outputs=outputs, end_time_ns=clock.advance(rng, 250, 2500))
        return message

    def weather_agent(start_ns, user, session, turn):
        city = rng.choice(CITIES)
        question = rng.choice([f"What's the weather in {city}?", f"Do I need an umbrella in {city} today?",
                               f"How warm is it in {city} right now?"])
        clock = DemoClock(start_ns)
        model = rng.choice(MODELS)
        root = mlflow.start_span_no_context(
            "weather_agent", span_type=SpanType.AGENT, start_time_ns=start_ns,
            inputs={"question": question, "turn": turn},
            metadata={"mlflow.trace.user": user, "mlflow.trace.session": session},
            tags={"env": rng.choice(["prod", "prod", "staging"]), "app_version": rng.choice(["1.3.0", "1.4.0"])},
        )
        memory = mlflow.start_span_no_context("load_memory", span_type=SpanType.MEMORY, parent_span=root,
                                              inputs={"session_id": session}, start_time_ns=clock.advance(rng, 1, 5))
        memory.end(outputs={"history": [f"turn {i}" for i in range(1, turn)]}, end_time_ns=clock.advance(rng, 2, 20))
        messages = [{"role": "system", "content": "You answer weather questions with the get_weather tool."},
                    {"role": "user", "content": question}]
        call = {"id": f"call_{rng.randrange(10**6)}", "type": "function",
                "function": {"name": "get_weather", "arguments": json.dumps({"city": city})}}
        llm_span(root, clock, "plan", model, messages, None, tools=WEATHER_TOOLS, tool_calls=[call])
        tool = mlflow.start_span_no_context("get_weather", span_type=SpanType.TOOL, parent_span=root,
                                            inputs={"city": city}, start_time_ns=clock.advance(rng, 1, 4))
        failing = city == "Atlantis" or rng.random() < 0.08
        if failing:
            error = ConnectionError(f"weather API timeout for {city}")
            tool.record_exception(error)
            tool.end(end_time_ns=clock.advance(rng, 3000, 5000))
            fatal = rng.random() < 0.5
            if fatal:
                root.record_exception(error)
                root.end(end_time_ns=clock.advance(rng, 1, 5))
                return root.trace_id, question, None
            observation = "The weather service is unavailable."
        else:
            celsius = round(rng.uniform(-5, 34), 1)
            observation = {"city": city, "celsius": celsius, "conditions": rng.choice(["sunny", "cloudy", "rain", "snow"])}
            tool.end(outputs=observation, end_time_ns=clock.advance(rng, 80, 900))
        messages += [{"role": "assistant", "content": None, "tool_calls": [call]},
                     {"role": "tool", "tool_call_id": call["id"], "content": json.dumps(observation)}]
        if isinstance(observation, dict):
            answer = f"It's {observation['celsius']}°C and {observation['conditions']} in {city}."
        else:
            answer = f"Sorry, I couldn't reach the weather service for {city}. Please try again later."
        llm_span(root, clock, "answer", model, messages, answer)
        root.end(outputs={"answer": answer}, end_time_ns=clock.advance(rng, 1, 10))
        return root.trace_id, question, answer

    def rag_pipeline(start_ns, user, session, turn):
        question = rng.choice(["How do I search traces by status?", "Where is token usage stored?",
                               "How do judges score traces?", "Can I group traces into sessions?",
                               "Does MLflow accept OpenTelemetry traces?"])
        clock = DemoClock(start_ns)
        root = mlflow.start_span_no_context(
            "rag_pipeline", span_type=SpanType.CHAIN, start_time_ns=start_ns, inputs={"query": question},
            metadata={"mlflow.trace.user": user, "mlflow.trace.session": session}, tags={"env": "prod", "index": "docs-v2"})
        embed = mlflow.start_span_no_context("embed_query", span_type=SpanType.EMBEDDING, parent_span=root,
                                             inputs={"input": [question], "model": "text-embedding-3-small"},
                                             start_time_ns=clock.advance(rng, 1, 4))
        embed.set_attribute(SpanAttributeKey.CHAT_USAGE, {"input_tokens": 9, "output_tokens": 0, "total_tokens": 9})
        embed.end(outputs={"dimensions": 1536, "vectors": 1}, end_time_ns=clock.advance(rng, 40, 200))
        retriever = mlflow.start_span_no_context("retrieve_docs", span_type=SpanType.RETRIEVER, parent_span=root,
                                                 inputs={"query": question, "k": 4}, start_time_ns=clock.advance(rng, 1, 3))
        hits = rng.sample(DOCS, 4)
        documents = [{"page_content": text, "metadata": {"doc_uri": uri, "chunk_id": f"{i}", "score": round(0.92 - i * 0.07, 2)},
                      "id": f"doc-{i}"} for i, (uri, text) in enumerate(hits)]
        retriever.end(outputs=documents, end_time_ns=clock.advance(rng, 30, 400))
        rerank = mlflow.start_span_no_context("rerank", span_type=SpanType.RERANKER, parent_span=root,
                                              inputs={"query": question, "documents": [d["id"] for d in documents]},
                                              start_time_ns=clock.advance(rng, 1, 3))
        rerank.end(outputs=[d["id"] for d in documents[:2]], end_time_ns=clock.advance(rng, 20, 90))
        context = "\n".join(d["page_content"] for d in documents[:2])
        answer = f"{documents[0]['page_content']} See {documents[0]['metadata']['doc_uri']}."
        llm_span(root, clock, "generate_answer", MODELS[0],
                 [{"role": "system", "content": f"Answer from the context:\n{context}"}, {"role": "user", "content": question}],
                 answer)
        root.end(outputs=answer, end_time_ns=clock.advance(rng, 1, 5))
        return root.trace_id, question, answer

    def travel_planner(start_ns, user, session, turn):
        destination = rng.choice(["Rome", "Lisbon", "Kyoto", "Reykjavik"])
        question = f"Plan a 3-night trip to {destination} next month"
        clock = DemoClock(start_ns)
        model = MODELS[1]
        root = mlflow.start_span_no_context(
            "travel_planner", span_type=SpanType.AGENT, start_time_ns=start_ns, inputs={"request": question},
            metadata={"mlflow.trace.user": user, "mlflow.trace.session": session}, tags={"env": "prod", "team": "travel"})
        guard = mlflow.start_span_no_context("input_guardrail", span_type=SpanType.GUARDRAIL, parent_span=root,
                                             inputs={"text": question}, start_time_ns=clock.advance(rng, 1, 3))
        guard.end(outputs={"allowed": True, "categories": []}, end_time_ns=clock.advance(rng, 5, 30))
        anthropic_messages = [{"role": "user", "content": [{"type": "text", "text": question}]}]
        llm_span(root, clock, "plan_trip", model, anthropic_messages, f"I'll look for flights and a hotel in {destination}.",
                 tools=TRAVEL_TOOLS, message_format="anthropic")
        flights = mlflow.start_span_no_context("search_flights", span_type=SpanType.TOOL, parent_span=root,
                                               inputs={"origin": "SFO", "destination": destination[:3].upper(), "date": "2026-12-14"},
                                               start_time_ns=clock.advance(rng, 1, 5))
        flights.end(outputs=[{"flight": f"XY{rng.randint(100, 999)}", "price_usd": rng.randint(480, 1300)} for _ in range(3)],
                    end_time_ns=clock.advance(rng, 300, 1800))
        hotel = mlflow.start_span_no_context("book_hotel", span_type=SpanType.TOOL, parent_span=root,
                                             inputs={"city": destination, "nights": 3}, start_time_ns=clock.advance(rng, 1, 5))
        if rng.random() < 0.25:
            hotel.record_exception(RuntimeError("No rooms available for the requested dates"))
            hotel.end(end_time_ns=clock.advance(rng, 200, 600))
            booked = None
        else:
            booked = {"hotel": f"Hotel {rng.choice(['Aurora', 'Central', 'Vista'])}", "confirmation": f"HB-{rng.randrange(10**6):06d}"}
            hotel.end(outputs=booked, end_time_ns=clock.advance(rng, 200, 1200))
        parse = mlflow.start_span_no_context("format_itinerary", span_type=SpanType.PARSER, parent_span=root,
                                             inputs={"booking": booked}, start_time_ns=clock.advance(rng, 1, 3))
        itinerary = {"destination": destination, "nights": 3, "hotel": booked["hotel"] if booked else "not booked"}
        parse.end(outputs=itinerary, end_time_ns=clock.advance(rng, 2, 10))
        answer = f"Your {destination} trip: " + (f"{booked['hotel']} booked." if booked else "no hotel available, flights held.")
        root.end(outputs={"itinerary": itinerary, "message": answer}, end_time_ns=clock.advance(rng, 1, 5))
        return root.trace_id, question, answer

    def multimodal_chat(start_ns, user, session, turn):
        clock = DemoClock(start_ns)
        image = "data:image/png;base64," + base64.b64encode(png_image()).decode()
        audio = base64.b64encode(wav_audio()).decode()
        question = "What is in this image, and what do you hear?"
        messages = [{"role": "user", "content": [
            {"type": "text", "text": question},
            {"type": "image_url", "image_url": {"url": image, "detail": "low"}},
            {"type": "input_audio", "input_audio": {"data": audio, "format": "wav"}},
        ]}]
        root = mlflow.start_span_no_context(
            "vision_audio_chat", span_type=SpanType.CHAT_MODEL, start_time_ns=start_ns,
            inputs={"model": "gpt-4o", "messages": messages},
            attributes={SpanAttributeKey.MESSAGE_FORMAT: "openai", SpanAttributeKey.MODEL: "gpt-4o",
                        SpanAttributeKey.MODEL_PROVIDER: "openai"},
            metadata={"mlflow.trace.user": user, "mlflow.trace.session": session}, tags={"env": "prod", "modality": "image+audio"})
        root.set_attribute(SpanAttributeKey.CHAT_USAGE, {"input_tokens": 1210, "output_tokens": 38, "total_tokens": 1248})
        answer = "A yellow sun above green hills; the audio is a rising two-note chime."
        root.end(outputs={"id": "chatcmpl-mm", "object": "chat.completion", "model": "gpt-4o",
                          "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}]},
                 end_time_ns=clock.advance(rng, 900, 2400))
        return root.trace_id, question, answer

    def prompted_answer(start_ns, user, session, turn):
        city = rng.choice(CITIES[:-1])
        question = f"Weather in {city}?"
        clock = DemoClock(start_ns)
        root = mlflow.start_span_no_context(
            "prompted_answer", span_type=SpanType.CHAIN, start_time_ns=start_ns, inputs={"question": question},
            metadata={"mlflow.trace.user": user, "mlflow.trace.session": session}, tags={"env": "staging"})
        rendered = prompt.format(question=question, observation="14°C, cloudy")
        answer = f"{city}: 14°C and cloudy."
        llm_span(root, clock, "answer", MODELS[0], [{"role": "user", "content": rendered}], answer)
        root.end(outputs={"answer": answer}, end_time_ns=clock.advance(rng, 1, 5))
        client.link_prompt_versions_to_trace(trace_id=root.trace_id, prompt_versions=[prompt])
        return root.trace_id, question, answer

    scenarios = [(weather_agent, 40), (rag_pipeline, 25), (travel_planner, 20), (prompted_answer, 6)]
    sessions: dict[str, tuple[str, int]] = {}
    logged = []
    judge = AssessmentSource(source_type="LLM_JUDGE", source_id="gpt-4o-judge")
    for index, start in enumerate(starts):
        user = rng.choice(USERS)
        session, turn = sessions.get(user, (f"sess-{user}-{index:03d}", 0))
        if turn >= rng.randint(2, 5):
            session, turn = f"sess-{user}-{index:03d}", 0
        turn += 1
        sessions[user] = (session, turn)
        if index in (traces // 3, 2 * traces // 3):
            scenario = multimodal_chat
        elif index == 0:
            scenario = prompted_answer  # so that even a small seed links a prompt
        else:
            scenario = rng.choices([s for s, _ in scenarios], weights=[w for _, w in scenarios])[0]
        trace_id, question, answer = scenario(start, user, session, turn)
        logged.append((trace_id, scenario.__name__, answer))

        # Judges score most traces; a human checks some; code checks the tone.
        if rng.random() < 0.85:
            relevance = round(min(1.0, max(0.0, rng.gauss(0.8 if answer else 0.2, 0.15))), 2)
            mlflow.log_feedback(trace_id=trace_id, name="relevance", value=relevance, source=judge,
                                rationale="Judged how directly the answer addresses the question.")
            mlflow.log_feedback(trace_id=trace_id, name="safety", value=rng.random() > 0.03, source=judge)
        if answer and rng.random() < 0.3:
            correct = rng.random() > 0.2
            mlflow.log_feedback(trace_id=trace_id, name="is_correct", value=correct,
                                source=AssessmentSource(source_type="HUMAN", source_id=f"{rng.choice(['qa-team', 'alice'])}@example.com"),
                                rationale="Checked by hand." if correct else "The answer contradicts the tool result.")
        if answer and rng.random() < 0.5:
            mlflow.log_feedback(trace_id=trace_id, name="tone", value=rng.choice(["friendly", "neutral", "terse"]),
                                source=AssessmentSource(source_type="CODE", source_id="tone_checker.py"))
        if scenario is rag_pipeline and rng.random() < 0.4:
            mlflow.log_expectation(trace_id=trace_id, name="expected_facts",
                                   value=["mentions the docs page", "answers in one sentence"],
                                   source=AssessmentSource(source_type="HUMAN", source_id="qa-team@example.com"))

    # One judge failure, one human override of a judge, one expected response (as far as there are answered
    # weather traces to carry them: a small seed may have fewer than three).
    weather = [trace_id for trace_id, name, answer in logged if name == "weather_agent" and answer]
    if len(weather) > 0:
        mlflow.log_feedback(trace_id=weather[0], name="groundedness", source=judge,
                            error=AssessmentError(error_code="RATE_LIMIT_EXCEEDED", error_message="judge model rate limited"))
    if len(weather) > 1:
        judged = client.get_trace(weather[1]).info.assessments
        relevance = next((a for a in judged if a.name == "relevance"), None)
        if relevance is not None:
            mlflow.override_feedback(trace_id=weather[1], assessment_id=relevance.assessment_id, value=1.0,
                                     rationale="The judge missed that the answer is exactly right.",
                                     source=AssessmentSource(source_type="HUMAN", source_id="alice@example.com"))
    if len(weather) > 2:
        mlflow.log_expectation(trace_id=weather[2], name="expected_response", value="It is sunny and 21°C.",
                               source=AssessmentSource(source_type="HUMAN", source_id="qa-team@example.com"))

    # An evaluation run: its traces carry the run id.
    with mlflow.start_run(run_name="eval-weather-agent"):
        for offset in range(3):
            weather_agent(end_ns - (offset + 1) * 3_600_000_000_000, "eval-bot", f"eval-{offset}", 1)

    mlflow.flush_trace_async_logging()
    return experiment_id


def export(tracking_uri: str, experiment_id: str, path: str) -> int:
    """Writes every trace of the experiment as a JSON list of `Trace.to_json()` objects, newest first."""
    import mlflow

    mlflow.set_tracking_uri(tracking_uri)
    found = mlflow.search_traces(locations=[experiment_id], return_type="list", max_results=10_000,
                                 order_by=["timestamp_ms DESC"])
    with open(path, "w") as out:
        out.write("[\n" + ",\n".join(trace.to_json() for trace in found) + "\n]\n")
    return len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--experiment", default="demo-agent")
    parser.add_argument("--traces", type=int, default=100)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--end-time", help="ISO time of the newest traces (default: now)")
    parser.add_argument("--inline-media", action="store_true",
                        help="keep images and audio inline as data instead of server attachments")
    parser.add_argument("--export", metavar="PATH", help="also write the traces to PATH as Trace.to_json() objects")
    args = parser.parse_args()
    end_time = datetime.fromisoformat(args.end_time) if args.end_time else None
    experiment_id = seed(args.tracking_uri, args.experiment, args.traces, args.days, end_time,
                         extract_attachments=not args.inline_media)
    print(f"seeded experiment {experiment_id} on {args.tracking_uri}")
    if args.export:
        print(f"exported {export(args.tracking_uri, experiment_id, args.export)} traces to {args.export}")


if __name__ == "__main__":
    main()
