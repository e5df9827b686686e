"""A fake Anthropic API: paginated `/v1/models` and streamed `/v1/messages` in Anthropic's
SSE format (`event: X` + `data: {json}`), with pings and an event type from the future.

Queue a `Plan` per messages request to script faults; `requests` records what arrived.
The fake checks nothing (no key, no version header): tests assert on `requests`.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.http_server import ProtocolFake, Reply, Request

REQUEST_ID = "req_011CSHoEeqs5C35K2UUqR7Fy"


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message},
            "request_id": REQUEST_ID}


# Real error bodies and headers, as api.anthropic.com sends them.
ERRORS: dict[str, tuple[int, dict[str, Any], dict[str, str]]] = {
    "500": (500, _error("api_error", "Internal server error"), {"x-should-retry": "true"}),
    "529": (529, _error("overloaded_error", "Overloaded"), {"x-should-retry": "true"}),
    "429": (429, _error("rate_limit_error", "This request would exceed the rate limit for your "
                        "organization (1b7e5c4e-0000-4000-8000-000000000000) of 50 input tokens "
                        "per minute. For details, refer to: https://docs.claude.com/en/api/"
                        "rate-limits."),
            {"retry-after": "17", "x-should-retry": "true",
             "anthropic-ratelimit-input-tokens-remaining": "0"}),
    "401": (401, _error("authentication_error", "invalid x-api-key"), {"x-should-retry": "false"}),
    "403": (403, _error("permission_error", "Your API key does not have permission to use the "
                        "specified resource."), {}),
    "404": (404, _error("not_found_error", "model: {model}"), {}),
    "413": (413, _error("request_too_large", "Request exceeds the maximum allowed number of "
                        "bytes."), {}),
    "context": (400, _error("invalid_request_error",
                            "prompt is too long: 215000 tokens > 200000 maximum"), {}),
    "credit": (400, _error("invalid_request_error", "Your credit balance is too low to access "
                           "the Anthropic API. Please go to Plans & Billing to upgrade or "
                           "purchase credits."), {}),
    "400": (400, _error("invalid_request_error", "temperature: range: 0..1"), {}),
}

MODELS: tuple[tuple[str, str, str], ...] = (
    ("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z"),
    ("claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z"),
    ("claude-3-5-haiku-20241022", "Claude Haiku 3.5", "2024-10-22T00:00:00Z"),
    ("claude-experimental-x", "Claude Experimental", "2026-01-01T00:00:00Z"),
)


@dataclass
class Plan:
    fault: str | None = None  # a key of ERRORS, or: hang-headers, hang-mid, cut, bad-json,
    #                           mid-error, slow
    tokens: list[str] = field(default_factory=lambda: ["The ", "name ", "is ", "undefined."])
    delay: float = 0.0  # between tokens
    usage: tuple[int, int] = (42, 4)  # input tokens (message_start), output (message_delta)
    stop_reason: str = "end_turn"
    thinking: bool = False  # a thinking block (thinking_delta, signature_delta) before the text
    message: str | None = None  # replaces the error message of an ERRORS fault / mid-error


class FakeAnthropic(ProtocolFake[Plan]):
    plan_type = Plan

    def __init__(self, models: tuple[tuple[str, str, str], ...] = MODELS,
                 page_size: int = 20) -> None:
        super().__init__()
        self.models = models
        self.page_size = page_size  # the server's cap; a smaller `limit` wins
        self.list_fault: str | None = None  # a key of ERRORS for /v1/models

    async def _handle(self, request: Request, reply: Reply) -> None:
        url = urlsplit(request.path)
        if request.method == "GET" and url.path == "/v1/models":
            await self._models(parse_qs(url.query), reply)
            return
        if request.method != "POST" or url.path != "/v1/messages":
            await reply.json(404, _error("not_found_error", "Not found"))
            return
        plan = self.next_plan()
        model = str(request.json().get("model", "?"))
        if plan.fault in ERRORS:
            status, body, headers = ERRORS[plan.fault]
            detail = dict(body["error"])
            detail["message"] = plan.message or str(detail["message"]).replace("{model}", model)
            await reply.json(status, {**body, "error": detail}, headers)
            return
        if plan.fault == "hang-headers":
            await reply.hang()
            return
        await self._messages(plan, model, reply)

    async def _models(self, query: dict[str, list[str]], reply: Reply) -> None:
        if self.list_fault in ERRORS:
            status, body, headers = ERRORS[self.list_fault]
            await reply.json(status, body, headers)
            return
        ids = [m[0] for m in self.models]
        after = query.get("after_id", [None])[0]
        start = ids.index(after) + 1 if after in ids else 0
        size = min(int(query.get("limit", [self.page_size])[0]), self.page_size)
        page = self.models[start:start + size]
        await reply.json(200, {
            "data": [{"type": "model", "id": m, "display_name": name, "created_at": created}
                     for m, name, created in page],
            "has_more": start + size < len(self.models),
            "first_id": page[0][0] if page else None,
            "last_id": page[-1][0] if page else None,
        }, {"request-id": REQUEST_ID})

    async def _messages(self, plan: Plan, model: str, reply: Reply) -> None:
        delay = plan.delay or (0.05 if plan.fault == "slow" else 0.0)
        input_tokens, output_tokens = plan.usage
        await reply.start(200, {"Content-Type": "text/event-stream; charset=utf-8",
                                "Cache-Control": "no-cache", "request-id": REQUEST_ID})
        await reply.send(_event("message_start", {
            "type": "message_start",
            "message": {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message",
                        "role": "assistant", "content": [], "model": model,
                        "stop_reason": None, "stop_sequence": None,
                        "usage": {"input_tokens": input_tokens, "cache_creation_input_tokens": 0,
                                  "cache_read_input_tokens": 0, "output_tokens": 1}}}))
        index = 0
        if plan.thinking:
            await reply.send(_event("content_block_start", {
                "type": "content_block_start", "index": index,
                "content_block": {"type": "thinking", "thinking": "", "signature": ""}}))
            for delta in ({"type": "thinking_delta", "thinking": "The user wants a fix."},
                          {"type": "signature_delta", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA"}):
                await reply.send(_event("content_block_delta", {
                    "type": "content_block_delta", "index": index, "delta": delta}))
            await reply.send(_event("content_block_stop",
                                    {"type": "content_block_stop", "index": index}))
            index += 1
        await reply.send(_event("content_block_start", {
            "type": "content_block_start", "index": index,
            "content_block": {"type": "text", "text": ""}}))
        await reply.send(_event("ping", {"type": "ping"}))
        for position, token in enumerate(plan.tokens):
            if delay:
                await asyncio.sleep(delay)
            if plan.fault == "hang-mid" and position == 1:
                await reply.hang()
                return
            if plan.fault == "cut" and position == 2:
                await reply.finish()  # a clean end of the body, but no message_stop
                return
            if plan.fault == "bad-json" and position == 1:
                await reply.send('event: content_block_delta\ndata: {"type": "content_block_'
                                 'delta", "index": 0, "delta": {"type": "text_delta"\n\n')
                continue
            if plan.fault == "mid-error" and position == 2:
                message = plan.message or "Overloaded"
                await reply.send(_event("error", _error("overloaded_error", message)))
                await reply.finish()
                return
            if position == 1:
                await reply.send(_event("future_event", {"type": "future_event",
                                                         "detail": {"anything": [1, 2]}}))
            await reply.send(_event("content_block_delta", {
                "type": "content_block_delta", "index": index,
                "delta": {"type": "text_delta", "text": token}}))
        await reply.send(_event("content_block_stop", {"type": "content_block_stop",
                                                       "index": index}))
        await reply.send(_event("message_delta", {
            "type": "message_delta",
            "delta": {"stop_reason": plan.stop_reason, "stop_sequence": None},
            "usage": {"output_tokens": output_tokens}}))
        await reply.send(_event("message_stop", {"type": "message_stop"}))
        await reply.finish()


def _event(name: str, payload: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(payload)}\n\n"
