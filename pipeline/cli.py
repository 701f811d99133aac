"""``neurosim-flow`` command line: one-off use outside Snakemake, and the stage runner the rules call.

    neurosim-flow config [OVERRIDE ...]                 print the resolved config and stage keys
    neurosim-flow stage STAGE [OVERRIDE ...]            run one stage (train, infer, traces, ...)
    neurosim-flow sweep NAME [OVERRIDE ...]             aggregate a finished sweep into tables + plots
    neurosim-flow estimate --network NET.csv [--traces DIR] [--set key=value ...] [--out DIR]
                                                        estimate a network from trace files directly
    neurosim-flow estimate-training --network NET.csv --traces DIR [--set key=value ...] [--out DIR]
                                                        on-chip training estimate (DNN+NeuroSim V2.1 model)

Errors are one line (``neurosim-flow: error: ...``) and exit status 2.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import yaml


def _parse_value(text: str):
    """YAML-typed value of a ``--set key=value`` (numbers, booleans, null, strings)."""
    return yaml.safe_load(text)


def _settings(items, what: str) -> dict:
    """``--set key=value`` items -> ``{key: YAML-typed value}``; ``what`` names the fields in the error."""
    values = {}
    for item in items or []:
        if "=" not in item:
            raise ValueError(f"--set '{item}': expected key=value ({what})")
        k, v = item.split("=", 1)
        values[k] = _parse_value(v)
    return values


def cmd_config(args) -> int:
    from .flow.config import compose, stage_keys

    flow = compose(args.overrides)
    doc = {"resolved": json.loads(json.dumps(flow.to_dict(), default=str)), "stage_keys": stage_keys(flow)}
    print(yaml.safe_dump(doc, sort_keys=False), end="")
    return 0


def cmd_stage(args) -> int:
    from .flow.config import compose
    from .flow.stages import run_stage, setup_logging

    from .flow.integrity import check_writable

    setup_logging(Path(args.log) if args.log else None)
    flow = compose(args.overrides)
    results = Path(args.results or flow.results_dir)
    check_writable(results)
    run_stage(args.stage, flow, results)
    return 0


def _check_out_dir(out: str | None) -> None:
    """``--out`` names a directory (created if missing); never write into or over a file."""
    if out is None:
        return
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise ValueError(f"--out {out}: is an existing file; give a directory (created if missing) for the tables")
    probe = path
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise ValueError(f"--out {out}: {probe} is a file, not a directory")
    import os

    if not os.access(probe, os.W_OK | os.X_OK):
        raise ValueError(f"--out {out}: {probe} is not writable")


def cmd_sweep(args) -> int:
    from .dse.sweep_report import aggregate_sweep

    _check_out_dir(args.out)
    aggregate_sweep(args.name, args.overrides, Path(args.out) if args.out else None, cores=args.cores)
    return 0


def cmd_estimate(args) -> int:
    from neurosim_core.params import HardwareConfig, resolve

    from .flow.direct import estimate_from_files, trace_precision

    values = _settings(args.set, "a HardwareConfig field")
    _check_out_dir(args.out)
    precision = trace_precision(Path(args.traces)) if args.traces else None
    if precision is not None:  # traces that carry their precision set it, unless --set says otherwise
        values.setdefault("synapse_bits", precision[0])
        values.setdefault("input_bits", precision[1])
    cfg = HardwareConfig.from_mapping(values, source="--set")
    if cfg.mem_cell == "sram" and cfg.cell_bit != 1:  # the model would silently use 1-bit cells
        raise ValueError(f"--set cell_bit={cfg.cell_bit} is not allowed with mem_cell=sram; allowed: 1 (SRAM "
                         "cells hold one bit; --set mem_cell=rram or fefet for multi-bit cells)")
    p = resolve(cfg, source="--set")
    summary = estimate_from_files(Path(args.network), Path(args.traces) if args.traces else None, p,
                                  Path(args.out) if args.out else None)
    print(summary)
    return 0


def cmd_estimate_training(args) -> int:
    from .flow.direct_training import estimate_training_from_files

    values = _settings(args.set, "a HardwareConfig or TrainingConfig field")
    print(estimate_training_from_files(Path(args.network), Path(args.traces), values,
                                       Path(args.out) if args.out else None))
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="neurosim-flow", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("config", help="print the resolved config")
    c.add_argument("overrides", nargs="*")
    c.set_defaults(func=cmd_config)
    s = sub.add_parser("stage", help="run one pipeline stage")
    s.add_argument("stage", choices=["train", "infer", "traces", "floorplan", "estimate", "report"])
    s.add_argument("overrides", nargs="*")
    s.add_argument("--results", help="results directory (default: the config's results_dir)")
    s.add_argument("--log", help="also log to this file")
    s.set_defaults(func=cmd_stage)
    w = sub.add_parser("sweep", help="aggregate a sweep's design points")
    w.add_argument("name")
    w.add_argument("overrides", nargs="*")
    w.add_argument("--out")
    w.add_argument("--cores", type=int, default=2, help="the --cores the sweep ran with (sizes its estimate chunks)")
    w.set_defaults(func=cmd_sweep)
    e = sub.add_parser("estimate", help="estimate a network directly from trace files")
    e.add_argument("--network", required=True, help="NetWork.csv (8 columns per layer)")
    e.add_argument("--traces", help="directory of traces: *.npz (compact), traces.parquet, or the reference's "
                                    "weight*/input*.csv (not needed with --set activity_mode=average)")
    e.add_argument("--set", action="append", metavar="KEY=VALUE", help="HardwareConfig field, repeatable")
    e.add_argument("--out", help="write layers/chip tables (Parquet + CSV) here")
    e.set_defaults(func=cmd_estimate)
    t = sub.add_parser("estimate-training", help="on-chip training estimate from training trace files")
    t.add_argument("--network", required=True, help="NetWork.csv (8 columns per layer)")
    t.add_argument("--traces", required=True,
                   help="directory of training traces: *.npz, train_traces.parquet, or the V2.1 CSV layout")
    t.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="HardwareConfig or TrainingConfig field, repeatable (default chip: V2.1's)")
    t.add_argument("--out", help="write training_layers/training_chip tables (Parquet + CSV) here")
    t.set_defaults(func=cmd_estimate_training)
    return ap


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, OSError, KeyError, ImportError) as exc:
        msg = " ".join(str(exc).split()) or type(exc).__name__
        print(f"neurosim-flow: error: {msg}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
