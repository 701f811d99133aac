"""Large networks for the estimation-mode study (IEDM'19 Fig. 7): the ResNet-18 ImageNet network
table, deterministic synthetic traces for it, and shape-only traces for the ``average`` mode.

ResNet-18 (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016, Table 1, the
18-layer column): 224x224x3 input; conv1 7x7/2 with 64 channels, then a 3x3/2 max-pool (112 -> 56);
four stages of two basic blocks (two 3x3 convs each) with 64, 128, 256, 512 channels, the first
conv of stages 2-4 with stride 2 and a 1x1/2 projection shortcut; global average pool; FC 1000.
NeuroSim's table lists each conv with its *input* map size, the shortcut after its block's
second conv, and marks the layers followed by a pooling (conv1: the max-pool; the last conv: the
global average pool), as in the reference's ``NetWork_ResNet18.csv`` (DNN_NeuroSim V1.3); the rows
are derived here from the architecture above, and `tests/pipeline/test_dse.py` checks them
against the 21 published rows.
"""
from __future__ import annotations

import numpy as np

from neurosim_core.network import LayerSpec, Network
from neurosim_core.traces import LayerTrace


def resnet18_imagenet() -> Network:
    rows: list[tuple] = [(224, 224, 3, 7, 7, 64, 1, 2)]  # conv1, then 3x3/2 max-pool
    names = ["conv1"]
    size, cin = 56, 64
    for stage, cout in enumerate((64, 128, 256, 512), start=1):
        for block in (1, 2):
            stride = 2 if (stage > 1 and block == 1) else 1
            out = size // stride
            last = stage == 4 and block == 2
            rows.append((size, size, cin, 3, 3, cout, 0, stride))
            names.append(f"layer{stage}.{block}.conv1")
            rows.append((out, out, cout, 3, 3, cout, 1 if last else 0, 1))
            names.append(f"layer{stage}.{block}.conv2")
            if stride != 1 or cin != cout:
                rows.append((size, size, cin, 1, 1, cout, 0, stride))
                names.append(f"layer{stage}.{block}.shortcut")
            size, cin = out, cout
    rows.append((1, 1, 512, 1, 1, 1000, 0, 1))
    names.append("fc")
    return Network(layers=tuple(LayerSpec(*r[:6], bool(r[6]), r[7]) for r in rows), names=tuple(names))


def _im2col(fmap: np.ndarray, k: int, stride: int, n_windows: int) -> np.ndarray:
    """(C, H, W) codes -> (C*K*K, n_windows) with zero padding (K-1)/2, windows row-major, row
    index c*K*K + kh*K + kw (the reference wrapper's order)."""
    c, h, w = fmap.shape
    pad = (k - 1) // 2
    padded = np.pad(fmap, ((0, 0), (pad, pad), (pad, pad)))
    out_h = (h + 2 * pad - k) // stride + 1
    out_w = (w + 2 * pad - k) // stride + 1
    cols = np.empty((c, k, k, out_h, out_w), dtype=fmap.dtype)
    for kh in range(k):
        for kw in range(k):
            cols[:, kh, kw] = padded[:, kh:kh + stride * out_h:stride, kw:kw + stride * out_w:stride]
    cols = cols.reshape(c * k * k, out_h * out_w)
    if cols.shape[1] < n_windows:
        raise ValueError(f"feature map {fmap.shape} gives {cols.shape[1]} windows, {n_windows} needed")
    return cols[:, :n_windows]


def _smooth_field(rng, c: int, h: int, w: int) -> np.ndarray:
    """Spatially correlated unit-variance noise per channel (random field, box-blurred twice)."""
    x = rng.standard_normal((c, h + 4, w + 4)).astype(np.float32)
    for axis in (1, 2):
        x = (np.roll(x, 1, axis) + x + np.roll(x, -1, axis)) / 3
        x = (np.roll(x, 2, axis) + x + np.roll(x, -2, axis)) / 3
    x = x[:, 2:2 + h, 2:2 + w]
    return x / x.std()


def synthetic_traces(network: Network, seed: int = 20241129, wbits: int = 8, abits: int = 8,
                     weight_std: float = 0.35, act_std: float = 0.25) -> list[LayerTrace]:
    """Deterministic traces with the statistics of a trained WAGE network's: weights
    N(0, ``weight_std``) clipped and rounded to the ``wbits`` grid; first-layer inputs a signed
    smooth image; later inputs post-ReLU activations (a spatially correlated field with per-layer
    mean shift, so about 50-70 % of them are zero (padding included), scaled to std ``act_std`` before the ReLU) rounded to the
    ``abits`` grid.  Not a forward pass: every layer's map is drawn independently (same generator as
    ``shared/reference/make_traces.py`` for the weights; activations statistical, no convolution)."""
    rng = np.random.default_rng(seed)
    qw, qa = 2 ** (wbits - 1), 2 ** (abits - 1)
    traces = []
    for i, (layer, name) in enumerate(zip(network.layers, network.names)):
        w = np.clip(rng.normal(0.0, weight_std, (layer.weight_rows, layer.c_out)), -1 + 1 / qw, 1 - 1 / qw)
        weight_q = np.round(w * qw).astype(np.int16)
        field = _smooth_field(rng, layer.ifm_c, layer.ifm_h, layer.ifm_w)
        if i == 0:
            x = np.clip(0.5 * field, -1, 1 - 1 / qa)  # normalised image pixels, signed
        else:
            shift = rng.uniform(-0.15, 0.4)  # per-layer sparsity 45..65 %
            x = np.clip(np.maximum(act_std * (field - shift), 0.0), 0, 1 - 1 / qa)
        codes = np.floor(x * qa).astype(np.int16)
        if layer.is_fc:
            input_q = codes.reshape(-1, 1)
        else:
            input_q = _im2col(codes, layer.k_h, layer.stride, layer.num_in_vectors)
        traces.append(LayerTrace(name=name, weight_q=weight_q, input_q=input_q, wbits=wbits, abits=abits,
                                 net_row=layer.as_row()))
    return traces


def shape_traces(network: Network, wbits: int = 8, abits: int = 8) -> list[LayerTrace]:
    """Traces of the right shapes and no content, for the ``average`` activity mode: there the model
    takes the user's row activity and cell level for every input vector and reads no trace value
    (`neurosim_core.chip.Chip._activity_model`), so the network table alone decides the figures."""
    out = []
    for layer, name in zip(network.layers, network.names):
        out.append(LayerTrace(name=name, weight_q=np.zeros((layer.weight_rows, layer.c_out), dtype=np.int16),
                              input_q=np.zeros((layer.weight_rows, max(1, layer.num_in_vectors)), dtype=np.int16),
                              wbits=wbits, abits=abits, net_row=layer.as_row()))
    return out
