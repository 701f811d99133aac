"""Slow test oracle: DNN+NeuroSim V1.4's masked-convolution formulation of hardware inference
(Peng et al., IEDM 2019 / TCAD 2021; the reference's ``QConv2d``/``QLinear`` with ``inference=1``),
written from its description and parameterised by the ``hw_inference`` quirks of
``neurosim_core.quirks``, so that one oracle checks both ``compat`` modes.

The formulation: for every kernel position, sub-array, input bit and weight slice, a full
``conv2d`` (``linear`` for FC layers) of the input bit plane with the slice's conductances masked
to that sub-array, and a second one with the mid-conductance dummy column; the ADC
(``LinearQuantizeOut``: min/max of the whole output tensor of the read, ``2^bits`` uniform levels,
floor) converts each output tensor; the shift-and-add weighs slice ``k`` by ``R^k 2/(1 - Gmin)``
and input bit ``z`` by ``2^z``.  The conductances carry the reference's ``(R - 1)`` scale
(``Gmin (R-1) + (1 - Gmin) d``, dummy ``(R - 1)(1 + Gmin)/2``).  Digits come from the reference's
repeated ``fmod``/``round`` extraction, of the input codes too.  Under ``corrected`` the same loops
run with the consistent conventions (offset codes and digital offset removal, two's-complement
inputs, every row read, one ADC range per read for data and dummy).

**Arithmetic.**  The reference floors ``(I - min)/step`` with no tolerance, and in its
formulation many currents sit exactly on a level edge (a dummy-column current is a multiple of one
conductance; a data current an integer combination of two): in float arithmetic the summation
order then decides the level.  ``exact=True`` (default) evaluates the formulation exactly: every
conductance is scaled by ``2 on/off`` (an integer on/off ratio makes every conductance, hence every
current, an integer, exact in float64 and in float32 up to 2^24), so the literal floor is the
exact one.  ``exact=False`` evaluates it literally in ``x``'s float dtype, as the reference does,
and ``edges=True`` then also reports which outputs took a conversion that lies on a level edge
within float noise (where two float orders of the same formulation may differ by a level); with
``exact=True`` it reports the outputs that took a conversion just below an edge (within
``EDGE_TOL``: a float evaluation with a comparator offset may convert them one level up).

Loop invariants (the slices' conductance tensors, the input bit planes, the mask of a sub-array)
are computed once instead of per read.  Ideal devices only (no variation/drift/faults).  Tests and
benchmark only.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from neurosim_core.quirks import applies
from pipeline.algo.hw_infer import adc_quantize
from pipeline.algo.quant import QConv2d

EDGE_TOL = {torch.float64: 1e-7, torch.float32: 2e-3}   # |t - round(t)| in ADC levels: "on an edge"


def _digits(value: torch.Tensor, base: int, n: int) -> list[torch.Tensor]:
    """The reference's digit extraction: ``r = fmod(v, base); v = round((v - r) / base)``, ``n`` times
    (for a negative ``v`` the digits carry its sign)."""
    out = []
    for _ in range(n):
        r = torch.fmod(value, base)
        value = torch.round((value - r) / base)
        out.append(r)
    return out


def _linear_adc(v: torch.Tensor, bits: int, dims, tol: float, exact: bool):
    """``LinearQuantizeOut`` over ``dims``: level index ``floor((v - min)/step)`` clipped to
    ``[0, 2^bits - 1]``.  Returns (quantised, near-edge mask): exact values less than ``tol`` levels
    below an edge (a float evaluation with a comparator offset may put them above it), or float
    values within ``tol`` of an edge (a float order decides their side)."""
    mn = v.amin(dim=dims, keepdim=True)
    delta = v.amax(dim=dims, keepdim=True) - mn
    nlev = 2 ** bits
    step = torch.where(delta > 0, delta / nlev, torch.ones_like(delta))
    t = (v - mn) / step
    idx = torch.clamp(torch.floor(t), 0, nlev - 1)
    r = torch.round(t)
    near = ((r - t) > 0) if exact else torch.ones_like(t, dtype=torch.bool)
    edge = near & ((t - r).abs() < tol) & (r >= 1) & (r <= nlev - 1) & (delta > 0)
    return torch.where(delta > 0, idx * step + mn, v), edge


def oracle_layer(layer, x: torch.Tensor, hw, *, exact: bool = True, edges: bool = False):
    """Pre-scale output (``sum x w``) of ``layer`` on ``x`` computed read by read under ``hw.compat``,
    in exact arithmetic or (``exact=False``) literally in ``x``'s float dtype; with ``edges=True``
    also the boolean mask of outputs that took a conversion near an ADC level edge (``EDGE_TOL``)."""
    compat = hw.compat
    wbits, abits = layer.wl_weight, layer.wl_activate
    R = 2 ** hw.cell_bit
    gmin = 1.0 / hw.on_off_ratio
    dt = x.dtype
    tol = EDGE_TOL[dt]
    if exact and float(hw.on_off_ratio) != round(hw.on_off_ratio):
        raise ValueError(f"exact evaluation needs an integer on/off ratio, got {hw.on_off_ratio}")
    sigma = 2.0 * round(hw.on_off_ratio) if exact else 1.0          # conductance unit: integer currents
    w = layer.weight.detach().to(dt)
    s_w = 2 ** (wbits - 1)
    wq = torch.clamp(torch.round(torch.clamp(w, -1, 1) * s_w), -(s_w - 1), s_w - 1) / s_w   # the WAGE weight
    # weight -> unsigned code -> K cell digits
    if applies("hw_weight_code_round", compat):
        code, offset = torch.round((2 ** wbits - 1) / 2 * (wq + 1)), 0.0
    else:
        code = wq * s_w + s_w
    K = wbits // hw.cell_bit if applies("hw_weight_slices_floor", compat) else math.ceil(wbits / hw.cell_bit)
    if not applies("hw_weight_code_round", compat):
        offset = s_w - (R ** K - 1) / 2                                # removed digitally per active row
    if exact:                                                          # sigma * (the reference's conductances)
        g_slices = [2 * (R - 1) + (sigma - 2) * d for d in _digits(code, R, K)]
        dummy_g = torch.full_like(w[:1], (R - 1) * (sigma + 2) / 2)
    else:
        g_slices = [(R - 1) * gmin + (1 - gmin) * d for d in _digits(code, R, K)]
        dummy_g = torch.full_like(w[:1], (R - 1) * (1 + gmin) / 2)    # one column: all columns see the same
    conv = w.dim() == 4
    if conv:
        def product(inp, weight):
            return F.conv2d(inp, weight, None, layer.stride, layer.padding)
        kh, kw = w.shape[2:]
    else:
        product = F.linear
        kh = kw = 1
    cin = w.shape[1]
    rows = min(hw.subarray, hw.parallel_read)
    # sub-arrays of one kernel position
    if cin <= rows:
        subs = [(0, cin)]
    elif applies("hw_subarray_count_floor", compat):
        subs = [(s * rows, (s + 1) * rows) for s in range(cin // rows)]
    else:
        subs = [(s * rows, min(cin, (s + 1) * rows)) for s in range(math.ceil(cin / rows))]
    if applies("hw_image_layer_three_channels", compat):
        analog = isinstance(layer, QConv2d) and cin == 3 and cin < rows
    else:
        analog = isinstance(layer, QConv2d) and cin <= 3
    # input bit planes and their weights
    if analog:                                                         # one read of the analog input
        planes, in_scale = [(x, 1.0)], 1.0
    elif applies("hw_input_code_255", compat):
        planes = [(b, 2.0 ** z) for z, b in enumerate(_digits(torch.round((2 ** abits - 1) * x), 2, abits))]
        in_scale = 2.0 ** abits
    else:
        c = torch.clamp(torch.round(x * 2 ** (abits - 1)), -(2 ** (abits - 1)), 2 ** (abits - 1) - 1)
        c = torch.where(c < 0, c + 2 ** abits, c)
        planes = [(b, -(2.0 ** z) if z == abits - 1 else 2.0 ** z) for z, b in enumerate(_digits(c, 2, abits))]
        in_scale = 2.0 ** (abits - 1)
    separate = applies("hw_adc_dummy_separate_range", compat)
    adc_bits = 0 if analog else hw.adc_bits
    dims = tuple(range(2 + conv * 2)) if hw.adc_range == "batch" else tuple(range(1, 2 + conv * 2))
    cout = w.shape[0]

    def adc(v):
        if adc_bits == 0:
            return v, torch.zeros_like(v, dtype=torch.bool)
        if hw.adc_mode == "linear":
            return _linear_adc(v, adc_bits, dims, tol, exact)
        return adc_quantize(v, adc_bits, "nonlinear", dims), torch.zeros_like(v, dtype=torch.bool)

    out = 0.0
    flag = None
    for i in range(kh):
        for j in range(kw):
            for lo, hi in subs:
                mask = torch.zeros_like(w)
                if conv:
                    mask[:, lo:hi, i, j] = 1
                else:
                    mask[:, lo:hi] = 1
                for xb, zw in planes:
                    dummy = product(xb, dummy_g * mask[:1])            # the dummy column's read
                    if separate:                                       # its own LinearQuantizeOut
                        dq, de = adc(dummy)
                    for k in range(K):
                        part = product(xb, g_slices[k] * mask)
                        if separate:
                            pq, pe = adc(part)
                        else:                                          # one range for data and dummy
                            bq, be = adc(torch.cat([part, dummy], 1))
                            pq, dq, pe, de = bq[:, :cout], bq[:, cout:], be[:, :cout], be[:, cout:]
                        out = out + (pq - dq) * (R ** k * 2 / (1 - gmin) / sigma * zw)
                        e = pe | de
                        flag = e if flag is None else flag | e
                    if offset:
                        out = out - 2 * offset * product(xb, mask[:1]) * zw   # per active row
    out = out / (2 ** wbits * in_scale)
    return (out, flag) if edges else out
