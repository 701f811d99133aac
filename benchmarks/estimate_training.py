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
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from neurosim_core.network import Network  # noqa: E402
from neurosim_core.training.estimate import estimate_training  # noqa: E402
from neurosim_core.training.traces import load_training_npz_dir  # noqa: E402
from pipeline.flow.direct_training import split_settings  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--traces", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = ap.parse_args(argv)
    values = {k: yaml.safe_load(v) for k, _, v in (s.partition("=") for s in args.set)}
    hw, tc = split_settings(values)
    start = time.perf_counter()
    traces = load_training_npz_dir(args.traces)
    network = Network.from_rows([t.net_row for t in traces], names=[t.name for t in traces])
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    result = estimate_training(network, traces, hw, training=tc)
    cold_s = time.perf_counter() - start
    warm = []
    for _ in range(max(args.repeat, 0)):
        start = time.perf_counter()
        estimate_training(network, traces, hw, training=tc)
        warm.append(time.perf_counter() - start)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load traces: {load_s:.2f} s")
    print(f"cold estimate: {cold_s:.2f} s")
    if warm:
        print(f"warm estimate (best of {len(warm)}): {min(warm):.2f} s")
    print(f"peak RSS: {rss_mb:.0f} MB")
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"chip: {result.latency:.4g} s/epoch, {result.energy:.4g} J/epoch, TOPS/W {result.tops_per_w:.4g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
