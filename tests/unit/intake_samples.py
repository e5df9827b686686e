# ruff: noqa: E501  (the samples are verbatim tool output, long lines included)
"""Verbatim tool output used by test_intake_lines.py.

The samples are real output of the tools (paths moved under /home/dev/proj); go, clang,
lld and ld64 samples follow those tools' documented formats.
"""

from __future__ import annotations

from tests.unit.intake_support import Want

# --- one diagnostic per line, and multi-line reports ---------------------------------------

RUFF_CONCISE = """\
s.py:1:7: invalid-syntax: Expected a parameter or the end of the parameter list
s.py:1:8: invalid-syntax: Expected `)`, found newline
x.py:1:8: F401 [*] `os` imported but unused
x.py:8:9: B006 Do not use mutable data structures for argument defaults
x.py:9:12: F821 Undefined name `undefined_name`
Found 5 errors.
[*] 1 fixable with `--fix` (1 unsafe fix available with `--fix --unsafe-fixes`).
"""

RUFF_FULL = """\
F401 [*] `os` imported but unused
 --> x.py:1:8
  |
1 | import os
  |        ^^
help: Remove unused import: `os`
  |
  - import os
1 |
  |

B006 Do not use mutable data structures for argument defaults
 --> x.py:8:9
  |
8 | def g(x=[]):
  |         ^^
9 |     return undefined_name
  |
help: Replace with `None`; initialize within function
   |
7  |
   - def g(x=[]):
8  + def g(x=None):
9  +     if x is None:
10 +         x = []
11 |     return undefined_name
   |
note: This is an unsafe fix and may change runtime behavior

invalid-syntax: Expected a parameter or the end of the parameter list
 --> s.py:1:7
  |
1 | def f(:
  |       ^
2 |     pass
  |

Found 3 errors.
[*] 1 fixable with `--fix` (1 unsafe fix available with `--fix --unsafe-fixes`).
"""

RUFF_PYLINT_FORMAT = """\
x.py:1: [F401] `os` imported but unused
x.py:9: [F821] Undefined name `undefined_name`
"""

FLAKE8 = """\
x.py:1:1: F401 'os' imported but unused
x.py:5:80: E501 line too long (88 > 79 characters)
"""

PYLINT = """\
************* Module x
x.py:1:0: C0114: Missing module docstring (missing-module-docstring)
"""

MYPY = """\
n.py:6: note: Revealed type is "int"
n.py:7: error: Incompatible types in assignment (expression has type "int", variable has type "str")  [assignment]
x.py:5: error: Incompatible return value type (got "str", expected "int")  [return-value]
Found 2 errors in 2 files (checked 2 source files)
"""

MYPY_COLUMNS = """\
x.py:5:12:5:14: error: Incompatible return value type (got "str", expected "int")  [return-value]
x.py:9:5: warning: Returning Any from function declared to return "int"  [no-any-return]
Found 1 error in 1 file (checked 1 source file)
"""

PYRIGHT = (
    "/home/dev/proj/pr/x.py\n"
    '  /home/dev/proj/pr/x.py:5:12 - error: Type "Literal[\'a\']" is not assignable to return type "int"\n'
    '  \xa0\xa0"Literal[\'a\']" is not assignable to "int" (reportReturnType)\n'
    '  /home/dev/proj/pr/x.py:8:1 - error: "foo" is not defined (reportUndefinedVariable)\n'
    "  /home/dev/proj/pr/x.py:8:1 - warning: Expression value is unused (reportUnusedExpression)\n"
    "2 errors, 1 warning, 0 informations\n"
)

PYTHON_WARNING = """\
/home/dev/proj/w.py:8: DeprecationWarning: old() is deprecated; use new()
  old()
"""

GCC_C = r"""main.c: In function 'main':
main.c:7:5: error: 'x' undeclared (first use in this function)
    7 |     x = 1;
      |     ^
main.c:7:5: note: each undeclared identifier is reported only once for each function it appears in
main.c:8:14: warning: format '%d' expects argument of type 'int', but argument 2 has type 'char *' [-Wformat=]
    8 |     printf("%d\n", "s");
      |             ~^     ~~~
      |              |     |
      |              int   char *
      |             %s
main.c:6:9: warning: unused variable 'y' [-Wunused-variable]
    6 |     int y;
      |         ^
"""

GCC_WERROR = r"""main.c: In function 'main':
main.c:6:9: error: unused variable 'y' [-Werror=unused-variable]
    6 |     int y;
      |         ^
cc1: all warnings being treated as errors
"""

GXX = """\
o.cpp: In function 'int main()':
o.cpp:7:6: error: no matching function for call to 'f(int)'
    7 |     f(1);
      |     ~^~~
o.cpp:3:6: note: candidate: 'void f(const std::string&)'
    3 | void f(const std::string& s);
      |      ^
o.cpp:4:6: note:   candidate expects 2 arguments, 1 provided
"""

GCC_FATAL_UTF8 = """\
inc.c:1:10: fatal error: nope.h: No such file or directory
    1 | #include "nope.h"
      |          ^~~~~~~~
compilation terminated.
"""

CLANG = """\
main.c:7:5: error: use of undeclared identifier 'x'
    7 |     x = 1;
      |     ^
main.c:6:9: warning: unused variable 'y' [-Wunused-variable]
    6 |     int y;
      |         ^
1 warning and 1 error generated.
"""

LD = """\
/usr/bin/ld: /tmp/ccgYMf1T.o: in function `main':
link.c:(.text+0x5): undefined reference to `foo'
collect2: error: ld returned 1 exit status
"""

LD_DEBUG_INFO = """\
/usr/bin/ld: /tmp/ccGzAPKN.o: in function `main':
/home/dev/proj/link.c:2: undefined reference to `foo'
collect2: error: ld returned 1 exit status
"""

LD_MULTIPLE = (
    "/usr/bin/ld: /tmp/ccB2x9Qa.o:b.c:(.bss+0x0): multiple definition of `counter'; "
    "/tmp/ccA1k3Zs.o:a.c:(.bss+0x0): first defined here\n"
    "collect2: error: ld returned 1 exit status\n"
)

LD_ONE_LINE = "/usr/bin/ld: main.o: in function `main': main.c:(.text+0x1e): undefined reference to `foo'\n"

LLD = """\
ld.lld: error: undefined symbol: foo
>>> referenced by link.c:2
>>>               /tmp/link-5b1c2e.o:(main)
clang: error: linker command failed with exit code 1 (use -v to see invocation)
"""

LD64 = """\
Undefined symbols for architecture arm64:
  "_foo", referenced from:
      _main in link-5b1c2e.o
ld: symbol(s) not found for architecture arm64
clang: error: linker command failed with exit code 1 (use -v to see invocation)
"""

GO_BUILD = """\
# example.com/hello
./main.go:5:2: undefined: foo
./main.go:8:2: declared and not used: x
"""

GO_VET = """\
# example.com/hello
# [example.com/hello]
./main.go:10:2: fmt.Printf format %d has arg s of wrong type string
"""

GO_VET_TYPE_ERROR = """\
# example.com/hello
vet: ./main.go:5:2: undefined: foo
"""

RUST_SHORT = """\
   Compiling rs v0.1.0 (/home/dev/proj/rs)
src/main.rs:5:22: error[E0382]: borrow of moved value: `v`: value borrowed here after move
src/main.rs:2:9: warning: unused variable: `x`: help: if this is intentional, prefix it with an underscore: `_x`
warning: `rs` (bin "rs") generated 1 warning
error: could not compile `rs` (bin "rs") due to 1 previous error; 1 warning emitted
"""

RUST_LONG = """\
   Compiling rs v0.1.0 (/home/dev/proj/rs)
error[E0382]: borrow of moved value: `v`
 --> src/main.rs:5:22
  |
3 |     let v = vec![1, 2, 3];
  |         - move occurs because `v` has type `Vec<i32>`, which does not implement the `Copy` trait
4 |     let w = v;
  |             - value moved here
5 |     println!("{:?}", v);
  |                      ^ value borrowed here after move
  |
help: consider cloning the value if the performance cost is acceptable
  |
4 |     let w = v.clone();
  |              ++++++++

warning: unused variable: `x`
 --> src/main.rs:2:9
  |
2 |     let x = 5;
  |         ^ help: if this is intentional, prefix it with an underscore: `_x`
  |
  = note: `#[warn(unused_variables)]` (part of `#[warn(unused)]`) on by default

For more information about this error, try `rustc --explain E0382`.
warning: `rs` (bin "rs") generated 1 warning
error: could not compile `rs` (bin "rs") due to 1 previous error; 1 warning emitted
"""

CLIPPY = """\
    Checking rs v0.1.0 (/home/dev/proj/rs)
warning: unneeded `return` statement
 --> src/main.rs:2:5
  |
2 |     return a + b;
  |     ^^^^^^^^^^^^
  |
  = help: for further information visit https://rust-lang.github.io/rust-clippy/rust-1.95.0/index.html#needless_return
  = note: `#[warn(clippy::needless_return)]` on by default
help: remove `return`
  |
2 -     return a + b;
2 +     a + b
  |

warning: `rs` (bin "rs") generated 1 warning (run `cargo clippy --fix --bin "rs" -p rs -- ` to apply 1 suggestion)
"""

ESLINT_UNIX = """\
/home/dev/proj/app.js:1:7: 'x' is assigned a value but never used. [Error/no-unused-vars]
/home/dev/proj/app.js:3:7: Expected '===' and instead saw '=='. [Warning/eqeqeq]
/home/dev/proj/broken.js:1:7: Parsing error: Unexpected token = [Error]

3 problems
"""

ESLINT_COMPACT = """\
/home/dev/proj/app.js: line 1, col 7, Error - 'x' is assigned a value but never used. (no-unused-vars)
/home/dev/proj/app.js: line 3, col 7, Warning - Expected '===' and instead saw '=='. (eqeqeq)
/home/dev/proj/broken.js: line 1, col 7, Error - Parsing error: Unexpected token =

3 problems
"""

ESLINT_STYLISH = """\

/home/dev/proj/app.js
  1:7   error    'x' is assigned a value but never used  no-unused-vars
  3:7   warning  Expected '===' and instead saw '=='     eqeqeq

/home/dev/proj/broken.js
  1:7  error  Parsing error: Unexpected token =

\u2716 3 problems (2 errors, 1 warning)

"""

TSC = """\
src/app.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.
src/chain.ts(4,3): error TS2345: Argument of type '(n: number) => void' is not assignable to parameter of type '(s: string) => void'.
  Types of parameters 'n' and 's' are incompatible.
    Type 'string' is not assignable to type 'number'.
"""

TSC_PRETTY_COLOURED = (
    "\x1b[96msrc/app.ts\x1b[0m:\x1b[93m3\x1b[0m:\x1b[93m7\x1b[0m - \x1b[91merror\x1b[0m"
    "\x1b[90m TS2322: \x1b[0mType 'string' is not assignable to type 'number'.\n"
    "\n"
    "\x1b[7m3\x1b[0m const x: number = \"a\";\n"
    "\x1b[7m \x1b[0m \x1b[91m      ~\x1b[0m\n"
    "\n"
    "  \x1b[96msrc/app.ts\x1b[0m:\x1b[93m1\x1b[0m:\x1b[93m28\x1b[0m\n"
    "    \x1b[7m1\x1b[0m interface Foo { a: string; b: number }\n"
    "    'b' is declared here.\n"
    "\n"
    "\n"
    "Found 1 error in src/app.ts\x1b[90m:3\x1b[0m\n"
)

TSC_NO_PATH = "error TS5057: Cannot find a tsconfig.json file at the specified directory: '.'.\n"

RUFF_F401 = Want("x.py", 0, 7, "ruff", "F401", "`os` imported but unused", "python", 2)
RUFF_B006 = Want("x.py", 7, 8, "ruff", "B006",
                 "Do not use mutable data structures for argument defaults", "python", 2)
RUFF_F821 = Want("x.py", 8, 11, "ruff", "F821", "Undefined name `undefined_name`", "python", 2)
SYNTAX_PARAM = "Expected a parameter or the end of the parameter list"
MYPY_RETURN = 'Incompatible return value type (got "str", expected "int")'
ESLINT_X = "'x' is assigned a value but never used"
ESLINT_EQ = "Expected '===' and instead saw '=='"
PARSING = "Parsing error: Unexpected token ="
APP_JS, BROKEN_JS = "/home/dev/proj/app.js", "/home/dev/proj/broken.js"
TS2322 = "Type 'string' is not assignable to type 'number'."
UNDEFINED_FOO = "undefined reference to `foo'"
