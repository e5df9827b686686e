"""The error category of a diagnostic from its source and code (the message then refines it);
the same for a linter's or scanner's finding, and for a missing, unknown or versioned source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dexter_ls.core.subject import Diagnostic, Position, Range, Subject
from dexter_ls.explain.category.classify import classify

PACKAGE = Path(__file__).resolve().parents[2] / "dexter_ls"


def subject(message: str, source: str | None = None, code: str | None = None) -> Subject:
    diagnostic = Diagnostic(message, Range(Position(0, 0), Position(0, 1)), code=code,
                            source=source)
    return Subject(diagnostic, path="x")


# (source, code, message as the tool prints it, category)
WITH_CODE: list[tuple[str, str, str, str]] = [
    # Python runtime exceptions (tracebacks give the exception class as the code)
    ("python", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", "syntax"),
    ("python", "IndentationError", "unindent does not match any outer indentation level",
     "syntax"),
    ("python", "TabError", "inconsistent use of tabs and spaces in indentation", "syntax"),
    ("python", "SyntaxError", "'await' outside async function", "async"),
    ("python", "TypeError", "unsupported operand type(s) for +: 'int' and 'str'", "type"),
    ("python", "TypeError", "'NoneType' object is not subscriptable", "null"),
    ("python", "TypeError", "'coroutine' object is not subscriptable", "async"),
    ("python", "AttributeError", "'str' object has no attribute 'append'", "type"),
    ("python", "AttributeError", "'NoneType' object has no attribute 'group'", "null"),
    ("python", "AttributeError",
     "partially initialized module 'pandas' has no attribute 'DataFrame' (most likely due to a "
     "circular import)", "import"),
    ("python", "NameError", "name 'pritn' is not defined", "name"),
    ("python", "UnboundLocalError",
     "cannot access local variable 'x' where it is not associated with a value", "name"),
    ("python", "ModuleNotFoundError", "No module named 'requests'", "import"),
    ("python", "ImportError",
     "cannot import name 'Mapping' from 'collections' (/usr/lib/python3.11/collections/"
     "__init__.py)", "import"),
    ("python", "KeyError", "'user_id'", "index"),
    ("python", "IndexError", "list index out of range", "index"),
    ("python", "MemoryError", "Unable to allocate 7.45 GiB for an array with shape "
     "(1000000000,) and data type float64", "memory"),
    ("python", "ConnectionRefusedError", "[Errno 111] Connection refused", "network"),
    ("python", "TimeoutError", "timed out", "network"),
    ("python", "ConnectionError",
     "HTTPSConnectionPool(host='api.example.com', port=443): Max retries exceeded with url: "
     "/v1/items", "network"),
    ("python", "OperationalError", "no such table: users", "database"),
    ("python", "IntegrityError", "UNIQUE constraint failed: users.email", "database"),
    ("python", "psycopg2.errors.UniqueViolation",
     'duplicate key value violates unique constraint "users_email_key"', "database"),
    ("python", "AuthenticationError",
     "Error code: 401 - {'error': {'message': 'Incorrect API key provided: sk-abc'}}", "auth"),
    ("python", "ImproperlyConfigured", "The SECRET_KEY setting must not be empty.", "config"),
    ("python", "DeprecationWarning",
     "datetime.datetime.utcnow() is deprecated and scheduled for removal in a future version.",
     "deprecation"),
    ("python", "RemovedInDjango60Warning",
     "The FORMS_URLFIELD_ASSUME_HTTPS transitional setting is deprecated.", "deprecation"),
    ("python", "CancelledError", "", "async"),
    # ruff / flake8 / pycodestyle / bandit
    ("ruff", "F401", "`os` imported but unused", "lint"),
    ("flake8", "F401", "'os' imported but unused", "lint"),
    ("ruff", "F821", "Undefined name `undefined_name`", "name"),
    ("flake8", "E501", "line too long (108 > 79 characters)", "lint"),
    ("ruff", "E711", "Comparison to `None` should be `cond is None`", "lint"),
    ("flake8", "E999", "IndentationError: unexpected indent", "syntax"),
    ("ruff", "invalid-syntax", "Expected an indented block after `if` statement", "syntax"),
    ("ruff", "S608",
     "Possible SQL injection vector through string-based query construction", "security"),
    ("ruff", "S101", "Use of `assert` detected", "security"),
    ("bandit", "B602", "subprocess call with shell=True identified, security issue.",
     "security"),
    ("ruff", "UP006", "Use `list` instead of `List` for type annotation", "deprecation"),
    ("ruff", "UP035", "`typing.List` is deprecated, use `list` instead", "deprecation"),
    ("ruff", "ASYNC230", "Async functions should not open files with blocking methods like "
     "`open`", "async"),
    ("ruff", "B006", "Do not use mutable data structures for argument defaults", "lint"),
    ("ruff", "PLR0913", "Too many arguments in function definition (6 > 5)", "lint"),
    ("pylint", "E0602", "Undefined variable 'foo'", "name"),
    ("pylint", "W4902", "Using deprecated method warn()", "deprecation"),
    # mypy
    ("mypy", "arg-type", 'Argument 1 to "f" has incompatible type "str"; expected "int"', "type"),
    ("mypy", "arg-type",
     'Argument 1 to "greet" has incompatible type "str | None"; expected "str"', "null"),
    ("mypy", "union-attr", 'Item "None" of "Foo | None" has no attribute "x"', "null"),
    ("mypy", "assignment",
     'Incompatible types in assignment (expression has type "str", variable has type "int")',
     "type"),
    ("mypy", "name-defined", 'Name "undefined_name" is not defined', "name"),
    ("mypy", "import-not-found",
     'Cannot find implementation or library stub for module named "yaml"', "import"),
    ("mypy", "unused-coroutine", 'Value of type "Coroutine[Any, Any, None]" must be used',
     "async"),
    ("mypy", "no-untyped-def", "Function is missing a return type annotation", "lint"),
    ("mypy", "deprecated", "function pkg.old is deprecated: use pkg.new", "deprecation"),
    ("dmypy", "return", "Missing return statement", "type"),
    # pyright / Pylance
    ("Pylance", "reportUndefinedVariable", '"undefined_thing" is not defined', "name"),
    ("pyright", "reportOptionalMemberAccess", '"group" is not a known attribute of "None"',
     "null"),
    ("pyright", "reportArgumentType",
     'Argument of type "Literal[\'s\']" cannot be assigned to parameter "a" of type "int" in '
     'function "f"', "type"),
    ("pyright", "reportArgumentType",
     'Argument of type "str | None" cannot be assigned to parameter "name" of type "str" in '
     'function "greet"', "null"),
    ("pyright", "reportMissingImports", 'Import "nonexistent_mod" could not be resolved',
     "import"),
    ("Pylance", "reportAttributeAccessIssue", '"nonexistname" is unknown import symbol',
     "import"),
    ("pyright", "reportPossiblyUnbound", '"v" is possibly unbound', "name"),
    ("basedpyright", "reportUnusedImport", 'Import "os" is not accessed', "lint"),
    ("pyright", "reportDeprecated", 'The function "utcnow" is deprecated', "deprecation"),
    ("Pylance", "reportUnusedCoroutine",
     'Result of async function call is not used; use "await" or assign result to variable',
     "async"),
    ("pyright", "reportGeneralTypeIssues",
     "Index 5 is out of range for type tuple[Literal[1], Literal[2]]", "index"),
    # TypeScript
    ("ts", "TS2322", "Type 'string' is not assignable to type 'number'.", "type"),
    ("typescript", "TS2322", "Type 'null' is not assignable to type 'string'.", "null"),
    ("ts", "TS2345",
     "Argument of type 'string | undefined' is not assignable to parameter of type 'string'.\n"
     "  Type 'undefined' is not assignable to type 'string'.", "null"),
    ("ts", "TS2322", "Type 'Promise<string>' is not assignable to type 'string'.", "async"),
    ("ts", "TS2339", "Property 'then' does not exist on type 'Promise<User>'.", "async"),
    ("ts", "TS2339", "Property 'foo' does not exist on type 'Bar'.", "type"),
    ("ts", "2304", "Cannot find name 'foo'.", "name"),
    ("ts", "TS2307", "Cannot find module 'react' or its corresponding type declarations.",
     "import"),
    ("typescript", "TS2532", "Object is possibly 'undefined'.", "null"),
    ("ts", "TS18047", "'el' is possibly 'null'.", "null"),
    ("ts", "TS1005", "';' expected.", "syntax"),
    ("ts", "TS1308",
     "'await' expressions are only allowed within async functions and at the top levels of "
     "modules.", "async"),
    ("ts", "TS6133", "'foo' is declared but its value is never read.", "lint"),
    ("ts", "TS6385", "'substr' is deprecated.", "deprecation"),
    ("ts", "TS2583",
     "Cannot find name 'Map'. Do you need to change your target library? Try changing the "
     "'lib' compiler option to 'es2015' or later.", "config"),
    ("ts", "TS2493", "Tuple type '[string]' of length '1' has no element at index '1'.",
     "index"),
    # ESLint
    ("eslint", "no-undef", "'process' is not defined.", "name"),
    ("eslint", "no-unused-vars", "'x' is assigned a value but never used.", "lint"),
    ("eslint", "semi", "Missing semicolon.", "lint"),
    ("eslint", "eqeqeq", "Expected '===' and instead saw '=='.", "lint"),
    ("eslint", "import/order", "`lodash` import should occur before import of `./nope`", "lint"),
    ("eslint", "import/no-unresolved", "Unable to resolve path to module './nope'.", "import"),
    ("eslint", "@typescript-eslint/no-floating-promises",
     "Promises must be awaited, end with a call to .catch, or end with a call to .then with a "
     "rejection handler.", "async"),
    ("eslint", "no-unsafe-optional-chaining",
     "Unsafe usage of optional chaining. If it short-circuits with 'undefined' the evaluation "
     "will throw TypeError.", "null"),
    ("eslint", "security/detect-object-injection", "Generic Object Injection Sink", "security"),
    ("eslint", "no-eval", "eval can be harmful.", "security"),
    ("eslint", "n/no-deprecated-api",
     "'new Buffer()' was deprecated since v6.0.0. Use 'Buffer.alloc()' or 'Buffer.from()' "
     "instead.", "deprecation"),
    ("eslint", "@typescript-eslint/no-deprecated", "`substr` is deprecated.", "deprecation"),
    ("eslint", "react-hooks/exhaustive-deps",
     "React Hook useEffect has a missing dependency: 'count'. Either include it or remove the "
     "dependency array.", "lint"),
    # Node.js runtime
    ("node", "ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432", "network"),
    ("node", "ERR_MODULE_NOT_FOUND",
     "Cannot find package 'express' imported from /app/index.js", "import"),
    ("node", "DEP0005", "Buffer() is deprecated due to security and usability issues.",
     "deprecation"),
    # Rust (rustc, rust-analyzer, clippy)
    ("rustc", "E0382", "borrow of moved value: `v`", "memory"),
    ("rustc", "E0499", "cannot borrow `x` as mutable more than once at a time", "memory"),
    ("rust-analyzer", "E0597", "borrowed value does not live long enough", "memory"),
    ("rustc", "E0106", "missing lifetime specifier", "memory"),
    ("rustc", "E0308", "mismatched types", "type"),
    ("rustc", "E0277", "the trait bound `Point: Clone` is not satisfied", "type"),
    ("rustc", "E0277", "`Rc<i32>` cannot be sent between threads safely", "async"),
    ("rustc", "E0425", "cannot find value `y` in this scope", "name"),
    ("rustc", "E0432", "unresolved import `std::collections::HashMapp`", "import"),
    ("rustc", "E0728", "`await` is only allowed inside `async` functions and blocks", "async"),
    ("rustc", "unused_variables", "unused variable: `x`", "lint"),
    ("rust-analyzer", "unused_imports", "unused imports: `HashMap` and `HashSet`", "lint"),
    ("rustc", "dead_code", "function `unused_fn` is never used", "lint"),
    ("rustc", "deprecated", "use of deprecated function `old::api`: use `new::api`",
     "deprecation"),
    ("rustc", "unused_must_use", "unused implementer of `Future` that must be used", "async"),
    ("clippy", "clippy::needless_return", "unneeded `return` statement", "lint"),
    ("clippy", "clippy::unwrap_used", "used `unwrap()` on an `Option` value", "lint"),
    # Go (compiler through gopls, go vet, staticcheck, gosec)
    ("compiler", "UndeclaredName", "undefined: foo", "name"),
    ("compiler", "IncompatibleAssign",
     "cannot use x (variable of type int) as string value in assignment", "type"),
    ("compiler", "UnusedImport", '"os" imported and not used', "lint"),
    ("compiler", "UnusedVar", "declared and not used: x", "lint"),
    ("compiler", "BrokenImport",
     'could not import github.com/foo/bar (no required module provides package '
     '"github.com/foo/bar")', "import"),
    ("go vet", "printf", "fmt.Printf format %d has arg s of wrong type string", "lint"),
    ("go vet", "nilness", "nil dereference in field selection", "null"),
    ("go vet", "copylocks", "func passes lock by value: sync.Mutex", "async"),
    ("staticcheck", "SA1019",
     "strings.Title has been deprecated since Go 1.18 and an alternative has been available "
     "since Go 1.0", "deprecation"),
    ("gosec", "G101", "Potential hardcoded credentials", "security"),
    # C and C++ (gcc, clang, clangd, clang-tidy)
    ("gcc", "-Wunused-variable", "unused variable ‘unused’", "lint"),
    ("gcc", "-Wdeprecated-declarations", "‘old’ is deprecated: use bar", "deprecation"),
    ("clang", "-Wdeprecated-declarations",
     "'sprintf' is deprecated: This function is provided for compatibility reasons only.",
     "deprecation"),
    ("gcc", "-Wformat-security", "format not a string literal and no format arguments",
     "security"),
    ("gcc", "-Werror=format-security", "format not a string literal and no format arguments",
     "security"),
    ("gcc", "-Wuse-after-free", "pointer ‘p’ used after ‘free’", "memory"),
    ("g++", "-Wreturn-local-addr", "reference to local variable ‘s’ returned", "memory"),
    ("gcc", "-Wnull-dereference", "null pointer dereference", "null"),
    ("gcc", "-Warray-bounds", "array subscript 10 is above array bounds of ‘int[10]’", "index"),
    ("gcc", "-Wincompatible-pointer-types",
     "initialization of ‘int *’ from incompatible pointer type ‘char *’", "type"),
    ("clang", "-Wimplicit-function-declaration",
     "call to undeclared function 'foo'; ISO C99 and later do not support implicit function "
     "declarations", "name"),
    ("clangd", "undeclared_var_use", "use of undeclared identifier 'undeclared_x'", "name"),
    ("clang", "no_member", "no member named 'c' in 'struct S'", "type"),
    ("clang", "no_member", "no member named 'cout' in namespace 'std'", "name"),
    ("clangd", "pp_file_not_found", "'openssl/ssl.h' file not found", "import"),
    ("clang", "expected_semi_after_expr", "expected ';' after expression", "syntax"),
    ("clang-tidy", "bugprone-use-after-move", "'v' used after it was moved", "memory"),
    ("clang-tidy", "clang-analyzer-security.insecureAPI.strcpy",
     "Call to function 'strcpy' is insecure as it does not provide bounding of the memory "
     "buffer.", "security"),
    ("clang-tidy", "readability-braces-around-statements", "statement should be inside braces",
     "lint"),
    ("AddressSanitizer", "", "heap-use-after-free on address 0x602000000010 at pc 0x55d4c1",
     "memory"),
    ("cppcheck", "nullPointer", "Null pointer dereference: p", "null"),
    ("cppcheck", "memleak", "Memory leak: buffer", "memory"),
]

# The code decides even when the message would say otherwise.
CODE_WINS_OVER_MESSAGE: list[tuple[str, str, str, str]] = [
    ("ruff", "F401", "`typing.Optional` imported but unused", "lint"),  # not import, not null
    ("eslint", "import/order", "There should be at least one empty line between import groups",
     "lint"),
    ("ts", "TS2749", "'config' refers to a value, but is being used as a type here.", "type"),
    ("rustc", "E0433", "failed to resolve: use of undeclared type `HashMap`", "import"),
    ("python", "KeyError", "'DATABASE_URL'", "index"),
]

# A linter's or scanner's finding that no table names: lint, unless the message says more.
LINTERS_AND_SCANNERS: list[tuple[str, str | None, str, str]] = [
    ("ruff", "PLW0603", "Using the global statement to update `x` is discouraged", "lint"),
    ("eslint", "some-plugin/some-rule", "the frobnicator is misaligned", "lint"),
    ("eslint", None, "the frobnicator is misaligned", "lint"),
    ("clippy", None, "the frobnicator is misaligned", "lint"),
    ("go vet", None, "loop variable v captured by func literal", "lint"),
    ("eslint", "vue/no-deprecated-slot-attribute", "`slot` attributes are deprecated.",
     "deprecation"),
    ("golangci-lint", "staticcheck", "SA1019: ioutil.ReadFile has been deprecated since Go 1.16",
     "deprecation"),
    ("eslint", None, "Parsing error: Unexpected token )", "syntax"),
    ("bandit", "B999", "a finding of a future bandit plugin", "security"),
    ("nilness", None, "impossible condition: nil != nil", "null"),  # gopls: analyzer as source
]

# A source that is missing, unknown or carries a version: codes that cannot be mistaken.
MISSING_UNKNOWN_OR_VERSIONED_SOURCES: list[tuple[str | None, str, str, str]] = [
    (None, "TS2304", "Cannot find name 'foo'.", "name"),
    (None, "E0382", "the frobnicator is misaligned", "memory"),
    (None, "reportOptionalSubscript", 'Object of type "None" is not subscriptable', "null"),
    (None, "-Wformat-security", "the frobnicator is misaligned", "security"),
    (None, "GHSA-jfh8-c2jp-5v3q", "Log4Shell in log4j-core", "security"),
    ("some-wrapper", "ModuleNotFoundError", "No module named 'numpy'", "import"),
    ("gcc-13", "-Wunused-parameter", "unused parameter ‘argv’", "lint"),
    ("python3.12", "TypeError", "'NoneType' object is not iterable", "null"),
]


@pytest.mark.parametrize("source, code, message, expected", [
    *WITH_CODE, *CODE_WINS_OVER_MESSAGE, *LINTERS_AND_SCANNERS,
    *MISSING_UNKNOWN_OR_VERSIONED_SOURCES,
])
def test_source_and_code(source: str | None, code: str | None, message: str,
                         expected: str) -> None:
    assert classify(subject(message, source, code or None)) == expected


def test_every_tool_with_codes_has_a_case_above() -> None:
    """A tool added to the classifier's tables without a case here fails this test."""
    from dexter_ls.explain.category.tools import _TOOLS

    rows = [*WITH_CODE, *CODE_WINS_OVER_MESSAGE, *LINTERS_AND_SCANNERS]
    tested = {id(_TOOLS[source.lower()]) for source, _, _, _ in rows
              if source and source.lower() in _TOOLS}
    untested: dict[int, str] = {}
    for name, tool in _TOOLS.items():
        if tool.codes and id(tool) not in tested:
            untested.setdefault(id(tool), name)
    assert sorted(untested.values()) == []


def _catalog_examples() -> list[tuple[str | None, str | None, str]]:
    examples = []
    for path in sorted((PACKAGE / "providers" / "builtin" / "catalog").glob("*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8")):
            for example in entry["examples"]:
                examples.append((example.get("source"), example.get("code"), example["message"]))
    return examples


def test_catalog_examples_mostly_get_a_specific_category() -> None:
    coded = [(s, c, m) for s, c, m in _catalog_examples() if c]
    assert len(coded) > 300
    specific = sum(classify(subject(m, s, c)) != "other" for s, c, m in coded)
    assert specific / len(coded) >= 0.85
