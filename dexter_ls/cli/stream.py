"""Terminal output for `dexter explain`: on a terminal the answer is printed as it arrives, with
a spinner naming the model on stderr until the first text; elsewhere nothing of this runs."""

from __future__ import annotations

import itertools
import re
import sys
import threading
from typing import TextIO

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
CLEAR_LINE = "\r\033[K"
# Model text is untrusted: no escape sequences or other control characters reach the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def wants_streaming(json_output: bool, out: TextIO | None = None) -> bool:
    """Stream only to a terminal, and never JSON (a pipe gets the whole answer at once)."""
    out = sys.stdout if out is None else out
    return not json_output and out is not None and out.isatty()


class Spinner:
    """`⠋ asking MODEL…` redrawn on `stream` (stderr) until `stop()`; nothing when `stream`
    is not a terminal. Safe to stop twice."""

    def __init__(self, label: str, stream: TextIO | None = None, interval: float = 0.1) -> None:
        self._stream = sys.stderr if stream is None else stream
        self._label = label
        self._interval = interval
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._active = self._stream is not None and self._stream.isatty()

    def __enter__(self) -> Spinner:
        if self._active:
            self._thread = threading.Thread(target=self._spin, daemon=True,
                                            name="dexter-spinner")
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def relabel(self, label: str) -> None:
        self._label = label

    def _spin(self) -> None:
        for frame in itertools.cycle(FRAMES):
            with self._lock:
                if self._done.is_set():
                    return
                self._stream.write(f"{CLEAR_LINE}{frame} {self._label}")
                self._stream.flush()
            if self._done.wait(self._interval):
                return

    def stop(self) -> None:
        with self._lock:
            if self._done.is_set():
                return
            self._done.set()
            if self._active:
                self._stream.write(CLEAR_LINE)
                self._stream.flush()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()


class LivePrinter:
    """Prints streamed text to `out` as it arrives, stopping the spinner at the first text."""

    def __init__(self, spinner: Spinner, out: TextIO | None = None) -> None:
        self._spinner = spinner
        self._out = sys.stdout if out is None else out
        self.printed = ""  # what was shown, to finish the answer after it

    def __call__(self, _model: str, text: str) -> None:
        if not self.printed:
            self._spinner.stop()
        self.printed += text
        self._out.write(_CONTROL.sub("", text))
        self._out.flush()
