"""Speed of device-aware training steps (pipeline.training) vs the plain WAGE update, same model.

    .venv/bin/python benchmarks/onchip_training.py [--width 0.125] [--size 16] [--batch 100] [--steps 20]

Prints seconds per training step (best of 3 runs of ``--steps`` steps) for: plain WAGE QG update,
the ideal linear device, the FeFET preset (NL 1.75/1.46, c2c) and FeFET with d2d variation, and
the 1-minute load average (the machine is shared: compare the rows of one run, not across runs).
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import time

import torch


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--width", type=float, default=0.125)
    ap.add_argument("--size", type=int, default=16)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)

    from pipeline.algo.config import DataConfig, ModelConfig, TrainConfig
    from pipeline.algo.data import load_data
    from pipeline.algo.models import build_model
    from pipeline.algo.quant import clip_weights_, qg, quant_layers
    from pipeline.training.config import OnchipConf, OnchipDeviceConf
    from pipeline.training.onchip import make_device_state, onchip_step, sse_loss

    mc = ModelConfig(width_mult=a.width, in_channels=1, image_size=a.size)
    data = load_data(DataConfig(name="mnist_embedded", n_train=a.batch * a.steps, n_test=10), mc)
    bits = TrainConfig(wl_weight=5, wl_activate=8, wl_error=8, wl_grad=5)
    conf = OnchipConf(batch_size=a.batch, grad_scale=0.25)
    fefet = OnchipDeviceConf()
    devices = {"ideal linear device": OnchipDeviceConf(name="ideal", nonlinearity_ltp=0.0, nonlinearity_ltd=0.0,
                                                       c2c_sigma=0.0),
               "FeFET 1.75/1.46, c2c": fefet, "FeFET + d2d 0.1": dataclasses.replace(fefet, d2d_sigma=0.1)}

    def run(update) -> float:
        best = float("inf")
        for _ in range(3):
            torch.manual_seed(0)
            model = build_model(mc, bits)
            params = [m.weight for m in quant_layers(model)]
            ctx = update("init", params)
            t0 = time.perf_counter()
            for k in range(a.steps):
                xb, yb = data.x_train[k * a.batch:(k + 1) * a.batch], data.y_train[k * a.batch:(k + 1) * a.batch]
                for p in params:
                    p.grad = None
                sse_loss(model(xb), yb).backward()
                update(ctx, params)
            best = min(best, (time.perf_counter() - t0) / a.steps)
        return best

    def wage(ctx, params):
        if ctx == "init":
            return {"v": [torch.zeros_like(p) for p in params], "g": torch.Generator().manual_seed(1)}
        with torch.no_grad():
            for p, v in zip(params, ctx["v"]):
                v.mul_(0.9).add_(p.grad, alpha=0.1)
                p.sub_(qg(v, 5, 0.25, generator=ctx["g"]))
            for p in params:
                p.clamp_(-15 / 16, 15 / 16)

    def device(dev):
        def upd(ctx, params):
            if ctx == "init":
                return {"v": [torch.zeros_like(p) for p in params], "s": make_device_state(params, dev, 0),
                        "g": torch.Generator().manual_seed(1)}
            onchip_step(params, ctx["v"], ctx["s"], conf, dev, 0.25, ctx["g"])
        return upd

    print(f"load average (1 min) {os.getloadavg()[0]:.1f}; VGG-8 x{a.width} on {a.size}x{a.size}, batch {a.batch}, "
          f"{a.threads} thread(s), best of 3 x {a.steps} steps")
    base = run(wage)
    print(f"{'plain WAGE (QG)':24s} {base * 1e3:8.1f} ms/step")
    for name, dev in devices.items():
        t = run(device(dev))
        print(f"{name:24s} {t * 1e3:8.1f} ms/step  ({t / base:.2f}x)")


if __name__ == "__main__":
    main()
