"""Code tables of the Python tools for error categories (see classify.py): the runtime's
exception classes, ruff / flake8, pylint, mypy and pyright."""

from __future__ import annotations

import re

from dexter_ls.core.tool_families import normalize_code
from dexter_ls.explain.category.lazy import lazy
from dexter_ls.explain.category.patterns import _table, _words
from dexter_ls.explain.category.tool import _Tool

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


_WARNING_CLASS = lazy(r"^\w*(?:Deprecation|RemovedIn\w*|MovedIn\w*)Warning$")

_PYTHON = _Tool(
    _PYTHON_CODES,
    patterns=(
        ("deprecation", _WARNING_CLASS),
        ("database", lazy(
            r"^(?:psycopg2?|asyncpg|sqlite3|pymysql|MySQLdb|mysql\.connector|sqlalchemy"
            r"|django\.db|pymongo|peewee|cx_Oracle|oracledb|pyodbc|duckdb|aiosqlite|aiomysql"
            r"|aiopg|motor)\.")),
    ),
    normalize=_python_names,
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
        ("security", lazy(r"^S\d{3}$")),
        ("deprecation", lazy(r"^(?:UP|DEP)\d{3,4}$")),
        ("async", lazy(r"^(?:ASYNC|TRIO)\d{3}$")),
    ),
    owns=lazy(r"^[A-Z]{1,6}\d{1,4}$"), default="lint", fallback="lint",
    normalize=lambda code: (normalize_code("python-lint", code),),
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
    owns=lazy(r"^(?:[CRWEFI]\d{4}|[a-z][a-z0-9-]+)$"), default="lint", fallback="lint",
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
