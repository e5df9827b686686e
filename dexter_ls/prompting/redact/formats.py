"""Token formats a secret scanner recognises by their shape alone (a vendor prefix, a fixed
length, a checksum alphabet), wherever they appear in the text.

The list follows what gitleaks and detect-secrets know, written as our own patterns. Each entry
is (kind, pattern, needs a digit): the digit check keeps words that merely share a prefix
(`sk-learn-classifier`) out. Every pattern starts with a fixed prefix and has one bounded or
terminal character class, so scanning is linear.
"""

from __future__ import annotations

# Not preceded by a character that would make the prefix part of a longer word.
_B = r"(?<![A-Za-z0-9_-])"
# Not followed by one more character of the token's alphabet.
_E = r"(?![A-Za-z0-9_-])"

FORMATS: tuple[tuple[str, str, bool], ...] = (
    # Model vendors.
    ("anthropic-key", r"(?<![A-Za-z0-9])sk-ant-[A-Za-z0-9_-]{20,}", False),
    ("openai-key", r"(?<![A-Za-z0-9])sk-(?!ant-)[A-Za-z0-9_-]{20,}", True),
    ("huggingface-token", _B + r"(?:hf_|api_org_)[A-Za-z0-9]{30,40}" + _E, False),
    ("groq-key", _B + r"gsk_[A-Za-z0-9]{40,60}" + _E, False),
    ("replicate-token", _B + r"r8_[A-Za-z0-9]{30,40}" + _E, True),
    ("perplexity-key", _B + r"pplx-[A-Za-z0-9]{40,56}" + _E, True),
    ("xai-key", _B + r"xai-[A-Za-z0-9]{60,90}" + _E, True),
    # Source forges and package registries.
    ("github-token",
     r"(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})", False),
    ("gitlab-token",
     _B + r"(?:glpat|gldt|glrt|glptt|glcbt|glsoat|gloas|glft|glimt|glagent|glffct)-"
     r"[A-Za-z0-9_.-]{20,300}" + r"(?![A-Za-z0-9_.-])", False),
    ("gitlab-runner-token", _B + r"GR1348941[A-Za-z0-9_-]{20}" + _E, False),
    ("npm-token", _B + r"npm_[A-Za-z0-9]{36}" + _E, False),
    ("pypi-token", _B + r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{30,}", False),
    ("rubygems-key", _B + r"rubygems_[a-f0-9]{48}" + _E, False),
    ("clojars-token", _B + r"CLOJARS_[a-z0-9]{60}" + _E, False),
    ("docker-hub-token", _B + r"dckr_pat_[A-Za-z0-9_-]{27}" + _E, False),
    ("bitbucket-token", _B + r"ATBB[A-Za-z0-9_=.-]{32,}" + _E, False),
    ("atlassian-token", _B + r"ATATT3[A-Za-z0-9_=.-]{150,250}", False),
    # Payments and commerce.
    ("stripe-key", _B + r"(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,120}" + _E, False),
    ("stripe-webhook-secret", _B + r"whsec_[A-Za-z0-9]{24,}" + _E, False),
    ("square-token", _B + r"(?:sq0atp|sq0csp)-[A-Za-z0-9_-]{22,43}" + _E, False),
    ("square-token", _B + r"EAAA[A-Za-z0-9_-]{60}" + _E, True),
    ("shopify-token", _B + r"shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}" + _E, False),
    ("paypal-braintree-token", r"access_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32}", False),
    ("flutterwave-key", _B + r"FLW(?:SECK|PUBK)_TEST-[a-h0-9]{32}-X", False),
    ("duffel-token", _B + r"duffel_(?:test|live)_[A-Za-z0-9_=-]{43}" + _E, False),
    ("shippo-token", _B + r"shippo_(?:live|test)_[a-f0-9]{40}" + _E, False),
    # Messaging and email.
    ("slack-token", r"(?<![A-Za-z0-9])(?:xox[abeoprs]|xapp)-[A-Za-z0-9-]{10,}", True),
    ("sendgrid-key", _B + r"SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}" + _E, False),
    ("mailgun-key", _B + r"key-[a-f0-9]{32}" + _E, True),
    ("mailchimp-key", _B + r"[a-f0-9]{32}-us[0-9]{1,2}" + _E, False),
    ("sendinblue-key", _B + r"xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}" + _E, False),
    ("twilio-key", _B + r"SK[0-9a-fA-F]{32}" + _E, True),
    ("telegram-bot-token", r"(?<![0-9A-Za-z])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}" + _E, False),
    ("discord-webhook",
     r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/"
     r"[A-Za-z0-9_-]{60,68}", False),
    ("postman-key", _B + r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}" + _E, False),
    # Clouds and infrastructure.
    ("aws-access-key-id",
     r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])", False),
    ("google-api-key", r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])", False),
    ("google-oauth-secret", _B + r"GOCSPX-[A-Za-z0-9_-]{28}" + _E, False),
    ("google-oauth-token", _B + r"ya29\.[A-Za-z0-9_-]{30,}", False),
    ("azure-ad-client-secret",
     r"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])",
     False),
    ("digitalocean-token", _B + r"do[opr]_v1_[a-f0-9]{64}" + _E, False),
    ("alibaba-access-key-id", _B + r"LTAI[A-Za-z0-9]{20}" + _E, True),
    ("hashicorp-vault-token", _B + r"hv[sb]\.[A-Za-z0-9_-]{24,}", False),
    ("terraform-cloud-token", _B + r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}", False),
    ("pulumi-token", _B + r"pul-[a-f0-9]{40}" + _E, False),
    ("doppler-token", _B + r"dp\.(?:pt|st|ct|sa|scim|audit)\.[A-Za-z0-9]{40,44}" + _E, False),
    ("databricks-token", _B + r"dapi[a-f0-9]{32}(?:-[0-9])?" + _E, True),
    ("fly-token", _B + r"fo1_[A-Za-z0-9_-]{43}" + _E, False),
    ("grafana-token",
     _B + r"(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})", False),
    ("new-relic-key", _B + r"NR(?:AK|AA|II|JS)-[A-Za-z0-9]{27}" + _E, False),
    ("sentry-token", _B + r"sntr[ysu]_[A-Za-z0-9+/=_-]{40,}", False),
    ("dynatrace-token", _B + r"dt0c01\.[A-Za-z0-9]{24}\.[a-z0-9]{64}" + _E, False),
    ("supabase-token", _B + r"sbp_[a-f0-9]{40}" + _E, False),
    ("planetscale-token", _B + r"pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_=.-]{32,64}", False),
    ("linear-key", _B + r"lin_api_[A-Za-z0-9]{40}" + _E, False),
    ("notion-token", _B + r"(?:secret_[A-Za-z0-9]{43}|ntn_[0-9]{11}[A-Za-z0-9]{35})" + _E,
     True),
    ("figma-token", _B + r"figd_[A-Za-z0-9_-]{40}" + _E, False),
    ("airtable-token", _B + r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}" + _E, False),
    ("age-secret-key", r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}", False),
    ("onepassword-secret-key",
     _B + r"A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}"
     r"-[A-Z0-9]{5}" + _E, False),
    ("jwt", r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*", False),
)

# A literal every match of a kind contains: the format's regex runs only on text holding one
# (as gitleaks' keywords do), so 60 formats cost 60 substring searches on ordinary text.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "anthropic-key": ("sk-ant-",), "openai-key": ("sk-",), "huggingface-token": ("hf_", "api_org_"),
    "groq-key": ("gsk_",), "replicate-token": ("r8_",), "perplexity-key": ("pplx-",),
    "xai-key": ("xai-",), "github-token": ("gh", "github_pat_"),
    "gitlab-token": ("gl",), "gitlab-runner-token": ("GR1348941",), "npm-token": ("npm_",),
    "pypi-token": ("pypi-",), "rubygems-key": ("rubygems_",), "clojars-token": ("CLOJARS_",),
    "docker-hub-token": ("dckr_pat_",), "bitbucket-token": ("ATBB",),
    "atlassian-token": ("ATATT3",), "stripe-key": ("_live_", "_test_", "_prod_"),
    "stripe-webhook-secret": ("whsec_",), "square-token": ("sq0", "EAAA"),
    "shopify-token": ("shp",), "paypal-braintree-token": ("access_token$production$",),
    "flutterwave-key": ("FLW",), "duffel-token": ("duffel_",), "shippo-token": ("shippo_",),
    "slack-token": ("xox", "xapp-"), "sendgrid-key": ("SG.",), "mailgun-key": ("key-",),
    "mailchimp-key": ("-us",), "sendinblue-key": ("xkeysib-",), "twilio-key": ("SK",),
    "telegram-bot-token": (":AA",), "discord-webhook": ("/api/webhooks/",),
    "postman-key": ("PMAK-",), "aws-access-key-id": ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
    "google-api-key": ("AIza",), "google-oauth-secret": ("GOCSPX-",),
    "google-oauth-token": ("ya29.",), "azure-ad-client-secret": ("Q~",),
    "digitalocean-token": ("_v1_",), "alibaba-access-key-id": ("LTAI",),
    "hashicorp-vault-token": ("hvs.", "hvb."), "terraform-cloud-token": (".atlasv1.",),
    "pulumi-token": ("pul-",), "doppler-token": ("dp.",), "databricks-token": ("dapi",),
    "fly-token": ("fo1_",), "grafana-token": ("glc_", "glsa_"), "new-relic-key": ("NR",),
    "sentry-token": ("sntr",), "dynatrace-token": ("dt0c01.",), "supabase-token": ("sbp_",),
    "planetscale-token": ("pscale_",), "linear-key": ("lin_api_",),
    "notion-token": ("secret_", "ntn_"), "figma-token": ("figd_",), "airtable-token": ("pat",),
    "age-secret-key": ("AGE-SECRET-KEY-1",), "onepassword-secret-key": ("A3-",),
    "jwt": ("eyJ",),
}
