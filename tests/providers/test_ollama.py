"""The Ollama adapter against a fake server speaking Ollama's NDJSON API."""

from __future__ import annotations

import time
from dataclasses import replace

import httpx
import pytest

from dexter_ls.core.model_info import Capability
from dexter_ls.core.provider import (
    ChatMessage,
    ChatRequest,
    ErrorClass,
    ProviderError,
    UsageChunk,
)
from dexter_ls.providers.http import Endpoint, Timeouts
from dexter_ls.providers.ollama import OllamaProvider, classify_ollama
from tests.fakes.ollama_fake import ERRORS, MID_STREAM_ERROR, FakeOllama, OllamaModel
from tests.providers import helpers

SECRET = "proxy-token-PLANTED-0123456789abcdef"
LLAMA = "llama3.2:latest"


def provider(fake: FakeOllama, *, secret: str | None = None, **timeouts: float) -> OllamaProvider:
    return OllamaProvider("ollama", Endpoint(fake.base_url, Timeouts(**timeouts), secret=secret))


def request_for(model: str = LLAMA) -> ChatRequest:
    return helpers.request_for("ollama", model)


def estimate(request: ChatRequest) -> int:
    return sum(len(m.content) for m in request.messages) // 4


async def collect(p: OllamaProvider, model: str = LLAMA, request: ChatRequest | None = None,
                  *, close: bool = True) -> tuple[str, list[UsageChunk]]:
    return await helpers.collect(p, model, request, close=close)


async def test_streams_text_and_reported_usage(fake_ollama: FakeOllama) -> None:
    text, usage = await collect(provider(fake_ollama))
    assert text == "The name is undefined."
    (final,) = usage
    assert final.usage.source == "reported"
    assert final.usage.output_tokens == 4  # eval_count
    assert final.usage.input_tokens is not None and final.usage.input_tokens >= estimate(
        request_for())  # prompt_eval_count
    assert final.finish_reason == "stop"


async def test_done_reason_is_the_finish_reason(fake_ollama: FakeOllama) -> None:
    fake_ollama.plan(done_reason="length")
    _, usage = await collect(provider(fake_ollama))
    assert usage[-1].finish_reason == "length"


async def test_request_body_and_headers(fake_ollama: FakeOllama) -> None:
    request = request_for()
    await collect(provider(fake_ollama), request=request)
    (sent,) = fake_ollama.requests
    body = sent.json()
    assert (sent.method, sent.path) == ("POST", "/api/chat")
    assert body["model"] == LLAMA and body["stream"] is True
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "name 'foo' is not defined" in body["messages"][1]["content"]
    options = body["options"]
    assert options["num_ctx"] == 8192  # not discovered yet: the default, never Ollama's own
    assert options["num_ctx"] >= estimate(request) + request.max_output_tokens
    assert options["num_predict"] == request.max_output_tokens
    assert options["temperature"] == request.temperature
    assert "authorization" not in sent.headers


async def test_a_proxy_secret_is_sent_as_a_bearer_token(fake_ollama: FakeOllama) -> None:
    await collect(provider(fake_ollama, secret=SECRET))
    assert fake_ollama.requests[0].headers["authorization"] == f"Bearer {SECRET}"


async def test_num_ctx_follows_the_discovered_window_capped(fake_ollama: FakeOllama) -> None:
    fake_ollama.models.append(OllamaModel("tinyllama:latest", "d" * 64, context_length=2048))
    p = provider(fake_ollama)
    await p.discover()
    await collect(p, LLAMA, close=False)
    await collect(p, "qwen2.5-coder:7b", close=False)
    await collect(p, "tinyllama")  # ":latest" is implied, as Ollama does
    sizes = [r.json()["options"]["num_ctx"] for r in fake_ollama.requests_to("/api/chat")]
    assert sizes == [32768, 32768, 2048]  # 131072 capped; 32768; the model's own 2048


async def test_num_ctx_always_fits_a_long_prompt(fake_ollama: FakeOllama) -> None:
    fake_ollama.models.append(OllamaModel("tinyllama:latest", "d" * 64, context_length=2048))
    p = provider(fake_ollama)
    await p.discover()
    long = ChatRequest(messages=(ChatMessage("system", "Explain."),
                                 ChatMessage("user", "x = 1\n" * 7000)),
                       subject=helpers.SUBJECT, max_output_tokens=900)
    await collect(p, "tinyllama:latest", long, close=False)
    await collect(p, LLAMA, ChatRequest(messages=long.messages, subject=helpers.SUBJECT,
                                        max_output_tokens=30000))
    small, big = (r.json()["options"]["num_ctx"] for r in fake_ollama.requests_to("/api/chat"))
    assert small >= estimate(long) + 900 and small % 1024 == 0
    assert small == 12288  # 10502 + 900 rounded up to 1024s, far above the model's 2048
    assert big >= estimate(long) + 30000 and big % 1024 == 0 and big > 32768


async def test_discovery_describes_each_model(fake_ollama: FakeOllama) -> None:
    p = provider(fake_ollama)
    models = await p.discover()
    await p.aclose()
    llama, coder = models
    assert llama.id == "ollama/llama3.2:latest" and llama.name == LLAMA
    assert llama.provider == "ollama" and llama.local is True
    assert llama.status.value == "available"
    assert llama.family == "llama" and llama.parameter_size == "3.2B"
    assert llama.quantization == "Q4_K_M"
    assert llama.context_window == 131072
    assert llama.version == fake_ollama.models[0].digest
    assert llama.capabilities == {Capability.CHAT, Capability.STREAMING, Capability.TOOLS}
    assert coder.id == "ollama/qwen2.5-coder:7b"
    assert coder.family == "qwen2" and coder.context_window == 32768
    assert Capability.CODE in coder.capabilities and Capability.CHAT in coder.capabilities
    shows = fake_ollama.requests_to("/api/show")
    assert sorted(r.json()["model"] for r in shows) == ["llama3.2:latest", "qwen2.5-coder:7b"]


async def test_discovery_maps_vision_and_embedding_models(fake_ollama: FakeOllama) -> None:
    fake_ollama.models = [
        OllamaModel("llava:7b", "1" * 64, capabilities=("completion", "vision")),
        OllamaModel("nomic-embed-text:latest", "2" * 64, family="nomic-bert",
                    capabilities=("embedding",), context_length=2048),
        OllamaModel("codellama:7b", "3" * 64, context_length=16384,
                    capabilities=("completion", "insert")),
    ]
    p = provider(fake_ollama)
    llava, embed, codellama = await p.discover()
    await p.aclose()
    assert llava.capabilities == {Capability.CHAT, Capability.STREAMING, Capability.VISION}
    assert Capability.CHAT not in embed.capabilities
    assert embed.context_window == 2048  # read from "nomic-bert.context_length"
    assert codellama.capabilities == {Capability.CHAT, Capability.STREAMING, Capability.CODE}


async def test_show_is_asked_once_per_digest(fake_ollama: FakeOllama) -> None:
    p = provider(fake_ollama)
    first = await p.discover()
    second = await p.discover()
    assert first == second
    assert len(fake_ollama.requests_to("/api/tags")) == 2
    assert len(fake_ollama.requests_to("/api/show")) == 2  # one per model, not per discovery

    # `ollama pull` brought a new version of llama3.2: a new digest, asked about again.
    new_digest = "f" * 64
    fake_ollama.models[0] = replace(fake_ollama.models[0], digest=new_digest,
                                    context_length=65536)
    third = await p.discover()
    await p.aclose()
    shows = fake_ollama.requests_to("/api/show")
    assert len(shows) == 3 and shows[-1].json() == {"model": LLAMA}
    assert third[0].version == new_digest and third[0].context_window == 65536


async def test_tags_sharing_a_digest_share_one_show(fake_ollama: FakeOllama) -> None:
    llama = fake_ollama.models[0]
    fake_ollama.models = [llama, replace(llama, name="llama3.2:3b")]
    p = provider(fake_ollama)
    models = await p.discover()
    await p.aclose()
    assert [m.id for m in models] == ["ollama/llama3.2:latest", "ollama/llama3.2:3b"]
    assert [m.context_window for m in models] == [131072, 131072]
    assert len(fake_ollama.requests_to("/api/show")) == 1


async def test_health_asks_for_the_version(fake_ollama: FakeOllama) -> None:
    p = provider(fake_ollama)
    health = await p.health()
    await p.aclose()
    assert health.reachable and "0.5.1" in health.detail
    assert [(r.method, r.path) for r in fake_ollama.requests] == [("GET", "/api/version")]


async def test_health_when_ollama_is_not_running() -> None:
    p = OllamaProvider("ollama", Endpoint("http://127.0.0.1:9", Timeouts(connect=1)))
    health = await p.health()
    await p.aclose()
    assert not health.reachable
    assert "connection refused at http://127.0.0.1:9" in health.detail


@pytest.mark.parametrize(
    "fault, error_class",
    [
        ("500", ErrorClass.SERVER),
        ("503", ErrorClass.SERVER),
        ("429", ErrorClass.RATE_LIMITED),
        ("401", ErrorClass.AUTH),
        ("404", ErrorClass.NOT_FOUND),
        ("context", ErrorClass.CONTEXT_WINDOW),
        ("400", ErrorClass.BAD_REQUEST),
        ("mid-error", ErrorClass.SERVER),
        ("bad-json", ErrorClass.SERVER),
        ("cut", ErrorClass.INCOMPLETE_STREAM),
        ("drop", ErrorClass.INCOMPLETE_STREAM),
    ],
)
async def test_errors_map_to_the_taxonomy(
    fake_ollama: FakeOllama, fault: str, error_class: ErrorClass
) -> None:
    fake_ollama.plan(fault=fault)
    error = await helpers.failure(provider(fake_ollama, secret=SECRET), LLAMA)
    assert error.error_class is error_class
    if fault in ERRORS:
        assert error.status == ERRORS[fault][0]
        assert error.message == ERRORS[fault][1]["error"].replace("{model}", LLAMA)
    if fault == "mid-error":
        assert error.message == MID_STREAM_ERROR
    if fault == "cut":  # a clean end of the body, but without Ollama's final line
        assert "done" in error.message
    assert SECRET not in str(error)


async def test_an_unpulled_model_is_not_found(fake_ollama: FakeOllama) -> None:
    error = await helpers.failure(provider(fake_ollama), "llama9")
    assert error.error_class is ErrorClass.NOT_FOUND
    assert error.message == 'model "llama9" not found, try pulling it first'


async def test_rate_limit_carries_retry_after(fake_ollama: FakeOllama) -> None:
    fake_ollama.plan(fault="429")
    assert (await helpers.failure(provider(fake_ollama), LLAMA)).retry_after == 7.0


@pytest.mark.parametrize(
    "status, message, error_class",
    [
        (200, "model 'llama9' not found", ErrorClass.NOT_FOUND),
        (200, "prompt too long; exceeded max context length by 3 tokens",
         ErrorClass.CONTEXT_WINDOW),
        (500, "the input length exceeds the context length", ErrorClass.CONTEXT_WINDOW),
        (500, "model requires more system memory (5.5 GiB) than is available (3.1 GiB)",
         ErrorClass.SERVER),
        (403, "Forbidden", ErrorClass.AUTH),
        (400, "json: cannot unmarshal string into Go struct field", ErrorClass.BAD_REQUEST),
    ],
)
def test_classify_wording(status: int, message: str, error_class: ErrorClass) -> None:
    error = classify_ollama(status, {"error": message}, httpx.Headers())
    assert error.error_class is error_class and error.message == message


def test_classify_scrubs_the_secret_and_plain_bodies() -> None:
    error = classify_ollama(502, f"<html>bad gateway for {SECRET}</html>", httpx.Headers(),
                            SECRET)
    assert error.error_class is ErrorClass.SERVER and SECRET not in error.message


@pytest.mark.parametrize("evidence", ["truncate_prompt", "truncated_flag"])
async def test_a_truncated_prompt_is_reported(fake_ollama: FakeOllama, evidence: str) -> None:
    fake_ollama.plan(**{evidence: True})
    text, usage = await collect(provider(fake_ollama))
    assert text == "The name is undefined."  # still an answer, but flagged
    assert usage[-1].finish_reason == "prompt-truncated"


async def test_a_cached_prompt_prefix_is_not_a_truncation(fake_ollama: FakeOllama) -> None:
    fake_ollama.plan(cached_prefix=True)  # prompt_eval_count far below the estimate
    _, usage = await collect(provider(fake_ollama))
    assert usage[-1].usage.input_tokens is not None
    assert usage[-1].usage.input_tokens < estimate(request_for()) / 2
    assert usage[-1].finish_reason == "stop"


async def test_hang_before_headers_is_a_first_token_timeout(fake_ollama: FakeOllama) -> None:
    fake_ollama.plan(fault="hang-headers")
    started = time.monotonic()
    error = await helpers.failure(provider(fake_ollama, first_token=0.3, total=5), LLAMA)
    assert error.error_class is ErrorClass.TIMEOUT
    assert "first token" in error.message
    assert time.monotonic() - started < 4  # did not wait for the total deadline


async def test_hang_mid_stream_hits_the_total_deadline(fake_ollama: FakeOllama) -> None:
    fake_ollama.plan(fault="hang-mid")
    chunks, error = await helpers.text_before_failure(
        provider(fake_ollama, first_token=2, total=0.6), LLAMA)
    assert error.error_class is ErrorClass.TIMEOUT
    assert "answer" in error.message
    assert chunks == ["The "]  # what came before the hang was delivered


async def test_slow_tokens_within_deadlines_still_succeed(fake_ollama: FakeOllama) -> None:
    fake_ollama.plan(fault="slow")
    text, usage = await collect(provider(fake_ollama, first_token=1, total=5))
    assert text == "The name is undefined." and usage[-1].finish_reason == "stop"


async def test_connection_refused_is_a_connection_error() -> None:
    p = OllamaProvider("ollama", Endpoint("http://127.0.0.1:9", Timeouts(connect=1)))
    assert (await helpers.failure(p, LLAMA)).error_class is ErrorClass.CONNECTION
    p = OllamaProvider("ollama", Endpoint("http://127.0.0.1:9", Timeouts(connect=1)))
    with pytest.raises(ProviderError) as caught:
        await p.discover()
    await p.aclose()
    assert caught.value.error_class is ErrorClass.CONNECTION


async def test_cancellation_closes_the_stream(fake_ollama: FakeOllama) -> None:
    fake_ollama.plan(fault="hang-mid")
    await helpers.assert_cancelling_closes_the_stream(
        provider(fake_ollama, first_token=5, total=30), LLAMA, fake_ollama.server)
