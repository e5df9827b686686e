"""A fake OpenAI-compatible server: `/v1/models` and streamed `/v1/chat/completions` (SSE).

Queue a `Plan` per request to script faults; `requests` records what arrived. `details`
adds fields to a model's `/v1/models` entry (llama.cpp's `meta`, vLLM's `max_model_len`, LM
Studio's `loaded_context_length`); `props` is served at `/props` like llama.cpp's server.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.http_server import ProtocolFake, Reply, Request

# Real error bodies, as OpenAI (and llama.cpp, vLLM) send them.
ERRORS: dict[str, tuple[int, Any, dict[str, str]]] = {
    "500": (500, {"error": {"message": "The server had an error while processing your request. "
                            "Sorry about that!", "type": "server_error", "param": None,
                            "code": None}}, {}),
    "503": (503, {"error": {"message": "The engine is currently overloaded, please try again "
                            "later", "type": "server_error", "param": None, "code": None}}, {}),
    "429": (429, {"error": {"message": "Rate limit reached for gpt-4o-mini in organization "
                            "org-abc on requests per min (RPM): Limit 3, Used 3, Requested 1. "
                            "Please try again in 20s.", "type": "requests", "param": None,
                            "code": "rate_limit_exceeded"}},
            {"retry-after": "20", "retry-after-ms": "20000", "x-should-retry": "true"}),
    "quota": (429, {"error": {"message": "You exceeded your current quota, please check your "
                              "plan and billing details.", "type": "insufficient_quota",
                              "param": None, "code": "insufficient_quota"}}, {}),
    "401": (401, {"error": {"message": "Incorrect API key provided: sk-fake*****1234. You can "
                            "find your API key at https://platform.openai.com/account/api-keys.",
                            "type": "invalid_request_error", "param": None,
                            "code": "invalid_api_key"}}, {}),
    "404": (404, {"error": {"message": "The model `gpt-9` does not exist or you do not have "
                            "access to it.", "type": "invalid_request_error", "param": None,
                            "code": "model_not_found"}}, {}),
    "context": (400, {"error": {"message": "This model's maximum context length is 8192 tokens. "
                                "However, your messages resulted in 9013 tokens. Please reduce "
                                "the length of the messages.", "type": "invalid_request_error",
                                "param": "messages", "code": "context_length_exceeded"}}, {}),
    "llamacpp-context": (400, {"error": {"code": 400, "message": "the request exceeds the "
                                         "available context size, try increasing it",
                                         "type": "exceed_context_size_error",
                                         "n_prompt_tokens": 3000, "n_ctx": 2048}}, {}),
    "vllm-context": (400, {"object": "error", "message": "This model's maximum context length "
                           "is 4096 tokens. However, you requested 5120 tokens (1024 in the "
                           "messages, 4096 in the completion).", "type": "BadRequestError",
                           "param": None, "code": 400}, {}),
    "policy": (400, {"error": {"message": "Your request was rejected as a result of our safety "
                               "system.", "type": "invalid_request_error", "param": None,
                               "code": "content_policy_violation"}}, {}),
    "400": (400, {"error": {"message": "Invalid value for 'temperature': expected a number.",
                            "type": "invalid_request_error", "param": "temperature",
                            "code": None}}, {}),
}


@dataclass
class Plan:
    fault: str | None = None  # a key of ERRORS, or: hang-headers, hang-mid, cut, bad-json,
    #                           mid-error, length, no-usage
    tokens: list[str] = field(default_factory=lambda: ["The ", "name ", "is ", "undefined."])
    delay: float = 0.0  # between tokens (slow tokens)
    usage: tuple[int, int] = (42, 4)
    # token index -> an event the test sets: the token is sent only then (wait on state)
    gates: dict[int, threading.Event] = field(default_factory=dict)


class FakeOpenAI(ProtocolFake[Plan]):
    plan_type = Plan

    def __init__(self, models: tuple[str, ...] = ("gpt-4o-mini", "tiny-coder"), *,
                 details: dict[str, dict[str, Any]] | None = None,
                 props: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.models = models
        self.details = details or {}
        self.props = props

    @property
    def base_url(self) -> str:
        return f"{self.server.base_url}/v1"

    async def _handle(self, request: Request, reply: Reply) -> None:
        if request.method == "GET" and request.path == "/v1/models":
            await reply.json(200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": 1700000000, "owned_by": "fake",
                 **self.details.get(m, {})}
                for m in self.models]})
            return
        if request.method == "GET" and request.path == "/props" and self.props is not None:
            await reply.json(200, self.props)
            return
        if request.method != "POST" or request.path != "/v1/chat/completions":
            await reply.json(404, {"error": {"message": "Not found",
                                             "type": "invalid_request_error"}})
            return
        plan = self.next_plan()
        if plan.fault in ERRORS:
            status, body, headers = ERRORS[plan.fault]
            await reply.json(status, body, headers)
            return
        if plan.fault == "hang-headers":
            await reply.hang()
            return
        model = request.json().get("model", "?")
        await reply.start(200, {"Content-Type": "text/event-stream"})
        await reply.send(": keep-alive\n\n")
        await reply.send(_event({"id": "c1", "object": "chat.completion.chunk", "model": model,
                                 "choices": [{"index": 0, "delta": {"role": "assistant",
                                                                     "content": ""},
                                              "finish_reason": None}]}))
        for index, token in enumerate(plan.tokens):
            if plan.delay:
                await asyncio.sleep(plan.delay)
            if index in plan.gates:
                await asyncio.to_thread(plan.gates[index].wait, 60)
            if plan.fault == "hang-mid" and index == 1:
                await reply.hang()
                return
            if plan.fault == "cut" and index == 2:
                return  # the connection closes without the chunked terminator
            if plan.fault == "bad-json" and index == 1:
                await reply.send('data: {"choices": [{"delta": {"content": "oops"\n\n')
                continue
            if plan.fault == "mid-error" and index == 2:
                await reply.send(_event({"error": {"message": "The server had an error while "
                                                   "processing your request.",
                                                   "type": "server_error"}}))
                await reply.finish()
                return
            await reply.send(_event({"id": "c1", "object": "chat.completion.chunk",
                                     "model": model, "choices": [
                                         {"index": 0, "delta": {"content": token},
                                          "finish_reason": None}]}))
        finish = "length" if plan.fault == "length" else "stop"
        await reply.send(_event({"id": "c1", "object": "chat.completion.chunk", "model": model,
                                 "choices": [{"index": 0, "delta": {},
                                              "finish_reason": finish}]}))
        if plan.fault != "no-usage":
            prompt, completion = plan.usage
            await reply.send(_event({"id": "c1", "object": "chat.completion.chunk",
                                     "model": model, "choices": [],
                                     "usage": {"prompt_tokens": prompt,
                                               "completion_tokens": completion,
                                               "total_tokens": prompt + completion}}))
        await reply.send("data: [DONE]\n\n")
        await reply.finish()


def _event(payload: Any) -> str:
    return f"data: {json.dumps(payload)}\n\n"
