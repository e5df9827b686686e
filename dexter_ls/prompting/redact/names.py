"""Which key names name a secret, and which values are references rather than secrets.

`secret_kind(name)` reads a key name (`DB_PASSWORD`, `apiKey`, `client-secret`) word by word and
gives the kind of secret it names, if any. `is_reference`, `is_code` and `keep_value` tell the
rules in `rules.py` which values to leave alone although their key names a secret: templates
and interpolations, expressions and types, auth schemes, colours, masks, regexes, enum names.
"""

from __future__ import annotations

import re
from functools import lru_cache

_LAST_WORD = {
    "password": "password", "passwd": "password", "pwd": "password", "passphrase": "password",
    "pass": "password", "pword": "password",
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
_SUFFIXES = (("password", "password"), ("passwd", "password"), ("secret", "secret"),
             ("apikey", "api-key"), ("authtoken", "token"), ("accesstoken", "token"))
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


@lru_cache(maxsize=4096)  # names repeat (in code and in hostile input): read each once
def _word_tuple(name: str) -> tuple[str, ...]:
    spaced = _CAMEL_2.sub(r"\1 \2", _CAMEL_1.sub(r"\1 \2", name))
    return tuple(w for w in _NON_ALNUM.split(spaced.lower()) if w)


def _words(name: str) -> list[str]:
    return list(_word_tuple(name))


@lru_cache(maxsize=4096)
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
    last = words[-1]
    if last in _LAST_WORD:
        return _LAST_WORD[last]
    for suffix, kind in _SUFFIXES:  # one run-together word: PGPASSWORD, dbpasswd, apitoken
        if last.endswith(suffix) and len(last) > len(suffix):
            return kind
    return None


def is_reference(value: str) -> bool:
    """A template or interpolation standing for a value defined elsewhere."""
    v = value.strip()
    if not v or v.lower() in _CONSTANTS:
        return True
    if "${" in v or "{{" in v or "$(" in v or "#{" in v:
        return True
    return _TEMPLATE_REF.fullmatch(v) is not None


def is_code(value: str) -> bool:
    """An unquoted value that reads as an expression or a type, not a literal."""
    if is_reference(value) or value.startswith("$"):
        return True
    if _DOTTED.fullmatch(value):
        return True
    if _IDENTIFIER.fullmatch(value):
        if value.lower() in _TYPES or _CAMEL_TYPE.fullmatch(value):
            return True
        return any(w in _REFERENCE_WORDS for w in _words(value))
    return False


def keep_value(kind: str, name: str, value: str) -> bool:
    """Values that are not secrets even though the key names one."""
    if kind in ("auth", "token") and _AUTH_SCHEME.fullmatch(value):
        return True  # auth: basic / oauth / "Bearer " + token
    if _COLOR.fullmatch(value) or _MASKED.fullmatch(value) or _REGEX_LIKE.search(value):
        return True  # {Token: "#cccccc"}, "****", a lexer's `token = r"[^\W\d]\w*"`
    if _LABEL.fullmatch(value) and len(_words(value)) > 1 and secret_kind(value) == kind:
        return True  # an enum name or a type: {SERVER_AUTH: "serverAuth"}, "_RSAPrivateKey"
    return _words(name)[-1:] == ["pwd"] and value[:1] in ("/", "~", ".")  # PWD=/home/me
