"""Code tables of the Rust, Go and C / C++ tools for error categories (see classify.py):
rustc and clippy, the Go compiler, vet and its analyzers, gcc / clang, clang-tidy, cppcheck."""

from __future__ import annotations

import re
from dataclasses import replace

from dexter_ls.core.tool_families import GO_VET_ANALYZERS
from dexter_ls.explain.category.lazy import lazy
from dexter_ls.explain.category.patterns import _table, _words
from dexter_ls.explain.category.tool import _Tool

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
    patterns=(("lint", lazy(r"^clippy::")),),
    owns=lazy(r"^(?:clippy::)?[a-z][a-z0-9_]*$"), default="lint",
)
_CLIPPY = replace(_RUST, fallback="lint")

# gopls names the analyzer as the source: vet's, and its own.
_GO_ANALYZERS = GO_VET_ANALYZERS | frozenset(_words(
    "deprecated unusedparams unusedvariable simplifycompositelit simplifyrange simplifyslice "
    "infertypeargs fillreturns nonewvars noresultvalues undeclaredname stubmethods embed "
    "modernize"))

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
        ("async", lazy(r"^SA2\d{3}$")),
        ("security", lazy(r"^G\d{3}$")),
    ),
    owns=lazy(r"^(?:[a-z][a-z0-9]*|(?:SA|S|ST|QF)\d{4}|U1000)$"), default="lint",
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
        ("deprecation", lazy(r"deprecat")),
        ("security", lazy(r"^clang-analyzer-(?:alpha\.)?security\.")),
        ("null", lazy(r"^clang-analyzer-nullability\.")),
        ("async", lazy(r"^-Wthread-safety|^concurrency-")),
        ("syntax", lazy(r"^(?:err_)?expected_")),
        ("type", lazy(r"^(?:err_)?(?:typecheck_|ovl_no_viable)")),
    ),
    owns=lazy(
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
    owns=lazy(r"."), default="lint", fallback="lint",
)
