"""Secret redaction before context leaves the machine: what is replaced, what is left alone.

Every secret below is made up (random characters in the shape of the real format).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dexter_ls.prompting.redact.engine import Redacted, redact, secret_kind

# --- fake secrets ------------------------------------------------------------------------

OPENAI = "sk-M0XvqZjxTW3xvboSRt5Mh3dAwVtRMflhbmuaptt0Azn0DNRU"
OPENAI_PROJ = "sk-proj-V0FhHVJWDBt2hWdQZUm14QhoxhLPAbQcEFUV2fsjGHb6HrlEOS47WgjK"
ANTHROPIC = ("sk-ant-api03-Cu-0xxKhg5QjWV1mKaUyvBPs0jSO2Jkf08MMF1ulMMCw3XVy27dFanUrOSE62chn4x"
             "deJg1Kza5KxxGWfvmaQtKnP-VSGAA")
GHP = "ghp_xni7z9KwRkNr4aE28uz5eRTpPWzUB4q60ssk"
GHO = "gho_DI1EDL0Y6wu1JOSNta0PKhe37ak1aSJARa77"
GHS = "ghs_17tzNlIrTtfkbSh2Cde2wioVMEuUYMjPeFXs"
GH_PAT = ("github_pat_11GZ278V65E54X59G3AWM3_t8QvwTH6Iuj2OkDCJ23VmCwykTp4EilsS2aQnjUHc6LZQ9SMDc"
          "EVV8bOhUV")
XOXB = "xoxb-343067145871-3231864598365-Me57l9JuO4iIhOvqiZnCxh1G"
XOXP = "xoxp-078375234632-026874965100-7906880860506-6aa9a81b41be4b082b6b447cd07db789"
XAPP = ("xapp-1-ABXT1ETSH6D-1253825515671-c5b662940fa5790f3d7b50b5e5b1b5c9d43922388491188a34ee3"
        "08a87149684")
HOOK_PATH = "TVQM1ZH85/BHJMJRI6SUR/ikBd0YG5KE7X5ozhONva1lZp"
AKIA = "AKIA7T5BTFEE7VF6X30F"
ASIA = "ASIAOV6KR8I1EDWLJ5UQ"
AWS_SECRET = "KDpnJh+rgiOaPq+N9RtlnnudSkpmKog0Qwp+vaQc"
GOOGLE = "AIzaT7xl2cwC6dT0ctPVnaawqrczLJWImKMG4hE"
JWT = ("eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAidXNlci00ODIxIiwgIm5hbWUiOiAiQWRhIEV4"
       "YW1wbGUiLCAiaWF0IjogMTcxODAwMDAwMH0.buUVDPDR-m0k5iqkwUONAIifEcLav_q5ZvQmLL8ZrF8")
PEM_BODY = (
    "W+XSsa/ZqlMZSuEsi369rA5fT3RjkrqjThTNurdDRfMAfFQ2kgU2hn0HdhUn3FL4\n"
    "YD2g0/StNpBY1GbB9f04H6Xj6acHM7fWt6EqZxeu1luQBqbHtcZe87a1X+PEupmB\n"
    "MLZNFgroY/hei9nnmbaW3F9nFJkY5iyNyib7LzmGiN/LHAjUol+0/fCryeD932+Z\n"
    "djgZI7G3rYogpveWjDPtr9Pgzx8Fg7MPgMA7zegAXS7tkG2BGpu/g6LJNu1s3/vl\n"
    "tpC3I76o4O1ASl2B79i+NsrqWoB04k9j"
)
PEM_LINE = PEM_BODY.split("\n")[1]  # any line of the body must be gone


def pem(kind: str = "RSA ") -> str:
    return f"-----BEGIN {kind}PRIVATE KEY-----\n{PEM_BODY}\n-----END {kind}PRIVATE KEY-----"


# --- positives: (text, expected kind, the secret that must disappear) --------------------

POSITIVES = [
    # Recognisable formats, wherever they appear.
    pytest.param(f'client = OpenAI(api_key="{OPENAI}")', "openai-key", OPENAI, id="py-openai"),
    pytest.param(f"OPENAI_API_KEY={OPENAI_PROJ}\n", "openai-key", OPENAI_PROJ,
                 id="env-openai-proj"),
    pytest.param(f'const anthropic = new Anthropic({{ apiKey: "{ANTHROPIC}" }});', "anthropic-key",
                 ANTHROPIC, id="ts-anthropic"),
    pytest.param(f"export GITHUB_TOKEN={GHP}", "github-token", GHP, id="sh-ghp"),
    pytest.param(f'git clone https://x-access-token:{GHS}@github.com/acme/api.git',
                 "github-token", GHS, id="sh-ghs-in-url"),
    pytest.param(f'oauth = {{"access_token": "{GHO}", "scope": "repo"}}', "github-token", GHO,
                 id="json-gho"),
    pytest.param(f'let pat = "{GH_PAT}";', "github-token", GH_PAT, id="rust-github-pat"),
    pytest.param(f"SLACK_BOT_TOKEN={XOXB}", "slack-token", XOXB, id="env-xoxb"),
    pytest.param(f'client := slack.New("{XOXP}")', "slack-token", XOXP, id="go-xoxp"),
    pytest.param(f"app_token: {XAPP}", "slack-token", XAPP, id="yaml-xapp"),
    pytest.param(f'requests.post("https://hooks.slack.com/services/{HOOK_PATH}", json=msg)',
                 "slack-webhook", HOOK_PATH, id="py-slack-webhook"),
    pytest.param(f"[default]\naws_access_key_id = {AKIA}\n", "aws-access-key-id", AKIA,
                 id="ini-akia"),
    pytest.param(f'"AccessKeyId": "{ASIA}",', "aws-access-key-id", ASIA, id="json-asia"),
    pytest.param(f"aws_secret_access_key = {AWS_SECRET}\n", "aws-secret-key", AWS_SECRET,
                 id="ini-aws-secret"),
    pytest.param(f'export AWS_SECRET_ACCESS_KEY="{AWS_SECRET}"', "aws-secret-key", AWS_SECRET,
                 id="sh-aws-secret"),
    pytest.param(f'const MAPS_KEY = "{GOOGLE}";', "google-api-key", GOOGLE, id="js-google"),
    pytest.param(f"https://maps.googleapis.com/maps/api/geocode/json?address=x&key={GOOGLE}",
                 "google-api-key", GOOGLE, id="url-google"),
    pytest.param(f'session = "{JWT}"', "jwt", JWT, id="py-jwt"),
    pytest.param(f"curl -H 'Authorization: Bearer {JWT}' https://api.example.com/me", "jwt", JWT,
                 id="sh-bearer-jwt"),
    pytest.param(f'KEY = """{pem()}"""\n', "private-key", PEM_LINE, id="py-pem"),
    pytest.param(f"tls:\n  key: |\n    {pem('EC ').replace(chr(10), chr(10) + '    ')}\n",
                 "private-key", PEM_LINE, id="yaml-pem"),
    pytest.param('{"type": "service_account", "private_key": "'
                 + pem("").replace("\n", "\\n") + '\\n"}', "private-key", PEM_LINE,
                 id="json-pem-escaped"),
    pytest.param(f"-----BEGIN OPENSSH PRIVATE KEY-----\n{PEM_BODY}\n", "private-key", PEM_LINE,
                 id="pem-cut-off"),
    # Passwords in URLs and connection strings.
    pytest.param('DATABASE_URL = "postgres://admin:Tr0ub4dor-3@db.example.com:5432/app"',
                 "password-in-url", "Tr0ub4dor-3", id="py-postgres-url"),
    pytest.param("spring.data.mongodb.uri=mongodb+srv://app:Qz7!pLm2@cluster0.ab1cd.mongodb.net/x",
                 "password-in-url", "Qz7!pLm2", id="properties-mongo-url"),
    pytest.param('redis.from_url("redis://:r3d1sPass@cache.internal:6379/0")',
                 "password-in-url", "r3d1sPass", id="py-redis-no-user"),
    pytest.param('conn = "Server=tcp:sql.example.net,1433;Database=shop;User ID=app;'
                 'Password=Wint3r!Is;Encrypt=True;"', "password-in-connection-string",
                 "Wint3r!Is", id="cs-ado-password"),
    pytest.param('"Driver={ODBC Driver 18};Server=db;Uid=report;Pwd=b4ckd00r99;"',
                 "password-in-connection-string", "b4ckd00r99", id="odbc-pwd"),
    pytest.param('String url = "jdbc:mysql://db:3306/shop?user=root&password=Mysq1Root";',
                 "password", "Mysq1Root", id="java-jdbc-query"),
    # Authorization headers.
    pytest.param('headers = {"Authorization": "Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0"}',
                 "bearer-token", "9f8e7d6c5b4a39281706f5e4d3c2b1a0", id="py-bearer"),
    pytest.param('req.Header.Set("Authorization", "Bearer tk_live_4eC39HqLyjWDarjtT1zdp7dc")',
                 "bearer-token", "tk_live_4eC39HqLyjWDarjtT1zdp7dc", id="go-bearer"),
    pytest.param("Authorization: Basic YWRtaW46czNjcjN0UGFzcw==", "basic-auth",
                 "YWRtaW46czNjcjN0UGFzcw==", id="http-basic"),
    # Secret-named keys with literal values, in many languages.
    pytest.param('DB_PASSWORD = "correct-horse-battery"', "password", "correct-horse-battery",
                 id="py-password"),
    pytest.param("SECRET_KEY = 'django-insecure-h3k@9x!q2m#w7v$z'", "secret",
                 "django-insecure-h3k@9x!q2m#w7v$z", id="py-django-secret-key"),
    pytest.param("def login(user: str, password: str = \"letmein42\") -> None: ...", "password",
                 "letmein42", id="py-default-arg"),
    pytest.param('self.api_key = b"a1b2c3d4e5f6"', "api-key", "a1b2c3d4e5f6", id="py-bytes"),
    pytest.param("const clientSecret = 'f00dBabe-1234-cafe';", "secret", "f00dBabe-1234-cafe",
                 id="js-client-secret"),
    pytest.param("const config = { auth: `dXNlcjpwYXNz`, retries: 3 };", "auth", "dXNlcjpwYXNz",
                 id="js-template-literal"),
    pytest.param("let token: string = 'tok_9a8b7c6d5e';", "token", "tok_9a8b7c6d5e",
                 id="ts-annotated"),
    pytest.param('password := "g0-p4ssw0rd"', "password", "g0-p4ssw0rd", id="go-short-decl"),
    pytest.param('cfg := Config{Host: "db", Passwd: "mysq1-pw"}', "password", "mysq1-pw",
                 id="go-struct-literal"),
    pytest.param('const API_KEY: &str = "rk_live_51Hx0aBcDeFgH";', "api-key",
                 "rk_live_51Hx0aBcDeFgH", id="rust-const"),
    pytest.param("database:\n  host: db.internal\n  password: S3cure!Pass # prod\n", "password",
                 "S3cure!Pass", id="yaml-unquoted"),
    pytest.param("services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=example99\n",
                 "password", "example99", id="compose-env-list"),
    pytest.param('{\n  "username": "svc",\n  "password": "p@55w0rd!"\n}', "password", "p@55w0rd!",
                 id="json-password"),
    pytest.param('[pypi]\nusername = "__token__"\napi_token = "pypi-AgEIcHlwaS5vcmcCJDk2"\n',
                 "token", "pypi-AgEIcHlwaS5vcmcCJDk2", id="toml-token"),
    pytest.param("SESSION_SECRET=hk82jdl0aa9\nDEBUG=false\n", "secret", "hk82jdl0aa9",
                 id="dotenv-secret"),
    pytest.param("export DOCKER_PASSWORD='d0ck3r-hub!'", "password", "d0ck3r-hub!",
                 id="sh-export-quoted"),
    pytest.param("ENV NPM_TOKEN=npm_f1a2b3c4d5e6f7a8b9c0", "token", "npm_f1a2b3c4d5e6f7a8b9c0",
                 id="dockerfile-env"),
    pytest.param("mysql --user=root --password=hunter2 shop < dump.sql", "password", "hunter2",
                 id="sh-flag"),
    pytest.param("X-Api-Key: 7c4a8d09ca3762af61e59520943dc264", "api-key",
                 "7c4a8d09ca3762af61e59520943dc264", id="http-api-key-header"),
    pytest.param("$db_pass = 'unused'; $password = \"phpS3cret\";", "password", "phpS3cret",
                 id="php-password"),
    pytest.param("UPDATE users SET password = 'plain-text-1' WHERE id = 7;", "password",
                 "plain-text-1", id="sql-password"),
    pytest.param('client = Client(access_key="AK-test-99", region="eu")', "access-key",
                 "AK-test-99", id="py-kwarg-access-key"),
]


@pytest.mark.parametrize(("text", "kind", "secret"), POSITIVES)
def test_secret_is_replaced(text: str, kind: str, secret: str) -> None:
    result = redact(text)
    assert kind in result.kinds, result
    assert secret not in result.text
    assert "[REDACTED:" in result.text
    assert result.count == len(result.kinds) >= 1


def test_corpus_size() -> None:
    assert len(POSITIVES) >= 30
    assert len(NEGATIVES) >= 25


# --- negatives: ordinary code that must come back unchanged ------------------------------

NEGATIVES = [
    pytest.param("token_count = len(tokens)\nmax_tokens = 1024\n", id="py-token-count"),
    pytest.param('password_field = forms.CharField(widget=forms.PasswordInput, label="Password")',
                 id="py-password-field"),
    pytest.param("secret = get_secret()\nvalue = vault.read_secret('db/creds')", id="py-call"),
    pytest.param("def __init__(self, token: str) -> None:\n    self.token = token\n",
                 id="py-self-token"),
    pytest.param("password = input()\npassword = getpass.getpass()", id="py-input"),
    pytest.param("class Settings(BaseSettings):\n    token: str\n"
                 "    api_key: Optional[str] = None\n    password: SecretStr\n",
                 id="py-annotations"),
    pytest.param("client = Client(secret=None, token=token, api_key=api_key)", id="py-kwargs-refs"),
    pytest.param('password = ""\nsecret = \'\'\n', id="py-empty"),
    pytest.param("She called the secretary about the token ring network.", id="prose-words"),
    pytest.param('API_KEY = os.environ["API_KEY"]\nTOKEN = os.getenv("TOKEN", "")\n',
                 id="py-environ"),
    pytest.param("const token = process.env.TOKEN;\nconst { password } = req.body;\n",
                 id="js-env"),
    pytest.param("interface Login {\n  username: string;\n  password: string;\n  token?: string\n}",
                 id="ts-interface"),
    pytest.param('headers: { Authorization: `Bearer ${token}` },', id="js-bearer-template"),
    pytest.param('headers = {"Authorization": f"Bearer {token}"}', id="py-bearer-fstring"),
    pytest.param('req.Header.Set("Authorization", "Bearer "+token)', id="go-bearer-concat"),
    pytest.param('password := os.Getenv("DB_PASSWORD")\ncfg := Config{Password: password}',
                 id="go-getenv"),
    pytest.param("pub struct Config {\n    pub token: String,\n    password: Option<String>,\n}",
                 id="rust-struct"),
    pytest.param('let token = env::var("GITHUB_TOKEN")?;', id="rust-env"),
    pytest.param("steps:\n  - uses: actions/checkout@v4\n    with:\n"
                 "      token: ${{ secrets.GITHUB_TOKEN }}\n", id="yaml-actions-secret"),
    pytest.param("db:\n  password: {{ .Values.db.password }}\n  api_key: !ENV ${API_KEY}\n",
                 id="yaml-templates"),
    pytest.param("auth:\n  type: oauth\n  token_url: https://auth.example.com/token\n",
                 id="yaml-auth-config"),
    pytest.param("SECRET_KEY=\nDB_PASSWORD=${DB_PASSWORD}\nTOKEN=$(vault read -field=t x)\n",
                 id="dotenv-refs"),
    pytest.param('export TOKEN="$GITHUB_TOKEN"\ncurl -H "Authorization: Bearer $TOKEN" "$URL"\n',
                 id="sh-refs"),
    pytest.param("git clone https://deploy@github.com/acme/api.git\n"
                 "open http://localhost:8080/login?next=/home", id="url-no-password"),
    pytest.param('DSN = f"postgresql://{user}:{password}@{host}:5432/{db}"', id="py-dsn-fstring"),
    pytest.param('"resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",\n'
                 '"integrity": "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQ9pIsLW1JOUm+JgbtH5kF'
                 'cT4vw/PHoXBrdPyY8IJG9Z2Ow=="', id="lockfile-integrity"),
    pytest.param('hash = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"',
                 id="poetry-hash"),
    pytest.param("request_id = '123e4567-e89b-12d3-a456-426614174000'", id="uuid"),
    pytest.param("Fixed in 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39 (see #482).", id="commit-sha"),
    pytest.param("if token == \"(\":\n    depth += 1", id="py-comparison"),
    pytest.param('"password": null,\n"token": null', id="json-nulls"),
    pytest.param('"max_tokens": 256,\n"auth_method": "password"', id="json-config"),
    pytest.param('<input type="password" name="password" placeholder="Password">', id="html"),
    pytest.param('logging.info("token: %s", token)', id="py-log-format"),
    pytest.param("const tokenizer = 'cl100k_base';\nconst author = 'Ada';",
                 id="js-lookalike-names"),
    pytest.param('BEGIN = "-----BEGIN RSA PRIVATE KEY-----"\nEND = "-----END RSA PRIVATE KEY-----"',
                 id="py-pem-markers"),
    pytest.param("npm install sk-learn-wrapper-is-not-a-real-package", id="sk-prefix-slug"),
    pytest.param('<a href="next.html" accesskey="n" rel="next">Next</a>', id="html-accesskey"),
    pytest.param("jsonnet_token = r'[^\\W\\d]\\w*'", id="py-lexer-regex"),
    pytest.param('def sign(private_key: "_RSAPrivateKey", data: bytes) -> bytes: ...',
                 id="py-forward-ref"),
    pytest.param('STYLE = {Token: "#d8dee9", Comment: "italic #616e88"}', id="pygments-style"),
    pytest.param('    Args:\n        password: The password to use, or None to prompt.\n',
                 id="py-docstring"),
    pytest.param('print(f"password={password!r}")\nauth = "Basic " + credentials\n',
                 id="py-format-and-scheme"),
    pytest.param("password: [REDACTED:password]\nkey = \"[REDACTED:openai-key]\"",
                 id="placeholders"),
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_code_is_unchanged(text: str) -> None:
    assert redact(text) == Redacted(text, 0, ())


# --- shape of the output -----------------------------------------------------------------


def test_assignment_keeps_name_and_quotes() -> None:
    assert redact('password = "hunter2"').text == 'password = "[REDACTED:password]"'
    assert redact("api_key: 'abc123'").text == "api_key: '[REDACTED:api-key]'"


def test_url_keeps_scheme_user_and_host() -> None:
    result = redact("postgres://admin:s3cr3t@db.example.com:5432/app")
    assert result.text == "postgres://admin:[REDACTED:password]@db.example.com:5432/app"
    assert result.kinds == ("password-in-url",)


def test_connection_string_keeps_other_fields() -> None:
    text = "Server=db;Database=shop;User Id=sa;Password=Secr3t!;Encrypt=true"
    assert redact(text).text == (
        "Server=db;Database=shop;User Id=sa;Password=[REDACTED:password];Encrypt=true")


def test_specific_kind_wins_over_the_key_name() -> None:
    result = redact(f'OPENAI_API_KEY = "{OPENAI}"')
    assert result.text == 'OPENAI_API_KEY = "[REDACTED:openai-key]"'
    assert result.kinds == ("openai-key",)


def test_private_key_block_is_replaced_whole() -> None:
    text = f"key = '''{pem()}'''\nprint(key)\n"
    assert redact(text).text == "key = '''[REDACTED:private-key]'''\nprint(key)\n"


def test_slack_webhook_keeps_host() -> None:
    result = redact(f"url: https://hooks.slack.com/services/{HOOK_PATH}")
    assert result.text == "url: https://hooks.slack.com/services/[REDACTED:slack-webhook]"


def test_several_secrets_in_order_of_appearance() -> None:
    text = (
        f'OPENAI_API_KEY = "{OPENAI}"\n'
        'DATABASE_URL = "postgres://app:pa55word@db:5432/app"\n'
        "token_count = 0\n"
        f"AWS_ACCESS_KEY_ID={AKIA}\n"
        f"AWS_SECRET_ACCESS_KEY={AWS_SECRET}\n"
        'password = "hunter2"  # and a comment\n'
        f"{pem()}\n"
    )
    result = redact(text)
    assert result.kinds == ("openai-key", "password-in-url", "aws-access-key-id",
                            "aws-secret-key", "password", "private-key")
    assert result.count == 6
    for secret in (OPENAI, "pa55word", AKIA, AWS_SECRET, "hunter2", PEM_LINE):
        assert secret not in result.text
    assert "token_count = 0" in result.text


def test_same_secret_twice_counts_twice() -> None:
    result = redact(f"a = '{GHP}'\nb = '{GHP}'\n")
    assert result.count == 2
    assert result.kinds == ("github-token", "github-token")


def test_secret_names() -> None:
    named = ["password", "DB_PASSWORD", "passwd", "pwd", "secret", "client_secret", "clientSecret",
             "SECRET_KEY", "token", "authToken", "GITHUB_TOKEN", "api_key", "apiKey", "APIKey",
             "x-api-key", "apikey", "access_key", "auth", "self.token", "--password"]
    plain = ["token_count", "password_field", "tokens", "tokenizer", "secretary", "author",
             "oauth", "auth_url", "token_type", "api_key_id", "key", "passwordConfirm"]
    assert [n for n in named if secret_kind(n) is None] == []
    assert [n for n in plain if secret_kind(n) is not None] == []


# --- idempotence -------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind", "secret"), POSITIVES)
def test_redacting_twice_changes_nothing_more(text: str, kind: str, secret: str) -> None:
    once = redact(text)
    twice = redact(once.text)
    assert twice == Redacted(once.text, 0, ())


def _values(params: Sequence[Any]) -> list[str]:
    return [str(p.values[0]) for p in params]


FRAGMENTS = [*_values(POSITIVES), *_values(NEGATIVES), " ", "\n", "=", ":", '"', "'", "@", ";",
             "://", "password", "token", "-----END PRIVATE KEY-----"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8))
def test_idempotent_on_mixed_fragments(parts: list[str]) -> None:
    once = redact("".join(parts))
    assert redact(once.text).count == 0
    assert once.text.count("[REDACTED:") >= once.count


# --- large and hostile input (timing: bench/text_speed.py) ----------------------------


def test_200kb_of_code_redacts_every_key_and_nothing_else() -> None:
    chunk = "\n".join([
        "def handler(event, context):",
        "    token = event['headers'].get('x-token')",
        "    if not token:",
        '        raise ValueError("missing token")',
        '    url = f"https://api.example.com/v1/items?page={event[\'page\']}"',
        "    return {'statusCode': 200, 'body': json.dumps(items)}",
        "database:",
        "  host: db.internal",
        "  password: ${DB_PASSWORD}",
        f'API_KEY = "{GOOGLE}"',
        "",
    ])
    text = chunk * (200_000 // len(chunk) + 1)
    assert len(text) >= 200_000
    result = redact(text)
    assert result.count == text.count(GOOGLE)
    assert GOOGLE not in result.text
    assert result.text.count("def handler(event, context):") == text.count(
        "def handler(event, context):")


@pytest.mark.parametrize("unit", [
    "sk-", "eyJ", "eyJabcde.", "a://", "a://b:", "-----BEGIN PRIVATE KEY-----", "-----END ",
    "password=", "password: ", 'token = "', "token = `", "Password=", "?token=", "x" * 99 + "=",
    "Authorization: Bearer ", "secret_access_key=", "u:p@", " ", "\\n", "AKIA",
])
def test_hostile_repetition_is_handled(unit: str) -> None:
    text = unit * (200_000 // len(unit) + 1)
    result = redact(text)
    assert redact(result.text).count == 0  # nothing left to find: it finished the job
