"""The layers of `dexter_ls` import downwards only (ARCHITECTURE.md).

Every import counts: top-level, lazy (inside functions) and type-only (`if TYPE_CHECKING`).
Each module maps to its package (`dexter_ls.models.chain` -> `models`; top-level modules
such as `server.py` are their own unit).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import dexter_ls

PACKAGE = Path(dexter_ls.__file__).parent

# Lower rank = lower layer. A unit may import only units of a strictly lower rank.
RANKS = {
    "dexter_ls": 0,  # the package root: __version__ only
    "core": 0,
    "settings": 1,
    "store": 1,
    "providers": 2,
    "models": 3,
    "prompting": 4,
    "intake": 4,
    "explain": 5,
    "dashboard": 5,
    "assemble": 6,
    "features": 7,
    "server": 8,  # builds the language server from the features
    "cli": 9,  # `dexter` subcommands, and `dexter-ls` (cli.serve) starting the server
    "__main__": 10,
}
LSP_LIBRARIES = ("pygls", "lsprotocol")
MAY_SPEAK_LSP = ("features", "server", "cli.serve")


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = ast.parse(path.read_text("utf-8"), str(path))
    return found


def _imports(module: str, tree: ast.Module) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.split(".")[: -node.level or None]
                names.append(".".join([*base, node.module] if node.module else base))
            elif node.module:
                names.append(node.module)
    return names


def _edges(modules: dict[str, ast.Module]) -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for module, tree in modules.items():
        for name in _imports(module, tree):
            if name == "dexter_ls" or name.startswith("dexter_ls."):
                a, b = _unit(module), _unit(name)
                if a != b:
                    edges[(a, b)].append(f"{module} imports {name}")
    return edges


def find_cycle(edges: dict[tuple[str, str], list[str]]) -> list[str] | None:
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle_between_packages() -> None:
    cycle = find_cycle(_edges(_modules()))
    assert cycle is None, "packages import each other: " + " -> ".join(cycle or [])


def test_cycle_finder_sees_a_lazy_cycle() -> None:
    trees = {
        "dexter_ls.models.x": ast.parse("def f():\n    from dexter_ls.providers.y import z\n"),
        "dexter_ls.providers.y": ast.parse("from dexter_ls.models.x import f\n"),
    }
    assert find_cycle(_edges(trees)) == ["models", "providers", "models"]


def test_every_unit_has_a_layer() -> None:
    units = {_unit(module) for module in _modules()}
    assert units - set(RANKS) == set(), "place new packages in RANKS and ARCHITECTURE.md"


def test_layers_import_only_downwards() -> None:
    wrong = [
        line
        for (a, b), lines in sorted(_edges(_modules()).items())
        if RANKS.get(b, 99) >= RANKS.get(a, -1)
        for line in lines
    ]
    assert wrong == []


def test_only_the_lsp_layer_imports_pygls_and_lsprotocol() -> None:
    wrong = [
        f"{module} imports {name}"
        for module, tree in _modules().items()
        if not module.removeprefix("dexter_ls.").startswith(MAY_SPEAK_LSP)
        for name in _imports(module, tree)
        if name.split(".")[0] in LSP_LIBRARIES
    ]
    assert wrong == []
