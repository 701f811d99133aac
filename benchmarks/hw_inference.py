"""Benchmark: batched hardware-aware inference vs the masked-conv oracle, and WAGE vs FP step time.

Usage: .venv/bin/python benchmarks/hw_inference.py [--threads 1] [--batch 8]
Prints images/s of ``pipeline.hw_infer`` and of ``tests/algo/oracle.py`` on the same batch and
layers (one conv layer of VGG-8 at reduced spatial size, plus FC), and the time per training step of
a narrow VGG-8 in WAGE and FP mode.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from pipeline.algo_config import HwInferConfig, ModelConfig, TrainConfig  # noqa: E402
from pipeline.hw_infer import make_hw_fn, program_layer  # noqa: E402
from pipeline.models import build_model  # noqa: E402
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=8)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = HwInferConfig(adc_bits=5)
    cases = [
        ("conv 128->128 3x3 @8x8", QConv2d(128, 128, 3, 1, 1), torch.rand(a.batch, 128, 8, 8)),
        ("conv 256->256 3x3 @4x4", QConv2d(256, 256, 3, 1, 1), torch.rand(a.batch, 256, 4, 4)),
        ("fc 1024->128", QLinear(1024, 128), torch.rand(a.batch, 1024)),
    ]
    tf_all = ts_all = 0.0
    for name, layer, x in cases:
        x = quantize(clip(x, 8), 8)
        tf, ts, err = bench_layer(layer, x, cfg)
        tf_all += tf
        ts_all += ts
        print(f"{name:26s} fast {a.batch / tf:9.2f} img/s  oracle {a.batch / ts:8.3f} img/s  "
              f"speed-up {ts / tf:6.1f}x  max|diff| {err:.2e}")
    print(f"{'all layers':26s} speed-up {ts_all / tf_all:.1f}x")
    tw, tf = bench_steps("wage"), bench_steps("fp")
    print(f"train step (VGG-8 x0.125, batch 32, 1x32x32): WAGE {tw * 1e3:.1f} ms  FP {tf * 1e3:.1f} ms  "
          f"overhead {tw / tf:.2f}x")


if __name__ == "__main__":
    main()
