"""Slow test oracle: the DNN+NeuroSim V1.4 masked-convolution formulation of hardware inference
(Peng et al., IEDM 2019; ``Inference_pytorch/modules/quantization_cpu_np_infer.py``), written with our
mapping conventions (offset codes, mid-conductance dummy column, two's-complement input bits,
analog image layer; see ``pipeline/hw_infer.py``).  For every kernel position, sub-array, input bit
and cell slice, a full ``conv2d`` (``linear`` for FC layers) is run with the slice's conductance
tensor masked to that sub-array, and the ADC acts on the whole output tensor of that read: data
columns and dummy column together (``adc_dummy_range='shared'``), or, as the reference's two
``LinearQuantizeOut`` calls do, the data output tensor and the dummy output tensor (the dummy
``conv2d`` of the read, over the whole batch) each with its own range (``'separate'``).  The
reference's loop structure and per-read cost.  Loop invariants (the slices' conductance tensors,
the input bit planes, the mask of a sub-array) are computed once instead of per read.  Ideal
devices only (no variation/drift/faults).  Tests and benchmark only.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from pipeline.hw_infer import adc_quantize, is_analog_input_layer


def oracle_layer(layer, x: torch.Tensor, hw) -> torch.Tensor:
    """Pre-scale output (``sum x w``) of ``layer`` on ``x`` computed read by read."""
    wbits, abits = layer.wl_weight, layer.wl_activate
    R = 2 ** hw.cell_bit
    K = math.ceil(wbits / hw.cell_bit)
    gmin = 1.0 / hw.on_off_ratio
    g_dummy = (1.0 + gmin) / 2
    w = layer.weight.detach().to(x.dtype)
    q = torch.clamp(torch.round(torch.clamp(w, -1, 1) * 2 ** (wbits - 1)), -(2 ** (wbits - 1) - 1), 2 ** (wbits - 1) - 1)
    u = (q + 2 ** (wbits - 1)).long()
    conv = w.dim() == 4
    if conv:
        def product(inp, weight):
            return F.conv2d(inp, weight, None, layer.stride, layer.padding)
        kh, kw = w.shape[2:]
    else:
        product = F.linear
        kh = kw = 1
    cin = w.shape[1]
    s_in = 2 ** (abits - 1)
    analog = is_analog_input_layer(layer)
    adc_bits = 0 if analog else hw.adc_bits
    if analog:  # one read of the signed input codes
        planes = [(torch.round(x * s_in), 1.0)]
    else:
        code = torch.clamp(torch.round(x * s_in), -s_in, s_in - 1).long() % (2 * s_in)
        planes = [(((code >> z) & 1).to(x.dtype), -(2.0 ** z) if z == abits - 1 else 2.0 ** z) for z in range(abits)]
    g_slices = [gmin + ((u >> (hw.cell_bit * k)) & (R - 1)).to(x.dtype) / (R - 1) * (1 - gmin) for k in range(K)]
    rows = min(hw.subarray, hw.parallel_read)
    nsub = math.ceil(cin / rows)
    dims = tuple(range(2 + conv * 2)) if hw.adc_range == "batch" else tuple(range(1, 2 + conv * 2))
    cout = w.shape[0]
    out = 0.0
    for i in range(kh):
        for j in range(kw):
            for s in range(nsub):
                mask = torch.zeros_like(w)
                if conv:
                    mask[:, s * rows:(s + 1) * rows, i, j] = 1
                else:
                    mask[:, s * rows:(s + 1) * rows] = 1
                for xb, zw in planes:
                    pop = product(xb, mask[:1])
                    dummy = pop * g_dummy                          # the reference column of the read
                    for k in range(K):
                        part = product(xb, g_slices[k] * mask)
                        if hw.adc_dummy_range == "separate":       # reference: two LinearQuantizeOut calls
                            diff = (adc_quantize(part, adc_bits, hw.adc_mode, dims)
                                    - adc_quantize(dummy, adc_bits, hw.adc_mode, dims))
                        else:
                            both = adc_quantize(torch.cat([part, dummy], 1), adc_bits, hw.adc_mode, dims)
                            diff = both[:, :cout] - both[:, cout:]
                        out = out + diff * (R ** k * (R - 1) / (1 - gmin)) * zw
                    out = out - (2 ** (wbits - 1) - (R ** K - 1) / 2) * pop * zw
    return out / (2 ** (abits - 1) * 2 ** (wbits - 1))
