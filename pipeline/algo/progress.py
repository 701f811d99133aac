"""Progress of the long loops (training steps, hardware-aware inference batches).

One `Progress` object per loop.  It writes a line to the ``neurosim_flow`` logger at most every
``log_every_s`` seconds (and at the end) -- the stage log under ``results/logs/`` receives these
lines, since the Snakemake rule sends the stage's stderr there -- and draws a tqdm bar only when
stderr is a terminal, so a log file never fills with carriage-return bar updates.

    with Progress(total=300, desc="train", unit="step") as bar:
        for step in ...:
            bar.update(step + 1, loss=0.42, acc=0.91)
"""
from __future__ import annotations

import logging
import math
import sys
import time
from typing import Callable

log = logging.getLogger("neurosim_flow")


def format_duration(seconds: float) -> str:
    """``h:mm:ss`` (or ``m:ss`` under an hour); ``?`` when unknown."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return "?"
    s = int(round(seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _fmt_metric(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


class Progress:
    """Progress of a loop of ``total`` units, started at ``initial`` (a resumed run)."""

    def __init__(self, total: int, desc: str, unit: str = "it", initial: int = 0,
                 log_every_s: float = 10.0, bar: bool | None = None,
                 clock: Callable[[], float] = time.monotonic, logger: logging.Logger | None = None):
        self.total, self.desc, self.unit = int(total), desc, unit
        self.initial = self.done = int(initial)
        self.log_every_s = float(log_every_s)
        self.clock = clock
        self.logger = logger or log
        self.t0 = self._last_log = clock()
        self.metrics: dict = {}
        self.lines: list[str] = []  # every logged line, for callers and tests
        self._logged_done = -1
        use_bar = sys.stderr.isatty() if bar is None else bar
        self._bar = None
        if use_bar:
            from tqdm import tqdm

            self._bar = tqdm(total=self.total, initial=self.initial, desc=desc, unit=unit, dynamic_ncols=True,
                             leave=True)

    # -- figures ---------------------------------------------------------------------------
    def elapsed(self) -> float:
        return self.clock() - self.t0

    def rate(self) -> float:
        """Units per second in this run (resumed units excluded)."""
        dt, n = self.elapsed(), self.done - self.initial
        return n / dt if dt > 0 and n > 0 else float("nan")

    def eta(self) -> float:
        r = self.rate()
        return (self.total - self.done) / r if r > 0 else float("nan")

    def line(self) -> str:
        pct = 100.0 * self.done / self.total if self.total else 100.0
        parts = [f"{self.desc}: {self.unit} {self.done}/{self.total} ({pct:.0f} %)"]
        parts += [f"{k} {_fmt_metric(v)}" for k, v in self.metrics.items()]
        parts.append(f"elapsed {format_duration(self.elapsed())}")
        if self.done < self.total:
            parts.append(f"ETA {format_duration(self.eta())}")
        return ", ".join(parts)

    # -- updates ---------------------------------------------------------------------------
    def update(self, done: int, **metrics) -> None:
        """``done`` units finished so far (absolute, not an increment); metrics shown with it."""
        step = int(done) - self.done
        self.done = int(done)
        self.metrics.update(metrics)
        if self._bar is not None:
            if metrics:
                self._bar.set_postfix({k: _fmt_metric(v) for k, v in metrics.items()}, refresh=False)
            self._bar.update(step)
        now = self.clock()
        if self.done >= self.total or now - self._last_log >= self.log_every_s:
            self._emit()
            self._last_log = now

    def _emit(self) -> None:
        text = self.line()
        self._logged_done = self.done
        self.lines.append(text)
        if self._bar is not None:
            # the bar owns the terminal's last line: lift it while the log line is written
            from tqdm import tqdm

            with tqdm.external_write_mode():
                self.logger.info(text)
        else:
            self.logger.info(text)

    def close(self) -> None:
        if self._logged_done != self.done and self.done != self.initial:
            self._emit()  # the loop stopped early (error, interrupt): say where
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
