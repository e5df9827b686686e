"""`dexter explain` reads each source file once per run, however many errors it holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from dexter_ls.cli.explain import localise
from dexter_ls.core.subject import Diagnostic, Position, Range, Subject


def _subject(path: Path, line: int) -> Subject:
    return Subject(Diagnostic(f"name 'x{line}' is not defined",
                              Range(Position(line, 0), Position(line, 2))),
                   path=str(path), language="python")


def test_errors_in_one_file_read_it_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "app.py"
    source.write_text("".join(f"x{i} = y{i}\n" for i in range(300)))
    other = tmp_path / "missing.py"
    reads: list[Path] = []
    real = Path.read_text

    def counting(self: Path, *args: object, **kwargs: object) -> str:
        reads.append(self)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", counting)
    sources: dict[Path, list[str] | None] = {}
    done = [localise(_subject(source, line), 2, sources) for line in range(0, 300, 3)]
    done += [localise(_subject(other, 1), 2, sources) for _ in range(3)]
    assert reads == [source]
    assert done[10].snippet is not None and "x30 = y30" in done[10].snippet.lines
    assert done[-1].snippet is None
