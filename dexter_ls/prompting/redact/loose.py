"""Rules that find secrets by weaker signals than a format or a quoted literal: INI / config
lines (`password = s3cret`), an AWS secret key passed positionally next to its key id or on a
line that talks about AWS, `.npmrc` credentials, and high-entropy values assigned to names
that only suggest a secret (`SIGNING_SALT`, `encryption_key`, `session_cookie`).

Same contract as `rules.py`: each rule proposes `Hit`s, every pattern is linear.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator

from dexter_ls.prompting.redact.names import is_code, keep_value, secret_kind
from dexter_ls.prompting.redact.rules import Hit

_CONTEXT, _NAMED, _ENTROPY = 2, 3, 4

# --- INI / config lines: `name = value`, spaces around `=`, the value runs to the line end --

_INI_LINE = re.compile(
    r"^[ \t]*(?P<name>[A-Za-z_][\w.-]{0,100})[ \t]+=[ \t]+"
    r"(?P<s>[^\s'\"`;,()\[\]{}<>|&#]{3,256})[ \t]*(?:[#;][^\r\n]*)?$",
    re.MULTILINE,
)
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def _ini_lines(text: str) -> Iterator[Hit]:
    """`password = s3cret` in INI, properties, TOML-less configs, pgpass-like files.

    In code the same line assigns a variable (`password = pw`), so a value that is a plain
    lowercase word is kept; one with digits, capitals mixed in or punctuation is a literal."""
    for m in _INI_LINE.finditer(text):
        kind = secret_kind(m.group("name"))
        value = m.group("s")
        if kind is None or is_code(value) or keep_value(kind, m.group("name"), value):
            continue
        if _PLAIN_NUMBER.fullmatch(value) or (value.isidentifier() and value.islower()):
            continue
        yield Hit(m.start("s"), m.end("s"), kind, kind, _NAMED, m.start("name"))


# --- AWS secret keys without a secret-named key ------------------------------------------

_AWS_SECRET_SHAPE = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_AWS_KEY_ID = re.compile(r"(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])")
_AWS_WORD = re.compile(r"(?i)\baws|amazon|boto|\bs3\b")
_NEAR = 300  # characters after a key id where its secret is looked for


def _aws_positional(text: str) -> Iterator[Hit]:
    ids = [m.end() for m in _AWS_KEY_ID.finditer(text)]
    for m in _AWS_SECRET_SHAPE.finditer(text):
        value = m.group()
        if not (any(c.isupper() for c in value) and any(c.islower() for c in value)
                and any(c.isdigit() for c in value)):
            continue  # a path or a word run, not 240 random bits
        near_id = any(0 <= m.start() - end <= _NEAR for end in ids)
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start: line_end if line_end >= 0 else len(text)]
        if near_id or _AWS_WORD.search(line):
            yield Hit(m.start(), m.end(), "aws-secret-key", "aws-secret-key", _CONTEXT)


# --- .npmrc / .pypirc credentials ---------------------------------------------------------

_NPMRC = re.compile(r"(?<=:)_(?:authToken|auth|password)[ \t]*=[ \t]*(?P<s>[^\s\"'$]{4,})")


def _npmrc(text: str) -> Iterator[Hit]:
    for m in _NPMRC.finditer(text):
        yield Hit(m.start("s"), m.end("s"), "token", "token", _CONTEXT)


# --- entropy for names that suggest a secret ---------------------------------------------

_WEAK_WORDS = frozenset(
    ["secret", "secrets", "password", "passwd", "pwd", "pass", "token", "key", "keys",
     "credential", "credentials", "cred", "creds", "auth", "salt", "signature", "sig", "cookie",
     "session", "private", "cert", "dsn", "hmac", "seed", "apikey", "jwt", "bearer", "signing",
     "encryption", "master", "license"])
_ASSIGN_ANY = re.compile(
    r"(?<![\w$.-])(?P<name>[A-Za-z_$][\w$.-]{0,100})[\"'\]]?[ \t]*(?::=|=>|[:=])[ \t]*"
    r"[rRbBuU]?[\"'`]?(?P<s>[A-Za-z0-9+/=_.~!@#%^*-]{16,256})(?![A-Za-z0-9+/=_.~!@#%^*-])"
)
_PUBLIC = frozenset(["public", "pub", "pubkey", "publishable"])
_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_HEX = re.compile(r"[0-9a-fA-F]+")


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def looks_random(value: str) -> bool:
    """Random enough to be a key: hex at 3 bits/char over 24+ chars, other text at 3.8."""
    if _HEX.fullmatch(value):
        return len(value) >= 24 and entropy(value) >= 3.0
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value),
                   any(c.isdigit() for c in value)))
    return classes >= 2 and entropy(value) >= 3.8


def _high_entropy_named(text: str) -> Iterator[Hit]:
    for m in _ASSIGN_ANY.finditer(text):
        name = m.group("name")
        words = {w.lower() for w in _NAME_WORDS.findall(name)}
        if not words & _WEAK_WORDS or words & _PUBLIC:
            continue
        if "public" in text[max(0, m.start() - 12):m.start()].lower():
            continue  # `public key: …` is meant to be shared
        value = m.group("s")
        if is_code(value) or ("." in value and value.replace(".", "").isalpha()):
            continue
        if looks_random(value):
            yield Hit(m.start("s"), m.end("s"), "high-entropy-secret", "secret", _ENTROPY,
                      m.start("name"))


RULES: tuple[Callable[[str], Iterator[Hit]], ...] = (
    _ini_lines, _aws_positional, _npmrc, _high_entropy_named,
)
