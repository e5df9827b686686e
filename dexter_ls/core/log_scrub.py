"""One logging filter that keeps credentials out of every log line.

Installed on every handler Dexter sets up (so records from httpx, httpcore and pygls pass
through it too). It removes the password of a URL (`https://user:pass@host`), values of
known key shapes (OpenAI, Anthropic, GitHub, GitLab, Slack, AWS, Google, Hugging Face, npm,
PyPI, Stripe), authorization headers, `"key": "..."`-style JSON fields, and every exact
value registered with `remember_secret` (keys read from the credentials file, the
environment or the editor's secret store).
"""

from __future__ import annotations

import functools
import logging
import re
import threading

REDACTED = "[redacted]"
_PATTERNS = (  # compiled on the first line scrubbed: most CLI runs log nothing
    # key shapes
    r"(?:\b(?:sk|rk|pk)[-_](?:live_|test_|ant-|proj-)?[A-Za-z0-9_\-]{8,}"
    r"|\bgh[pousr]_[A-Za-z0-9]{16,}|\bgithub_pat_[A-Za-z0-9_]{16,}"
    r"|\bglpat-[A-Za-z0-9_\-]{16,}|\bxox[abposr]-[A-Za-z0-9\-]{10,}"
    r"|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bAIza[0-9A-Za-z_\-]{30,}"
    r"|\bhf_[A-Za-z0-9]{20,}|\bnpm_[A-Za-z0-9]{30,}|\bpypi-[A-Za-z0-9_\-]{40,}"
    r"|\bSG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,})",
    # user info in a URL
    r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@'\"<>]*@",
    # authorization headers
    r"(?i)\b(authorization|x-api-key|api-key|proxy-authorization)"
    r"(['\"]?\s*[:=]\s*['\"]?)(?:bearer\s+|basic\s+)?[^\s'\",}]+",
    # "key": "..." fields
    r"(?i)([\"'](?:api_?key(?:_?env)?|key|token|secret|password|access_token)[\"']"
    r"\s*:\s*[\"'])[^\"']+",
    # key='...' in a repr (pygls logs results so)
    r"(?i)\b((?:api_?)?key|token|secret|password|passwd)(\s*=\s*['\"]?)[^\s'\",)}]+",
)


@functools.cache
def _compiled() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in _PATTERNS)


_lock = threading.Lock()
_secrets: set[str] = set()


def remember_secret(value: str | None) -> None:
    """Never show this exact value in a log line (values shorter than 8 are too common)."""
    if value and len(value) >= 8:
        with _lock:
            _secrets.add(value)


def scrub(text: str) -> str:
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, REDACTED)
    key_shapes, userinfo, headers, fields, assigned = _compiled()
    text = userinfo.sub(lambda m: f"{m.group(1)}{REDACTED}@", text)
    text = headers.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = fields.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
    text = assigned.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return key_shapes.sub(REDACTED, text)


class ScrubFilter(logging.Filter):
    """Rewrites each record's message (and traceback) with credentials removed."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: show it raw rather than lose the line
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def install(handler: logging.Handler) -> logging.Handler:
    if not any(isinstance(f, ScrubFilter) for f in handler.filters):
        handler.addFilter(ScrubFilter())
    return handler


def install_everywhere() -> None:
    """The filter on every handler of the root logger and of any logger with its own."""
    loggers = [logging.getLogger(), *(
        logger for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger))]
    for logger in loggers:
        for handler in logger.handlers:
            install(handler)
