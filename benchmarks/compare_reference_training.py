"""Fidelity harness for on-chip training: run `estimate_training` on the V2.1 reference configurations.

Usage::

    python benchmarks/compare_reference_training.py --results tests/data/reference_v21/results.csv \
        --traces /path/to/traces_vgg8_train [--config NAME ...] [--fail-above PCT]

Each configuration of the reference table (DNN+NeuroSim V2.1 runs; ``param_edits`` holds its
Param.cpp edits vs the V2.1 default) is mapped to a `HardwareConfig` + `TrainingConfig`
(`v21_configs`), estimated on the same traces with ``compat=neurosim_v21``, and the relative error
of every printed metric is shown per layer and for the chip ('n/a' where one side has no number).
The last two lines are ``worst per-layer error: X % (config, layer, metric)`` and ``worst
chip-level error: X % (config, metric)``.  Configurations that crashed in the reference
(``exit_status`` != 0) are skipped with a line saying so.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from neurosim_core.network import Network  # noqa: E402
from neurosim_core.params import ConfigError  # noqa: E402
from neurosim_core.training.config import TrainingConfig, v21_default_hardware  # noqa: E402
from neurosim_core.training.estimate import estimate_training  # noqa: E402
from neurosim_core.training.report import CHIP_COLUMNS, FLOORPLAN_COLUMNS, LAYER_COLUMNS  # noqa: E402
from neurosim_core.training.traces import load_training_npz_dir  # noqa: E402

#: V2.1 Param.cpp name -> (target, field, converter); target "hw" or "tc"
_PARAM_MAP = {
    "memcelltype": ("hw", "mem_cell", lambda v: {1: "sram", 2: "rram", 3: "fefet"}[int(v)]),
    "technode": ("hw", "tech_node_nm", int),
    "featuresize": (None, None, None),  # follows technode in our model
    "wireWidth": (None, None, None),
    "levelOutput": ("hw", "level_output", int),
    "pipeline": ("hw", "pipeline", lambda v: str(v).lower() == "true"),
    "parallelBP": ("tc", "parallel_bp", lambda v: str(v).lower() == "true"),
    "novelMapping": ("hw", "novel_mapping", lambda v: str(v).lower() == "true"),
    "dramType": ("tc", "dram", lambda v: {1: "gddr5", 2: "hbm2"}[int(v)]),
    "numRowSubArray": ("hw", "num_row_subarray", int),
    "numColSubArray": ("hw", "num_col_subarray", int),
    "currentMode": ("hw", "current_mode", lambda v: str(v).lower() == "true"),
    "levelOutputWG": ("tc", "level_output_wg", int),
    "levelOutputAG": ("tc", "level_output_ag", int),
    "bufferOverHeadConstraint": ("tc", "buffer_overhead_constraint", int),
    "batchSize": ("tc", "batch_size", int),
    "numIteration": ("tc", "iterations", int),
    "SARADC": ("hw", "adc_type", lambda v: "sar" if str(v).lower() == "true" else "mlsa"),
    "operationmode": ("hw", "operation_mode",
                      lambda v: {1: "conventional_sequential", 2: "conventional_parallel"}[int(v)]),
    "speedUpDegree": ("hw", "speedup_degree", int),
}


def read_table(path: Path) -> dict[str, dict[str, dict[str, str]]]:
    table: dict[str, dict[str, dict[str, str]]] = {}
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            table.setdefault(row["config"], {})[row["scope"]] = row
    return table


def v21_configs(edits: dict, name: str):
    """(HardwareConfig, TrainingConfig) of a V2.1 run from its Param.cpp edits."""
    hw_changes, tc_changes = {}, {}
    for key, value in edits.items():
        if key not in _PARAM_MAP:
            raise ConfigError(f"{name}: Param.cpp edit '{key}' has no mapping; known: {', '.join(sorted(_PARAM_MAP))}")
        target, fld, conv = _PARAM_MAP[key]
        if target == "hw":
            hw_changes[fld] = conv(value)
        elif target == "tc":
            tc_changes[fld] = conv(value)
    if hw_changes.get("mem_cell") == "sram":
        hw_changes["cell_bit"] = 1
    return v21_default_hardware(**hw_changes), TrainingConfig(**tc_changes)


def _number(text) -> float | None:
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return v


def _rel(mine: float, ref: float) -> float:
    if ref == 0:
        return 0.0 if mine == 0 else math.inf
    return abs(mine - ref) / abs(ref)


def compare_config(name: str, rows: dict, traces, network: Network):
    hw, tc = v21_configs(json.loads(rows["chip"].get("param_edits") or "{}"), name)
    start = time.perf_counter()
    result = estimate_training(network, traces, hw, training=tc)
    elapsed = time.perf_counter() - start
    ours = {r["scope"]: r for r in result.to_rows()}
    layers = [str(i + 1) for i in range(len(network))]
    print(f"\n=== {name}  ({elapsed:.2f} s)  relative error in %, per layer and chip")
    for note in result.notes:
        print(f"note: {note}")
    print(f"{'metric':50s}" + "".join(f"{'L' + l:>9s}" for l in layers) + f"{'chip':>10s}")
    chip_errors, layer_errors = [], []
    layer_cols = [*FLOORPLAN_COLUMNS, *(c for c, _, _ in LAYER_COLUMNS)]
    chip_cols = ["memory_utilization_pct", *(c for c, _, _ in CHIP_COLUMNS)]
    for column in layer_cols + chip_cols:
        cells = []
        scopes = layers if column in layer_cols else []
        for scope in layers + ["chip"]:
            if (scope == "chip") != (column in chip_cols) or (scope != "chip" and scope not in scopes):
                cells.append("")
                continue
            ref = _number(rows.get(scope, {}).get(column))
            mine = _number(ours.get(scope, {}).get(column))
            if ref is None or mine is None:
                cells.append("-" if ref is None and mine is None else "n/a")
                continue
            err = _rel(mine, ref) * 100
            cells.append(f"{err:.3f}" if math.isfinite(err) else "inf")
            if scope == "chip":
                chip_errors.append((err, column))
            else:
                layer_errors.append((err, scope, column))
        print(f"{column:50s}" + "".join(f"{c:>9s}" for c in cells[:-1]) + f"{cells[-1]:>10s}")
    return chip_errors, layer_errors


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", type=Path, required=True, help="V2.1 reference results.csv")
    ap.add_argument("--traces", type=Path, required=True, help="directory of <i>_<name>.npz training traces")
    ap.add_argument("--config", action="append", help="config name (repeatable; default: all)")
    ap.add_argument("--fail-above", type=float, default=None,
                    help="exit with status 1 when the worst chip-level error exceeds this percentage")
    args = ap.parse_args(argv)
    table = read_table(args.results)
    names = args.config or sorted(table)
    unknown = [n for n in names if n not in table]
    if unknown:
        print(f"error: unknown config(s) {', '.join(unknown)}; available: {', '.join(sorted(table))}", file=sys.stderr)
        return 2
    traces = load_training_npz_dir(args.traces)
    if any(t.net_row is None for t in traces):
        print("error: traces carry no net_row; cannot rebuild the network", file=sys.stderr)
        return 2
    network = Network.from_rows([t.net_row for t in traces], names=[t.name for t in traces])
    worst, worst_layer = (-1.0, "", ""), (-1.0, "", "", "")
    for name in names:
        status = table[name]["chip"].get("exit_status", "0")
        if status not in ("0", ""):
            print(f"\n=== {name}: skipped (the reference run did not complete: {status})")
            continue
        try:
            chip_errors, layer_errors = compare_config(name, table[name], traces, network)
        except Exception as exc:  # a configuration we cannot estimate yet counts as failed
            print(f"\n=== {name}: not estimated ({type(exc).__name__}: {exc})")
            worst = max(worst, (math.inf, name, "estimate failed"))
            continue
        for err, metric in chip_errors:
            if err > worst[0]:
                worst = (err, name, metric)
        for err, scope, metric in layer_errors:
            if err > worst_layer[0]:
                worst_layer = (err, name, "L" + scope, metric)
    print(f"worst per-layer error: {worst_layer[0]:.3f} % ({', '.join(worst_layer[1:])})")
    print(f"worst chip-level error: {worst[0]:.3f} % ({worst[1]}, {worst[2]})")
    if args.fail_above is not None and not worst[0] <= args.fail_above:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
