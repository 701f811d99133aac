"""Real per-layer traces of a trained network, in the NeuroSim wrapper's layout.

Follows what the DNN+NeuroSim V1.4 wrapper hook writes for the C++ core (Peng et al., IEDM 2019;
``Inference_pytorch/utee/hook.py``; layout documented in ``shared/reference/README.md``), but
returns integer arrays instead of CSV text (Parquet/CSV writing is done elsewhere):

* ``weight_q``: int8 (int16 above 8 bits) ``(rows = Cin*KH*KW, Cout)`` with ``w = q / 2^(wbits-1)``,
  rows cin-major ``r = cin*KH*KW + kh*KW + kw`` (the transpose of ``W.reshape(Cout, -1)``).
* ``input_q``: int8/int16 ``(rows, n_windows)`` activation codes ``c = floor(x 2^(abits-1))`` of
  image 0: the im2col of the layer input with the layer's own zero padding and stride, windows
  row-major; FC layers give ``(Cin, 1)``.
* ``net_row``: the NetWork.csv row of the layer (``pipeline.algo.models.network_table``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .models import network_table
from .quant import QConv2d, quant_layers


@dataclass(frozen=True)
class LayerTraceArrays:
    name: str
    net_row: tuple[int, ...]
    weight_q: np.ndarray
    input_q: np.ndarray
    wbits: int
    abits: int

    def to_layer_trace(self):
        """The same trace as ``neurosim_core.traces.LayerTrace``."""
        from neurosim_core.traces import LayerTrace
        return LayerTrace(name=self.name, weight_q=self.weight_q, input_q=self.input_q, wbits=self.wbits,
                          abits=self.abits, net_row=tuple(self.net_row))


def _dtype(bits: int):
    return np.int8 if bits <= 8 else np.int16


def capture_layer_inputs(model: nn.Module, x: torch.Tensor, layers) -> dict[nn.Module, torch.Tensor]:
    """The input of each of ``layers`` in one eval-mode forward pass of ``x`` (forward hooks; the
    model's train/eval mode is restored and the hooks removed, also on error)."""
    captured: dict[nn.Module, torch.Tensor] = {}
    hooks = [m.register_forward_hook(lambda mod, inp, out: captured.__setitem__(mod, inp[0].detach()))
             for m in layers]
    was = model.training
    model.eval()
    try:
        model(x)
    finally:
        for h in hooks:
            h.remove()
        model.train(was)
    return captured


def input_codes(m: nn.Module, inp: torch.Tensor, abits: int) -> torch.Tensor:
    """The ``abits``-bit signed input codes of layer ``m``, ``(N, rows, windows)``: a convolution's
    unfolded windows (rows cin-major, ``Cin*KH*KW``), a linear layer's input as one window.  The
    wrapper's ``dec2bin`` floors (``floor(a * 2^(abits-1))``, clamped to the code range)."""
    inp = inp.double()
    if isinstance(m, QConv2d):
        cols = F.unfold(inp, m.kernel_size, padding=m.padding, stride=m.stride)  # (N, Cin*KH*KW, L)
    else:
        cols = inp.reshape(inp.shape[0], -1, 1)                                    # (N, Cin, 1)
    sa = 2 ** (abits - 1)
    return torch.clamp(torch.floor(cols * sa + 1e-9), -sa, sa - 1)


def weight_codes(w: torch.Tensor, wbits: int) -> torch.Tensor:
    """The ``wbits``-bit signed weight codes ``round(w * 2^(wbits-1))`` of a layer's weight, in the
    wrapper's layout ``(rows = Cin*KH*KW, Cout)`` (the transpose of ``W.reshape(Cout, -1)``)."""
    sw = 2 ** (wbits - 1)
    q = torch.clamp(torch.round(w.detach().double() * sw), -(sw - 1), sw - 1)
    return q.reshape(q.shape[0], -1).t()


@torch.no_grad()
def extract_traces(model: nn.Module, images: torch.Tensor) -> list[LayerTraceArrays]:
    """Run image 0 of ``images`` ((N,C,H,W) or (C,H,W)) through ``model`` and return one
    ``LayerTraceArrays`` per quantised layer, in forward order."""
    x = images if images.dim() == 4 else images.unsqueeze(0)
    x = x[:1]
    layers = quant_layers(model)
    for m in layers:
        if m.wl_weight < 2 or m.wl_activate < 2:
            raise ValueError("extract_traces needs a WAGE model (wl_weight, wl_activate >= 2)")
    p = next(model.parameters())
    x = x.to(device=p.device, dtype=p.dtype)
    rows = network_table(model, tuple(x.shape))
    captured = capture_layer_inputs(model, x, layers)
    out = []
    for m, row in zip(layers, rows):
        wb, ab = m.wl_weight, m.wl_activate
        codes = input_codes(m, captured[m], ab)[0]
        wq = weight_codes(m.weight_q(), wb)
        out.append(LayerTraceArrays(
            name=m.name, net_row=tuple(int(v) for v in row),
            weight_q=np.ascontiguousarray(wq.cpu().numpy().astype(_dtype(wb))),
            input_q=np.ascontiguousarray(codes.cpu().numpy().astype(_dtype(ab))),
            wbits=int(wb), abits=int(ab)))
    return out


__all__ = ["LayerTraceArrays", "extract_traces", "capture_layer_inputs", "input_codes", "weight_codes"]
