"""Design points per second of an estimate-only sweep: batched (a process per chunk of points, as
`pipeline.dse.batch` runs them) vs one process per point (as a one-point-per-job sweep runs them),
in the same run, on the same real traces, ``--jobs`` processes at a time in both cases.

    .venv/bin/python benchmarks/sweep_throughput.py [--traces DIR] [--network NET.csv] [--jobs 2]

``--traces``: a pipeline traces directory (``results/traces/<key>``, with ``traces.parquet`` and
``network.csv``) or a directory of ``*.npz`` traces (default: the reference's full-width VGG-8
CIFAR-10 traces in ``tests/data/traces_vgg8`` with ``tests/data/NetWork_VGG8.csv``).  The points,
real-trace mode (``--points N`` takes the first N):

* ``--space node`` (default): SRAM, node 22/32/45/14/7/5 nm x sub-array rows (= columns)
  128/64/256 x ADC bits 5/3/4/6/7/8 (108 points);
* ``--space device``: device and cell bits SRAM 1 b / RRAM 1 b / RRAM 2 b x node 22/32 nm x rows
  128/64/256 x ADC bits 5/3/4/6/7/8 (108 points).

A batched process estimates its points with `neurosim_core.batch` (shared decoding, tile carving
and input activity, as `pipeline.dse.batch` runs a chunk); a one-point process runs the plain
`estimate` (as the ``estimate`` stage does).  Every point of both runs is checked to give identical
figures.  Prints the 1-minute load (``/proc/loadavg``) before and after each run and the CPU
seconds the workers used: the machine is shared.
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


ADC_BITS = [5, 3, 4, 6, 7, 8]
ROWS = [128, 64, 256]


def points(n: int, space: str = "node") -> list[dict]:
    if space == "node":
        grid = [({"mem_cell": "sram"}, node, rows, adc)
                for node, rows, adc in itertools.product([22, 32, 45, 14, 7, 5], ROWS, ADC_BITS)]
    elif space == "device":
        devices = [{"mem_cell": "sram"}, {"mem_cell": "rram", "cell_bit": 1}, {"mem_cell": "rram", "cell_bit": 2}]
        grid = [(dev, node, rows, adc) for dev, node, rows, adc in itertools.product(devices, [22, 32], ROWS, ADC_BITS)]
    else:
        raise SystemExit(f"--space {space!r}: expected node or device")
    return [{**dev, "tech_node_nm": node, "num_row_subarray": rows, "num_col_subarray": rows, "level_output": 2 ** adc}
            for dev, node, rows, adc in grid][:n]


def worker(args) -> None:
    """One process: import, read the traces once, estimate the given points, write one JSON row each."""
    t0 = time.perf_counter()
    from neurosim_core.batch import SharedWork
    from neurosim_core.network import read_network_csv
    from neurosim_core.params import HardwareConfig, resolve
    from neurosim_core.traces import shared_decoding

    from pipeline.flow.direct import load_traces_dir
    from pipeline.dse.batch import estimate_row

    pts = json.loads(Path(args.worker).read_text())
    network = read_network_csv(Path(args.network))
    traces = load_traces_dir(Path(args.traces), resolve(HardwareConfig()))
    if args.shared:
        shared = SharedWork()
        with shared_decoding():
            rows = [estimate_row(network, traces, resolve(HardwareConfig(**p)), shared) for p in pts]
    else:
        rows = [estimate_row(network, traces, resolve(HardwareConfig(**p))) for p in pts]
    import resource

    Path(args.out).write_text(json.dumps({"rows": rows, "wall_s": time.perf_counter() - t0,
                                          "cpu_s": time.process_time(),
                                          "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def run_processes(chunks: list[list[dict]], jobs: int, traces: Path, network: Path, tmp: Path, tag: str,
                  shared: bool):
    def one(i_chunk):
        i, chunk = i_chunk
        spec, out = tmp / f"{tag}_{i}.json", tmp / f"{tag}_{i}.out.json"
        spec.write_text(json.dumps(chunk))
        subprocess.run([sys.executable, __file__, "--worker", str(spec), "--out", str(out), "--traces", str(traces),
                        "--network", str(network)] + (["--shared"] if shared else []), check=True, cwd=ROOT,
                       env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE", "OMP_NUM_THREADS": "1"})
        return json.loads(out.read_text())

    t0 = time.perf_counter()
    with ThreadPoolExecutor(jobs) as ex:
        results = list(ex.map(one, enumerate(chunks)))
    # CPU of the workers after their imports (process_time at the end covers the whole process)
    cpu = sum(r["cpu_s"] for r in results)
    rss = max(r["rss_mb"] for r in results)
    return [row for r in results for row in r["rows"]], time.perf_counter() - t0, cpu, rss


def load1() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--traces", default=str(ROOT / "tests/data/traces_vgg8"))
    ap.add_argument("--network", default=None, help="NetWork.csv (default: network.csv beside traces.parquet, "
                                                    "else tests/data/NetWork_VGG8.csv)")
    ap.add_argument("--points", type=int, default=108)
    ap.add_argument("--space", default="node", help="node (default) or device; see above")
    ap.add_argument("--jobs", type=int, default=2, help="processes at a time (as snakemake --cores)")
    ap.add_argument("--chunk-size", type=int, default=None, help="points per batched process (default: points/jobs)")
    ap.add_argument("--single-sample", type=int, default=None, metavar="N",
                    help="run the one-process-per-point mode on N of the points only (evenly spread; its rate "
                         "is N / its wall time; default: all)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--shared", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.network is None:
        cand = Path(args.traces) / "network.csv"
        args.network = str(cand if cand.exists() else ROOT / "tests/data/NetWork_VGG8.csv")
    if args.worker:
        worker(args)
        return
    pts = points(args.points, args.space)
    size = args.chunk_size or math.ceil(len(pts) / args.jobs)
    traces, network = Path(args.traces), Path(args.network)
    print(f"{len(pts)} real-trace design points (--space {args.space}) of {args.network} on {args.traces}; "
          f"{args.jobs} processes at a time; 1-min load before: {load1()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # warm the Numba cache (both paths) so that neither mode pays a compilation the other does not
        run_processes([pts[:2]], 1, traces, network, tmp, "warm", True)
        run_processes([pts[:1]], 1, traces, network, tmp, "warm1", False)
        batched, t_b, cpu_b, rss_b = run_processes([pts[i:i + size] for i in range(0, len(pts), size)], args.jobs,
                                            traces, network, tmp, "batch", True)
        print(f"batched ({math.ceil(len(pts) / size)} processes of <= {size} points): {t_b:.1f} s, "
              f"{len(pts) / t_b:.2f} points/s (workers' CPU {cpu_b:.1f} s, {cpu_b / len(pts):.3f} s/point; peak RSS "
              f"{rss_b:.0f} MB); 1-min load {load1()}", flush=True)
        picks = list(range(len(pts)))
        if args.single_sample and args.single_sample < len(pts):
            picks = sorted({round(i * (len(pts) - 1) / max(args.single_sample - 1, 1))
                            for i in range(args.single_sample)})
        single, t_s, cpu_s, _ = run_processes([[pts[i]] for i in picks], args.jobs, traces, network, tmp, "single",
                                              False)
        n = len(picks)
        print(f"one process per point ({n} processes{'' if n == len(pts) else ', a sample of the points'}): "
              f"{t_s:.1f} s, {n / t_s:.2f} points/s (workers' CPU {cpu_s:.1f} s, {cpu_s / n:.3f} s/point); "
              f"1-min load {load1()}", flush=True)
        batched = [batched[i] for i in picks]
    same = batched == single
    print(f"speed-up {(len(pts) / t_b) / (n / t_s):.2f}x (points/s); figures identical in both modes: {same}")
    if not same:
        sys.exit("batched and one-point-per-process figures differ")


if __name__ == "__main__":
    main()
