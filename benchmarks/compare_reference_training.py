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

import csv
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import WorstErrors, comparison_parser, load_network, print_error_table, select_configs  # noqa: E402
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


def compare_config(name: str, rows: dict, traces, network: Network):
    hw, tc = v21_configs(json.loads(rows["chip"].get("param_edits") or "{}"), name)
    start = time.perf_counter()
    result = estimate_training(network, traces, hw, training=tc)
    elapsed = time.perf_counter() - start
    layer_columns = [*FLOORPLAN_COLUMNS, *(c for c, _, _ in LAYER_COLUMNS)]
    chip_columns = ["memory_utilization_pct", *(c for c, _, _ in CHIP_COLUMNS)]
    return print_error_table(f"{name}  ({elapsed:.2f} s)", result.notes, rows,
                             {r["scope"]: r for r in result.to_rows()}, [str(i + 1) for i in range(len(network))],
                             layer_columns, chip_columns, label_width=50)


def main(argv=None) -> int:
    ap = comparison_parser(__doc__.splitlines()[0], "V2.1 reference results.csv",
                           "directory of <i>_<name>.npz training traces")
    args = ap.parse_args(argv)
    table = read_table(args.results)
    names = select_configs(table, args.config)
    if names is None:
        return 2
    traces, network = load_network(args.traces, load_training_npz_dir)
    worst = WorstErrors()
    for name in names:
        status = table[name]["chip"].get("exit_status", "0")
        if status not in ("0", ""):
            print(f"\n=== {name}: skipped (the reference run did not complete: {status})")
            continue
        try:
            errors = compare_config(name, table[name], traces, network)
        except Exception as exc:  # a configuration we cannot estimate yet counts as failed
            print(f"\n=== {name}: not estimated ({type(exc).__name__}: {exc})")
            worst.failed(name)
            continue
        worst.add(name, *errors)
    return worst.finish(args.fail_above)


if __name__ == "__main__":
    sys.exit(main())
