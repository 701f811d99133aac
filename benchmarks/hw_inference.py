"""Benchmark: batched hardware-aware inference vs the masked-conv oracle, and WAGE vs FP step time.

Usage: .venv/bin/python benchmarks/hw_inference.py [--threads 1] [--batch 2] [--shrink 4]
Prints images/s of ``pipeline.hw_infer`` and of ``tests/algo/oracle.py`` (the reference masked-conv
formulation) on the same batch, layer by layer over all eight VGG-8 layers (8-bit W/A, 1-bit cells,
128-row sub-arrays, 5-bit linear ADC; feature maps shrunk ``--shrink`` times per side so that the
oracle finishes: both costs scale with the number of output positions), the whole-network
speed-up, and the time per training step of a narrow VGG-8 in WAGE and FP mode (same run).
"""
from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from pipeline.algo_config import HwInferConfig, ModelConfig, TrainConfig  # noqa: E402
from pipeline.hw_infer import make_hw_fn, program_layer  # noqa: E402
from pipeline.models import build_model, network_table  # noqa: E402
from pipeline.quant import QConv2d, QLinear, clip, quantize  # noqa: E402
from pipeline.train import criterion_for  # noqa: E402
from tests.algo.oracle import oracle_layer  # noqa: E402


def bench_layer(layer, x, cfg, reps=1):
    fn = make_hw_fn(program_layer(layer, cfg, torch.Generator().manual_seed(0)), cfg)
    with torch.no_grad():
        fn(layer, x)
        t = time.perf_counter()
        for _ in range(reps):
            y = fn(layer, x)
        fast = (time.perf_counter() - t) / reps
        t = time.perf_counter()
        o = oracle_layer(layer, x, cfg)
        slow = time.perf_counter() - t
    return fast, slow, float((y - o).abs().max())


def bench_steps(mode, steps=6, bs=32, width=0.125):
    torch.manual_seed(0)
    tc = TrainConfig(mode=mode)
    m = build_model(ModelConfig(width_mult=width, in_channels=1), tc)
    opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
    crit = criterion_for(mode, "mean")
    x, y = torch.rand(bs, 1, 32, 32) * 2 - 1, torch.randint(0, 10, (bs,))
    from pipeline.quant import clip_weights_, qg
    g = torch.Generator().manual_seed(0)
    times = []
    for i in range(steps + 1):
        t = time.perf_counter()
        opt.zero_grad()
        loss = crit(m(x), y)
        loss.backward()
        if mode == "wage":
            for p in m.parameters():
                p.grad = qg(p.grad, 8, 8.0, g)
        opt.step()
        if mode == "wage":
            clip_weights_(m)
        if i:
            times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--shrink", type=int, default=4)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg = HwInferConfig(adc_bits=5, cell_bit=1, subarray=128)
    tf_all = ts_all = 0.0
    for name, layer, x in vgg8_cases(a.batch, a.shrink):
        tf, ts, err = bench_layer(layer, x, cfg)
        tf_all += tf
        ts_all += ts
        print(f"{name:28s} ours {a.batch / tf:9.2f} img/s  oracle {a.batch / ts:8.3f} img/s  "
              f"speed-up {ts / tf:6.1f}x  max|diff| {err:.2e}", flush=True)
    print(f"{'VGG-8 (all layers)':28s} ours {a.batch / tf_all:9.2f} img/s  oracle {a.batch / ts_all:8.3f} img/s  "
          f"speed-up {ts_all / tf_all:.1f}x")
    tw, tf = bench_steps("wage"), bench_steps("fp")
    print(f"train step (VGG-8 x0.125, batch 32, 1x32x32): WAGE {tw * 1e3:.1f} ms  FP {tf * 1e3:.1f} ms  "
          f"overhead {tw / tf:.2f}x")


if __name__ == "__main__":
    main()
