"""Accuracy of a small trained model under hardware-aware inference in both ``compat`` modes.

Usage: .venv/bin/python benchmarks/hw_compat_accuracy.py [--images 512] [--adc 4 5 6] [--steps 300]
Trains the test suite's small WAGE model (VGG-8 x0.125 on 16x16 MNIST, 8/8/8/8 bits, ``--steps``
steps of 32; ``tests/algo/conftest.py``), then evaluates ``--images`` test images digitally and
through the CIM model (128-row sub-arrays, 1-bit cells, on/off 17, linear ADC) at each ``--adc``
precision with ``compat=neurosim_v14`` (the reference's conventions, the default) and
``compat=corrected`` (the consistent model), and prints the accuracies and their difference.

``--edges``: instead, how much the reference's own numbers depend on float summation order.  On
issue 13's layer set (FC 64->10 and 80->10, conv 16->8 and 64->8, random 8-bit post-ReLU inputs),
the masked-conv formulation (``tests/algo/oracle.py``, ``compat=neurosim_v14``) is evaluated
literally in float32 and in float64 (as the reference's code computes: float sums, floor with no
tolerance) and exactly; printed: the share of ADC conversions that lie on a level edge and the share
of layer outputs (after output quantisation) where each literal evaluation and our engine differ
from the exact one, with the literal evaluations' mean difference in output LSBs.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from pipeline.algo.config import DataConfig, HwInferConfig, ModelConfig, TrainConfig  # noqa: E402
from pipeline.algo.data import load_data  # noqa: E402
from pipeline.algo.hw_infer import evaluate  # noqa: E402
from pipeline.algo.train import load_trained, train  # noqa: E402
from pipeline.algo.hw_infer import make_hw_fn, program_layer  # noqa: E402
from pipeline.algo.quant import QConv2d, QLinear, clip, quantize  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=512)
    ap.add_argument("--adc", type=int, nargs="+", default=[4, 5, 6])
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--cell-bit", type=int, default=1)
    ap.add_argument("--edges", action="store_true", help="the reference formulation's float-order sensitivity")
    a = ap.parse_args()
    torch.set_num_threads(1)
    if a.edges:
        return edges()
    model_cfg = ModelConfig(width_mult=0.125, in_channels=1, image_size=16)
    data_cfg = DataConfig(name="mnist_embedded", n_train=8000, n_test=max(256, a.images))
    train_cfg = TrainConfig(mode="wage", lr=0.02, steps=a.steps, batch_size=32, seed=0, log_every=50)
    data = load_data(data_cfg, model_cfg)
    with tempfile.TemporaryDirectory() as out:
        train(model_cfg, train_cfg, data_cfg, out, data=data)
        model = load_trained(out)
    xy = (data.x_test[:a.images], data.y_test[:a.images])
    digital = evaluate(model, xy, HwInferConfig(enabled=False))["accuracy"]
    print(f"VGG-8 x0.125, 16x16 MNIST, {a.steps} WAGE steps; {len(xy[1])} test images; "
          f"digital accuracy {digital:.4f}", flush=True)
    print("| ADC bits | neurosim_v14 | corrected | v14 - corrected |")
    print("|---|---|---|---|")
    for bits in a.adc:
        acc = {}
        for compat in ("neurosim_v14", "corrected"):
            t = time.perf_counter()
            acc[compat] = evaluate(model, xy, HwInferConfig(adc_bits=bits, cell_bit=a.cell_bit, batch_size=64,
                                                            compat=compat))["accuracy"]
            acc[compat + "_s"] = time.perf_counter() - t
        print(f"| {bits} | {acc['neurosim_v14']:.4f} | {acc['corrected']:.4f} | "
              f"{(acc['neurosim_v14'] - acc['corrected']) * 100:+.1f} points |   "
              f"({acc['neurosim_v14_s']:.0f} s / {acc['corrected_s']:.0f} s)", flush=True)


def edges():
    import tests.algo.oracle as oracle
    counts = {"conversions": 0, "on_edge": 0}
    literal_adc = oracle._linear_adc

    def counting(v, bits, dims, tol, exact):
        q, e = literal_adc(v, bits, dims, tol, exact)
        counts["conversions"] += v.numel()
        counts["on_edge"] += int(e.sum())
        return q, e
    torch.manual_seed(0)
    layers = [(QLinear(64, 10), torch.rand(64, 64)), (QLinear(80, 10), torch.rand(64, 80)),
              (QConv2d(16, 8, 3, 1, 1), torch.rand(8, 16, 8, 8)), (QConv2d(64, 8, 3, 1, 1), torch.rand(4, 64, 8, 8))]
    print("| ADC | cellBit | on/off | sub-array | conversions on an edge (f64) | outputs != exact: "
          "literal f32 | literal f64 | ours (f32, auto) |")
    print("|---|---|---|---|---|---|---|---|")
    for bits, cb, onoff, sub in ((5, 1, 17, 32), (6, 1, 10, 64), (5, 2, 17, 32), (6, 2, 10, 64), (8, 4, 100, 32)):
        hw = HwInferConfig(adc_bits=bits, cell_bit=cb, on_off_ratio=onoff, subarray=sub, compat="neurosim_v14")
        diff = {"f32": 0, "f64": 0, "ours": 0}
        bias = {"f32": 0.0, "f64": 0.0}
        n = 0
        counts.update(conversions=0, on_edge=0)
        for layer, x in layers:
            x = quantize(clip(x, 8), 8) * (torch.rand_like(x) < 0.7)      # post-ReLU: some zeros
            with torch.no_grad():
                post = layer.double()._post
                ex = post(oracle.oracle_layer(layer.double(), x.double(), hw))
                f32 = layer.float()._post(oracle.oracle_layer(layer.float(), x.float(), hw, exact=False)).double()
                oracle._linear_adc = counting
                f64 = post(oracle.oracle_layer(layer.double(), x.double(), hw, exact=False))
                oracle._linear_adc = literal_adc
                layer.float()
                ours = layer._post(make_hw_fn(program_layer(layer, hw, torch.Generator()), hw)(layer, x.float())).double()
            diff["f32"] += int((f32 != ex).sum())
            diff["f64"] += int((f64 != ex).sum())
            diff["ours"] += int((ours != ex).sum())
            bias["f32"] += float(((f32 - ex) * 128).sum())               # in output LSBs (8-bit activations)
            bias["f64"] += float(((f64 - ex) * 128).sum())
            n += ex.numel()
        print(f"| {bits} | {cb} | {onoff} | {sub} | {counts['on_edge'] / counts['conversions'] * 100:.1f} % | "
              f"{diff['f32'] / n * 100:.1f} % ({bias['f32'] / n:+.2f} LSB) | {diff['f64'] / n * 100:.1f} % "
              f"({bias['f64'] / n:+.2f} LSB) | {diff['ours'] / n * 100:.2f} % |",
              flush=True)


if __name__ == "__main__":
    main()
