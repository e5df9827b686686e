"""The error category of a diagnostic (for dexter.categoryModels and the category templates).

Source and code first, then the message; an error we do not recognise is "other".

1. The source names the tool (ruff, mypy, tsc, rustc, gcc, ...) and with it the code table
   to read the code in: F401 means one thing to ruff and another to nobody else.
2. A code found in that table gives the category; a few message patterns then refine it
   (a type error about `None` is a null error, one about a `Promise` an async one).
3. A code the table does not know, of a linter, is a lint finding (or a deprecation or
   security one when the message says so).
4. Otherwise the message alone decides, through specific patterns tried from the most
   specific category to the most general one.
5. A linter's finding that nothing matched is lint; anything else is "other". A wrong
   category is worse than none, so every pattern is meant to hit only its own kind of error.

Every pattern is linear: literals, bounded repeats and character classes that cannot cross
the quote that ends them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from dexter_ls.explain.subject import Subject

CATEGORIES = ("syntax", "type", "name", "import", "null", "index", "async", "memory",
              "network", "database", "auth", "config", "lint", "deprecation", "security",
              "other")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _table(**groups: Iterable[str]) -> dict[str, str]:
    """{category: codes} -> {code: category}; `import_` and `async_` stand for the keywords."""
    return {code: category.rstrip("_") for category, codes in groups.items() for code in codes}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


class _Matcher(Protocol):
    def search(self, string: str, /) -> object: ...


@dataclass(frozen=True)
class _Quoted:
    """Text quoted by `lead` (its group 1) in which `inner` occurs: two linear scans where
    one pattern would backtrack over the quote for every occurrence of `inner`."""

    lead: re.Pattern[str]
    inner: re.Pattern[str]

    def search(self, string: str, /) -> bool:
        return any(self.inner.search(found[1]) for found in self.lead.finditer(string))


@dataclass(frozen=True)
class _AnyOf:
    matchers: tuple[_Matcher, ...]

    def search(self, string: str, /) -> bool:
        return any(matcher.search(string) for matcher in self.matchers)


_Rules = tuple[tuple[str, _Matcher], ...]


# --- Message patterns, one alternation per category --------------------------------------

_DATABASE = _rx(
    r"\bsyntax error at or near\b|\bsyntax error at end of input\b"
    r"|\brelation \"[^\"]+\" does not exist\b|\bno such (?:table|column)\b"
    r"|\bcolumn \"[^\"]+\" (?:of relation \"[^\"]+\" )?does not exist\b"
    r"|\bdatabase \"[^\"]+\" does not exist\b|\bunknown database\b|\bdeadlock detected\b"
    r"|\bduplicate key value violates\b|\bE11000 duplicate key\b"
    r"|\bviolates (?:unique|foreign key|not-null|check|exclusion) constraint\b"
    r"|\b(?:unique|not null|foreign key|check) constraint failed\b|\bdatabase is locked\b"
    r"|\bis the server running on\b|\bcurrent transaction is aborted\b"
    r"|\bpermission denied for (?:table|relation|schema|database|sequence)\b"
    r"|\bMySQL server has gone away\b|\blost connection to MySQL server\b|\byour SQL syntax\b"
    r"|\bSQLSTATE\b|\bORA-\d{5}\b|\bQueuePool limit\b|\bmatching query does not exist\b"
    r"|\bCannot resolve keyword '[^']+' into field\b|\bServerSelectionTimeoutError\b"
    r"|\b(?:psycopg2?|sqlalchemy|sqlite3|pymongo|asyncpg|pymysql|MySQLdb)\.(?:errors?|exc|\w*Error)\b"
    r"|\bPrismaClient\w*Error\b|\bSequelize\w*Error\b|\bQueryFailedError\b|(?-i:\bER_[A-Z_]{3,}\b)"
    r"|\bTable '[^']+' doesn't exist\b|\bUnknown column '[^']+' in\b"
    r"|\bDuplicate entry '[^']*' for key\b|\b(?:Operational|Integrity|Programming)Error\b")

_SECURITY = _rx(
    r"\bsecurity (?:issue|risk|implications?|vulnerabilit(?:y|ies)|hotspot|hole)\b"
    r"|\bsql injection\b|\b(?:command|shell|code|ldap|xpath|template) injection\b"
    r"|\bcross[- ]site (?:scripting|request forgery)\b|\bXSS\b"
    r"|\bhard-?coded (?:password|secret|credential|api key|token|key)s?\b"
    r"|\binsecure (?:hash|cipher|random|protocol|temp(?:orary)? file|deserialization|ssl|tls"
    r"|usage|function|mode)\b|\buse of insecure\b"
    r"|\bweak (?:MD\d|SHA-?1|hash|cipher|crypto\w*|random)\b"
    r"|\bformat (?:string is )?not a string literal\b|\b(?:path|directory) traversal\b"
    r"|\bopen redirect\b|\bCVE-\d{4}-\d{4,}\b|\bGHSA(?:-[0-9a-z]{4}){3}\b|\bRUSTSEC-\d{4}-\d{4}\b"
    r"|\bvulnerab(?:le|ility|ilities)\b|\bnot suitable for security\b"
    r"|\bbinding to all interfaces\b|\bis dangerous and should not be used\b"
    r"|\beval can be harmful\b|\bimplied eval\b|\bunsafe deserialization\b")

_DEPRECATION = _rx(
    r"\bdeprecated\b|\bdeprecation\b|DeprecationWarning\b|\bFutureWarning\b"
    r"|\bRemovedIn\w*Warning\b|\bwill be removed in\b|\bis obsolete\b|\bobsolescent\b")

# Said outright by the message, so they win over the name and import wording around them.
_CONFIG_STRONG = _rx(
    r"\benvironment variables?\b|\benv vars?\b|\bImproperlyConfigured\b"
    r"|\bimproperly configured\b|\bchange your target library\b"
    r"|\b(?:unless|when|until) the '-{0,2}\w+' (?:compiler )?(?:flag|option) is"
    r" (?:provided|set|enabled)\b|\bunknown compiler option\b"
    r"|\bunrecognized command[- ]line option\b|\bunknown (?:warning|argument) option\b")

_ASYNC = _rx(
    r"\bawait(?:ed|able)?\b|\bcoroutines?\b|\basync\b|\basynchronous comprehension\b"
    r"|\bevent loop\b|\bPromises?\b|\bunhandled ?promise ?rejection\b|\bThenable\b"
    r"|\bgoroutines?\b|\bdeadlock\b|\bdata race\b|\brace condition\b|\bThreadSanitizer\b"
    r"|\bconcurrent map (?:writes|read and map write|iteration and map write)\b"
    r"|\b(?:send on|close of) (?:closed|nil) channel\b|\bbetween threads safely\b"
    r"|\bis not a future\b|\bimplementer of `(?:std::future::)?Future`|\bfutures do nothing\b"
    r"|\bTask (?:was destroyed but it is pending|exception was never retrieved)\b"
    r"|\bpasses lock by value\b|\bcopies lock\b")

_LINT = _rx(
    r"\bunused (?:variable|import|parameter|function|label|macro|assignment|argument"
    r"|private field|doc comment|type alias|expression|result)s?\b"
    r"|\bunused `[^`]+` that must be used\b|\bunused return value of\b"
    r"|\bimported but unused\b|\bimported (?:as \w+ )?and not used\b|\bdeclared and not used\b"
    r"|\bset but not used\b|\bdefined but not used\b|\bassigned to,? but never used\b"
    r"|\bis assigned a value but never used\b|\bis defined but never used\b"
    r"|\bis declared but (?:its value is )?never (?:read|used)\b"
    r"|\b(?:is|are) never (?:used|read|constructed)\b|\bis not accessed\b|\b(?:is|are) unused\b"
    r"|\bdoes not need to be mutable\b|\bstatement is unreachable\b"
    r"|\bunreachable (?:code|statement|expression|pattern)\b|\bline too long\b"
    r"|\btrailing whitespace\b|\bblank lines?\b|\bmissing whitespace\b"
    r"|\bno newline at end of file\b|\bshould have an? (?:snake|upper camel|upper) case name\b"
    r"|\bis not in camel case\b|\bcomparison to [`']?(?:None|True|False)[`']? should be\b"
    r"|\bbare [`']?except\b|\bambiguous variable name\b"
    r"|\bmissing (?:module|class|function|method) docstring\b"
    r"|\bexpected '[!=]==' and instead saw\b|\bunexpected console statement\b"
    r"|\bunexpected var, use let or const\b|\bis never reassigned\. use 'const'"
    r"|\bstrings must use (?:single|double)quote\b|\bexpected indentation of\b"
    r"|\bf-string (?:without any|is missing) placeholders\b|\bimport block is un-?sorted\b"
    r"|\bmodule level import not at top of file\b|\bmultiple imports on one line\b"
    r"|\bimport should occur (?:before|after)\b|\bimported multiple times\b"
    r"|\bimport is duplicated\b|\bredefinition of unused\b|\bis too complex\b"
    r"|\bshadows (?:a |an )?(?:previous|local|declaration|variable)\b"
    r"|^(?:missing|extra|unnecessary) semicolon\.?$|\bis a magic number\b"
    r"|\binvalid escape sequence\b|\bunsupported escape sequence\b|\) is not used\b")

_SYNTAX = _rx(
    r"\bsyntax ?error\b|\binvalid syntax\b|\bparsing error\b|\bparse error\b"
    r"|\bunexpected (?:token|indent|unindent|eof|end of (?:file|input|text)|character"
    r"|keyword(?! argument)|identifier|newline|semicolon)\b"
    r"|\bunterminated (?:string|template|regular expression|comment|character|triple-quoted)"
    r"|\bexpected an indented block\b|\bunindent does not match\b"
    r"|\binconsistent use of tabs\b|\bEO[LF] while scanning\b|\bwas never closed\b"
    r"|\bunmatched ['‘`\"]?[()\[\]{}]|\bdoes not match opening parenthesis\b"
    r"|\bunclosed delimiter\b|\bmismatched closing delimiter\b"
    r"|\bexpected [`'‘\"][;:,.)\]}>(\[{=][`'’\"]|\bexpected one of [`'‘]"
    r"|^(?:'[^'\s]{1,3}'|Declaration or statement|Expression|Identifier|Type|Property assignment"
    r"|Argument expression|Property or signature|Parameter declaration|String literal"
    r"|Enum member|Type parameter declaration|Variable declaration) expected\b"
    r"|\bexpected (?:expression|identifier|primary-expression|declaration|statement"
    r"|unqualified-id|type-specifier)\b"
    r"|\bstray .{1,10} in program\b|\binvalid (?:non-printable )?character\b"
    r"|\binvalid (?:decimal|hexadecimal|octal|binary) literal\b"
    r"|'(?:break|continue)' (?:outside|not properly in) loop\b"
    r"|\boutside (?:of )?(?:a )?(?:loop|function)\b"
    r"|\bpositional argument follows keyword argument\b|\bmissing parentheses in call to\b"
    r"|\bcannot assign to (?:function call|literal|expression|operator"
    r"|conditional expression|f-string expression)\b"
    r"|\bnon-declaration statement outside function body\b")

_NULL = _rx(
    r"\bNoneType\b|(?<!non-)\bnull pointer\b|(?<!non-)\bnil pointer\b|\bnil map\b"
    r"|\bnull dereference\b"
    r"|\bnil dereference\b|\bdereference of (?:a )?null\b|\bnull where non-null expected\b"
    r"|\bnull passed to a callee\b|\bpossibly '?(?:null|undefined)\b|\bobject is possibly\b"
    r"|\bcannot (?:read|set) propert(?:y|ies) of (?:undefined|null)\b"
    r"|\bcannot (?:read|set) property '[^']*' of (?:undefined|null)\b"
    r"|\b(?:undefined|null) is not an object\b|\bas it is (?:undefined|null)\b"
    r"|\bunsafe usage of optional chaining\b|\bItem \"None\" of\b|\"None\" has no attribute\b"
    r"|\"None\" not callable\b|\bnot a known attribute of \"None\"|\bObject of type \"None\""
    r"|\bnot supported for \"None\"|\boperand types? for \S+ \(\"None\""
    r"|\bon an? `None` value\b|\bNullPointerException\b"
    r"|\bthe value '(?:null|undefined)' cannot be used here\b")

# The type that does not fit is None/null: "Type 'string | undefined' is not assignable ...".
_NULL_CULPRIT = _AnyOf((
    _Quoted(_rx(r"^(?:Type|Argument of type) '([^']*)' is not assignable"),
            _rx(r"\b(?:null|undefined)\b")),
    _Quoted(_rx(r"^(?:Type|Argument of type) \"([^\"]*)\""
                r" (?:is not assignable|cannot be assigned)"),
            _rx(r"\bNone\b")),
    _Quoted(_rx(r"(?:\b(?:has incompatible type|expression has type|Value of type)|\(got)"
                r" \"([^\"]*)\""),
            _rx(r"\b(?:None|Optional)\b")),
))
_NULL_ANY = _AnyOf((_NULL, _NULL_CULPRIT))

_MEMORY = _rx(
    r"\bcannot borrow\b|\bborrowed (?:value|data)\b|\b(?:is|are|also|while) borrowed\b"
    r"|\bborrows `|\b(?:im)?mutable borrow\b|\blifetimes?\b|\bmoved value\b|\bcannot move out of\b"
    r"|\bvalue moved\b|\bafter (?:it was|being) moved\b|\b(?:does|may) not live long enough\b"
    r"|\bcannot return (?:reference to|value referencing) (?:local|temporary|function param)"
    r"|\bclosure may outlive\b|\bbehind an? (?:shared |mutable |`&(?:mut)?` )?reference\b"
    r"|\bsegmentation fault\b|\bSIGSEGV\b|\bsegfault\b|\buse[- ]after[- ](?:free|scope|return)\b"
    r"|\bafter it is freed\b|\bused after ['‘`]?free\b|\boverflows the destination\b"
    r"|\bdouble[- ]free\b|\bfree released memory\b|\bmemory leaks?\b"
    r"|\bleak(?:ed|s)? (?:of )?memory\b|\bdefinitely lost\b|\b(?:Address|Leak|Memory)Sanitizer\b"
    r"|\b(?:heap|stack|global)-buffer-(?:overflow|underflow)\b|\bbuffer overflow\b"
    r"|\bstack smashing detected\b|\b(?:free|malloc|realloc|munmap_chunk)\(\): (?:invalid|corrupt)"
    r"|\bcorrupted (?:size|double-linked list|top size)\b|\binvalid (?:read|write) of size\b"
    r"|\binvalid free\(\)|\buninitiali[sz]ed value\(s\)|\bdangling (?:pointer|reference|handle)"
    r"|\baddress of stack memory\b|\breturns? (?:the )?address of (?:a )?local variable\b"
    r"|\breference to local variable ['‘`][^'’`]*['’`] returned\b|\bout of memory\b"
    r"|\bcannot allocate memory\b|\bunable to allocate [\d.]+ ?[KMGT]i?B\b|\bMemoryError\b")

_IMPORT = _rx(
    r"\bno module named\b|\bcannot find (?:module|package)\b"
    r"|\bcould not find (?:a )?declaration file for module\b|\bunresolved imports?\b"
    r"|^Import \"[^\"]+\" could not be resolved\b|\bunable to resolve (?:path to )?module\b"
    r"|\bcannot import name\b|\bunable to import\b|\battempted relative import\b"
    r"|\bcircular import\b"
    r"|\bpartially initialized module\b|\bimport cycle\b|\bdependency cycle\b|\bcould not import\b"
    r"|\bno required module provides package\b|\bis not in (?:std|GOROOT)\b"
    r"|\bmissing go\.sum entry\b|\bcan'?t find crate\b"
    r"|\bfailed to resolve: use of (?:undeclared|unresolved) (?:crate|module)\b"
    r"|\bfile not found for module\b|\bhas no exported member\b|\bhas no default export\b"
    r"|\bcan only be default-imported\b|\bis not a module\b|\bimport paths? (?:need|can only)\b"
    r"|\btype-only import\b|\bcannot find type definition file\b|\blibrary stubs?\b"
    r"|\bstub file not found\b|\bdoes not explicitly export\b|\bunknown import symbol\b"
    r"|\bis not exported from module\b|\bDLL load failed\b|\bis not a package\b"
    r"|\bshould be listed in the project's dependencies\b"
    r"|\.(?:h|hh|hpp|hxx)['’\"]? file not found\b|\.(?:h|hh|hpp|hxx): No such file or directory\b"
    r"|\bModuleNotFoundError\b|\bImportError\b|\bERR_MODULE_NOT_FOUND\b")

_NAME = _rx(
    r"\bis not defined\b|\bundefined (?:name|variable)\b"
    r"|\bundeclared (?:identifier|variable|function|name|type|label)\b|\bundeclared \(first use\b"
    r"|\bimplicit declaration of function\b|\bnot declared in this scope\b"
    r"|\bcannot find [a-z][\w ,]{0,40} `[^`]+` in (?:this scope|module|crate)\b"
    r"|\bcannot find name\b|\bcannot find namespace\b|^undefined: \S"
    r"|\breferenced before assignment\b|\bnot associated with a value\b"
    r"|\bis (?:possibly )?unbound\b"
    r"|\bused before (?:its )?(?:declaration|definition|being (?:assigned|defined))\b"
    r"|\bused before it was defined\b|\bmay be undefined\b|\bbefore initialization\b"
    r"|\bno value exists in scope\b|\bis not a member of ['‘`]std['’`]"
    r"|\bno (?:member|type) named ['‘][^'’]*['’] in namespace\b|\bunknown type name\b"
    r"|\bdoes not name a type\b|\bnot exported by package\b|\bNameError\b|\bReferenceError\b")

_INDEX = _rx(
    r"\bindex out of (?:range|bounds)\b|\bindex -?\d+ (?:is )?out of (?:range|bounds)\b"
    r"|\bslice bounds out of range\b|\bout of bounds\b|\bpop from (?:an )?empty\b"
    r"|\bKeyError\b|\bIndexError\b|\bno such key\b|\bhas no element at index\b"
    r"|\b(?:above|below) array bounds\b|\bpast the end of the array\b"
    r"|\bpopitem\(\): dictionary is empty\b|\bis not a required key\b|\bout_of_range\b")

_NETWORK = _rx(
    r"\bconnection (?:refused|reset|aborted|timed out|closed by peer)\b"
    r"|\bECONN(?:REFUSED|RESET|ABORTED)\b|\bETIMEDOUT\b|\bENOTFOUND\b|\bEAI_AGAIN\b"
    r"|\bE(?:HOST|NET)UNREACH\b|\bEADDRINUSE\b|\baddress already in use\b"
    r"|\bname or service not known\b|\btemporary failure in name resolution\b"
    r"|\bnodename nor servname\b|\bgetaddrinfo\b|\bno such host\b|\bnetwork is unreachable\b"
    r"|\bno route to host\b|\b(?:connect|read|write|socket|request|handshake) timed? ?out\b"
    r"|\bi/o timeout\b|\bdial tcp\b|\bcertificate verify failed\b|\bCERTIFICATE_VERIFY_FAILED\b"
    r"|\bself[- ]signed certificate\b|\bunable to (?:get local issuer|verify the first) cert"
    r"|\bx509: certificate\b|\bSSLError\b|\bTLS handshake\b|\bmax retries exceeded\b"
    r"|\bHTTPS?ConnectionPool\b|\bfailed to fetch\b|\bfetch failed\b|\bsocket hang up\b"
    r"|\bno connection could be made\b|\bremote end closed connection\b|\bactively refused\b"
    r"|\b50[234] (?:Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out)\b|\bDNS\b"
    r"|\bConnectionError\b|\bConnectTimeout\b|\bReadTimeout\b")

_AUTH = _rx(
    r"\bpermission denied\b|\bunauthori[sz]ed\b|\b40[13] (?:Client Error|Unauthorized|Forbidden)\b"
    r"|\baccess denied\b|\bauthentication (?:failed|required|error|credentials)\b"
    r"|\bnot authenticated\b|\bfailed to authenticate\b|\bincorrect api key\b"
    r"|\binvalid (?:api[ _-]?key|access token|auth(?:entication)? token|credentials"
    r"|bearer token|client secret)\b|\b(?:jwt|access token|token|signature) (?:has )?expired\b"
    r"|\bexpired token\b|\b(?:no|missing) credentials\b|\bunable to locate credentials\b"
    r"|\bdefault credentials\b|\bInvalidClientTokenId\b|\bAccessDenied(?:Exception)?\b"
    r"|\bSignatureDoesNotMatch\b|\bExpiredToken\b|\bEACCES\b|\bEPERM\b"
    r"|\boperation not permitted\b|\bpassword authentication failed\b"
    r"|\bhost key verification failed\b|\blogin failed\b")

_CONFIG = _rx(
    r"\bconfig(?:uration)? file\b"
    r"|\b(?:invalid|unknown|missing|unrecognized) (?:configuration|config)"
    r" (?:option|key|value|setting)s?\b"
    r"|\b(?:ts|js)config\.json\b|\bpyproject\.toml\b|\bsetup\.cfg\b|\btox\.ini\b"
    r"|\bCargo\.toml\b|\bgo\.mod\b|\.eslintrc\b|\beslint\.config\.[cm]?[jt]s\b"
    r"|\bpackage\.json\b|\bstable release channel\b|\bmain module\b"
    r"|(?-i:\b[A-Z][A-Z0-9_]{2,} setting\b)|(?-i:\bsettings\.[A-Z][A-Z0-9_]+\b)")

_TYPE = _rx(
    r"\bis not assignable to\b|\bcannot be assigned to\b"
    r"|\bincompatible (?:pointer types?|integer to pointer|types?|return value type|default for)\b"
    r"|\bhave incompatible types\b|\bincompatible with (?:supertype|return type)\b"
    r"|\bin an incompatible manner\b|\bmismatched types\b|\btype mismatch\b"
    r"|\bexpected `[^`]+`, found `[^`]+`|\bexpected type [\"'‘`]"
    r"|\bunsupported (?:left |right )?operand type|\bcan only concatenate\b"
    r"|\bobject is not (?:callable|subscriptable|iterable|an iterator|a mapping)\b"
    r"|\bhas no attribute\b|\bhas no '[^']+' member\b|\bhas no len\(\)"
    r"|\bunhashable type\b|\bmust be hashable\b"
    r"|\bnot supported between instances of\b|\bexpected (?:str|bytes|int|float)\w* instance\b"
    r"|\bmust be (?:an? )?[\w.]+(?: or [\w.]+)?, not [\w.]+|\bis not JSON serializable\b"
    r"|\bcannot unpack non-iterable\b"
    r"|\btakes (?:from )?\d+ (?:to \d+ )?(?:positional )?arguments? but \d+ (?:were|was) given\b"
    r"|\bmissing \d+ required (?:positional |keyword-only )?arguments?\b"
    r"|\bunexpected keyword argument\b|\bgot multiple values for (?:keyword )?argument\b"
    r"|\b(?:too many|too few|not enough) arguments (?:for|to|in call to)\b"
    r"|\b(?:too many|not enough) return values\b|\bmissing positional arguments?\b"
    r"|\bargument missing for parameter\b|\bno parameter named\b"
    r"|\bexpected \d+ positional arguments?\b"
    r"|\bexpected (?:at least )?\d+(?:-\d+)? arguments?, but got \d+"
    r"|\b(?:function|method) takes \d+ arguments? but \d+ arguments? (?:was|were) supplied\b"
    r"|\bno overload (?:matches|variant)\b|\bno matching (?:member )?function for call\b"
    r"|\bno viable conversion\b|\binvalid conversion from\b|\bcannot convert\b"
    r"|\bdoes not exist on type\b|\bis missing in type\b|\bis missing the following propert"
    r"|\bmay only specify known properties\b|\bhas no properties in common\b"
    r"|\bimplicitly has (?:an? )?(?:type )?'any|\bis not (?:callable|constructable)\b"
    r"|\bcannot be applied to types?\b|\bthe trait bound\b|\bdoesn'?t implement\b"
    r"|\bis not implemented for\b|\bno (?:method|function|variant|field)(?: or associated item)?"
    r" named\b|\bno field `[^`]+` on type\b|\btype annotations needed\b|\bcannot add `"
    r"|\bcannot be dereferenced\b|\bneed type annotation\b|\bcannot determine type\b"
    r"|\bmissing type (?:arguments|parameters)\b|\bexpects \d+ type arguments?\b"
    r"|\bis not valid as a type\b|\bhas no field or method\b|\bis not a type\b"
    r"|\bas [^ ]+ value in (?:assignment|argument|return statement|variable declaration"
    r"|struct literal|map literal|array or slice literal|send|range)\b"
    r"|\bdoes not implement\b|\bincorrectly (?:implements|extends)\b|\bhas no member named\b"
    r"|\bno member named ['‘][^'’]*['’] in ['‘](?:struct|class|union)\b|\brequest for member\b"
    r"|\bmember reference (?:base )?type\b|\bmissing return(?: statement)?\b(?! type)"
    r"|\bmust return (?:a )?value\b|\blacks ending return statement\b|\bassignment mismatch\b"
    r"|\bcannot call non-function\b|\bcannot indirect\b|\bis not indexable\b"
    r"|\"[^\"]+\" not callable\b|\bnot supported for types?\b|\bcannot access attribute\b"
    r"|\bis not a known attribute of module\b|\bmethod not defined on type\b"
    r"|\bcontrol reaches end of non-void function\b|\bdoes not return a value\b"
    r"|\bno return statement in function returning non-void\b|\bdoes not satisfy the constraint"
    r"|\brequires \d+ type argument|\binterface conversion\b|\bnarrow(?:ing|ed)\b"
    r"|\bdiscards ['‘]?(?:const|qualifiers)|\bmakes (?:pointer|integer) from (?:integer|pointer)\b"
    r"|\bformat ['‘]%\w+['’] expects argument of type\b|\bformat specifies type\b"
    r"|\bis of type 'unknown'|\bconversion of type\b|\bhave no overlap\b"
    r"|\bcannot instantiate abstract class\b|\bcannot create an instance of an abstract class\b"
    r"|\bis an abstract class\b|\bof abstract (?:class )?type\b"
    r"|\bincomplete (?:definition of )?type\b"
    r"|\bundefined type ['‘]struct|\bconflicting types for\b")

# From the most specific category to the most general one.
_BY_MESSAGE: _Rules = (
    ("database", _DATABASE),
    ("security", _SECURITY),
    ("deprecation", _DEPRECATION),
    ("config", _CONFIG_STRONG),
    ("async", _ASYNC),
    ("lint", _LINT),
    ("syntax", _SYNTAX),
    ("null", _NULL_ANY),
    ("memory", _MEMORY),
    ("import", _IMPORT),
    ("name", _NAME),
    ("index", _INDEX),
    ("network", _NETWORK),
    ("auth", _AUTH),
    ("config", _CONFIG),
    ("type", _TYPE),
)

# What the message may still say about a linter's rule that no table names.
_LINTER_OVERRIDES: _Rules = (("security", _SECURITY), ("deprecation", _DEPRECATION))

# A category found by code, narrowed by what the message says about the culprit.
_REFINE: dict[str, _Rules] = {
    "type": (
        ("async", _rx(
            r"\bcoroutine\b|\"Coroutine\[|\bawait(?:able)?\b|\bbetween threads safely\b"
            r"|\bis not a future\b|\bdoes not exist on type '(?:Promise|PromiseLike)<"
            r"|^(?:Type|Argument of type) '(?:Promise|PromiseLike)<[^']*>' is (?:not assignable"
            r" to (?:parameter of )?type '(?!Promise)|missing the following propert)")),
        ("null", _NULL_ANY),
        ("name", _rx(r"\bno (?:member|type) named ['‘][^'’]*['’] in namespace\b")),
        ("index", _rx(r"\bindex -?\d+ (?:is )?out of (?:range|bounds)\b"
                      r"|\bhas no element at index\b")),
        ("import", _rx(r"\bcircular import\b|\bpartially initialized module\b"
                       r"|\bunknown import symbol\b|\bis not exported from module\b"
                       r"|\bdoes not explicitly export\b")),
        ("network", _rx(r"\bfailed to fetch\b|\bfetch failed\b")),
    ),
    "syntax": (
        ("async", _rx(r"['`\"](?:await|async with|async for)['`\"] (?:statement )?outside\b"
                      r"|\basynchronous comprehension outside\b")),
    ),
    "lint": (
        ("async", _rx(r"\bimplementer of `(?:std::future::)?Future`|\bfutures do nothing\b")),
        ("index", _rx(r"\bindex out of bounds\b")),
    ),
}


# --- Code tables, one per tool ---------------------------------------------------------


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


def _tool_for(source: str) -> _Tool | None:
    key = source.strip().lower()
    if key in _TOOLS:
        return _TOOLS[key]
    key = re.sub(r"(?<=[a-z+])-?\d+(?:\.\d+)*$", "", key)  # gcc-13, clang++-17, python3.12
    return _TOOLS.get(key)


def _first(rules: _Rules, message: str) -> str | None:
    for category, pattern in rules:
        if pattern.search(message):
            return category
    return None


def _refine(category: str, message: str) -> str:
    return _first(_REFINE.get(category, ()), message) or category


def classify(subject: Subject) -> str:
    diag = subject.diagnostic
    message = diag.message or ""
    source = (diag.source or "").strip()
    tool = _tool_for(source) if source else None
    code = str(diag.code or "").strip()
    if not code and tool is not None and tool.code_from_source:
        code = source
    if code:
        category = (tool or _SHARED).lookup(code)
        if category is not None:
            return _refine(category, message)
        if tool is not None and tool.default and tool.owns_code(code):
            return _first(_LINTER_OVERRIDES, message) or _refine(tool.default, message)
    category = _first(_BY_MESSAGE, message)
    if category is not None:
        return category
    if tool is not None and tool.fallback:
        return tool.fallback
    return "other"
