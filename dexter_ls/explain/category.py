"""The error category of a diagnostic (for dexter.categoryModels and, later, templates).

Source and code first, then the message; an error we do not recognise is "other".
"""

from __future__ import annotations

import re

from dexter_ls.explain.subject import Subject

CATEGORIES = ("syntax", "type", "name", "import", "null", "index", "async", "memory",
              "network", "database", "auth", "config", "lint", "other")

_BY_CODE: dict[str, str] = {
    "SyntaxError": "syntax", "IndentationError": "syntax", "TabError": "syntax",
    "E999": "syntax", "TS1005": "syntax", "TS1128": "syntax", "TS1109": "syntax",
    "TypeError": "type", "TS2322": "type", "TS2345": "type", "E0308": "type",
    "E0277": "type", "arg-type": "type", "assignment": "type", "return-value": "type",
    "reportArgumentType": "type", "reportAssignmentType": "type",
    "NameError": "name", "F821": "name", "TS2304": "name", "E0425": "name",
    "name-defined": "name", "reportUndefinedVariable": "name", "UnboundLocalError": "name",
    "ModuleNotFoundError": "import", "ImportError": "import", "F401": "lint",
    "TS2307": "import", "E0432": "import", "E0433": "import", "import-not-found": "import",
    "reportMissingImports": "import",
    "AttributeError": "type", "union-attr": "null", "reportOptionalMemberAccess": "null",
    "reportOptionalSubscript": "null", "TS2531": "null", "TS2532": "null", "TS18047": "null",
    "TS18048": "null",
    "IndexError": "index", "KeyError": "index",
    "E0382": "memory", "E0499": "memory", "E0502": "memory", "E0505": "memory",
    "E0597": "memory", "E0106": "memory", "MemoryError": "memory",
    "ConnectionRefusedError": "network", "TimeoutError": "network",
    "PermissionError": "auth",
}
_BY_MESSAGE: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (category, re.compile(pattern, re.IGNORECASE)) for category, pattern in (
        ("syntax", r"syntax|unexpected (token|indent|eof)|expected ['‘`]?[;:)\]}]|"
                   r"unterminated|invalid syntax"),
        ("null", r"none ?type|\bnull\b|nil pointer|undefined is not|possibly ['‘`]?undefined|"
                 r"is possibly ['‘`]?null|optional"),
        ("import", r"no module named|cannot find module|unresolved import|could not be resolved|"
                   r"imported and not used|import cycle|circular import"),
        ("name", r"is not defined|undeclared|cannot find name|not declared in this scope|"
                 r"undefined: |unresolved (name|reference)"),
        ("index", r"index out of range|out of bounds|keyerror|no such key"),
        ("async", r"await|coroutine|event loop|promise|future|deadlock|goroutine|data race"),
        ("memory", r"borrow|lifetime|moved value|segmentation fault|use after free|"
                   r"double free|memory leak|dangling"),
        ("network", r"connection (refused|reset)|timed? ?out|econn|dns|socket|ssl|certificate"),
        ("database", r"\bsql|database|relation .* does not exist|deadlock detected|"
                     r"unique constraint|psycopg|sqlite"),
        ("auth", r"permission denied|unauthori[sz]ed|forbidden|access denied|\b401\b|\b403\b"),
        ("config", r"config|environment variable|\.env|settings|tsconfig|pyproject|cargo\.toml"),
        ("type", r"\btype\b|not assignable|incompatible|mismatched types|expected .* found"),
    ))
_LINTERS = ("ruff", "flake8", "pylint", "eslint", "clippy", "pycodestyle", "go vet", "vet")


def classify(subject: Subject) -> str:
    diag = subject.diagnostic
    if diag.code and diag.code in _BY_CODE:
        return _BY_CODE[diag.code]
    for category, pattern in _BY_MESSAGE:
        if pattern.search(diag.message):
            return category
    source = (diag.source or "").lower()
    if source in _LINTERS or source.startswith("clippy"):
        return "lint"
    return "other"
