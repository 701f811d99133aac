"""IEDM'19 Fig. 7's study on ResNet-18 / ImageNet: real traces vs pseudo traces vs the average mode.

    .venv/bin/python benchmarks/estimate_modes_resnet18.py [--set FIELD=VALUE ...] [--repeat 2]

Network: `pipeline.dse.networks.resnet18_imagenet` (224x224x3, 1000 classes, 21 CIM layers).
Traces: no ImageNet data set or trained ImageNet model exists on this machine, so the real and
pseudo modes read deterministic *synthetic* traces (`pipeline.dse.networks.synthetic_traces`:
quantised Gaussian weights, a smooth signed image, sparse post-ReLU-like activations); the
average mode reads none (shape-only traces; ``average_row_activity`` / ``average_cell_level`` are
its inputs, defaults 0.5 / 0.5, or ``--measured`` to give it the traces' own global averages).
Each mode's time is the best of ``--repeat`` warm runs in this process (a first run compiles /
loads Numba); the table gives each figure and its ratio to the real-trace figure.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import yaml


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--measured", action="store_true",
                    help="average mode with the traces' global mean input bit and cell level")
    args = ap.parse_args()
    from neurosim_core.estimate import estimate
    from neurosim_core.params import HardwareConfig, resolve
    from neurosim_core.traces import input_bit_matrix, weight_cell_codes

    from pipeline.dse.networks import resnet18_imagenet, shape_traces, synthetic_traces

    base = {k: yaml.safe_load(v) for k, v in (s.split("=", 1) for s in args.set)}
    net = resnet18_imagenet()
    t0 = time.perf_counter()
    traces = synthetic_traces(net)
    t_gen = time.perf_counter() - t0
    p_real = resolve(HardwareConfig.from_mapping({**base, "activity_mode": "real"}))
    avg = {}
    if args.measured:
        bits = [input_bit_matrix(t.input_q, p_real.input_bits, l.num_in_vectors).mean()
                for t, l in zip(traces, net.layers)]
        lv = 2 ** p_real.cell_bit - 1 if p_real.is_envm else 1
        cells = [weight_cell_codes(t.weight_q, t.wbits, p_real.synapse_bits, p_real.cell_bit, p_real.algo_weight_max,
                                   p_real.algo_weight_min).mean() / lv for t in traces]
        avg = {"average_row_activity": round(float(np.mean(bits)), 4),
               "average_cell_level": round(float(np.mean(cells)), 4)}
    modes = (("real", traces, {}), ("pseudo", traces, {}), ("average", shape_traces(net), avg))
    print(f"ResNet-18 ImageNet, {len(net.layers)} layers, {net.num_computation / 1e9:.3f} GOP/image; settings "
          f"{base or 'NeuroSim V1.4 defaults'}; synthetic traces generated in {t_gen:.1f} s; load "
          f"{open('/proc/loadavg').read().split()[0]}")
    rows = []
    for mode, tr, extra in modes:
        p = resolve(HardwareConfig.from_mapping({**base, **extra, "activity_mode": mode}))
        times = []
        for _ in range(args.repeat + 1):
            t0 = time.perf_counter()
            r = estimate(net, tr, p)
            times.append(time.perf_counter() - t0)
        rows.append((mode + (f" ({extra})" if extra else ""), min(times[1:] or times), r))
    ref = rows[0][2]
    figs = (("area mm2", lambda r: r.area * 1e6), ("latency ms", lambda r: r.read_latency * 1e3),
            ("energy uJ", lambda r: r.read_dynamic_energy * 1e6), ("TOPS/W", lambda r: r.tops_per_w),
            ("FPS", lambda r: r.fps))
    print("| mode | time s | " + " | ".join(n for n, _ in figs) + " |")
    print("|---|---|" + "---|" * len(figs))
    for mode, t, r in rows:
        cells = [f"{f(r):.4g}" + ("" if r is ref else f" ({f(r) / f(ref):.3f}x)") for _, f in figs]
        print(f"| {mode} | {t:.2f} | " + " | ".join(cells) + " |")
    print(f"load after: {open('/proc/loadavg').read().split()[0]}")


if __name__ == "__main__":
    main()
