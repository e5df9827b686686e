"""A corpus of secret formats: for each, a realistic line holding one (made up, built from a
seeded random generator in the shape of the real format) and a near miss that must be left
alone. `test_redact_corpus.py` checks every positive is redacted and no negative is touched.

Formats follow what gitleaks and detect-secrets recognise, plus the ways secrets reach a
prompt in practice: `.env` files, INI files, environment dumps, command lines, tracebacks.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

_rng = random.Random(1313)

ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "_-"


def rand(alphabet: str, n: int) -> str:
    """`n` characters of `alphabet`, with at least one digit, one lower and one upper letter
    where the alphabet has them (real keys do; the digit checks of some rules rely on it)."""
    while True:
        value = "".join(_rng.choice(alphabet) for _ in range(n))
        wanted = [set(string.digits), set(string.ascii_lowercase), set(string.ascii_uppercase)]
        if all(not (group & set(alphabet)) or group & set(value) for group in wanted):
            return value


@dataclass(frozen=True)
class Case:
    id: str
    positive: str  # text holding the secret
    secret: str  # must not survive redaction
    negative: str  # a near miss: must come back unchanged


def _pem_body(lines: int) -> list[str]:
    return [rand(B64, 64) for _ in range(lines)]


STRIPE_LIVE = "sk_live_" + rand(ALNUM, 99)
STRIPE_RESTRICTED = "rk_live_" + rand(ALNUM, 24)
SENDGRID = "SG." + rand(URLSAFE, 22) + "." + rand(URLSAFE, 43)
GLPAT = "glpat-" + rand(URLSAFE, 20)
HF = "hf_" + rand(string.ascii_letters, 34)
NPM = "npm_" + rand(ALNUM, 36)
PYPI = "pypi-AgEIcHlwaS5vcmc" + rand(URLSAFE, 70)
AZURE_KEY = rand(B64, 86) + "=="
AWS_ID = "AKIA" + rand(string.ascii_uppercase + string.digits, 16)
AWS_SECRET = rand(B64, 40)
GHP = "ghp_" + rand(ALNUM, 36)
GHU = "ghu_" + rand(ALNUM, 36)
GHR = "ghr_" + rand(ALNUM, 76)
GH_PAT = "github_pat_" + rand(ALNUM, 22) + "_" + rand(ALNUM, 59)
XOXB = "xoxb-" + rand(string.digits, 12) + "-" + rand(string.digits, 13) + "-" + rand(ALNUM, 24)
XOXE = "xoxe.xoxp-1-" + rand(ALNUM, 140)
GOOGLE = "AIza" + rand(URLSAFE, 35)
GOCSPX = "GOCSPX-" + rand(URLSAFE, 28)
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + rand(URLSAFE, 60) + "." + rand(URLSAFE, 43))
OPENAI = "sk-proj-" + rand(URLSAFE, 120)
ANTHROPIC = "sk-ant-api03-" + rand(URLSAFE, 93) + "AA"
GROQ = "gsk_" + rand(ALNUM, 52)
TWILIO = "SK" + rand(HEX, 32)
MAILGUN = "key-" + rand(HEX, 32)
MAILCHIMP = rand(HEX, 32) + "-us14"
SHOPIFY = "shpat_" + rand(HEX, 32)
DIGITALOCEAN = "dop_v1_" + rand(HEX, 64)
DOCKER = "dckr_pat_" + rand(URLSAFE, 27)
VAULT = "hvs." + rand(URLSAFE, 90)
DATABRICKS = "dapi" + rand(HEX, 32)
TELEGRAM = rand(string.digits, 10) + ":AA" + rand(URLSAFE, 33)
AGE = "AGE-SECRET-KEY-1" + rand("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)
WHSEC = "whsec_" + rand(ALNUM, 32)
LINEAR = "lin_api_" + rand(ALNUM, 40)
SENTRY = "sntrys_" + rand(B64, 60)
NEWRELIC = "NRAK-" + rand(string.ascii_uppercase + string.digits, 27)
PULUMI = "pul-" + rand(HEX, 40)
POSTMAN = "PMAK-" + rand(HEX, 24) + "-" + rand(HEX, 34)
SQUARE = "sq0atp-" + rand(URLSAFE, 22)
HIGH_ENTROPY = rand(ALNUM + "+/", 44)
HEX_SECRET = rand(HEX, 64)
PEM_LINES = _pem_body(6)

CASES: list[Case] = [
    Case("stripe-sk-live", f'stripe.api_key = "{STRIPE_LIVE}"', STRIPE_LIVE,
         'stripe.api_key = os.environ["STRIPE_KEY"]  # sk_live_... in production'),
    Case("stripe-rk-live", f"Stripe::Client.new('{STRIPE_RESTRICTED}')", STRIPE_RESTRICTED,
         "mode = 'sk_live' if production else 'sk_test'"),
    Case("sendgrid", f'sg = SendGridAPIClient("{SENDGRID}")', SENDGRID,
         'sg = SendGridAPIClient(os.environ.get("SENDGRID_API_KEY"))'),
    Case("gitlab-pat", f"git clone https://oauth2:{GLPAT}@gitlab.com/acme/app.git", GLPAT,
         "git clone https://gitlab.com/acme/app.git"),
    Case("gitlab-pat-bare", f"gl = gitlab.Gitlab(url, {GLPAT!r})", GLPAT,
         "gl = gitlab.Gitlab(url, private_token=token)"),
    Case("huggingface", f"huggingface-cli login --token {HF}", HF,
         "huggingface-cli login --token $HF_TOKEN"),
    Case("npm", f"//registry.npmjs.org/:_authToken={NPM}", NPM,
         "//registry.npmjs.org/:_authToken=${NPM_TOKEN}"),
    Case("npmrc-legacy", "//npm.example.com/:_authToken=a81f2c33-9be0-4f6e-b5a1-77d0c3e9a5c2",
         "a81f2c33-9be0-4f6e-b5a1-77d0c3e9a5c2", "//npm.example.com/:always-auth=true"),
    Case("pypi", f"twine upload -u __token__ -p {PYPI} dist/*", PYPI,
         "twine upload -u __token__ -p $PYPI_TOKEN dist/*"),
    Case("azure-account-key",
         "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey="
         f"{AZURE_KEY};EndpointSuffix=core.windows.net", AZURE_KEY,
         "DefaultEndpointsProtocol=https;AccountName=acme;EndpointSuffix=core.windows.net"),
    Case("dotenv-db-pass", "DB_HOST=db\nDB_PASS=Xq7-marmot-41\n", "Xq7-marmot-41",
         "DB_HOST=db\nDB_PORT=5432\n"),
    Case("dotenv-pgpassword", "PGHOST=localhost\nPGPASSWORD=pg_Str0ng!\n", "pg_Str0ng!",
         "PGHOST=localhost\nPGUSER=app\n"),
    Case("ini-password", "[database]\nuser = app\npassword = Tr1ckyValue\n", "Tr1ckyValue",
         "[database]\nuser = app\nport = 5432\n"),
    Case("ini-secret-punct", "[auth]\nclient_secret = a.b-c+d!9\n", "a.b-c+d!9",
         "[auth]\nclient_id = web-app\n"),
    Case("aws-secret-positional",
         f'session = boto3.Session("{AWS_ID}", "{AWS_SECRET}")', AWS_SECRET,
         'session = boto3.Session(profile_name="dev")'),
    Case("aws-secret-cli", f"aws configure set aws_secret_access_key {AWS_SECRET}", AWS_SECRET,
         "aws configure set region eu-west-1"),
    Case("aws-access-key-id", f"aws_access_key_id = {AWS_ID}", AWS_ID,
         "aws_access_key_id = AKIAIOSFODNN7"),
    Case("env-dump-my-secret", "HOME=/home/dev\nMY_SECRET=swordfish\nSHLVL=1\n", "swordfish",
         "HOME=/home/dev\nMY_SHELL=/bin/zsh\nSHLVL=1\n"),
    Case("env-dump-token", "PATH=/usr/bin\nCI_JOB_TOKEN=64_ab9Xr2LmQ\n", "64_ab9Xr2LmQ",
         "PATH=/usr/bin\nCI_JOB_ID=123456\n"),
    Case("slack-bot", f"SLACK_BOT={XOXB}", XOXB, "SLACK_CHANNEL=#alerts"),
    Case("slack-refresh", f'refresh = "{XOXE}"', XOXE.split("-", 1)[1],
         'refresh = "xoxe is a prefix Slack uses"'),
    Case("github-ghp", f"git remote set-url origin https://{GHP}@github.com/a/b", GHP,
         "git remote set-url origin https://github.com/a/b"),
    Case("github-ghu", f'token: "{GHU}"', GHU, 'token: "${{ secrets.GITHUB_TOKEN }}"'),
    Case("github-ghr", f"refresh={GHR}", GHR, "refresh=true"),
    Case("github-fine-grained", f"gh auth login --with-token <<< {GH_PAT}", GH_PAT,
         "gh auth login --web"),
    Case("google-api-key", f"https://maps.googleapis.com/x?key={GOOGLE}", GOOGLE,
         "https://maps.googleapis.com/x?key=YOUR_KEY"),
    Case("google-oauth-secret", f'"client_secret":"{GOCSPX}"', GOCSPX,
         '"client_id":"123-abc.apps.googleusercontent.com"'),
    Case("jwt", f"Cookie: session={JWT}", JWT, "Cookie: theme=dark"),
    Case("openai", f"OpenAI(api_key={OPENAI!r})", OPENAI, "OpenAI(api_key=key)"),
    Case("anthropic", f"curl -H 'x-api-key: {ANTHROPIC}' https://api.anthropic.com", ANTHROPIC,
         "curl -H 'x-api-key: $ANTHROPIC_API_KEY' https://api.anthropic.com"),
    Case("groq", f"client = Groq({GROQ!r})", GROQ, "client = Groq()"),
    Case("twilio", f"client = Client({TWILIO!r}, secret)", TWILIO,
         "client = Client(account_sid, auth)"),
    Case("mailgun", f"auth=('api', '{MAILGUN}')", MAILGUN, "auth=('api', api_key)"),
    Case("mailchimp", f"client.set_config({{'api_key': '{MAILCHIMP}'}})", MAILCHIMP,
         "client.set_config({'server': 'us14'})"),
    Case("shopify", f"X-Shopify-Access-Token: {SHOPIFY}", SHOPIFY,
         "X-Shopify-Shop-Domain: acme.myshopify.com"),
    Case("digitalocean", f"doctl auth init -t {DIGITALOCEAN}", DIGITALOCEAN,
         "doctl auth init --context work"),
    Case("docker-hub", f"echo {DOCKER} | docker login -u me --password-stdin", DOCKER,
         "docker login -u me --password-stdin < token.txt"),
    Case("vault", f"VAULT_ADDR=https://v:8200 vault login {VAULT}", VAULT,
         "VAULT_ADDR=https://v:8200 vault login -method=oidc"),
    Case("databricks", f"databricks configure --token {DATABRICKS}", DATABRICKS,
         "databricks configure --profile dev"),
    Case("telegram", f"bot = Bot({TELEGRAM!r})", TELEGRAM, "bot = Bot(token)"),
    Case("age", f"# {AGE}", AGE, "# age public key: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw"),
    Case("stripe-webhook", f"endpoint_secret = '{WHSEC}'", WHSEC,
         "endpoint_secret = settings.STRIPE_WEBHOOK"),
    Case("linear", f"Authorization: {LINEAR}", LINEAR, "Authorization: required"),
    Case("sentry", f"SENTRY_AUTH={SENTRY}", SENTRY, "SENTRY_ENV=prod"),
    Case("newrelic", f"newrelic_api({NEWRELIC!r})", NEWRELIC, "newrelic_api(key)"),
    Case("pulumi", f"pulumi login --token {PULUMI}", PULUMI, "pulumi login --local"),
    Case("postman", f"X-Api-Key: {POSTMAN}", POSTMAN, "X-Api-Key: <your key>"),
    Case("square", f"client = Square(access_token='{SQUARE}')", SQUARE,
         "client = Square(environment='sandbox')"),
    Case("password-in-url", "postgresql://app:Sup3r-S3cret@db:5432/app", "Sup3r-S3cret",
         "postgresql://app@db:5432/app"),
    Case("entropy-signing-salt", f'SIGNING_SALT: "{HIGH_ENTROPY}"', HIGH_ENTROPY,
         'SIGNING_SALT: "change-me-in-production"'),
    Case("entropy-hex-encryption-key", f"encryption_key = {HEX_SECRET}", HEX_SECRET,
         f"commit_sha = {HEX_SECRET}"),
    Case("pem-complete",
         "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(PEM_LINES)
         + "\n-----END RSA PRIVATE KEY-----", PEM_LINES[2],
         "if line.startswith('-----BEGIN RSA PRIVATE KEY-----'):\n    in_key = True"),
    Case("pem-openssh-cut", "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(PEM_LINES[:3]),
         PEM_LINES[1], "ssh-keygen -t ed25519 -f ~/.ssh/id_ed25519"),
]
