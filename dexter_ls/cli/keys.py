"""`dexter keys set|list|delete`: the credentials file. Keys are read from stdin, never argv,
and never printed."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from dexter_ls.cli.setup import SetupError, load_settings
from dexter_ls.providers.configure import provider_specs, resolve_key
from dexter_ls.store.credentials import credentials_path, delete_key, load_keys, set_key


def run_keys(args: argparse.Namespace) -> int:
    if args.action == "set":
        return _set(args.provider)
    if args.action == "delete":
        if delete_key(args.provider):
            print(f"Removed the key for {args.provider} from {credentials_path()}.")
            return 0
        print(f"dexter keys: no stored key for {args.provider}", file=sys.stderr)
        return 1
    return _list()


def _set(provider: str) -> int:
    if sys.stdin is not None and sys.stdin.isatty():
        key = getpass.getpass(f"API key for {provider} (input hidden): ")
    else:
        key = (sys.stdin.readline() if sys.stdin is not None else "").strip()
    if not key:
        print("dexter keys: no key given (type it at the prompt or pipe it in)", file=sys.stderr)
        return 2
    path = set_key(provider, key)
    print(f"Stored the key for {provider} in {path} (readable only by you).")
    return 0


def _list() -> int:
    try:
        settings = load_settings({}, {})
    except SetupError as exc:
        print(f"dexter keys: {exc}", file=sys.stderr)
        return 2
    specs, _ = provider_specs(settings, os.environ)
    stored = load_keys()
    for spec in specs:
        key, where = resolve_key(spec, stored, os.environ)
        if key:
            state = f"set ({where})"
        elif spec.needs_key:
            state = spec.key_hint()
        else:
            state = "no key needed"
        print(f"{spec.name:12s} {state}")
    return 0
