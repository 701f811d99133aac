"""Slow test oracle: the DNN+NeuroSim V1.4 masked-convolution formulation of hardware inference
(Peng et al., IEDM 2019; ``Inference_pytorch/modules/quantization_cpu_np_infer.py``), re-written
with our mapping conventions (offset codes, zero-code dummy column, two's-complement input bits; see
``pipeline/hw_infer.py``).  For every kernel position, sub-array, input bit and cell slice, a full
``conv2d``/``linear`` is run with a weight tensor masked to that sub-array, and the ADC acts on the
whole output tensor of that read.  Ideal devices only (no variation/drift/faults).  Tests only.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from pipeline.hw_infer import adc_quantize


def oracle_layer(layer, x: torch.Tensor, hw) -> torch.Tensor:
    """Pre-scale output (``sum x w``) of ``layer`` on ``x`` computed read by read."""
    wbits, abits = layer.wl_weight, layer.wl_activate
    R = 2 ** hw.cell_bit
    K = math.ceil(wbits / hw.cell_bit)
    gmin = 1.0 / hw.on_off_ratio
    w = layer.weight.detach().to(x.dtype)
    q = torch.clamp(torch.round(torch.clamp(w, -1, 1) * 2 ** (wbits - 1)), -(2 ** (wbits - 1) - 1), 2 ** (wbits - 1) - 1)
    u = (q + 2 ** (wbits - 1)).long()
    u0 = 2 ** (wbits - 1)
    conv = w.dim() == 4
    if not conv:
        w4 = w[:, :, None, None]
        u = u[:, :, None, None]
        x = x[:, :, None, None]
        pad, stride = 0, 1
    else:
        w4 = w
        pad, stride = layer.padding, layer.stride
    cout, cin, kh, kw = w4.shape
    rows = min(hw.subarray, hw.parallel_read)
    nsub = math.ceil(cin / rows)
    s_in = 2 ** (abits - 1)
    code = torch.clamp(torch.round(x * s_in), -s_in, s_in - 1).long() % (2 * s_in)
    out = None
    if hw.adc_range == "batch":
        dims = (0, 1, 2, 3)
    else:
        dims = (1, 2, 3)
    for i in range(kh):
        for j in range(kw):
            for s in range(nsub):
                mask = torch.zeros_like(w4)
                mask[:, s * rows:(s + 1) * rows, i, j] = 1
                for z in range(abits):
                    xb = ((code >> z) & 1).to(x.dtype)
                    zw = -(2.0 ** z) if z == abits - 1 else 2.0 ** z
                    for k in range(K):
                        d = ((u >> (hw.cell_bit * k)) & (R - 1)).to(x.dtype)
                        g = gmin + d / (R - 1) * (1 - gmin)
                        d0 = (u0 >> (hw.cell_bit * k)) & (R - 1)
                        gd = torch.full_like(w4, gmin + d0 / (R - 1) * (1 - gmin))
                        part = F.conv2d(xb, g * mask, None, stride, pad)
                        dummy = F.conv2d(xb, gd * mask, None, stride, pad)
                        part = adc_quantize(part, hw.adc_bits, hw.adc_mode, dims)
                        dummy = adc_quantize(dummy, hw.adc_bits, hw.adc_mode, dims)
                        contrib = (part - dummy) * (R ** k * (R - 1) / (1 - gmin)) * zw
                        out = contrib if out is None else out + contrib
    out = out / (2 ** (abits - 1) * 2 ** (wbits - 1))
    return out if conv else out[:, :, 0, 0]
