"""Build progress: a live table of runs on a terminal, one plain line per event otherwise (logs, CI)."""
from __future__ import annotations

import sys
import time
from typing import TextIO

from .execute import RunResult


class Progress:
    """Receives run events from the executor and shows them; `tick()` refreshes elapsed times on a terminal."""

    def __init__(self, runs: list[str], stream: TextIO | None = None, live: bool | None = None):
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty() if live is None else live
        self.t0 = time.monotonic()
        self.state: dict[str, tuple[str, float, float]] = {name: ("waiting", 0.0, 0.0) for name in runs}
        self.width = max((len(n) for n in runs), default=10) + 2
        self._drawn = 0

    def event(self, res: RunResult) -> None:
        now = time.monotonic()
        started = now if res.status == "running" else self.state.get(res.run.name, ("", now, 0.0))[1]
        self.state[res.run.name] = (res.status, started, res.seconds)
        if self.live:
            self._draw()
        else:
            self._write(self._line(res.run.name, res.status, started, res.seconds).rstrip() + "\n")

    def tick(self) -> None:
        if self.live:
            self._draw()

    def close(self) -> None:
        if self.live:
            self._draw()
            self._drawn = 0

    def _line(self, name: str, status: str, started: float, secs: float) -> str:
        if status == "running" and self.live:
            return f"   {name:{self.width}} running   {time.monotonic() - started:6.1f} s"
        shown = "cached" if status == "reused" else status
        return f"   {name:{self.width}} {shown:9} " + (f"{secs:6.1f} s" if status in ("executed", "failed") else "")

    def _draw(self) -> None:
        statuses = [status for status, _, _ in self.state.values()]
        summary = ", ".join(f"{statuses.count(s)} {'cached' if s == 'reused' else s}"
                            for s in ("running", "waiting", "executed", "reused", "failed") if s in statuses)
        lines = [self._line(name, *st) for name, st in self.state.items()]
        lines.append(f"   [{time.monotonic() - self.t0:5.1f} s] {summary}")
        up = f"\x1b[{self._drawn}F" if self._drawn else ""
        self._write(up + "".join(f"\x1b[2K{line}\n" for line in lines))
        self._drawn = len(lines)

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
