"""Speed benchmark: cold and warm wall time and peak RSS of the default VGG-8 training estimate.

Usage::

    python benchmarks/estimate_training.py --traces DIR [--repeat 3] [--set key=value ...]

DIR holds the eight ``<i>_<name>.npz`` training traces (``shared/reference/traces_vgg8_train``; the
repository keeps only three of them).  "Cold" is the first estimate in a fresh process (imports
and trace loading excluded, Numba compilation or cache loading included); "warm" is the best of
the following runs.  The reference V2.1 binary takes 171 s for this epoch estimate.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import cold_and_warm, load_network, parse_settings, print_timings  # noqa: E402
from neurosim_core.training.estimate import estimate_training  # noqa: E402
from neurosim_core.training.traces import load_training_npz_dir  # noqa: E402
from pipeline.flow.direct_training import split_settings  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--traces", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = ap.parse_args(argv)
    hw, tc = split_settings(parse_settings(args.set))
    start = time.perf_counter()
    traces, network = load_network(args.traces, load_training_npz_dir)
    load_s = time.perf_counter() - start
    result, cold, warm = cold_and_warm(lambda: estimate_training(network, traces, hw, training=tc), args.repeat)
    print_timings(load_s, cold, warm)
    print(f"chip: {result.latency:.4g} s/epoch, {result.energy:.4g} J/epoch, TOPS/W {result.tops_per_w:.4g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
