"""The OpenAI-compatible adapter against a fake server speaking the real SSE format."""

from __future__ import annotations

import time

import pytest

from dexter_ls.core.provider import ErrorClass, ProviderError, UsageChunk
from dexter_ls.providers.http import Endpoint, Timeouts
from dexter_ls.providers.openai import OpenAIProvider
from tests.fakes.openai_fake import ERRORS, FakeOpenAI
from tests.providers import helpers

KEY = "sk-test-PLANTED-0123456789abcdef"
MODEL = "gpt-4o-mini"


def provider(fake: FakeOpenAI, *, key: str | None = KEY, **timeouts: float) -> OpenAIProvider:
    return OpenAIProvider("openai", Endpoint(fake.base_url, Timeouts(**timeouts), secret=key))


async def collect(p: OpenAIProvider, model: str = MODEL) -> tuple[str, list[UsageChunk]]:
    return await helpers.collect(p, model)


async def failure(p: OpenAIProvider) -> ProviderError:
    return await helpers.failure(p, MODEL)


async def test_streams_text_and_reported_usage(fake_openai: FakeOpenAI) -> None:
    text, usage = await collect(provider(fake_openai))
    assert text == "The name is undefined."
    assert usage[-1].usage.input_tokens == 42 and usage[-1].usage.output_tokens == 4
    assert usage[-1].usage.source == "reported"
    assert usage[-1].finish_reason == "stop"


async def test_request_body_and_headers(fake_openai: FakeOpenAI) -> None:
    await collect(provider(fake_openai), "tiny-coder")
    (request,) = fake_openai.requests
    body = request.json()
    assert request.path == "/v1/chat/completions"
    assert body["model"] == "tiny-coder" and body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "name 'foo' is not defined" in body["messages"][1]["content"]
    assert request.headers["authorization"] == f"Bearer {KEY}"


async def test_no_key_sends_no_authorization(fake_openai: FakeOpenAI) -> None:
    await collect(provider(fake_openai, key=None))
    assert "authorization" not in fake_openai.requests[0].headers


async def test_discovery_lists_models(fake_openai: FakeOpenAI) -> None:
    p = provider(fake_openai)
    models = await p.discover()
    await p.aclose()
    assert [m.id for m in models] == ["openai/gpt-4o-mini", "openai/tiny-coder"]
    assert models[0].family == "gpt"


async def test_length_finish_is_reported_as_truncated(fake_openai: FakeOpenAI) -> None:
    fake_openai.plan(fault="length")
    _, usage = await collect(provider(fake_openai))
    assert usage[-1].finish_reason == "length"


async def test_usage_chunk_may_be_missing(fake_openai: FakeOpenAI) -> None:
    fake_openai.plan(fault="no-usage")
    text, usage = await collect(provider(fake_openai))
    assert text and usage[-1].usage.source == "unknown"


@pytest.mark.parametrize(
    "fault, error_class",
    [
        ("500", ErrorClass.SERVER),
        ("503", ErrorClass.SERVER),
        ("429", ErrorClass.RATE_LIMITED),
        ("quota", ErrorClass.QUOTA),
        ("401", ErrorClass.AUTH),
        ("404", ErrorClass.NOT_FOUND),
        ("context", ErrorClass.CONTEXT_WINDOW),
        ("llamacpp-context", ErrorClass.CONTEXT_WINDOW),
        ("vllm-context", ErrorClass.CONTEXT_WINDOW),
        ("policy", ErrorClass.CONTENT_POLICY),
        ("400", ErrorClass.BAD_REQUEST),
        ("mid-error", ErrorClass.SERVER),
        ("bad-json", ErrorClass.SERVER),
        ("cut", ErrorClass.INCOMPLETE_STREAM),
    ],
)
async def test_error_bodies_map_to_the_taxonomy(
    fake_openai: FakeOpenAI, fault: str, error_class: ErrorClass
) -> None:
    fake_openai.plan(fault=fault)
    error = await failure(provider(fake_openai))
    assert error.error_class is error_class
    if fault in ERRORS:
        assert error.status == ERRORS[fault][0]
    assert KEY not in str(error)


async def test_rate_limit_carries_retry_headers(fake_openai: FakeOpenAI) -> None:
    fake_openai.plan(fault="429")
    error = await failure(provider(fake_openai))
    assert error.retry_after == 20.0  # retry-after-ms wins, in seconds
    assert error.should_retry is True


async def test_hang_before_headers_is_a_first_token_timeout(fake_openai: FakeOpenAI) -> None:
    fake_openai.plan(fault="hang-headers")
    started = time.monotonic()
    error = await failure(provider(fake_openai, first_token=0.3, total=5))
    assert error.error_class is ErrorClass.TIMEOUT
    assert "first token" in error.message
    assert time.monotonic() - started < 4  # did not wait for the total deadline


async def test_hang_mid_stream_hits_the_total_deadline(fake_openai: FakeOpenAI) -> None:
    fake_openai.plan(fault="hang-mid")
    chunks, error = await helpers.text_before_failure(
        provider(fake_openai, first_token=2, total=0.6), MODEL)
    assert error.error_class is ErrorClass.TIMEOUT
    assert chunks == ["The "]  # what came before the hang was delivered


async def test_slow_tokens_within_deadlines_still_succeed(fake_openai: FakeOpenAI) -> None:
    fake_openai.plan(delay=0.05)
    text, _ = await collect(provider(fake_openai, first_token=1, total=5))
    assert text == "The name is undefined."


async def test_connection_refused_is_a_connection_error() -> None:
    p = OpenAIProvider("openai", Endpoint("http://127.0.0.1:9/v1", Timeouts(connect=1)))
    assert (await failure(p)).error_class is ErrorClass.CONNECTION


async def test_cancellation_closes_the_stream(fake_openai: FakeOpenAI) -> None:
    fake_openai.plan(fault="hang-mid")
    await helpers.assert_cancelling_closes_the_stream(
        provider(fake_openai, first_token=5, total=30), MODEL, fake_openai.server)


# What llama.cpp's server b4xxx (before meta.n_ctx) and today's report about SmolLM2-135M.
LLAMACPP_META = {"owned_by": "llamacpp", "meta": {
    "vocab_type": 2, "n_vocab": 49152, "n_ctx_train": 8192, "n_embd": 576,
    "n_params": 134515008, "size": 96576768}}


async def test_llamacpp_window_is_the_served_one_from_props() -> None:
    props = {"default_generation_settings": {"n_ctx": 4096}, "total_slots": 1}
    with FakeOpenAI(("smol",), details={"smol": LLAMACPP_META}, props=props) as fake:
        p = provider(fake, key=None)
        (model,) = await p.discover()
        await p.aclose()
        assert [r.path for r in fake.requests] == ["/v1/models", "/props"]
    assert model.context_window == 4096  # not the training context, 8192
    assert model.parameter_size == "135M"


async def test_llamacpp_meta_n_ctx_needs_no_props() -> None:
    meta = {**LLAMACPP_META["meta"], "n_ctx": 2048, "ftype": "Q4_1"}
    with FakeOpenAI(("smol",), details={"smol": {"owned_by": "llamacpp", "meta": meta}},
                    props={"default_generation_settings": {"n_ctx": 9999}}) as fake:
        p = provider(fake, key=None)
        (model,) = await p.discover()
        await p.aclose()
        assert [r.path for r in fake.requests] == ["/v1/models"]
    assert (model.context_window, model.quantization) == (2048, "Q4_1")


async def test_llamacpp_without_props_falls_back_to_training_context() -> None:
    with FakeOpenAI(("smol",), details={"smol": LLAMACPP_META}) as fake:  # /props: 404
        p = provider(fake, key=None)
        (model,) = await p.discover()
        await p.aclose()
    assert model.context_window == 8192


async def test_vllm_and_lm_studio_windows() -> None:
    details = {"served": {"owned_by": "vllm", "max_model_len": 16384},
               "studio": {"loaded_context_length": 4096, "max_context_length": 131072}}
    with FakeOpenAI(("served", "studio"), details=details) as fake:
        p = provider(fake, key=None)
        models = await p.discover()
        await p.aclose()
        assert [r.path for r in fake.requests] == ["/v1/models"]  # no /props for them
    assert [m.context_window for m in models] == [16384, 4096]


async def test_a_135m_model_gets_the_small_template() -> None:
    from dexter_ls.prompting.templates import load_templates, parameters_b

    props = {"default_generation_settings": {"n_ctx": 4096}}
    with FakeOpenAI(("smol",), details={"smol": LLAMACPP_META}, props=props) as fake:
        p = provider(fake, key=None)
        (model,) = await p.discover()
        await p.aclose()
    chosen = load_templates(None).family_template(None, parameters_b(model.parameter_size))
    assert chosen.name == "small"
