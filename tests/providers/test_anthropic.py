"""The Anthropic adapter against a fake server speaking the real Messages SSE format."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from dexter_ls.core.model_info import Capability, ModelStatus
from dexter_ls.core.provider import (
    ChatMessage,
    ChatRequest,
    ErrorClass,
    Provider,
    ProviderError,
    UsageChunk,
)
from dexter_ls.providers.anthropic import AnthropicProvider
from dexter_ls.providers.anthropic_models import CATALOG
from dexter_ls.providers.http import Endpoint, Timeouts
from tests.fakes.anthropic_fake import ERRORS, MODELS, FakeAnthropic
from tests.providers import helpers

KEY = "sk-ant-api03-PLANTED-0123456789abcdef"
MODEL = "claude-3-5-haiku-20241022"


def provider(fake: FakeAnthropic, *, key: str | None = KEY, **timeouts: float
             ) -> AnthropicProvider:
    return AnthropicProvider("anthropic", Endpoint(fake.base_url, Timeouts(**timeouts),
                                                   secret=key))


async def collect(p: AnthropicProvider, model: str = MODEL,
                  request: ChatRequest | None = None) -> tuple[str, list[UsageChunk]]:
    return await helpers.collect(p, model, request)


async def failure(fake: FakeAnthropic, **timeouts: float) -> ProviderError:
    return await helpers.failure(provider(fake, **timeouts), MODEL)


async def test_is_a_provider(fake_anthropic: FakeAnthropic) -> None:
    p = provider(fake_anthropic)
    await p.aclose()
    assert isinstance(p, Provider)


async def test_streams_text_and_reported_usage(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.plan(usage=(1234, 56))
    text, usage = await collect(provider(fake_anthropic))
    assert text == "The name is undefined."  # pings and future_event ignored
    (final,) = usage
    assert final.usage.input_tokens == 1234  # from message_start
    assert final.usage.output_tokens == 56  # the cumulative count in message_delta
    assert final.usage.source == "reported"
    assert final.finish_reason == "end_turn"


async def test_thinking_deltas_are_not_text(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.plan(thinking=True)
    text, _ = await collect(provider(fake_anthropic))
    assert text == "The name is undefined."


async def test_request_headers(fake_anthropic: FakeAnthropic) -> None:
    await collect(provider(fake_anthropic))
    (request,) = fake_anthropic.requests
    assert request.method == "POST" and request.path == "/v1/messages"
    assert request.headers["x-api-key"] == KEY
    assert request.headers["anthropic-version"] == "2023-06-01"
    assert request.headers["content-type"] == "application/json"
    assert "authorization" not in request.headers
    assert KEY not in request.path
    assert [v for k, v in request.headers.items() if k != "x-api-key" and KEY in v] == []


async def test_request_body_keeps_system_apart(fake_anthropic: FakeAnthropic) -> None:
    await collect(provider(fake_anthropic), "claude-sonnet-4-5")
    body = fake_anthropic.requests[0].json()
    assert body["model"] == "claude-sonnet-4-5"
    assert body["stream"] is True
    assert body["max_tokens"] == 800 and body["temperature"] == 0.2  # the claude template
    assert body["system"].startswith("You explain one diagnostic")  # the claude template
    assert [m["role"] for m in body["messages"]] == ["user"]
    assert "name 'foo' is not defined" in body["messages"][0]["content"]


async def test_system_and_assistant_turns(fake_anthropic: FakeAnthropic) -> None:
    request = ChatRequest(messages=(ChatMessage("system", "one"), ChatMessage("user", "q"),
                                    ChatMessage("assistant", "a"), ChatMessage("system", "two"),
                                    ChatMessage("user", "q2")),
                          subject=helpers.SUBJECT, max_output_tokens=99, temperature=0.0)
    await collect(provider(fake_anthropic), request=request)
    body = fake_anthropic.requests[0].json()
    assert body["system"] == "one\n\ntwo"
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert body["max_tokens"] == 99 and body["temperature"] == 0.0


async def test_base_url_with_v1_is_tolerated(fake_anthropic: FakeAnthropic) -> None:
    p = AnthropicProvider("anthropic", Endpoint(f"{fake_anthropic.base_url}/v1/", Timeouts(),
                                                secret=KEY))
    text, _ = await collect(p)
    assert text and fake_anthropic.requests[0].path == "/v1/messages"


@pytest.mark.parametrize("stop_reason", ["max_tokens", "stop_sequence", "pause_turn"])
async def test_stop_reason_is_the_finish_reason(fake_anthropic: FakeAnthropic,
                                                stop_reason: str) -> None:
    fake_anthropic.plan(stop_reason=stop_reason)
    _, usage = await collect(provider(fake_anthropic))
    assert usage[-1].finish_reason == stop_reason


async def test_refusal_without_text_is_content_policy(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.plan(stop_reason="refusal", tokens=[])
    error = await failure(fake_anthropic)
    assert error.error_class is ErrorClass.CONTENT_POLICY


async def test_refusal_after_text_is_a_finish_reason(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.plan(stop_reason="refusal")
    text, usage = await collect(provider(fake_anthropic))
    assert text and usage[-1].finish_reason == "refusal"


@pytest.mark.parametrize(
    "fault, error_class",
    [
        ("500", ErrorClass.SERVER),
        ("529", ErrorClass.SERVER),
        ("429", ErrorClass.RATE_LIMITED),
        ("401", ErrorClass.AUTH),
        ("403", ErrorClass.AUTH),
        ("404", ErrorClass.NOT_FOUND),
        ("413", ErrorClass.CONTEXT_WINDOW),
        ("context", ErrorClass.CONTEXT_WINDOW),
        ("credit", ErrorClass.QUOTA),
        ("400", ErrorClass.BAD_REQUEST),
        ("mid-error", ErrorClass.SERVER),
        ("bad-json", ErrorClass.SERVER),
        ("cut", ErrorClass.INCOMPLETE_STREAM),
    ],
)
async def test_faults_map_to_the_taxonomy(
    fake_anthropic: FakeAnthropic, fault: str, error_class: ErrorClass
) -> None:
    fake_anthropic.plan(fault=fault)
    error = await failure(fake_anthropic)
    assert error.error_class is error_class
    if fault in ERRORS:
        assert error.status == ERRORS[fault][0]
    assert KEY not in str(error)


async def test_not_found_names_the_model(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.plan(fault="404")
    error = await helpers.failure(provider(fake_anthropic), "claude-9")
    assert error.error_class is ErrorClass.NOT_FOUND
    assert "claude-9" in error.message


async def test_rate_limit_carries_retry_headers(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.plan(fault="429")
    error = await failure(fake_anthropic)
    assert error.retry_after == 17.0
    assert error.should_retry is True


async def test_overloaded_carries_should_retry(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.plan(fault="529")
    error = await failure(fake_anthropic)
    assert error.should_retry is True and error.retry_after is None


async def test_rate_limit_about_billing_is_quota(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.plan(fault="429", message="Your credit balance is too low to access the "
                                             "Anthropic API.")
    assert (await failure(fake_anthropic)).error_class is ErrorClass.QUOTA


@pytest.mark.parametrize("fault", ["401", "400", "context", "mid-error"])
async def test_an_echoed_key_is_scrubbed(fake_anthropic: FakeAnthropic, fault: str) -> None:
    fake_anthropic.plan(fault=fault, message=f"invalid x-api-key {KEY} (key {KEY[:20]}...)")
    error = await failure(fake_anthropic)
    assert KEY not in str(error) and KEY not in error.message
    assert KEY[:20] not in str(error)  # the key-shaped prefix is caught by the pattern too
    assert "[redacted]" in str(error)


async def test_hang_before_headers_is_a_first_token_timeout(
        fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.plan(fault="hang-headers")
    started = time.monotonic()
    error = await failure(fake_anthropic, first_token=0.3, total=5)
    assert error.error_class is ErrorClass.TIMEOUT
    assert "first token" in error.message
    assert time.monotonic() - started < 4  # did not wait for the total deadline


async def test_hang_mid_stream_hits_the_total_deadline(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.plan(fault="hang-mid")
    chunks, error = await helpers.text_before_failure(
        provider(fake_anthropic, first_token=2, total=0.6), MODEL)
    assert error.error_class is ErrorClass.TIMEOUT
    assert chunks == ["The "]  # what came before the hang was delivered


async def test_slow_tokens_within_deadlines_still_succeed(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.plan(fault="slow")
    text, usage = await collect(provider(fake_anthropic, first_token=1, total=5))
    assert text == "The name is undefined." and usage[-1].finish_reason == "end_turn"


async def test_connection_refused_is_a_connection_error() -> None:
    p = AnthropicProvider("anthropic", Endpoint("http://127.0.0.1:9", Timeouts(connect=1),
                                                secret=KEY))
    error = await helpers.failure(p, MODEL)
    assert error.error_class is ErrorClass.CONNECTION
    assert KEY not in str(error)


async def test_cancellation_closes_the_stream(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.plan(fault="hang-mid")
    await helpers.assert_cancelling_closes_the_stream(
        provider(fake_anthropic, first_token=5, total=30), MODEL, fake_anthropic.server)


# Discovery


@pytest.fixture
def paged_fake() -> Iterator[FakeAnthropic]:
    with FakeAnthropic(page_size=1) as fake:  # one model per page
        yield fake


async def test_discovery_follows_pages_and_fills_from_the_catalog(
        paged_fake: FakeAnthropic) -> None:
    p = provider(paged_fake)
    models = await p.discover()
    await p.aclose()
    assert [m.name for m in models] == [m[0] for m in MODELS]
    paths = [r.path for r in paged_fake.requests]
    assert paths[0] == "/v1/models?limit=100"
    assert paths[1:] == [f"/v1/models?limit=100&after_id={m[0]}" for m in MODELS[:-1]]
    for request in paged_fake.requests:
        assert request.headers["x-api-key"] == KEY
        assert request.headers["anthropic-version"] == "2023-06-01"
        assert "authorization" not in request.headers
    haiku = next(m for m in models if m.name == MODEL)
    assert haiku.id == f"anthropic/{MODEL}" and haiku.provider == "anthropic"
    assert haiku.display_name == "Claude Haiku 3.5"
    assert haiku.family == "claude" and haiku.context_window == 200_000
    assert haiku.capabilities == frozenset({Capability.CHAT, Capability.STREAMING,
                                            Capability.CODE, Capability.VISION,
                                            Capability.TOOLS})
    assert haiku.status is ModelStatus.AVAILABLE and haiku.local is False
    assert haiku.version == "2024-10-22"
    unknown = next(m for m in models if m.name == "claude-experimental-x")
    assert unknown.context_window is None and unknown.family == "claude"
    assert unknown.capabilities == frozenset({Capability.CHAT, Capability.STREAMING})


async def test_discovery_stops_after_five_pages() -> None:
    many = tuple((f"claude-test-{i}", f"Test {i}", "2025-01-01T00:00:00Z") for i in range(8))
    with FakeAnthropic(models=many, page_size=1) as fake:
        p = provider(fake)
        models = await p.discover()
        await p.aclose()
    assert len(fake.requests) == 5
    assert [m.name for m in models] == [f"claude-test-{i}" for i in range(5)]


async def test_aliases_match_the_catalog() -> None:
    many = (("claude-sonnet-4-5", "Claude Sonnet 4.5", ""),
            ("claude-3-5-haiku-latest", "", "2024-10-22T00:00:00Z"),
            ("claude-opus-4-1", "Claude Opus 4.1", ""))
    with FakeAnthropic(models=many) as fake:
        p = provider(fake)
        models = {m.name: m for m in await p.discover()}
        await p.aclose()
    assert all(m.context_window == 200_000 for m in models.values())
    assert models["claude-3-5-haiku-latest"].display_name == "Claude Haiku 3.5"
    assert models["claude-opus-4-1"].version == "2025-08-05"


@pytest.mark.parametrize("fault, error_class",
                         [("401", ErrorClass.AUTH), ("403", ErrorClass.AUTH),
                          ("529", ErrorClass.SERVER)])
async def test_discovery_failure_raises(fake_anthropic: FakeAnthropic, fault: str,
                                        error_class: ErrorClass) -> None:
    fake_anthropic.list_fault = fault
    p = provider(fake_anthropic)
    with pytest.raises(ProviderError) as caught:
        await p.discover()
    health = await p.health()
    await p.aclose()
    assert caught.value.error_class is error_class
    assert health.reachable is False and health.models == ()
    assert error_class.value in health.detail


async def test_discovery_without_a_server_raises_connection() -> None:
    p = AnthropicProvider("anthropic", Endpoint("http://127.0.0.1:9", Timeouts(connect=1),
                                                secret=KEY))
    with pytest.raises(ProviderError) as caught:
        await p.discover()
    await p.aclose()
    assert caught.value.error_class is ErrorClass.CONNECTION


async def test_health_lists_models(fake_anthropic: FakeAnthropic) -> None:
    p = provider(fake_anthropic)
    health = await p.health()
    await p.aclose()
    assert health.reachable is True
    assert health.detail == f"{len(MODELS)} models"
    assert [m.name for m in health.models] == [m[0] for m in MODELS]


def test_catalog_models_are_shown_with_unknown_status(fake_anthropic: FakeAnthropic) -> None:
    models = provider(fake_anthropic).catalog_models()
    assert [m.name for m in models] == [entry.id for entry in CATALOG]
    assert fake_anthropic.requests == []  # no network
    for m in models:
        assert m.id == f"anthropic/{m.name}" and m.provider == "anthropic"
        assert m.status is ModelStatus.UNKNOWN
        assert m.context_window == 200_000 and m.family == "claude"
        assert Capability.VISION in m.capabilities and m.local is False
    haiku = next(m for m in models if m.name == MODEL)
    assert haiku.display_name == "Claude Haiku 3.5" and haiku.version == "2024-10-22"
