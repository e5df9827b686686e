"""`dexter keys set|list|delete|allow|forget`: the credentials file and where keys may go.
Keys are read from stdin, never argv, and never printed."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dexter_ls.providers.trust import KeySource

# The parser is built for every `dexter` command: what the actions need loads when they run.


def add_keys_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = sub.add_parser("keys", help="store API keys in the credentials file (mode 0600) "
                          "and say where keys may be sent")
    actions = keys.add_subparsers(dest="action", required=True)
    key_set = actions.add_parser("set", help="store a key (typed at a prompt, or piped in)")
    key_set.add_argument("provider", help="provider name, e.g. openai, anthropic, myvllm")
    key_set.add_argument("--url", help="bind the key to this endpoint (its scheme, host and "
                         "port): the key goes there and nowhere else it was not meant for")
    actions.add_parser("list", help="which providers have a key, and from where")
    key_delete = actions.add_parser("delete", help="remove a stored key (and its bound URL)")
    key_delete.add_argument("provider")
    allow = actions.add_parser(
        "allow", help="allow a key to go to an endpoint, as 'Always' in the editor does")
    allow.add_argument("source", help="env:VAR, file:PROVIDER, editor:PROVIDER, or 'local' "
                       "(the host counts as this machine)")
    allow.add_argument("url")
    forget = actions.add_parser("forget", help="forget an answer given to 'allow'")
    forget.add_argument("source")
    forget.add_argument("url")


def run_keys(args: argparse.Namespace) -> int:
    from dexter_ls.store.credentials import CredentialsError, credentials_path, delete_key

    try:
        if args.action == "set":
            return _set(args.provider, args.url)
        if args.action == "delete":
            if delete_key(args.provider):
                print(f"Removed the key for {args.provider} from {credentials_path()}.")
                return 0
            print(f"dexter keys: no stored key for {args.provider}", file=sys.stderr)
            return 1
        if args.action in ("allow", "forget"):
            return _answer(args.action, args.source, args.url)
    except (CredentialsError, OSError) as exc:  # a full or read-only disk, a refused file
        text = str(exc) if isinstance(exc, CredentialsError) else (exc.strerror or str(exc))
        print(f"dexter keys: {text}", file=sys.stderr)
        return 1
    return _list()


def _set(provider: str, url: str | None) -> int:
    from dexter_ls.providers.trust import EndpointError, origin_of
    from dexter_ls.store.credentials import set_key

    if url is not None:
        try:
            url = str(origin_of(url))
        except EndpointError as exc:
            print(f"dexter keys: --url {exc}", file=sys.stderr)
            return 2
    if sys.stdin is not None and sys.stdin.isatty():
        key = getpass.getpass(f"API key for {provider} (input hidden): ")
    else:
        key = (sys.stdin.readline() if sys.stdin is not None else "").strip()
    if not key:
        print("dexter keys: no key given (type it at the prompt or pipe it in)", file=sys.stderr)
        return 2
    path = set_key(provider, key, url)
    bound = f", bound to {url}" if url else ""
    print(f"Stored the key for {provider} in {path} (readable only by you){bound}.")
    return 0


def _answer(action: str, source: str, url: str) -> int:
    from dexter_ls.providers.trust import LOCAL, EndpointError, env_name_problem, origin_of
    from dexter_ls.store.approvals import forget, remember

    token = LOCAL if source == LOCAL else source
    kind, _, name = source.partition(":")
    if token != LOCAL and (kind not in ("env", "file", "editor") or not name):
        print("dexter keys: the source is env:VAR, file:PROVIDER, editor:PROVIDER or 'local'",
              file=sys.stderr)
        return 2
    if kind == "env" and env_name_problem("the variable", name):
        print("dexter keys: env:VAR needs a variable's name (not the key itself)",
              file=sys.stderr)
        return 2
    try:
        origin = str(origin_of(url))
    except EndpointError as exc:
        print(f"dexter keys: the URL {exc}", file=sys.stderr)
        return 2
    if action == "forget":
        if forget(token, origin):
            print(f"Forgot the answer for {source} and {origin}.")
            return 0
        print(f"dexter keys: no answer recorded for {source} and {origin}", file=sys.stderr)
        return 1
    path = remember(token, origin, "always")
    what = (f"{origin} counts as this machine" if token == LOCAL
            else f"{_source(kind, name).label()} may go to {origin}")
    print(f"Allowed: {what} (recorded in {path}).")
    return 0


def _source(kind: str, name: str) -> KeySource:
    from dexter_ls.providers.trust import KeySource

    return KeySource("env" if kind == "env" else "file" if kind == "file" else "editor", name)


def _list() -> int:
    from dexter_ls.assemble import user_trust
    from dexter_ls.cli.setup import SetupError, load_settings
    from dexter_ls.providers.configure import choose_key, provider_specs
    from dexter_ls.store.credentials import credentials_problem, load_keys

    try:
        settings = load_settings({}, {})
    except SetupError as exc:
        print(f"dexter keys: {exc}", file=sys.stderr)
        return 2
    refused = credentials_problem()
    if refused:
        print(f"dexter keys: {refused}", file=sys.stderr)
    trust = user_trust(os.environ, settings)
    specs, _ = provider_specs(settings, os.environ, trust)
    stored = load_keys()
    for spec in specs:
        choice = choose_key(spec, trust, stored, os.environ)
        if choice.problem:
            state = choice.problem
        elif choice.key:
            state = f"set ({choice.where()})"
        elif spec.needs_key:
            state = spec.key_hint()
        else:
            state = "no key needed"
        print(f"{spec.name:12s} {state}")
    return 1 if refused else 0
