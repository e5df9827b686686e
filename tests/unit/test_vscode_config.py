"""The VS Code extension's `contributes.configuration` is generated from the settings model:
it fails here when dexter_ls/settings.py and client/package.json drift apart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "client" / "scripts" / "gen-config.py"
PACKAGE = ROOT / "client" / "package.json"


def test_package_json_matches_the_settings_model() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True,
                          text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_every_server_setting_is_declared_with_type_default_description_scope() -> None:
    from dexter_ls.core.validate import to_data
    from dexter_ls.settings import Settings

    props = json.loads(PACKAGE.read_text())["contributes"]["configuration"]["properties"]
    defaults = to_data(Settings(), camel=True)
    for name, value in defaults.items():
        keys = ([f"dexter.{name}.{sub}" for sub in value]
                if name in ("privacy", "prompts", "explain", "cache", "telemetry")
                else [f"dexter.{name}"])
        for key in keys:
            assert key in props, key
            assert {"type", "default", "description", "scope"} <= set(props[key]), key
    assert props["dexter.explain.timeoutSeconds"]["default"] == 60.0
    assert props["dexter.routing"]["enum"] == ["ordered", "fastest", "balanced"]


def test_a_changed_default_is_caught(tmp_path: Path) -> None:
    package = json.loads(PACKAGE.read_text())
    package["contributes"]["configuration"]["properties"]["dexter.cache.maxEntries"]["default"] = 1
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import importlib.util

        spec = importlib.util.spec_from_file_location("gen_config", SCRIPT)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.updated(package) != package
        assert module.updated(module.updated(package)) == module.updated(package)
    finally:
        sys.path.remove(str(SCRIPT.parent))
