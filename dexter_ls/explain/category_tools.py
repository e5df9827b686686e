"""Per-tool code tables for error categories (see category.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from dexter_ls.explain.category_patterns import (
    _Rules,
    _table,
    _words,
)


def _as_is(code: str) -> tuple[str, ...]:
    return (code,)


@dataclass(frozen=True)
class _Tool:
    codes: Mapping[str, str]
    patterns: _Rules = ()  # (category, pattern) tried on a code the table does not hold
    owns: re.Pattern[str] | None = None  # the shape of this tool's own rule codes ...
    default: str | None = None  # ... and their category when no table names it
    fallback: str | None = None  # the category of its findings that nothing else explains
    code_from_source: bool = False  # the source is the code (gopls names analyzers so)
    normalize: Callable[[str], tuple[str, ...]] = _as_is

    def lookup(self, code: str) -> str | None:
        for candidate in self.normalize(code):
            if candidate in self.codes:
                return self.codes[candidate]
            for category, pattern in self.patterns:
                if pattern.search(candidate):
                    return category
        return None

    def owns_code(self, code: str) -> bool:
        return self.owns is not None and self.owns.search(code) is not None


_ERRNO = _table(
    network=_words("ECONNREFUSED ECONNRESET ECONNABORTED ETIMEDOUT ENOTFOUND EAI_AGAIN "
                   "EHOSTUNREACH ENETUNREACH EADDRINUSE EADDRNOTAVAIL"),
    auth=_words("EACCES EPERM"),
    memory=_words("ENOMEM"),
)

# Python exception classes (tracebacks give the class name as the code).
_PYTHON_CODES = _table(
    syntax=_words("SyntaxError IndentationError TabError"),
    type=_words("TypeError AttributeError"),
    name=_words("NameError UnboundLocalError"),
    import_=_words("ImportError ModuleNotFoundError ZipImportError"),
    index=_words("IndexError KeyError"),
    memory=_words("MemoryError"),
    async_=_words("CancelledError InvalidStateError"),
    network=_words(
        "ConnectionError ConnectionRefusedError ConnectionResetError ConnectionAbortedError "
        "TimeoutError gaierror herror SSLError SSLCertVerificationError CertificateError "
        "URLError RemoteDisconnected ConnectTimeout ReadTimeout ConnectTimeoutError "
        "ReadTimeoutError NewConnectionError MaxRetryError ProxyError TooManyRedirects "
        "ChunkedEncodingError ConnectError RemoteProtocolError ClientConnectorError "
        "ClientConnectionError ClientConnectorCertificateError ServerDisconnectedError "
        "ServerTimeoutError ClientOSError ConnectionClosed ConnectionClosedError"),
    database=_words(
        "OperationalError IntegrityError ProgrammingError DatabaseError InterfaceError DataError "
        "UniqueViolation ForeignKeyViolation NotNullViolation CheckViolation UndefinedTable "
        "UndefinedColumn DeadlockDetected SerializationFailure InFailedSqlTransaction "
        "DuplicateTable LockNotAvailable NoResultFound MultipleResultsFound PendingRollbackError "
        "DetachedInstanceError DoesNotExist ObjectDoesNotExist MultipleObjectsReturned "
        "FieldDoesNotExist TransactionManagementError ServerSelectionTimeoutError "
        "DuplicateKeyError BulkWriteError UniqueViolationError UndefinedTableError "
        "PostgresConnectionError"),
    auth=_words(
        "AuthenticationError AuthenticationFailed NotAuthenticated PermissionDenied "
        "InvalidTokenError ExpiredSignatureError NoCredentialsError PartialCredentialsError "
        "DefaultCredentialsError RefreshError Unauthorized Forbidden SMTPAuthenticationError "
        "MissingTokenError"),
    config=_words("ImproperlyConfigured UndefinedValueError NoSectionError NoOptionError "
                  "MissingSectionHeaderError EnvError"),
    deprecation=_words("DeprecationWarning PendingDeprecationWarning FutureWarning"),
    lint=_words("SyntaxWarning"),
)


def _python_names(code: str) -> tuple[str, ...]:
    """'psycopg2.errors.UniqueViolation' is tried whole (for its module), then by its class."""
    return (code, code.rsplit(".", 1)[-1]) if "." in code else (code,)


_WARNING_CLASS = re.compile(r"^\w*(?:Deprecation|RemovedIn\w*|MovedIn\w*)Warning$")

_PYTHON = _Tool(
    _PYTHON_CODES,
    patterns=(
        ("deprecation", _WARNING_CLASS),
        ("database", re.compile(
            r"^(?:psycopg2?|asyncpg|sqlite3|pymysql|MySQLdb|mysql\.connector|sqlalchemy"
            r"|django\.db|pymongo|peewee|cx_Oracle|oracledb|pyodbc|duckdb|aiosqlite|aiomysql"
            r"|aiopg|motor)\.")),
    ),
    normalize=_python_names,
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
    patterns=(("deprecation", re.compile(r"^DEP\d{4}$")),),
)

# ruff, flake8, pyflakes, pycodestyle and the plugins ruff re-implements.
_FLAKE8 = _Tool(
    _table(
        syntax=_words("E999 F404 F406 F407 F621 F622 F701 F702 F704 F706 F707 F722"),
        name=_words("F821 F822 F823"),
        deprecation=_words("W601 W602 W603 W604 W606 NPY001 NPY003 NPY201"),
        async_=_words("PLE1142 PLE1700 RUF006 RUF029"),
        lint=_words("F401 F811 F841 E501 W605"),
        other=_words("E902"),
    ) | {"invalid-syntax": "syntax", "syntax-error": "syntax"},
    patterns=(
        ("security", re.compile(r"^S\d{3}$")),
        ("deprecation", re.compile(r"^(?:UP|DEP)\d{3,4}$")),
        ("async", re.compile(r"^(?:ASYNC|TRIO)\d{3}$")),
    ),
    owns=re.compile(r"^[A-Z]{1,6}\d{1,4}$"), default="lint", fallback="lint",
    normalize=lambda code: (code.upper() if re.fullmatch(r"[A-Za-z]+\d+", code) else code,),
)

_PYLINT = _Tool(
    _table(
        syntax=_words("E0001 syntax-error E0103 not-in-loop E0104 return-outside-function "
                      "E0105 yield-outside-function E0108 duplicate-argument-name"),
        name=_words("E0601 used-before-assignment E0602 undefined-variable "
                    "E0603 undefined-all-variable E0606 possibly-used-before-assignment "
                    "W0631 undefined-loop-variable"),
        import_=_words("E0401 import-error E0402 relative-beyond-top-level E0611 "
                       "no-name-in-module R0401 cyclic-import W0406 import-self"),
        type=_words("E1101 no-member E1102 not-callable E1120 no-value-for-parameter "
                    "E1121 too-many-function-args E1123 unexpected-keyword-arg "
                    "E1125 missing-kwoa E1126 invalid-sequence-index "
                    "E1130 invalid-unary-operand-type E1131 unsupported-binary-operation "
                    "E1133 not-an-iterable E1134 not-a-mapping E1135 unsupported-membership-test "
                    "E1136 unsubscriptable-object E1137 unsupported-assignment-operation"),
        async_=_words("E1142 await-outside-async E1700 yield-inside-async-function "
                      "E1701 not-async-context-manager"),
        security=_words("W0122 exec-used W0123 eval-used"),
        deprecation=_words("W0402 deprecated-module W1505 deprecated-method "
                           "W1511 deprecated-argument W1512 deprecated-class "
                           "W1513 deprecated-decorator W4901 W4902 W4903 W4904 W4905 W4906 "
                           "deprecated-attribute"),
        config=_words("E0011 unrecognized-inline-option E0015 unrecognized-option"),
    ),
    owns=re.compile(r"^(?:[CRWEFI]\d{4}|[a-z][a-z0-9-]+)$"), default="lint", fallback="lint",
    normalize=lambda code: tuple(part for part in re.split(r"[\s:()]+", code) if part),
)

_MYPY = _Tool(_table(
    syntax=_words("syntax"),
    name=_words("name-defined used-before-def possibly-undefined"),
    import_=_words("import import-not-found import-untyped"),
    async_=_words("unused-coroutine unused-awaitable await-not-async top-level-await"),
    type=_words(
        "attr-defined union-attr arg-type call-arg call-overload return-value return assignment "
        "method-assign index operator valid-type var-annotated override has-type type-arg "
        "list-item dict-item typeddict-item typeddict-unknown-key func-returns-value abstract "
        "type-abstract valid-newtype type-var empty-body comparison-overlap no-any-return "
        "no-any-unimported str-format str-bytes-safe exit-return literal-required safe-super "
        "assert-type name-match no-overload-impl overload-overlap overload-cannot-match "
        "mutable-override prop-decorator untyped-decorator"),
    lint=_words(
        "no-untyped-def no-untyped-call annotation-unchecked truthy-bool truthy-function "
        "truthy-iterable redundant-cast redundant-self redundant-expr unused-ignore "
        "ignore-without-code unreachable explicit-override unimported-reveal"),
    deprecation=_words("deprecated"),
))

_PYRIGHT = _Tool(_table(
    name=_words("reportUndefinedVariable reportPossiblyUnbound reportPossiblyUnboundVariable "
                "reportUnboundVariable"),
    null=_words("reportOptionalMemberAccess reportOptionalSubscript reportOptionalCall "
                "reportOptionalIterable reportOptionalContextManager reportOptionalOperand"),
    type=_words(
        "reportArgumentType reportAssignmentType reportAttributeAccessIssue reportCallIssue "
        "reportIndexIssue reportReturnType reportGeneralTypeIssues reportOperatorIssue "
        "reportAbstractUsage reportInvalidTypeForm reportIncompatibleMethodOverride "
        "reportIncompatibleVariableOverride reportMissingTypeArgument reportUnknownParameterType "
        "reportUnknownArgumentType reportUnknownMemberType reportUnknownVariableType "
        "reportUnknownLambdaType reportUnhashable reportMatchNotExhaustive "
        "reportFunctionMemberAccess reportNoOverloadImplementation reportInconsistentOverload "
        "reportInvalidTypeArguments reportPropertyTypeMismatch reportInconsistentConstructor "
        "reportUntypedFunctionDecorator reportUntypedClassDecorator reportUntypedBaseClass"),
    index=_words("reportTypedDictNotRequiredAccess"),
    import_=_words("reportMissingImports reportMissingModuleSource reportMissingTypeStubs "
                   "reportImportCycles reportPrivateImportUsage"),
    async_=_words("reportUnusedCoroutine"),
    lint=_words(
        "reportUnusedImport reportUnusedClass reportUnusedFunction reportUnusedVariable "
        "reportUnusedExpression reportUnusedCallResult reportUnusedExcept reportPrivateUsage "
        "reportConstantRedefinition reportSelfClsParameterName reportImplicitStringConcatenation "
        "reportUnnecessaryCast reportUnnecessaryComparison reportUnnecessaryContains "
        "reportUnnecessaryIsInstance reportUnnecessaryTypeIgnoreComment reportMissingParameterType "
        "reportUnreachable reportInvalidStringEscapeSequence reportWildcardImportFromLibrary "
        "reportShadowedImports reportUnsupportedDunderAll reportCallInDefaultInitializer "
        "reportUninitializedInstanceVariable reportMissingSuperCall reportImplicitOverride "
        "reportAssertAlwaysTrue reportInvalidTypeVarUse reportTypeCommentUsage "
        "reportInvalidStubStatement reportIncompleteStub"),
    deprecation=_words("reportDeprecated"),
))


def _ts_code(code: str) -> tuple[str, ...]:
    digits = code.upper().removeprefix("TS")
    return (f"TS{digits}" if digits.isdigit() else code,)


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
), normalize=_ts_code)

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
        ("deprecation", re.compile(r"deprecat")),
        ("security", re.compile(
            r"^(?:security|security-node|no-unsanitized|xss|@microsoft/sdl|scanjs-rules"
            r"|no-secrets)/")),
        ("import", re.compile(
            r"^import(?:-x)?/(?:no-unresolved|named|default|namespace|no-cycle"
            r"|no-extraneous-dependencies|no-self-import)$")),
        ("async", re.compile(r"^promise/")),
    ),
    owns=re.compile(r"."), default="lint", fallback="lint",
)

_RUST = _Tool(
    _table(
        syntax=_words("E0268 E0572 E0585 E0586 syntax-error break-outside-of-loop"),
        type=_words(
            "E0004 E0005 E0023 E0026 E0027 E0029 E0038 E0046 E0049 E0050 E0053 E0054 E0057 "
            "E0060 E0061 E0062 E0063 E0069 E0070 E0072 E0107 E0117 E0119 E0191 E0195 E0204 "
            "E0220 E0221 E0223 E0229 E0271 E0275 E0276 E0277 E0282 E0283 E0284 E0308 E0369 "
            "E0392 E0404 E0407 E0437 E0438 E0525 E0527 E0528 E0529 E0559 E0560 E0562 E0571 "
            "E0593 E0599 E0600 E0604 E0605 E0606 E0607 E0608 E0609 E0610 E0614 E0615 E0617 "
            "E0618 E0620 E0631 E0689 E0746 type-mismatch mismatched-arg-count missing-fields "
            "no-such-field missing-match-arm non-exhaustive-let unresolved-field "
            "unresolved-method expected-function trait-impl-missing-assoc_item typed-hole "
            "mismatched-tuple-struct-pat-arg-count"),
        name=_words("E0405 E0411 E0412 E0422 E0423 E0424 E0425 E0426 E0531 unresolved-ident "
                    "unresolved-macro-call undeclared-label"),
        import_=_words("E0432 E0433 E0463 E0583 E0429 E0430 E0431 unresolved-import "
                       "unresolved-extern-crate unresolved-module"),
        memory=_words(
            "E0106 E0261 E0262 E0263 E0309 E0310 E0373 E0382 E0499 E0501 E0502 E0503 E0505 "
            "E0506 E0507 E0508 E0509 E0515 E0521 E0581 E0582 E0594 E0596 E0597 E0621 E0623 "
            "E0626 E0637 E0700 E0712 E0713 E0716 moved-out-of-ref "
            "dangling_pointers_from_temporaries temporary_cstring_as_ptr"),
        async_=_words("E0728 E0733 E0752 E0706"),
        index=_words("unconditional_panic"),
        config=_words("E0554 E0658"),
        lint=_words("incorrect-ident-case unused-mut unused-variables remove-unnecessary-else "
                    "replace-filter-map-next-with-find-map"),
        deprecation=_words("deprecated deprecated_in_future deprecated_where_clause_location "
                           "deprecated_safe deprecated_safe_2024 bare_trait_objects "
                           "ellipsis_inclusive_range_patterns anonymous_parameters"),
    ),
    patterns=(("lint", re.compile(r"^clippy::")),),
    owns=re.compile(r"^(?:clippy::)?[a-z][a-z0-9_]*$"), default="lint",
)
_CLIPPY = replace(_RUST, fallback="lint")

_GO_ANALYZERS = frozenset(_words(
    "appends asmdecl assign atomic bools buildtag cgocall composites copylocks "
    "deepequalerrors defers deprecated directive errorsas fieldalignment framepointer "
    "httpresponse ifaceassert loopclosure lostcancel nilfunc nilness printf shadow shift "
    "sigchanyzer slog sortslice stdmethods stdversion stringintconv structtag "
    "testinggoroutine tests timeformat unmarshal unreachable unsafeptr unusedresult "
    "unusedwrite waitgroup unusedparams unusedvariable simplifycompositelit simplifyrange "
    "simplifyslice infertypeargs fillreturns nonewvars noresultvalues undeclaredname "
    "stubmethods embed modernize"))

_GO = _Tool(
    _table(
        syntax=_words("InvalidSyntaxTree"),
        name=_words("UndeclaredName UndeclaredImportedName UnexportedName UndeclaredLabel "
                    "undeclaredname"),
        import_=_words("BrokenImport ImportCycle BadImportPath ImportCRenamed"),
        type=_words(
            "IncompatibleAssign InvalidIfaceAssign MismatchedTypes WrongArgCount "
            "WrongResultCount WrongAssignCount MissingReturn NotAType InvalidCall "
            "NonVariadicDotDotDot NumericOverflow MissingFieldOrMethod InvalidIndirection "
            "UnassignableOperand InvalidConversion ImpossibleAssert InvalidAssert "
            "InvalidUntypedConversion TruncatedFloat UndefinedOp MissingLitField MixedStructLit "
            "InvalidStructLit MissingLitKey InvalidIndex NonIndexableOperand NonSliceableOperand "
            "InvalidSliceExpr InvalidRangeExpr InvalidLen InvalidCap InvalidSend InvalidReceive "
            "InvalidClose InvalidMethodExpr CannotInferTypeArgs WrongTypeArgCount InvalidTypeArg "
            "UntypedNilUse"),
        lint=_words("UnusedImport UnusedVar UnusedExpr UnusedLabel UnusedResults"),
        null=_words("nilness SA5011 SA5000"),
        memory=_words("unsafeptr"),
        async_=_words("copylocks atomic waitgroup testinggoroutine"),
        deprecation=_words("deprecated SA1019"),
    ),
    patterns=(
        ("async", re.compile(r"^SA2\d{3}$")),
        ("security", re.compile(r"^G\d{3}$")),
    ),
    owns=re.compile(r"^(?:[a-z][a-z0-9]*|(?:SA|S|ST|QF)\d{4}|U1000)$"), default="lint",
)
_GO_VET = replace(_GO, fallback="lint")
_GO_ANALYZER = replace(_GO_VET, code_from_source=True)


def _c_flag(code: str) -> tuple[str, ...]:
    """'-Werror=format-security', 'clang-diagnostic-format-security', 'Wformat=2': '-Wformat..'."""
    if code.startswith("-Werror="):
        code = "-W" + code.removeprefix("-Werror=")
    elif code.startswith("clang-diagnostic-"):
        code = "-W" + code.removeprefix("clang-diagnostic-")
    elif re.match(r"W[a-z]", code):
        code = "-" + code
    if code.startswith("-W"):
        code = code.split("=", 1)[0]
    return (code,)


_C = _Tool(
    _table(
        type=_words(
            "-Wformat -Wincompatible-pointer-types "
            "-Wincompatible-pointer-types-discards-qualifiers -Wdiscarded-qualifiers "
            "-Wint-conversion -Wnarrowing -Wc++11-narrowing -Wreturn-type "
            "-Wint-to-pointer-cast -Wpointer-to-int-cast -Wincompatible-function-pointer-types "
            "-Wimplicit-int -Wwrite-strings -Wpointer-sign typecheck_convert_incompatible "
            "init_conversion_failed no_member no_member_suggest member_function_call_bad_cvr "
            "lvalue_reference_bind_to_temporary abstract_type_in_decl conflicting_types "
            "redefinition_different_type"),
        name=_words("-Wimplicit-function-declaration undeclared_var_use "
                    "undeclared_var_use_suggest unknown_typename unknown_typename_suggest "
                    "unknown_nested_typename_suggest"),
        null=_words("-Wnull-dereference -Wnonnull clang-analyzer-core.NullDereference "
                    "clang-analyzer-core.NonNullParamChecker"),
        memory=_words(
            "-Wreturn-local-addr -Wreturn-stack-address -Wdangling-pointer -Wdangling "
            "-Wdangling-gsl -Wdangling-reference -Wuse-after-free -Wfree-nonheap-object "
            "-Wmismatched-new-delete -Wmismatched-dealloc -Wstringop-overflow -Wstringop-overread "
            "-Wformat-overflow -Walloc-size-larger-than -Wsizeof-pointer-memaccess "
            "-Wreturn-stack-address bugprone-use-after-move bugprone-dangling-handle "
            "clang-analyzer-unix.Malloc clang-analyzer-unix.MismatchedDeallocator "
            "clang-analyzer-cplusplus.NewDelete clang-analyzer-cplusplus.NewDeleteLeaks "
            "clang-analyzer-cplusplus.InnerPointer clang-analyzer-cplusplus.Move "
            "clang-analyzer-core.StackAddressEscape"),
        index=_words("-Warray-bounds -Warray-bounds-pointer-arithmetic"),
        security=_words("-Wformat-security -Wformat-nonliteral -Wunsafe-buffer-usage "
                        "bugprone-unsafe-functions"),
        config=_words("-Wunknown-warning-option -Wunused-command-line-argument "
                      "-Wmissing-include-dirs"),
        lint=_words("-Wdangling-else"),
        deprecation=_words("modernize-replace-auto-ptr modernize-replace-random-shuffle"),
        import_=_words("pp_file_not_found err_pp_file_not_found"),
    ),
    patterns=(
        ("deprecation", re.compile(r"deprecat")),
        ("security", re.compile(r"^clang-analyzer-(?:alpha\.)?security\.")),
        ("null", re.compile(r"^clang-analyzer-nullability\.")),
        ("async", re.compile(r"^-Wthread-safety|^concurrency-")),
        ("syntax", re.compile(r"^(?:err_)?expected_")),
        ("type", re.compile(r"^(?:err_)?(?:typecheck_|ovl_no_viable)")),
    ),
    owns=re.compile(
        r"^-W|^(?:clang-analyzer|bugprone|cert|concurrency|cppcoreguidelines|fuchsia|google"
        r"|hicpp|llvm|llvmlibc|misc|modernize|mpi|objc|openmp|performance|portability"
        r"|readability|abseil|altera|android|boost|darwin|linuxkernel|zircon)-"),
    default="lint", normalize=_c_flag,
)
_CLANG_TIDY = replace(_C, fallback="lint")

_CPPCHECK = _Tool(
    _table(
        null=_words("nullPointer nullPointerRedundantCheck nullPointerArithmetic "
                    "nullPointerDefaultArg ctunullpointer"),
        memory=_words("memleak memleakOnRealloc doubleFree deallocuse deallocret "
                      "returnDanglingLifetime danglingLifetime danglingReference "
                      "danglingTemporaryLifetime invalidLifetime autoVariables "
                      "mismatchAllocDealloc"),
        index=_words("arrayIndexOutOfBounds arrayIndexOutOfBoundsCond negativeIndex "
                     "outOfBounds containerOutOfBounds"),
        syntax=_words("syntaxError"),
        import_=_words("missingInclude missingIncludeSystem"),
    ),
    owns=re.compile(r"."), default="lint", fallback="lint",
)

_ANY_LINTER = _Tool({}, owns=re.compile(r"."), default="lint", fallback="lint")
_SECURITY_SCANNER = _Tool({}, owns=re.compile(r"."), default="security", fallback="security")
_MEMORY_CHECKER = _Tool({}, fallback="memory")
_RACE_DETECTOR = _Tool({}, fallback="async")


def _sources(tool: _Tool, names: str) -> dict[str, _Tool]:
    return dict.fromkeys(_words(names), tool)


_TOOLS: dict[str, _Tool] = {
    **_sources(_PYTHON, "python python3 cpython pypy traceback pytest ipython jupyter"),
    **_sources(_FLAKE8, "ruff ruff-lsp flake8 pyflakes pycodestyle pep8 pydocstyle mccabe "
                        "pylsp"),
    **_sources(_PYLINT, "pylint"),
    **_sources(_MYPY, "mypy dmypy"),
    **_sources(_PYRIGHT, "pyright basedpyright pylance"),
    **_sources(_TS, "ts typescript tsc tsserver deno-ts vue-tsc"),
    **_sources(_JS, "node nodejs javascript js deno bun v8 browser chrome firefox"),
    **_sources(_ESLINT, "eslint eslint_d"),
    **_sources(_RUST, "rustc rust rust-analyzer cargo"),
    **_sources(_CLIPPY, "clippy cargo-clippy"),
    **_sources(_GO, "go gopls compiler golang"),
    **{"go build": _GO},
    **_sources(_GO_VET, "vet govet go-vet staticcheck golangci-lint golangci_lint revive "
                        "errcheck ineffassign"),
    **{"go vet": _GO_VET},
    **_sources(_GO_ANALYZER, " ".join(sorted(_GO_ANALYZERS))),
    **_sources(_C, "gcc g++ cc c++ clang clang++ clangd"),
    **_sources(_CLANG_TIDY, "clang-tidy"),
    **_sources(_CPPCHECK, "cppcheck"),
    **_sources(_ANY_LINTER, "shellcheck hadolint markdownlint yamllint stylelint golint "
                            "rubocop biome oxlint deno-lint tslint jshint standard isort black "
                            "clang-format prettier"),
    **_sources(_SECURITY_SCANNER, "bandit gosec pip-audit cargo-audit npm-audit safety snyk "
                                  "trivy grype osv-scanner gitleaks detect-secrets trufflehog"),
    **_sources(_MEMORY_CHECKER, "addresssanitizer asan leaksanitizer lsan memorysanitizer "
                                "msan valgrind memcheck"),
    **_sources(_RACE_DETECTOR, "threadsanitizer tsan helgrind drd"),
}


def _shared_codes(*tables: Mapping[str, str]) -> dict[str, str]:
    """The codes of several tools that mean the same wherever they appear; clashes dropped."""
    merged: dict[str, str] = {}
    clashes: set[str] = set()
    for table in tables:
        for code, category in table.items():
            if merged.setdefault(code, category) != category:
                clashes.add(code)
    return {code: category for code, category in merged.items() if code not in clashes}


# For a diagnostic whose source is missing or unknown: only codes that cannot be mistaken
# (exception classes, TSnnnn, rustc's Ennnn and lint names, -W flags, reportX, mypy's
# hyphenated codes); a bare F401 or E0602 means nothing without its tool.
_SHARED = _Tool(
    _shared_codes(
        _PYTHON.codes, _JS.codes, _PYRIGHT.codes, _TS.codes, _RUST.codes, _C.codes,
        {code: category for code, category in _GO.codes.items() if code[:1].isupper()},
        {code: category for code, category in _MYPY.codes.items() if "-" in code},
    ),
    patterns=(("deprecation", _WARNING_CLASS), *_RUST.patterns,
              ("deprecation", re.compile(r"^-W\S*deprecat")),
              ("security", re.compile(r"^clang-analyzer-(?:alpha\.)?security\.")),
              ("security", re.compile(
                  r"^(?:CVE-\d{4}-\d{4,}|GHSA(?:-[0-9a-z]{4}){3}|RUSTSEC-\d{4}-\d{4}"
                  r"|PYSEC-\d{4}-\d+|GO-\d{4}-\d{4})$")),
              ("deprecation", re.compile(r"^DEP\d{4}$"))),
    normalize=lambda code: (*_python_names(code), *_c_flag(code)),
)
