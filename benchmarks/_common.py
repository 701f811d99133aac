"""Shared by the benchmark scripts and `examples/`: the default VGG-8 traces and network, ``--set``
parsing, and the relative-error table of the reference comparisons (``compare_reference*.py``).

Import it as ``from _common import ...`` from a script in ``benchmarks/`` (its folder is on
``sys.path`` when run as ``python benchmarks/x.py``) and as ``from benchmarks._common import ...``
from elsewhere in the checkout (with the repository root on ``sys.path``).
"""
from __future__ import annotations

import argparse
import math
import os
import resource
import sys
import time
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: the inference traces the repository keeps (VGG-8, NeuroSim V1.4's default network)
DEFAULT_TRACES = ROOT / "tests" / "data" / "traces_vgg8"


# --- inputs -------------------------------------------------------------------------------------

def setting_value(text: str):
    """The typed value of a ``--set key=value``: int, float, true/false, else the string."""
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


def parse_settings(items: Iterable[str]) -> dict:
    """``["key=value", ...]`` -> ``{key: typed value}`` (see `setting_value`)."""
    return {k: setting_value(v) for k, _, v in (item.partition("=") for item in items)}


def hardware_config(items: Iterable[str]):
    """The `HardwareConfig` of NeuroSim V1.4's default chip changed by ``--set`` items (unresolved)."""
    from neurosim_core.params import HardwareConfig

    return HardwareConfig.from_mapping(parse_settings(items), source="--set")


def load_network(traces_dir: Path, loader: Callable | None = None):
    """(traces, network) of a directory of ``<i>_<name>.npz`` traces; the network is rebuilt from the
    NetWork.csv row each trace carries.  ``loader`` defaults to the inference trace loader
    (`neurosim_core.traces.load_npz_dir`); pass `load_training_npz_dir` for training traces."""
    from neurosim_core.network import Network

    if loader is None:
        from neurosim_core.traces import load_npz_dir as loader
    traces = loader(traces_dir)
    missing = [t.name for t in traces if t.net_row is None]
    if missing:
        raise SystemExit(f"error: traces {', '.join(missing)} carry no net_row; cannot rebuild the network")
    return traces, Network.from_rows([t.net_row for t in traces], names=[t.name for t in traces])


# --- speed -----------------------------------------------------------------------------------------

def cold_and_warm(run: Callable[[], object], repeat: int):
    """``run()`` once cold (first in this process: Numba compilation or cache loading included), then
    ``repeat`` times warm.  Returns ``(first result, (wall s, CPU s) cold, [(wall s, CPU s)] warm)``."""
    def timed():
        start, cpu = time.perf_counter(), time.process_time()
        out = run()
        return out, (time.perf_counter() - start, time.process_time() - cpu)

    result, cold = timed()
    warm = [timed()[1] for _ in range(max(repeat, 0))]
    return result, cold, warm


def print_timings(load_s: float, cold: tuple[float, float], warm: list[tuple[float, float]]) -> None:
    """The speed lines of an estimate benchmark: load, cold, best warm (wall and CPU: on a shared,
    loaded machine the CPU time is the closer figure to an idle machine's wall time), peak RSS and
    the load average the figures were taken at."""
    print(f"trace load: {load_s:.3f} s")
    print(f"cold estimate: {cold[0]:.3f} s (CPU {cold[1]:.3f} s)")
    if warm:
        wall, cpu = min(w for w, _ in warm), min(c for _, c in warm)
        print(f"warm estimate: {wall:.3f} s (best of {len(warm)}; CPU {cpu:.3f} s)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB")
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


# --- the reference comparison --------------------------------------------------------------------

def comparison_parser(description: str, results_help: str, traces_help: str) -> argparse.ArgumentParser:
    """The command line of a ``compare_reference*.py`` script."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--results", type=Path, required=True, help=results_help)
    ap.add_argument("--traces", type=Path, required=True, help=traces_help)
    ap.add_argument("--config", action="append", help="config name (repeatable; default: all)")
    ap.add_argument("--fail-above", type=float, default=None,
                    help="exit with status 1 when the worst chip-level error exceeds this percentage")
    return ap


def select_configs(table: Mapping[str, object], requested: Sequence[str] | None) -> list[str] | None:
    """The config names to compare (all by default); None, after one line on stderr, for an unknown one."""
    names = list(requested or sorted(table))
    unknown = [n for n in names if n not in table]
    if unknown:
        print(f"error: unknown config(s) {', '.join(unknown)}; available: {', '.join(sorted(table))}",
              file=sys.stderr)
        return None
    return names


def _number(text) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def relative_error(ours: float, reference: float) -> float:
    """|ours - reference| / |reference| (0 when both are 0; inf when only the reference is 0)."""
    if reference == 0:
        return 0.0 if ours == 0 else math.inf
    return abs(ours - reference) / abs(reference)


def print_error_table(title: str, notes: Iterable[str], reference: Mapping[str, Mapping],
                      ours: Mapping[str, Mapping], layers: Sequence[str], layer_columns: Sequence[str],
                      chip_columns: Sequence[str], label_width: int = 28):
    """Print one config's relative errors in % (a row per metric, a column per layer and the chip).

    ``reference`` and ``ours`` map a scope (``"1"``, ``"2"``, ..., ``"chip"``) to its row (column ->
    value).  A layer cell is shown for ``layer_columns``, the chip cell for ``chip_columns``; '-'
    where neither side has a number, 'n/a' where one side has none.  Returns ``(chip_errors,
    layer_errors)``: ``[(error %, column)]`` and ``[(error %, layer, column)]``."""
    print(f"\n=== {title}  relative error in %, per layer and chip")
    for note in notes:
        print(f"note: {note}")
    print(f"{'metric':{label_width}s}" + "".join(f"{'L' + l:>9s}" for l in layers) + f"{'chip':>10s}")
    layer_set, chip_set = set(layer_columns), set(chip_columns)
    chip_errors, layer_errors = [], []
    for column in dict.fromkeys([*layer_columns, *chip_columns]):
        cells = []
        for scope in [*layers, "chip"]:
            if column not in (chip_set if scope == "chip" else layer_set):
                cells.append("")
                continue
            ref = _number(reference.get(scope, {}).get(column))
            mine = _number(ours.get(scope, {}).get(column))
            if ref is None or mine is None:
                cells.append("-" if ref is None and mine is None else "n/a")
                continue
            err = relative_error(mine, ref) * 100
            cells.append(f"{err:.3f}" if math.isfinite(err) else "inf")
            if scope == "chip":
                chip_errors.append((err, column))
            else:
                layer_errors.append((err, scope, column))
        print(f"{column:{label_width}s}" + "".join(f"{c:>9s}" for c in cells[:-1]) + f"{cells[-1]:>10s}")
    return chip_errors, layer_errors


def _worse(err: float, than: float) -> bool:
    return err > than or (math.isnan(err) and not math.isnan(than))


class WorstErrors:
    """The worst chip-level and per-layer errors over the compared configs, and the last two lines."""

    def __init__(self):
        self.chip = (-1.0, "", "")
        self.layer = (-1.0, "", "", "")

    def add(self, config: str, chip_errors, layer_errors) -> None:
        for err, metric in chip_errors:
            if _worse(err, self.chip[0]):
                self.chip = (err, config, metric)
        for err, layer, metric in layer_errors:
            if _worse(err, self.layer[0]):
                self.layer = (err, config, "L" + layer, metric)

    def failed(self, config: str, what: str = "estimate failed") -> None:
        """A config that could not be estimated counts as an infinite chip-level error."""
        if _worse(math.inf, self.chip[0]):
            self.chip = (math.inf, config, what)

    def finish(self, fail_above: float | None) -> int:
        """Print the two closing lines; the exit status (1 when the chip error exceeds ``fail_above``)."""
        print(f"worst per-layer error: {self.layer[0]:.3f} % ({', '.join(self.layer[1:])})")
        print(f"worst chip-level error: {self.chip[0]:.3f} % ({self.chip[1]}, {self.chip[2]})")
        return 1 if fail_above is not None and not self.chip[0] <= fail_above else 0
