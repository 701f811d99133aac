"""Fidelity harness: run our estimator on the reference configurations and compare.

Usage::

    python benchmarks/compare_reference.py --results tests/data/reference_v14/results.csv \
        --traces tests/data/traces_vgg8 [--config NAME ...] [--fail-above PCT]

For each configuration of the reference table (DNN+NeuroSim V1.4 runs, one row per layer and a
``chip`` row) the config columns are mapped to a `HardwareConfig`
(`benchmarks/reference_table.py`: `reference_hardware_config`), the estimate is run on the same traces, and
the relative error of every metric is printed per layer and for the chip.  The last two lines are
``worst per-layer error: X % (config, layer, metric)`` and ``worst chip-level error: X % (config,
metric)`` (kept last).
"""
from __future__ import annotations

import argparse
import math
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from neurosim_core.estimate import estimate  # noqa: E402
from neurosim_core.network import Network  # noqa: E402
from neurosim_core.params import resolve  # noqa: E402
from reference_table import (CHIP_METRICS, FLOORPLAN_CHIP_COLUMNS, FLOORPLAN_LAYER_COLUMNS,  # noqa: E402
                             LAYER_METRICS, read_reference_results, reference_hardware_config, relative_error)
from neurosim_core.traces import load_npz_dir  # noqa: E402


def network_from_traces(traces) -> Network:
    missing = [t.name for t in traces if t.net_row is None]
    if missing:
        raise SystemExit(f"error: traces {', '.join(missing)} carry no net_row; cannot rebuild the network")
    return Network.from_rows([t.net_row for t in traces], names=[t.name for t in traces])


def check_log(results_path: Path, config: str, cfg) -> None:
    """Cross-check the subarray size against the run's log when it sits next to the table."""
    log = results_path.parent / f"{config}.log"
    if not log.is_file():
        return
    match = re.search(r"User-defined SubArray Size: (\d+)x(\d+)", log.read_text(errors="replace"))
    if match and (int(match.group(1)), int(match.group(2))) != (cfg.num_row_subarray, cfg.num_col_subarray):
        print(f"warning: {config}: log says subarray {match.group(1)}x{match.group(2)}, config maps to "
              f"{cfg.num_row_subarray}x{cfg.num_col_subarray}")


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def compare_config(name: str, rows: dict, traces, network: Network, results_path: Path):
    """Print the per-metric table of one config; return ([(chip error, metric)], [(layer error, layer, metric)])."""
    cfg = reference_hardware_config(rows["chip"], name)
    check_log(results_path, name, cfg)
    start = time.perf_counter()
    result = estimate(network, traces, resolve(cfg, source=name))
    elapsed = time.perf_counter() - start
    ours = {row["layer"]: row for row in result.to_rows()}
    layers = [str(i + 1) for i in range(len(network))]
    columns = [*(c for c in FLOORPLAN_LAYER_COLUMNS), *(c for c, _, _ in LAYER_METRICS)]
    chip_columns = [*(c for c in FLOORPLAN_CHIP_COLUMNS), *(c for c, _, _ in CHIP_METRICS),
                    *(c for c, _, _ in LAYER_METRICS)]
    print(f"\n=== {name}  ({elapsed:.2f} s)  relative error in %, per layer and chip")
    if result.notes:
        for note in result.notes:
            print(f"note: {note}")
    header = f"{'metric':28s}" + "".join(f"{'L' + l:>9s}" for l in layers) + f"{'chip':>10s}"
    print(header)
    chip_errors = []
    layer_errors = []
    for column in dict.fromkeys(columns + chip_columns):
        cells = []
        for layer in layers + ["chip"]:
            if layer == "chip" and column not in chip_columns or layer != "chip" and column not in columns:
                cells.append("")
                continue
            ref = _number(rows.get(layer, {}).get(column))
            mine = _number(ours.get(layer, {}).get(column))
            if ref is None or mine is None:
                cells.append("-" if ref is None and mine is None else "n/a")
                continue
            err = relative_error(mine, ref) * 100
            cells.append(f"{err:.3f}" if math.isfinite(err) else "inf")
            if layer == "chip":
                chip_errors.append((err, column))
            else:
                layer_errors.append((err, layer, column))
        print(f"{column:28s}" + "".join(f"{c:>9s}" for c in cells[:-1]) + f"{cells[-1]:>10s}")
    return chip_errors, layer_errors


def _worse(err: float, than: float) -> bool:
    return err > than or (math.isnan(err) and not math.isnan(than))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True, help="reference results.csv")
    parser.add_argument("--traces", type=Path, required=True, help="directory of <i>_<name>.npz traces")
    parser.add_argument("--config", action="append", help="config name (repeatable; default: all)")
    parser.add_argument("--fail-above", type=float, default=None,
                        help="exit with status 1 when the worst chip-level error exceeds this percentage")
    args = parser.parse_args(argv)

    table = read_reference_results(args.results)
    names = args.config or sorted(table)
    unknown = [n for n in names if n not in table]
    if unknown:
        print(f"error: unknown config(s) {', '.join(unknown)}; available: {', '.join(sorted(table))}",
              file=sys.stderr)
        return 2
    traces = load_npz_dir(args.traces)
    network = network_from_traces(traces)
    worst = (-1.0, "", "")
    worst_layer = (-1.0, "", "", "")
    for name in names:
        chip_errors, layer_errors = compare_config(name, table[name], traces, network, args.results)
        for err, metric in chip_errors:
            if _worse(err, worst[0]):
                worst = (err, name, metric)
        for err, layer, metric in layer_errors:
            if _worse(err, worst_layer[0]):
                worst_layer = (err, name, "L" + layer, metric)
    print(f"worst per-layer error: {worst_layer[0]:.3f} % ({', '.join(worst_layer[1:])})")
    print(f"worst chip-level error: {worst[0]:.3f} % ({worst[1]}, {worst[2]})")
    if args.fail_above is not None and not worst[0] <= args.fail_above:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
