"""Code tables of the JavaScript and TypeScript tools for error categories (see
classify.py): the runtimes' error classes and Node's codes, tsc and ESLint."""

from __future__ import annotations

from dexter_ls.core.tool_families import normalize_code
from dexter_ls.explain.category.lazy import lazy
from dexter_ls.explain.category.patterns import _table, _words
from dexter_ls.explain.category.tool import _Tool

_ERRNO = _table(
    network=_words("ECONNREFUSED ECONNRESET ECONNABORTED ETIMEDOUT ENOTFOUND EAI_AGAIN "
                   "EHOSTUNREACH ENETUNREACH EADDRINUSE EADDRNOTAVAIL"),
    auth=_words("EACCES EPERM"),
    memory=_words("ENOMEM"),
)

# JavaScript runtimes: error classes and Node's error codes.
_JS = _Tool(
    _table(
        name=_words("ReferenceError"), syntax=_words("SyntaxError"),
        type=_words("TypeError ERR_INVALID_ARG_TYPE"),
        import_=_words("MODULE_NOT_FOUND ERR_MODULE_NOT_FOUND ERR_PACKAGE_PATH_NOT_EXPORTED "
                       "ERR_REQUIRE_ESM"),
        async_=_words("UnhandledPromiseRejection ERR_UNHANDLED_REJECTION"),
        network=_words("ERR_TLS_CERT_ALTNAME_INVALID DEPTH_ZERO_SELF_SIGNED_CERT "
                       "SELF_SIGNED_CERT_IN_CHAIN UNABLE_TO_VERIFY_LEAF_SIGNATURE "
                       "CERT_HAS_EXPIRED UND_ERR_CONNECT_TIMEOUT"),
        config=_words("ERR_UNKNOWN_FILE_EXTENSION"),
    ) | _ERRNO,
    patterns=(("deprecation", lazy(r"^DEP\d{4}$")),),
)

_TS = _Tool(_table(
    syntax=_words(
        "TS1002 TS1003 TS1005 TS1009 TS1010 TS1011 TS1014 TS1068 TS1109 TS1110 TS1126 TS1127 "
        "TS1128 TS1131 TS1134 TS1135 TS1136 TS1138 TS1141 TS1160 TS1161 TS1381 TS1382 TS1434 "
        "TS17002 TS17008 TS1108 TS1104 TS1105"),
    type=_words(
        "TS2322 TS2345 TS2339 TS2551 TS2741 TS2739 TS2740 TS2353 TS2561 TS2559 TS2349 TS2351 "
        "TS2365 TS2362 TS2363 TS2367 TS2352 TS2355 TS2366 TS2403 TS2416 TS2420 TS2415 TS2344 "
        "TS2314 TS2589 TS2698 TS2538 TS7006 TS7031 TS7034 TS7005 TS7053 TS2683 TS7026 TS2769 "
        "TS2554 TS2555 TS2556 TS2693 TS2749 TS2515 TS2654 TS2511 TS2488 TS2571 TS18046 "
        "TS2790 TS2540 TS2564 TS2411 TS2786 TS2604 TS2607 TS7030 TS2774 TS2684 TS2576 TS2548 "
        "TS2549 TS2461 TS2820 TS2783"),
    name=_words("TS2304 TS2552 TS2580 TS2582 TS2591 TS2592 TS2593 TS2503 TS2448 TS2454 "
                "TS18004 TS2662 TS2663"),
    import_=_words("TS2307 TS2305 TS2724 TS2614 TS1192 TS1259 TS2306 TS2835 TS5097 TS1484 "
                   "TS7016 TS2792 TS2732 TS2688 TS1479 TS2497"),
    null=_words("TS2531 TS2532 TS2533 TS18047 TS18048 TS18049 TS18050 TS2721 TS2722 TS2723"),
    index=_words("TS2493"),
    async_=_words("TS1308 TS1375 TS1064 TS2801 TS2794 TS1103"),
    lint=_words("TS6133 TS6138 TS6192 TS6196 TS6198 TS6199 TS6205 TS7027 TS7028 TS7029 "
                "TS4114 TS80001 TS80002 TS80004 TS80005 TS80006 TS80007"),
    deprecation=_words("TS6385 TS6387 TS5101 TS5107 TS5108"),
    config=_words("TS17004 TS2583 TS2584 TS2550 TS2318 TS1378 TS5023 TS5024 TS5025 TS5053 "
                  "TS5069 TS5070 TS5083 TS5110 TS6046 TS6059 TS6307 TS18003 TS1219 TS1343 TS1432"),
), normalize=lambda code: (normalize_code("typescript", code),))

_ESLINT = _Tool(
    _table(
        name=_words("no-undef no-use-before-define @typescript-eslint/no-use-before-define "
                    "react/jsx-no-undef"),
        null=_words("no-unsafe-optional-chaining"),
        security=_words("no-eval no-implied-eval no-new-func no-script-url "
                        "@typescript-eslint/no-implied-eval react/no-danger "
                        "react/jsx-no-target-blank react/jsx-no-script-url"),
        import_=_words("n/no-missing-import n/no-missing-require node/no-missing-import "
                       "node/no-missing-require n/no-extraneous-import n/no-extraneous-require"),
        async_=_words(
            "no-async-promise-executor no-await-in-loop require-await no-return-await "
            "no-promise-executor-return require-atomic-updates prefer-promise-reject-errors "
            "@typescript-eslint/no-floating-promises @typescript-eslint/no-misused-promises "
            "@typescript-eslint/await-thenable @typescript-eslint/require-await "
            "@typescript-eslint/return-await @typescript-eslint/promise-function-async"),
    ),
    patterns=(
        ("deprecation", lazy(r"deprecat")),
        ("security", lazy(
            r"^(?:security|security-node|no-unsanitized|xss|@microsoft/sdl|scanjs-rules"
            r"|no-secrets)/")),
        ("import", lazy(
            r"^import(?:-x)?/(?:no-unresolved|named|default|namespace|no-cycle"
            r"|no-extraneous-dependencies|no-self-import)$")),
        ("async", lazy(r"^promise/")),
    ),
    owns=lazy(r"."), default="lint", fallback="lint",
)
