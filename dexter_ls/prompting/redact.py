"""Secret redaction for context that leaves this machine.

`redact(text)` replaces API keys, tokens, private keys, passwords in URLs and connection
strings, and string literals assigned to secret-named keys with `[REDACTED:<kind>]`, keeping
the code around them readable (`password = "[REDACTED:password]"`,
`postgres://admin:[REDACTED:password]@db:5432/app`).

How it works: every rule scans the original text and proposes spans (start, end, kind).
Spans are then chosen by rule priority (private-key blocks, then recognisable token formats,
then URL / header / connection-string passwords, then secret-named assignments), dropping any
span that overlaps one already chosen or touches an existing placeholder. Passes repeat until
one finds nothing (a span dropped for overlapping a longer match may stand alone once that
match is replaced), so redacting twice changes nothing more.

Every pattern is linear: character classes are disjoint from what follows them, repeats are
bounded or anchored at the start of a run, so a long or hostile input cannot make a regex
backtrack badly.

Values that are references, not secrets, are kept: identifiers, calls, attribute chains,
`os.environ[...]`, `process.env.X`, `$VAR` / `${VAR}` / `{{ template }}`, f-string and
template-literal interpolations, type annotations, `None` / `null` / booleans, empty strings.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["Redacted", "redact"]


@dataclass(frozen=True)
class Redacted:
    text: str
    count: int  # how many secrets were replaced
    kinds: tuple[str, ...]  # the kind of each, in order of appearance


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    kind: str
    label: str  # the name in the placeholder
    priority: int  # lower wins an overlap
    key: int = -1  # where the key naming the secret starts, if a key does


# Priorities.
_BLOCK, _TOKEN, _CONTEXT, _NAMED = 0, 1, 2, 3

_PLACEHOLDER = re.compile(r"\[REDACTED:[a-z0-9-]{1,40}\]")


def placeholder(label: str) -> str:
    return f"[REDACTED:{label}]"


# --- names and values --------------------------------------------------------------------

_LAST_WORD = {
    "password": "password", "passwd": "password", "pwd": "password", "passphrase": "password",
    "secret": "secret", "secretkey": "secret", "clientsecret": "secret",
    "token": "token", "authtoken": "token", "accesstoken": "token",
    "apikey": "api-key", "privatekey": "private-key",  # not `accesskey`: an HTML attribute
    "auth": "auth",
}
_LAST_PAIR = {
    ("api", "key"): "api-key",
    ("access", "key"): "access-key",
    ("secret", "key"): "secret",
    ("private", "key"): "private-key",
}
# Words that, inside an unquoted value, mark it as a reference (`password: pwd`).
_REFERENCE_WORDS = frozenset(
    ["password", "passwd", "pwd", "passphrase", "secret", "secrets", "token", "apikey", "auth",
     "key", "credential", "credentials", "env", "environ", "config", "settings"])
_CONSTANTS = frozenset(
    ["true", "false", "null", "none", "nil", "undefined", "yes", "no", "on", "off", "~"])
# Type names after `name:` (Python / TypeScript / schemas) that are never a value.
_TYPES = frozenset(
    ["str", "string", "bytes", "int", "integer", "number", "float", "bool", "boolean", "any",
     "unknown", "object", "char", "text", "varchar", "uuid", "secretstr", "secretbytes",
     "optional", "void", "never", "bigint", "symbol", "required"])

_CAMEL_1 = re.compile(r"([a-z0-9])([A-Z])")
_CAMEL_2 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")
_TRAILING_DIGITS = re.compile(r"\d+$")
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
_DOTTED = re.compile(r"[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+")
_CAMEL_TYPE = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)*")
_NUMBER = re.compile(r"[+-]?\d[\d_]*(?:\.\d+)?")
_TEMPLATE_REF = re.compile(
    r"\$[A-Za-z_]\w*|%\(\w+\)s|%[sd]|\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}|%[A-Za-z_]\w*%"
    r"|<%=?.*%>",
    re.DOTALL,
)
_AUTH_SCHEME = re.compile(
    r"(?:basic|bearer|digest|token|oauth2?|oidc|saml|ldap|none|ntlm|negotiate|kerberos|hmac|jwt"
    r"|api[_-]?key|password|key|session|cookie|header|query|mtls|tls|required|optional"
    r"|disabled|enabled)[ \t]*",
    re.IGNORECASE,
)
_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_MASKED = re.compile(r"[*•]+")
_REGEX_LIKE = re.compile(r"\\[wdsWDSbB]|\[\^|\][+*?{]|\(\?[:=!<P]")
_LABEL = re.compile(r"[A-Za-z_][\w.-]*")


def _words(name: str) -> list[str]:
    spaced = _CAMEL_2.sub(r"\1 \2", _CAMEL_1.sub(r"\1 \2", name))
    return [w for w in _NON_ALNUM.split(spaced.lower()) if w]


def secret_kind(name: str) -> str | None:
    """The kind for a key named `name` if it names a secret (`DB_PASSWORD`, `apiKey`)."""
    words = [w if w == "auth0" else _TRAILING_DIGITS.sub("", w) for w in _words(name)]
    words = [w for w in words if w]  # `password2` names a password, `auth0` a product
    if not words:
        return None
    if words[-3:] == ["secret", "access", "key"]:
        return "aws-secret-key"
    if len(words) >= 2 and (words[-2], words[-1]) in _LAST_PAIR:
        return _LAST_PAIR[(words[-2], words[-1])]
    return _LAST_WORD.get(words[-1])


def _is_reference(value: str) -> bool:
    """A template or interpolation standing for a value defined elsewhere."""
    v = value.strip()
    if not v or v.lower() in _CONSTANTS:
        return True
    if "${" in v or "{{" in v or "$(" in v or "#{" in v:
        return True
    return _TEMPLATE_REF.fullmatch(v) is not None


def _is_code(value: str) -> bool:
    """An unquoted value that reads as an expression or a type, not a literal."""
    if _is_reference(value) or value.startswith("$"):
        return True
    if _DOTTED.fullmatch(value):
        return True
    if _IDENTIFIER.fullmatch(value):
        if value.lower() in _TYPES or _CAMEL_TYPE.fullmatch(value):
            return True
        return any(w in _REFERENCE_WORDS for w in _words(value))
    return False


def _keep(kind: str, name: str, value: str) -> bool:
    """Values that are not secrets even though the key names one."""
    if kind in ("auth", "token") and _AUTH_SCHEME.fullmatch(value):
        return True  # auth: basic / oauth / "Bearer " + token
    if _COLOR.fullmatch(value) or _MASKED.fullmatch(value) or _REGEX_LIKE.search(value):
        return True  # {Token: "#cccccc"}, "****", a lexer's `token = r"[^\W\d]\w*"`
    if _LABEL.fullmatch(value) and len(_words(value)) > 1 and secret_kind(value) == kind:
        return True  # an enum name or a type: {SERVER_AUTH: "serverAuth"}, "_RSAPrivateKey"
    return _words(name)[-1:] == ["pwd"] and value[:1] in ("/", "~", ".")  # PWD=/home/me


# --- recognisable formats ----------------------------------------------------------------


def _token_rule(
    kind: str, pattern: str, *, group: str | int = 0, need_digit: bool = False,
) -> Callable[[str], Iterator[_Hit]]:
    compiled = re.compile(pattern)

    def find(text: str) -> Iterator[_Hit]:
        for m in compiled.finditer(text):
            value = m.group(group)
            if need_digit and not any(c.isdigit() for c in value):
                continue
            yield _Hit(m.start(group), m.end(group), kind, kind, _TOKEN)

    return find


_TOKEN_RULES = [
    _token_rule("anthropic-key", r"(?<![A-Za-z0-9])sk-ant-[A-Za-z0-9_-]{20,}"),
    _token_rule("openai-key", r"(?<![A-Za-z0-9])sk-(?!ant-)[A-Za-z0-9_-]{20,}", need_digit=True),
    _token_rule("github-token",
                r"(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})"),
    _token_rule("slack-token", r"(?<![A-Za-z0-9])(?:xox[abeoprs]|xapp)-[A-Za-z0-9-]{10,}",
                need_digit=True),
    _token_rule("slack-webhook",
                r"https?://hooks\.slack\.com/(?:services|workflows|triggers)/"
                r"(?P<s>[A-Za-z0-9_/-]{8,})", group="s"),
    _token_rule("aws-access-key-id", r"(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])"),
    _token_rule("google-api-key", r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"),
    _token_rule("jwt",
                r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),
]

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


def _private_keys(text: str) -> Iterator[_Hit]:
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
        yield _Hit(m.start(), end, "private-key", "private-key", _BLOCK)


# --- passwords in URLs, connection strings, headers --------------------------------------

_URL_PASSWORD = re.compile(
    r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}://"
    r"[^\s:/?#@'\"`<>]{0,256}:(?P<s>[^\s/?#'\"`<>]{1,256})@(?=[A-Za-z0-9\[])"
)
_CONN_PASSWORD = re.compile(
    r"(?:(?<=;)[ \t]*|(?<=[\"']))(?i:password|pwd)[ \t]*=[ \t]*(?P<s>\{[^}\r\n]*\}|[^;\"'\r\n]+)")
_AUTH_HEADER = re.compile(
    r"(?i:authorization)[\"']?[ \t]*[:=,][ \t]*[\"']?[ \t]*"
    r"(?P<scheme>(?i:bearer|token|basic))[ \t]+(?P<s>[A-Za-z0-9._~+/-]+=*)"
)
_AWS_SECRET = re.compile(
    r"(?i:secret_?access_?key)[\"']?[ \t]*[:=][ \t]*[\"']?(?P<s>[A-Za-z0-9/+]{40})"
    r"(?![A-Za-z0-9/+=])"
)


def _url_passwords(text: str) -> Iterator[_Hit]:
    for m in _URL_PASSWORD.finditer(text):
        value = m.group("s")
        if not _is_reference(value) and not value.startswith("$"):
            yield _Hit(m.start("s"), m.end("s"), "password-in-url", "password", _CONTEXT)


def _connection_passwords(text: str) -> Iterator[_Hit]:
    for m in _CONN_PASSWORD.finditer(text):
        value = m.group("s").rstrip()
        if value and not _is_reference(value) and not value.startswith("$"):
            start = m.start("s")
            yield _Hit(start, start + len(value), "password-in-connection-string", "password",
                       _CONTEXT)


def _auth_headers(text: str) -> Iterator[_Hit]:
    for m in _AUTH_HEADER.finditer(text):
        kind = "basic-auth" if m.group("scheme").lower() == "basic" else "bearer-token"
        yield _Hit(m.start("s"), m.end("s"), kind, kind, _CONTEXT)


def _aws_secrets(text: str) -> Iterator[_Hit]:
    for m in _AWS_SECRET.finditer(text):
        yield _Hit(m.start("s"), m.end("s"), "aws-secret-key", "aws-secret-key", _CONTEXT)


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
_YAML_SKIP_FIRST = frozenset("\"'{[&*!|>$%@<`")
_YAML_CODE_CHARS = frozenset("()[]<>{}|")


def _literal_assignments(text: str) -> Iterator[_Hit]:
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
        if _is_reference(value) or _keep(kind, m.group("name"), value):
            continue
        if "f" in m.group("prefix").lower() and "{" in value:
            continue  # f-string interpolation
        if group == "b" and (len(value) < 3 or value != value.strip()):
            continue  # Markdown code spans: `password=`/`token=`
        yield _Hit(m.start(group), m.end(group), kind, kind, _NAMED, m.start("name"))


def _unquoted(
    pattern: re.Pattern[str], text: str,
) -> Iterator[_Hit]:
    for m in pattern.finditer(text):
        kind = secret_kind(m.group("name"))
        value = m.group("s")
        if kind is None or _is_code(value) or _keep(kind, m.group("name"), value):
            continue
        yield _Hit(m.start("s"), m.end("s"), kind, kind, _NAMED, m.start("name"))


def _env_lines(text: str) -> Iterator[_Hit]:
    return _unquoted(_ENV_LINE, text)


def _flags(text: str) -> Iterator[_Hit]:
    return _unquoted(_FLAG, text)


def _query_params(text: str) -> Iterator[_Hit]:
    return _unquoted(_QUERY, text)


def _yaml_lines(text: str) -> Iterator[_Hit]:
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
        if (_YAML_CODE_CHARS.intersection(value) or _is_code(value)
                or _keep(kind, m.group("name"), value)):
            continue
        start = m.start("rest")
        yield _Hit(start, start + len(value), kind, kind, _NAMED, m.start("name"))


_RULES: tuple[Callable[[str], Iterator[_Hit]], ...] = (
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


# --- choosing and replacing --------------------------------------------------------------

_MAX_PASSES = 8


class _Spans:
    """Disjoint half-open intervals, kept sorted."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if i > 0 and self.ends[i - 1] > start:
            return True
        return i < len(self.starts) and self.starts[i] < end

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _choose(text: str) -> list[_Hit]:
    """The hits to replace in one pass, disjoint and in order of position."""
    hits = [hit for rule in _RULES for hit in rule(text) if hit.end > hit.start]
    if not hits:
        return []
    placeholders = _Spans()  # already redacted: neither the value nor its key may touch them
    for m in _PLACEHOLDER.finditer(text):
        placeholders.add(m.start(), m.end())
    taken = _Spans()
    chosen: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.priority, h.start, -h.end)):
        if placeholders.overlaps(min(hit.start, hit.key) if hit.key >= 0 else hit.start, hit.end):
            continue
        if not taken.overlaps(hit.start, hit.end):
            taken.add(hit.start, hit.end)
            chosen.append(hit)
    chosen.sort(key=lambda h: h.start)
    return chosen


def _replace(
    text: str, hits: list[_Hit], made: list[tuple[int, str]],
) -> tuple[str, list[tuple[int, str]]]:
    """Apply `hits`; `made` (start, kind) of earlier placeholders, moved to the new text."""
    parts: list[str] = []
    placed: list[tuple[int, str]] = []
    pos = 0
    shift = 0
    earlier = iter(made)
    pending = next(earlier, None)
    for hit in hits:
        while pending is not None and pending[0] < hit.start:
            placed.append((pending[0] + shift, pending[1]))
            pending = next(earlier, None)
        new = placeholder(hit.label)
        parts += (text[pos:hit.start], new)
        placed.append((hit.start + shift, hit.kind))
        shift += len(new) - (hit.end - hit.start)
        pos = hit.end
    while pending is not None:
        placed.append((pending[0] + shift, pending[1]))
        pending = next(earlier, None)
    parts.append(text[pos:])
    return "".join(parts), placed


def redact(text: str) -> Redacted:
    """Replace the secrets in `text` with `[REDACTED:<kind>]` placeholders.

    Runs until nothing more is found (a value dropped for overlapping a longer match can
    stand alone once that match is replaced), so `redact(redact(t).text)` finds nothing."""
    made: list[tuple[int, str]] = []
    for _ in range(_MAX_PASSES):
        hits = _choose(text)
        if not hits:
            break
        text, made = _replace(text, hits, made)
    return Redacted(text, len(made), tuple(kind for _, kind in made))
