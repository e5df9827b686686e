"""`providers/http._request` builds, from URLs parsed once per endpoint, exactly the request
httpx's `build_request` would: same URL, headers (in order), body and timeouts."""

from __future__ import annotations

import pytest

from dexter_ls.providers.http import Endpoint, Timeouts, _request

BASES = ["http://127.0.0.1:9/v1", "http://host:1/", "https://api.example.com/v1/",
         "http://host/a/b"]
PATHS = ["/chat/completions", "models", "http://host:1/props", "/api/chat?x=1", "/v1/messages"]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("headers", [None, {"content-type": "application/json"},
                                     {"Authorization": "Bearer other"}])
def test_the_request_is_the_one_httpx_builds(base: str, path: str,
                                             headers: dict[str, str] | None) -> None:
    client = Endpoint(base, Timeouts(connect=3.0, total=40.0)).client(
        {"Authorization": "Bearer k", "x-api-key": "k2"})
    body = {"model": "m", "messages": [{"role": "user", "content": "é"}]}
    expected = client.build_request("POST", path, json=body, headers=headers)
    built = _request(client, "POST", path, json=body, headers=headers)
    assert str(built.url) == str(expected.url)
    assert list(built.headers.raw) == list(expected.headers.raw)
    assert built.read() == expected.read()
    assert built.extensions == expected.extensions
