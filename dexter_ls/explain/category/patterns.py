"""Message patterns for error categories (see classify.py). Every pattern is linear."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from dexter_ls.explain.category.lazy import LazyPattern

CATEGORIES = ("syntax", "type", "name", "import", "null", "index", "async", "memory",
              "network", "database", "auth", "config", "lint", "deprecation", "security",
              "other")


def _rx(pattern: str) -> LazyPattern:
    return LazyPattern(pattern, re.IGNORECASE)


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

    lead: LazyPattern
    inner: LazyPattern

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

