"""Speed benchmark: cold and warm wall time and peak RSS of the default VGG-8 estimate.

Usage::

    python benchmarks/estimate_vgg8.py [--traces tests/data/traces_vgg8] [--repeat 3] [--set mem_cell=rram ...]

"Cold" is the first estimate in a fresh process (imports excluded, Numba compilation or cache
loading included); "warm" is the best of the following runs.  The process CPU time is printed too:
on a shared, loaded machine it is the closer figure to the wall time on an idle one.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from neurosim_core.estimate import estimate  # noqa: E402
from neurosim_core.network import Network  # noqa: E402
from neurosim_core.params import HardwareConfig, resolve  # noqa: E402
from neurosim_core.traces import load_npz_dir  # noqa: E402


def _value(text: str):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--traces", type=Path, default=ROOT / "tests" / "data" / "traces_vgg8")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs after the cold one")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="a HardwareConfig field (default: NeuroSim V1.4's default config)")
    args = parser.parse_args(argv)
    changes = {}
    for item in args.set:
        key, _, value = item.partition("=")
        changes[key] = _value(value)

    start = time.perf_counter()
    traces = load_npz_dir(args.traces)
    network = Network.from_rows([t.net_row for t in traces], names=[t.name for t in traces])
    p = resolve(HardwareConfig.from_mapping(changes, source="--set"))
    load_s = time.perf_counter() - start

    start, cpu = time.perf_counter(), time.process_time()
    result = estimate(network, traces, p)
    cold_s, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
    warm, warm_cpu = [], []
    for _ in range(max(args.repeat, 0)):
        start, cpu = time.perf_counter(), time.process_time()
        estimate(network, traces, p)
        warm.append(time.perf_counter() - start)
        warm_cpu.append(time.process_time() - cpu)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"trace load: {load_s:.3f} s")
    print(f"cold estimate: {cold_s:.3f} s (CPU {cold_cpu:.3f} s)")
    if warm:
        print(f"warm estimate: {min(warm):.3f} s (best of {len(warm)}; CPU {min(warm_cpu):.3f} s)")
    print(f"peak RSS: {peak_mb:.1f} MB")
    print(f"TOPS/W {result.tops_per_w:.4g}, TOPS {result.tops:.4g}, area {result.area * 1e12:.6g} um^2, "
          f"latency {result.read_latency * 1e9:.6g} ns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
