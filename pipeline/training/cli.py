"""Job runner of the ``training`` DAG (what ``rules/training.smk`` calls); also usable by hand:

    python -m pipeline.training.cli train --epoch E [OVERRIDE ...] [--results DIR]   one epoch
    python -m pipeline.training.cli train [OVERRIDE ...] [--results DIR]             collect the epochs
    python -m pipeline.training.cli estimate --epoch E [OVERRIDE ...] [--results DIR]
    python -m pipeline.training.cli aggregate [OVERRIDE ...] [--results DIR]
    python -m pipeline.training.cli sweep NAME [OVERRIDE ...] [--results DIR]
    python -m pipeline.training.cli keys [OVERRIDE ...]        print the stage keys

Errors are one line (``neurosim-flow: error: ...``), exit status 2.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.training.cli")
    ap.add_argument("command", choices=("train", "estimate", "aggregate", "sweep", "keys"))
    ap.add_argument("args", nargs="*", help="sweep name (sweep) then Hydra overrides")
    ap.add_argument("--epoch", type=int, default=None)
    ap.add_argument("--results", default=None)
    ap.add_argument("--log", default=None)
    a = ap.parse_intermixed_args(argv)
    try:
        from ..flow.stages import setup_logging
        from .plan import TrainingPlan, compose, epoch_dir, load_sweep, training_keys, training_overrides
        from . import stages

        setup_logging(Path(a.log) if a.log else None)
        args = list(a.args)
        name = args.pop(0) if a.command == "sweep" and args else None
        args = list(training_overrides(args))
        flow = compose(tuple(args))
        results = Path(a.results or flow.results_dir)
        keys = training_keys(flow)
        if a.command == "keys":
            for k, v in keys.items():
                print(f"{k}: {v}")
        elif a.command == "train":
            train_dir = results / "train_onchip" / keys["train_onchip"]
            if a.epoch is None:
                stages.run_train_collect(flow, train_dir)
            else:
                stages.run_train_epoch(flow, a.epoch, train_dir)
        elif a.command == "estimate":
            if a.epoch is None:
                raise ValueError("estimate needs --epoch E")
            traces = results / "train_onchip" / keys["train_onchip"] / epoch_dir(a.epoch) / "train_traces.parquet"
            out = results / "estimate_training" / keys["estimate_training"] / epoch_dir(a.epoch)
            stages.run_estimate_training(flow, a.epoch, traces, out)
        elif a.command == "aggregate":
            stages.run_aggregate(flow, results / "train_onchip" / keys["train_onchip"],
                                 results / "estimate_training" / keys["estimate_training"],
                                 results / "training" / keys["training"])
        else:
            from .aggregate import aggregate_sweep

            if not name:
                raise ValueError("sweep needs a NAME (conf/sweep/training/<NAME>.yaml)")
            plan = TrainingPlan.build(a.args[1:], sweep_names=[name])
            points = [(label, results / "training" / training_keys(compose(pt))["training"] / "per_epoch.parquet")
                      for label, pt in plan.sweeps[name][1]]
            aggregate_sweep(name, points, results / "training_sweep" / name / plan.sweeps[name][0])
    except Exception as exc:  # one line, never a traceback
        print(f"neurosim-flow: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
