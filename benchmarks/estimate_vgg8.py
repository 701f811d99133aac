"""Speed benchmark: cold and warm wall time and peak RSS of the default VGG-8 estimate.

Usage::

    python benchmarks/estimate_vgg8.py [--traces tests/data/traces_vgg8] [--repeat 3] [--set mem_cell=rram ...]

"Cold" is the first estimate in a fresh process (imports excluded, Numba compilation or cache
loading included); "warm" is the best of the following runs.  The process CPU time is printed too:
on a shared, loaded machine it is the closer figure to the wall time on an idle one.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import DEFAULT_TRACES, cold_and_warm, hardware_config, load_network, print_timings  # noqa: E402
from neurosim_core.estimate import estimate  # noqa: E402
from neurosim_core.params import resolve  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--traces", type=Path, default=DEFAULT_TRACES)
    parser.add_argument("--repeat", type=int, default=3, help="warm runs after the cold one")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="a HardwareConfig field (default: NeuroSim V1.4's default config)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    traces, network = load_network(args.traces)
    p = resolve(hardware_config(args.set))
    load_s = time.perf_counter() - start

    result, cold, warm = cold_and_warm(lambda: estimate(network, traces, p), args.repeat)
    print_timings(load_s, cold, warm)
    print(f"TOPS/W {result.tops_per_w:.4g}, TOPS {result.tops:.4g}, area {result.area * 1e12:.6g} um^2, "
          f"latency {result.read_latency * 1e9:.6g} ns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
