"""The rules that find secrets: each scans the text and proposes spans (`Hit`s) to replace.

In order of priority (lower wins an overlap): private-key blocks; recognisable token formats
(Anthropic, OpenAI, GitHub, Slack, AWS, Google keys, JWTs); passwords in URLs and connection
strings, `Authorization` headers and AWS secret keys; then string literals and unquoted values
(`.env` and shell lines, command-line flags, query strings, YAML) assigned to secret-named keys.
`RULES` lists them all.

Every pattern is linear: character classes are disjoint from what follows them, repeats are
bounded or anchored at the start of a run, so a long or hostile input cannot make a regex
backtrack badly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from dexter_ls.prompting.redact.formats import FORMATS, KEYWORDS
from dexter_ls.prompting.redact.names import is_code, is_reference, keep_value, secret_kind


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    kind: str
    label: str  # the name in the placeholder
    priority: int  # lower wins an overlap
    key: int = -1  # where the key naming the secret starts, if a key does


# Priorities.
_BLOCK, _TOKEN, _CONTEXT, _NAMED = 0, 1, 2, 3


# --- recognisable formats ----------------------------------------------------------------


def _token_rule(
    kind: str, pattern: str, *, group: str | int = 0, need_digit: bool = False,
    keywords: tuple[str, ...] = (),
) -> Callable[[str], Iterator[Hit]]:
    compiled = re.compile(pattern)

    def find(text: str) -> Iterator[Hit]:
        if keywords and not any(word in text for word in keywords):
            return
        for m in compiled.finditer(text):
            value = m.group(group)
            if need_digit and not any(c.isdigit() for c in value):
                continue
            yield Hit(m.start(group), m.end(group), kind, kind, _TOKEN)

    return find


_TOKEN_RULES = [_token_rule(kind, pattern, need_digit=digit, keywords=KEYWORDS.get(kind, ()))
                for kind, pattern, digit in FORMATS]
_TOKEN_RULES.append(_token_rule(
    "slack-webhook",
    r"https?://hooks\.slack\.com/(?:services|workflows|triggers)/(?P<s>[A-Za-z0-9_/-]{8,})",
    group="s", keywords=("hooks.slack.com",)))

# A private-key block. The body may hold base64, whitespace, `\n` escapes, quotes and `+` (keys
# pasted into string literals) and `Proc-Type:` / `DEK-Info:` headers; it cannot run over a
# `-----` marker, so each stretch of text is scanned once.
_PEM_MARK = r"[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----"
_PEM = re.compile(
    r"-----BEGIN" + _PEM_MARK
    + r"(?P<body>(?:[A-Za-z0-9+/=\s\\:,.'\"]|-(?!----))*)"
    + r"(?P<end>-----END" + _PEM_MARK + r")?"
)
# Without an END (the context was cut): the lines that still look like the key.
_PEM_TAIL = re.compile(
    r"(?:(?:\r?\n|\\r\\n|\\n)[ \t]*(?:[A-Za-z0-9+/=]{8,}|(?:Proc-Type|DEK-Info):[^\r\n\\]*)?)*")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{16,}")


def _private_keys(text: str) -> Iterator[Hit]:
    for m in _PEM.finditer(text):
        if m.group("end"):
            end = m.end()
            if not _BASE64_RUN.search(m.group("body")):
                continue  # code mentioning the markers, not a key
        else:
            tail = _PEM_TAIL.match(text, m.start("body"))
            assert tail is not None  # the pattern matches the empty string
            if not _BASE64_RUN.search(tail.group()):
                continue
            end = tail.end()
        yield Hit(m.start(), end, "private-key", "private-key", _BLOCK)


# --- passwords in URLs, connection strings, headers --------------------------------------

_URL_PASSWORD = re.compile(
    r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}://"
    r"[^\s:/?#@'\"`<>]{0,256}:(?P<s>[^\s/?#'\"`<>]{1,256})@(?=[A-Za-z0-9\[])"
)
_CONN_PASSWORD = re.compile(
    r"(?:(?<=;)[ \t]*|(?<=[\"']))"
    r"(?i:password|pwd|accountkey|sharedaccesskey|sharedaccesssignature)[ \t]*=[ \t]*"
    r"(?P<s>\{[^}\r\n]*\}|[^;\"'\r\n]+)")
_AUTH_HEADER = re.compile(
    r"(?i:authorization)[\"']?[ \t]*[:=,][ \t]*[\"']?[ \t]*"
    r"(?P<scheme>(?i:bearer|token|basic))[ \t]+(?P<s>[A-Za-z0-9._~+/-]+=*)"
)
_AWS_SECRET = re.compile(
    r"(?i:secret_?access_?key)[\"']?[ \t]*[:=][ \t]*[\"']?(?P<s>[A-Za-z0-9/+]{40})"
    r"(?![A-Za-z0-9/+=])"
)


def _url_passwords(text: str) -> Iterator[Hit]:
    for m in _URL_PASSWORD.finditer(text):
        value = m.group("s")
        if not is_reference(value) and not value.startswith("$"):
            yield Hit(m.start("s"), m.end("s"), "password-in-url", "password", _CONTEXT)


def _connection_passwords(text: str) -> Iterator[Hit]:
    for m in _CONN_PASSWORD.finditer(text):
        value = m.group("s").rstrip()
        if value and not is_reference(value) and not value.startswith("$"):
            start = m.start("s")
            yield Hit(start, start + len(value), "password-in-connection-string", "password",
                       _CONTEXT)


def _auth_headers(text: str) -> Iterator[Hit]:
    for m in _AUTH_HEADER.finditer(text):
        kind = "basic-auth" if m.group("scheme").lower() == "basic" else "bearer-token"
        yield Hit(m.start("s"), m.end("s"), kind, kind, _CONTEXT)


def _aws_secrets(text: str) -> Iterator[Hit]:
    for m in _AWS_SECRET.finditer(text):
        yield Hit(m.start("s"), m.end("s"), "aws-secret-key", "aws-secret-key", _CONTEXT)


# --- secret-named keys -------------------------------------------------------------------

_NAME = r"-{0,2}[A-Za-z_$][\w$.-]{0,100}"

# `name = "literal"` in any language: `=`, `:=`, `=>`, `:` (dicts, JSON, YAML, objects), with
# an optional type in between (`token: str = "…"`, `let k: &'static str = "…"`,
# `var password string = "…"`), and an optional string prefix (r, b, f, u, @).
_ASSIGN_LITERAL = re.compile(
    r"(?<![\w$.-])(?P<q>[\"'`]?)(?P<name>" + _NAME + r")(?P=q)\]?"
    r"(?:[ \t]*(?::=|=>|[:=](?!=))[ \t]*"
    r"|[ \t]*:[ \t]*[\w\[\]<>|.&*?' ]{1,60}?[ \t]*=(?!=)[ \t]*"
    r"|[ \t]+(?:string|\[\]byte)[ \t]*=(?!=)[ \t]*)"
    r"(?P<prefix>[rRbBuUfF]{0,2}|@)"
    r"(?:\"(?P<d>(?:[^\"\\\n]|\\.)+)\"|'(?P<s>(?:[^'\\\n]|\\.)+)'|`(?P<b>(?:[^`\\]|\\.)+)`)"
)

# `.env`, shell, Dockerfile and docker-compose lines: `SECRET_KEY=value`, `export TOKEN=value`,
# `ENV API_KEY=value`, `- POSTGRES_PASSWORD=value`. Not indented (an indented `token=token`
# is a keyword argument), no spaces around `=`.
_ENV_LINE = re.compile(
    r"^(?:[ \t]*(?:export|ENV|ARG|set|declare|local|readonly)(?:[ \t]+-\w+)*[ \t]+|[ \t]*-[ \t]+)?"
    r"(?P<name>[A-Za-z_][\w.-]{0,100})=(?P<s>[^\s'\"`;,()\[\]{}<>|&]+)(?=[ \t;]|$)",
    re.MULTILINE,
)
# Command-line flags: `--password=value`.
_FLAG = re.compile(
    r"(?<![\w-])--(?P<name>[A-Za-z][\w-]{0,60})=(?P<s>[^\s'\"`;,()\[\]{}<>|&]+)(?=[\s;]|$)")
# Query strings: `?access_token=value&…`.
_QUERY = re.compile(r"(?<=[?&])(?P<name>[A-Za-z_][\w.-]{0,60})=(?P<s>[^&\s#\"'<>`]+)")
# YAML (and HTTP-header-like) lines with an unquoted value: `password: hunter2`.
_YAML_LINE = re.compile(
    r"^[ \t]*(?:-[ \t]+)?(?P<q>[\"']?)(?P<name>[A-Za-z_][\w.-]{0,100})(?P=q)[ \t]*:[ \t]+"
    r"(?P<rest>[^\r\n]*[^\s])",
    re.MULTILINE,
)
_NUMBER = re.compile(r"[+-]?\d[\d_]*(?:\.\d+)?")
_YAML_SKIP_FIRST = frozenset("\"'{[&*!|>$%@<`")
_YAML_CODE_CHARS = frozenset("()[]<>{}|")


def _literal_assignments(text: str) -> Iterator[Hit]:
    pos = 0
    while m := _ASSIGN_LITERAL.search(text, pos):
        kind = secret_kind(m.group("name"))
        if kind is None:
            # The name may be a keyword or a type (`const clientSecret = …`, `String token =
            # …`): look again from the next word. Only a few words can reach one value.
            pos = m.end("name")
            continue
        pos = m.end()
        group = "d" if m.group("d") is not None else "s" if m.group("s") is not None else "b"
        value = m.group(group)
        if is_reference(value) or keep_value(kind, m.group("name"), value):
            continue
        if "f" in m.group("prefix").lower() and "{" in value:
            continue  # f-string interpolation
        if group == "b" and (len(value) < 3 or value != value.strip()):
            continue  # Markdown code spans: `password=`/`token=`
        yield Hit(m.start(group), m.end(group), kind, kind, _NAMED, m.start("name"))


def _unquoted(
    pattern: re.Pattern[str], text: str,
) -> Iterator[Hit]:
    for m in pattern.finditer(text):
        kind = secret_kind(m.group("name"))
        value = m.group("s")
        if kind is None or is_code(value) or keep_value(kind, m.group("name"), value):
            continue
        yield Hit(m.start("s"), m.end("s"), kind, kind, _NAMED, m.start("name"))


def _env_lines(text: str) -> Iterator[Hit]:
    return _unquoted(_ENV_LINE, text)


def _flags(text: str) -> Iterator[Hit]:
    return _unquoted(_FLAG, text)


def _query_params(text: str) -> Iterator[Hit]:
    return _unquoted(_QUERY, text)


def _yaml_lines(text: str) -> Iterator[Hit]:
    for m in _YAML_LINE.finditer(text):
        kind = secret_kind(m.group("name"))
        if kind is None:
            continue
        rest = m.group("rest")
        for mark in (" #", "\t#"):
            cut = rest.find(mark)
            if cut >= 0:
                rest = rest[:cut]
        value = rest.rstrip()
        if not value or value[0] in _YAML_SKIP_FIRST:
            continue
        if value[-1] in ",;":  # a JS / TS / Rust member: only a number is a literal there
            value = value[:-1].rstrip()
            if not _NUMBER.fullmatch(value):
                continue
        elif m.group("q") and not _NUMBER.fullmatch(value):
            continue  # `"token": token` is a dict entry, JSON strings are quoted
        if any(c.isspace() for c in value):
            continue  # prose, as in docstrings: `password: The password to use.`
        if (_YAML_CODE_CHARS.intersection(value) or is_code(value)
                or keep_value(kind, m.group("name"), value)):
            continue
        start = m.start("rest")
        yield Hit(start, start + len(value), kind, kind, _NAMED, m.start("name"))


RULES: tuple[Callable[[str], Iterator[Hit]], ...] = (
    _private_keys,
    *_TOKEN_RULES,
    _url_passwords,
    _connection_passwords,
    _auth_headers,
    _aws_secrets,
    _literal_assignments,
    _env_lines,
    _flags,
    _query_params,
    _yaml_lines,
)
