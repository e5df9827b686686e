"""A small script that crashes: try `dexter explain -- python examples/crash.py`."""

import json

SETTINGS = '{"name": "demo", "retries": 3}'


def load_settings(text: str) -> dict:
    return json.loads(text)


def timeout_for(settings: dict) -> int:
    return settings["timeout"] * 2  # KeyError: the key is missing


if __name__ == "__main__":
    print(timeout_for(load_settings(SETTINGS)))
