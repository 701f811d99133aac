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

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import WorstErrors, comparison_parser, load_network, print_error_table, select_configs  # noqa: E402
from neurosim_core.estimate import estimate  # noqa: E402
from neurosim_core.network import Network  # noqa: E402
from neurosim_core.params import resolve  # noqa: E402
from reference_table import (CHIP_METRICS, FLOORPLAN_CHIP_COLUMNS, FLOORPLAN_LAYER_COLUMNS,  # noqa: E402
                             LAYER_METRICS, read_reference_results, reference_hardware_config)


def check_log(results_path: Path, config: str, cfg) -> None:
    """Cross-check the subarray size against the run's log when it sits next to the table."""
    log = results_path.parent / f"{config}.log"
    if not log.is_file():
        return
    match = re.search(r"User-defined SubArray Size: (\d+)x(\d+)", log.read_text(errors="replace"))
    if match and (int(match.group(1)), int(match.group(2))) != (cfg.num_row_subarray, cfg.num_col_subarray):
        print(f"warning: {config}: log says subarray {match.group(1)}x{match.group(2)}, config maps to "
              f"{cfg.num_row_subarray}x{cfg.num_col_subarray}")


def compare_config(name: str, rows: dict, traces, network: Network, results_path: Path):
    """Print the per-metric table of one config; return ([(chip error, metric)], [(layer error, layer, metric)])."""
    cfg = reference_hardware_config(rows["chip"], name)
    check_log(results_path, name, cfg)
    start = time.perf_counter()
    result = estimate(network, traces, resolve(cfg, source=name))
    elapsed = time.perf_counter() - start
    layer_columns = [*FLOORPLAN_LAYER_COLUMNS, *(c for c, _, _ in LAYER_METRICS)]
    chip_columns = [*FLOORPLAN_CHIP_COLUMNS, *(c for c, _, _ in CHIP_METRICS), *(c for c, _, _ in LAYER_METRICS)]
    return print_error_table(f"{name}  ({elapsed:.2f} s)", result.notes, rows,
                             {row["layer"]: row for row in result.to_rows()},
                             [str(i + 1) for i in range(len(network))], layer_columns, chip_columns)


def main(argv=None) -> int:
    parser = comparison_parser(__doc__.splitlines()[0], "reference results.csv", "directory of <i>_<name>.npz traces")
    args = parser.parse_args(argv)

    table = read_reference_results(args.results)
    names = select_configs(table, args.config)
    if names is None:
        return 2
    traces, network = load_network(args.traces)
    worst = WorstErrors()
    for name in names:
        worst.add(name, *compare_config(name, table[name], traces, network, args.results))
    return worst.finish(args.fail_above)


if __name__ == "__main__":
    sys.exit(main())
