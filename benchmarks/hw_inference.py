"""Benchmark: batched hardware-aware inference vs the masked-conv oracle, and WAGE vs FP step time.

Usage: OMP_WAIT_POLICY=PASSIVE .venv/bin/python benchmarks/hw_inference.py [--threads 1] [--batch 4]
Prints images/s of ``pipeline.algo.hw_infer`` (the ``auto`` engine, and the float ``bmm`` engine alone)
and of ``tests/algo/oracle.py`` (the reference masked-conv formulation) on the same batch, in the
same run and thread count, layer by layer over all eight full-size VGG-8 layers (CIFAR 32x32 maps,
8-bit W/A, 1-bit cells, 128-row sub-arrays, 5-bit linear ADC; ``--compat``, default the product's
``neurosim_v14``, the oracle following the same mode), the whole-network figures and
speed-ups, the largest output difference to the oracle, and the time per training step of a VGG-8
in WAGE and FP mode.  ``--shrink`` divides the feature maps (quick runs only).  The oracle takes
minutes (the deep layers: one full masked convolution per kernel position x sub-array x input bit x
weight slice); ``--no-oracle`` skips it.
"""
from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from pipeline.algo.config import HwInferConfig, ModelConfig, TrainConfig  # noqa: E402
from pipeline.algo.hw_infer import make_hw_fn, program_layer  # noqa: E402
from pipeline.algo.models import build_model, network_table  # noqa: E402
from pipeline.algo.quant import QConv2d, QLinear, clip, clip_weights_, qg, quantize  # noqa: E402
from pipeline.algo.train import criterion_for  # noqa: E402
from tests.algo.oracle import oracle_layer  # noqa: E402



def time_ours(layer, x, cfg, engine, reps=2):
    """Best of ``reps`` timed calls (after one warm-up call that also compiles the kernels)."""
    fn = make_hw_fn(program_layer(layer, cfg, torch.Generator().manual_seed(0), engine=engine), cfg)
    with torch.no_grad():
        fn(layer, x)
        best = float("inf")
        for _ in range(reps):
            t = time.perf_counter()
            y = fn(layer, x)
            best = min(best, time.perf_counter() - t)
    return best, y


def time_oracle(layer, x, cfg):
    with torch.no_grad():
        t = time.perf_counter()
        o = oracle_layer(layer, x, cfg)
    return time.perf_counter() - t, o


def make_step(mode, bs, width, in_ch):
    """One training step of a VGG-8 (as ``pipeline.algo.train``: loss, backward, QG, SGD, weight clip)."""
    torch.manual_seed(0)
    m = build_model(ModelConfig(width_mult=width, in_channels=in_ch), TrainConfig(mode=mode))
    opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
    crit = criterion_for(mode, "mean")
    x, y = torch.rand(bs, in_ch, 32, 32) * 2 - 1, torch.randint(0, 10, (bs,))
    g = torch.Generator().manual_seed(0)

    def step():
        opt.zero_grad()
        crit(m(x), y).backward()
        if mode == "wage":
            for p in m.parameters():
                p.grad = qg(p.grad, 8, 8.0, g)
        opt.step()
        if mode == "wage":
            clip_weights_(m)
    return step


def bench_steps(bs, width, in_ch, steps=8):
    """Median WAGE and FP step times, the two steps interleaved so that load changes hit both."""
    fns = {mode: make_step(mode, bs, width, in_ch) for mode in ("wage", "fp")}
    times = {mode: [] for mode in fns}
    for i in range(steps + 1):
        for mode, fn in fns.items():
            t = time.perf_counter()
            fn()
            if i:
                times[mode].append(time.perf_counter() - t)
    return tuple(sorted(times[m])[len(times[m]) // 2] for m in ("wage", "fp"))


def vgg8_cases(batch: int, shrink: int):
    """The eight VGG-8 layers (table derived from the model) with random 8-bit inputs: the image
    layer signed, the others post-ReLU."""
    torch.manual_seed(0)
    rows = network_table(build_model(ModelConfig()), (3, 32, 32))
    cases = []
    for i, (h, w, c, kh, kw, co, _, stride) in enumerate(rows):
        if kh == 1 and h == 1:
            layer, x = QLinear(c, co), torch.rand(batch, c)
            name = f"fc {c}->{co}"
        else:
            hs = max(1, h // shrink)
            layer = QConv2d(c, co, kh, stride, kh // 2)
            x = torch.rand(batch, c, hs, hs) * (2 if i == 0 else 1) - (1 if i == 0 else 0)
            name = f"conv {c}->{co} {kh}x{kw} @{hs}x{hs}"
        cases.append((name, layer, quantize(clip(x, 8), 8)))
    return cases


def load() -> str:
    return open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--shrink", type=int, default=1)
    ap.add_argument("--no-oracle", action="store_true")
    ap.add_argument("--compat", default="neurosim_v14", help="neurosim_v14 | corrected (ours and the oracle)")
    ap.add_argument("--train-only", action="store_true", help="only the WAGE vs FP step times")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg = HwInferConfig(adc_bits=5, cell_bit=1, subarray=128, compat=a.compat).validate()
    B = a.batch
    print(f"threads {a.threads}, batch {B}, maps 32x32 / {a.shrink}, compat {a.compat}, "
          f"load(1 min) at start {load()}", flush=True)
    if not a.train_only:
        bench_hw(a, cfg, B)
    for width, ch, bs in ((0.125, 1, 32), (1.0, 3, 16)):
        tw, tf = bench_steps(bs, width, ch)
        print(f"train step (VGG-8 x{width}, batch {bs}, {ch}x32x32): WAGE {tw * 1e3:.1f} ms  FP {tf * 1e3:.1f} ms  "
              f"overhead {tw / tf:.2f}x  load {load()}", flush=True)


def bench_hw(a, cfg, B):
    tot = {"auto": 0.0, "bmm": 0.0, "oracle": 0.0}
    for name, layer, x in vgg8_cases(B, a.shrink):
        t_auto, y = time_ours(layer, x, cfg, "auto")
        t_bmm, _ = time_ours(layer, x, cfg, "bmm")
        tot["auto"] += t_auto
        tot["bmm"] += t_bmm
        line = f"{name:28s} ours {B / t_auto:8.2f} img/s (bmm engine {B / t_bmm:7.2f})"
        if not a.no_oracle:
            t_or, o = time_oracle(layer, x, cfg)
            tot["oracle"] += t_or
            d = (y - o).abs()   # float32 rounding of the shift-and-add (the ADC decisions are exact)
            line += (f"  oracle {B / t_or:8.4f} img/s  speed-up {t_or / t_auto:7.1f}x (bmm {t_or / t_bmm:6.1f}x)"
                     f"  max|diff| {float(d.max()):.1e} ({int((d > 1e-3).sum())}/{d.numel()} > 1e-3)  load {load()}")
        print(line, flush=True)
    line = f"{'VGG-8 (all 8 layers)':28s} ours {B / tot['auto']:8.2f} img/s (bmm engine {B / tot['bmm']:7.2f})"
    if not a.no_oracle:
        line += (f"  oracle {B / tot['oracle']:8.4f} img/s  speed-up {tot['oracle'] / tot['auto']:7.1f}x "
                 f"(bmm {tot['oracle'] / tot['bmm']:6.1f}x)")
    print(line, flush=True)


if __name__ == "__main__":
    main()
