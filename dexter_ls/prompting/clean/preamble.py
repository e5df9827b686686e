"""What goes before the answer proper, for `clean.py`: leading chatter ("Sure! Here's the
explanation:") and a ```markdown fence wrapping the whole answer.

Pure functions, no I/O; which sentences count as chatter is in the docstring of
`dexter_ls.prompting.clean.output`.
"""

from __future__ import annotations

import re

from dexter_ls.prompting.clean.blocks import Fence, parse, trim_blank_edges

_PASSES = 8
_LEADING_BLANKS = re.compile(r"\A(?:[ \t]*\n)+")


def _phrase(pattern: str) -> str:
    """Write patterns with plain spaces and apostrophes; match any blanks and ' or ’."""
    return pattern.replace(" ", r"[ \t]+").replace("'", "['’]")


_INTERJECTION = _phrase(
    r"(?:sure(?: thing)?|certainly|of course|absolutely|definitely|okay|ok|alright|all right"
    r"|no problem|gladly|great|perfect|hello|hi|hey(?: there)?)"
)
_PRAISE = _phrase(
    r"(?:(?:that's |that is |what )?(?:a |an )?(?:great|good|excellent|nice|interesting|fair)"
    r" question|thanks? (?:you )?for (?:asking|the question|sharing(?: (?:this|that|the error"
    r"|the code))?))"
)
_HELP = _phrase(
    r"(?:(?:i'd |i would |i'm |i am )?(?:be )?(?:happy|glad|delighted) to (?:help|explain|assist)"
    r"|i can (?:help|explain)|i'll (?:help|explain))(?:[^\n.!?:]{0,60})"
)
_NOUN = r"(?:explanation|breakdown|answer|summary|overview|analysis|rundown|walk-?through)"
_ADJECTIVE = r"(?:quick|brief|short|detailed|simple|clear|concise|step-by-step|full|complete)"
_LEAD_IN = _phrase(
    r"(?:(?:here's|here is|here are|below is|the following is) (?:(?:a|an|the|my) )?"
    rf"(?:{_ADJECTIVE} )*{_NOUN}(?: (?:of|for) [^\n.!?:]{{1,80}})?"
    r"|here's what's (?:going on|happening)(?:[^\n.!?:]{0,60})"
    r"|here is what is (?:going on|happening)(?:[^\n.!?:]{0,60})"
    r"|let(?: me|'s| us) (?:explain|break (?:it|this|that) down|take a look|look at (?:it|this"
    r"|the error)|walk (?:you )?through (?:it|this))(?:[^\n.!?:]{0,60})"
    r"|i'll (?:break (?:it|this) down)(?:[^\n.!?:]{0,60}))"
)
_SEPARATOR = r"[ \t]*(?:[,!.]+|—|–|-)[ \t]*"
# A chatter sentence ends its line, or ends with punctuation before a new sentence; one that
# goes on in lower case ("Sure, the variable...") is content.
_END = r"(?P<end>[ \t]*[.!:…]+(?=[ \t]+(?-i:[^a-z\s]))|[ \t]*[.!:…]*[ \t]*(?=\n))"
_CHATTER = re.compile(
    rf"(?:{_INTERJECTION}(?:{_SEPARATOR}(?:{_LEAD_IN}|{_HELP}|{_PRAISE}))?"
    rf"|{_LEAD_IN}|{_HELP}|{_PRAISE}){_END}",
    re.IGNORECASE,
)
_AI_CLAUSE = re.compile(
    _phrase(r"as an ai(?: language model| model| assistant)?") + r"[ \t]*,[ \t]*", re.IGNORECASE
)
_AI_SELF = _phrase(
    r"(?:i (?:can't|cannot|can not|don't|do not|have no|won't)|i'm (?:not|unable)"
    r"|i am (?:not|unable))\b"
)
_AI_SELF_START = re.compile(_AI_SELF, re.IGNORECASE)
_AI_SELF_SENTENCE = re.compile(_AI_SELF + r"[^\n.!?]*" + _END, re.IGNORECASE)


def _drop_chatter(text: str) -> str:
    """Text without its first sentence if that is chatter (see the docstring of `clean.py`)."""
    match = _CHATTER.match(text)
    if match and text[match.end():].strip():
        return text[match.end():].lstrip(" \t")
    ai = _AI_CLAUSE.match(text)
    if ai is None:
        return text
    rest = text[ai.end():]
    if not rest.strip():
        return text
    if _AI_SELF_START.match(rest):  # "As an AI language model, I can't run code." says nothing
        sentence = _AI_SELF_SENTENCE.match(rest)
        after = rest[sentence.end():] if sentence else ""
        return after.lstrip(" \t") if after.strip() else text
    return rest[:1].upper() + rest[1:]


_MD_OPEN = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})[ \t]*(?:markdown|md)[ \t]*", re.IGNORECASE)
_CLOSE = re.compile(r"[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*")


def _unwrap(text: str) -> str:
    """The inside of an answer wrapped whole in one ```markdown fence, when it is balanced."""
    lines = trim_blank_edges(text.split("\n"))
    if len(lines) < 2:
        return text
    opener = _MD_OPEN.fullmatch(lines[0])
    closer = _CLOSE.fullmatch(lines[-1])
    if opener is None or closer is None:
        return text
    fence, end = opener.group("fence"), closer.group("fence")
    if end[0] != fence[0] or len(end) < len(fence):
        return text
    inner = lines[1:-1]
    blocks = parse(inner)
    if blocks and isinstance(blocks[-1], Fence) and blocks[-1].at_eof:
        return text  # the inner fences do not pair up: the outer fence is not a wrapper
    return "\n".join(inner)


def strip_preamble(text: str) -> str:
    """Text without leading blank lines, chatter and a wrapping ```markdown fence, repeatedly."""
    for _ in range(_PASSES):
        text = _LEADING_BLANKS.sub("", text)
        new = _unwrap(_drop_chatter(text))
        if new == text:
            break
        text = new
    return text
