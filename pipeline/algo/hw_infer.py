"""Fast, batched hardware-aware inference with CIM non-idealities (NeuroSim V1.4 semantics).

Model followed: DNN+NeuroSim V1.4 hardware inference (Peng et al., IEDM 2019 / TCAD 2021; its
``QConv2d``/``QLinear`` with ``inference=1``), re-derived and vectorised.  ``HwInferConfig.compat``
(the product-wide switch of ``neurosim_core.quirks``) chooses between the reference's conventions
(``neurosim_v14``, the default: every ``hw_inference`` quirk applies) and the consistent model
(``corrected``; ``neurosim_v21`` has no hardware-inference quirk and reads like it).  The quirks:

* ``hw_weight_code_round``: a WAGE weight ``w = q / 2^(W-1)`` is stored as the reference's
  ``u = round((2^W - 1)/2 (w + 1))`` (``q + 2^(W-1)`` for ``q <= 0``, ``q + 2^(W-1) - 1`` above),
  with no digital offset removal: the read-out weight is ``u - (R^K - 1)/2 = q +- 1/2`` (pulled
  toward zero).  Corrected: the offset code ``u = q + 2^(W-1)``; ``c0 = 2^(W-1) - (R^K - 1)/2`` per
  active row is removed digitally (the active-row count is known), so the read-out weight is ``q``.
* ``hw_weight_slices_floor``: ``K = int(W / cell_bit)`` cells (the top bits are lost when
  ``cell_bit`` does not divide ``W``); corrected ``ceil``.
* ``hw_input_code_255``: an activation is coded ``c = round((2^A - 1) x)`` and read as ``A``
  magnitude bits that carry its sign (bit values in {-1, 0, 1}, as the reference's ``fmod``
  extraction gives; bit ``z`` weighs ``2^z``), the sum divided by ``2^A``: ``x = k/2^(A-1) > 1/2``
  reads as ``(2k-1)/2^A``.  Corrected: ``A``-bit two's complement of ``c = 2^(A-1) x`` (the MSB
  weighs ``-2^(A-1)``).
* ``hw_image_layer_three_channels``: a conv layer is read with analog (not bit-serial) inputs and
  no ADC only with exactly 3 input channels and fewer than a sub-array of rows (the reference's
  ``weight.shape[1] == 3`` branch); a 1-channel image layer goes bit-serially through the ADC with
  signed bits.  Corrected: every conv layer with <= 3 input channels is the analog image layer.
* ``hw_subarray_count_floor``: a kernel position's input channels are cut into
  ``int(cin / rows)`` sub-arrays (one if ``cin < rows``) and the remainder rows are never read.
  Corrected: ``ceil``, the last sub-array partly filled.
* ``hw_adc_dummy_separate_range``: the dummy column's outputs of a read (the dummy ``conv2d`` output
  tensor: every position of every image of the batch, or of one image with ``adc_range='sample'``)
  get their own ADC min/max range, as the reference's two ``LinearQuantizeOut`` calls do; the two
  floor biases (-step/2 on average each) then differ and accumulate over reads, slices and bits into
  a large negative offset at low ADC precision.  Corrected: the dummy is a column of the same
  sub-array, converted by the same ADC with the read's range, so the floor biases cancel.  The
  ``nonlinear`` ADC gets the same choice (quantile edges of each set of outputs).

Conventions common to both modes:

* **Cells.**  ``u`` is split into ``K`` cells of base ``R = 2^cell_bit`` (LSB cell = slice 0); a
  digit ``d`` gets the conductance ``G = Gmin + d/(R-1) (Gmax - Gmin)``, ``Gmax = 1``,
  ``Gmin = 1/on_off_ratio``.  Every read has a dummy column at the mid conductance
  ``(Gmax + Gmin)/2`` (``dummyP``), subtracted after the ADC; slice ``k`` is shift-and-added with
  ``R^k (R-1)/(Gmax - Gmin)``.
* **Mapping.**  Rows are kernel-position-major: for every kernel position ``(kh, kw)`` the input
  channels are cut into sub-arrays of ``min(subarray, parallel_read)`` rows (the reference's
  masked-conv partition).  Every (kernel position, sub-array, input bit, slice) is one analog read
  whose column currents go through the ADC separately, then shift-and-add digitally.  All-zero
  input bit planes are skipped (their read-out is exactly zero).
* **ADC.**  ``linear``: ``2^adc_bits`` uniform levels between the min and max of the currents of a
  read, floor to the level below (``LinearQuantizeOut``); ``nonlinear`` (ours): level edges at the
  quantiles of the read's current distribution, output = bin mid-point.  ``adc_range='batch'`` takes
  the range over the whole evaluated batch (reference), ``'sample'`` per image.  ``adc_bits=0`` is an
  ideal read-out: the shift-and-add commutes with the row sums and the layer is one matmul of the
  (possibly varied) effective weights, exactly the digital model in ``corrected`` mode with ideal
  devices.  **Level edges are decided as in exact arithmetic**: many currents of this formulation
  sit exactly on a level edge (a dummy current is a multiple of one conductance, a data current an
  integer combination of two); the reference floors its float sums with no tolerance, so there its
  summation order picks the level (not reproducible by any other implementation: two float orders
  of the reference formulation itself disagree, see the README).  With cells on their ideal levels
  both engines form the currents from integer counts in float64 and convert with a 1e-6-level
  comparator offset, i.e. exactly; with varied cells (a continuum of currents) the offset is 1e-6
  (float64) or 1e-3 (float32) of a level.
* **Non-idealities** (all seeded, sampled once per layer per ``evaluate`` call, i.e. device-to-device),
  in the reference's order: retention drift on the cell digits, then variation, then faults.
  Drift is the reference's ``Retention(x, t, v, detect, target)`` applied to a cell digit ``x``
  (as its VGG-8 path applies it to ``remainder``): ``x(t) = (x+1) t^(v s) - 1`` clamped to the
  ``[min, max]`` of the layer's digits, not at the target (a cell may drift past it);
  ``to_target`` (detect=1): ``s = sign(target (max - min) - x)``, so ``drift_target`` 0 / 1 / in
  between / ``random`` (detect=0, ``s`` uniform in {-1, 0, 1}) are the four IEDM'19 Fig. 3
  scenarios.  Differences: the reference re-draws random directions (and variation) at every read,
  we draw them once per programmed cell; its drifted lower slice leaks into the next slice's digit
  through ``X_decimal``, ours drift independently.  Relative conductance variation
  ``G *= 1 + N(0, vari)``; stuck-at-Gmax / Gmin faults (ours).  Dummy columns are ideal.

Two read engines give the same outputs (tested against the masked-conv oracle, ``tests/algo/oracle.py``):

* ``bmm``: all slices of a chunk of (kernel position x sub-array, input bit) pairs are one batched
  float matmul (of integer digits when the cells sit on their ideal levels, else of conductances);
  chunks only bound memory and are exact (reads are independent).  Any device, any non-ideality,
  both ADC modes.
* ``popcount`` (CPU, linear ADC, cells on their ideal levels, i.e. no variation or drift; faults
  allowed): a column current is ``Gmin * (active rows) + (Gmax-Gmin)/(R-1) * count`` with an integer
  ``count`` = popcounts of (digit bit plane AND input bit plane) over 64-row words (sign-carrying
  input bits: positive planes minus negative planes); the ADC range, conversion and shift-and-add
  run in the same compiled loop (numba), so no current tensor is stored; the inner loop runs over
  the output columns (layers with >= 64 of them, or more columns than input vectors) or over the
  input vectors.  ``auto`` picks it wherever it applies.
"""
from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from numba import njit, types
from numba.extending import intrinsic

from neurosim_core.quirks import applies

from .config import HwInferConfig
from .quant import QConv2d, quant_layers

# ----------------------------------------------------------------------------- ADC


def _edge_eps(dtype) -> float:
    """Comparator offset (in units of one ADC level): a current that lies on a level edge up to
    floating-point noise is converted as in exact arithmetic (to the level above the edge),
    whatever order the sums were taken in."""
    return 1e-6 if dtype == torch.float64 else 1e-3


def adc_quantize(x: torch.Tensor, bits: int, mode: str, dims: tuple[int, ...]) -> torch.Tensor:
    """Quantise ``x`` with an ADC whose range/edges are taken over ``dims`` (one read per index of
    the remaining dims).  ``bits == 0`` returns ``x``."""
    if bits <= 0:
        return x
    nlev = 2 ** bits
    eps = _edge_eps(x.dtype)
    if mode == "linear":
        mn = x.amin(dim=dims, keepdim=True)
        mx = x.amax(dim=dims, keepdim=True)
        delta = mx - mn
        step = torch.where(delta > 0, delta / nlev, torch.ones_like(delta))
        idx = torch.clamp(torch.floor((x - mn) / step + eps), 0, nlev - 1)
        return torch.where(delta > 0, idx * step + mn, x)
    # non-linear: quantile edges per read
    nd = x.dim()
    dims = tuple(d % nd for d in dims)
    keep = [d for d in range(nd) if d not in dims]
    perm = keep + list(dims)
    xp = x.permute(perm)
    kshape = xp.shape[:len(keep)]
    flat = xp.reshape(math.prod(kshape) if keep else 1, -1)
    n = flat.shape[1]
    if n > (1 << 20):  # very large reads: edges from a strided subsample
        sel = torch.linspace(0, n - 1, 1 << 20, device=x.device).round().long()
        samp = flat[:, sel]
    else:
        samp = flat
    srt, _ = torch.sort(samp, dim=1)
    m = srt.shape[1]
    qpos = (torch.arange(0, nlev + 1, device=x.device, dtype=torch.float64) / nlev * (m - 1)).round().long()
    knots = srt[:, qpos]                                       # (M, nlev+1): min, edges..., max
    knots[:, 0] = flat.amin(dim=1)
    knots[:, -1] = flat.amax(dim=1)
    edges = knots[:, 1:-1].contiguous()
    levels = 0.5 * (knots[:, :-1] + knots[:, 1:])
    tol = eps / nlev * (knots[:, -1:] - knots[:, :1])
    idx = torch.searchsorted(edges, (flat + tol).contiguous(), right=True)
    y = torch.gather(levels, 1, idx)
    const = (knots[:, -1] == knots[:, 0]).unsqueeze(1)
    y = torch.where(const, flat, y)
    y = y.reshape(xp.shape)
    inv = [0] * nd
    for i, p in enumerate(perm):
        inv[p] = i
    return y.permute(inv)


# ----------------------------------------------------------------------------- mapping


def weight_codes(w_q: torch.Tensor, wbits: int) -> torch.Tensor:
    """Integer weight codes ``q = round(w 2^(W-1))`` clipped to +-(2^(W-1)-1)."""
    s = 2 ** (wbits - 1)
    return torch.clamp(torch.round(w_q * s), -(s - 1), s - 1)


def stored_codes(q: torch.Tensor, wbits: int, compat: str) -> torch.Tensor:
    """The unsigned code a weight ``q / 2^(W-1)`` is programmed as: the offset code ``q + 2^(W-1)``,
    or the reference's ``round((2^W - 1)/2 (w + 1))`` (quirk ``hw_weight_code_round``: ``q + 2^(W-1)``
    for ``q <= 0``, ``q + 2^(W-1) - 1`` for ``q > 0``; torch rounds half to even, as the reference)."""
    s = 2 ** (wbits - 1)
    if applies("hw_weight_code_round", compat):
        return torch.round((2 ** wbits - 1) / 2 * (q.to(torch.float64) / s + 1)).to(q.dtype)
    return q + s


def n_slices(wbits: int, cell_bit: int, compat: str) -> int:
    """Cells per weight: ``ceil(W / cell_bit)``, or the reference's ``int(W / cell_bit)`` (quirk
    ``hw_weight_slices_floor``: the top ``W mod cell_bit`` bits are never programmed)."""
    if applies("hw_weight_slices_floor", compat):
        if cell_bit > wbits:
            raise ValueError(f"cell_bit={cell_bit} > wl_weight={wbits}: the reference programs int(W/cellBit) = 0 "
                             "cells; use compat='corrected'")
        return wbits // cell_bit
    return math.ceil(wbits / cell_bit)


def cell_digits(u: torch.Tensor, k: int, cell_bit: int) -> torch.Tensor:
    """The ``k`` base-``2^cell_bit`` digits of the unsigned codes ``u`` (LSB slice first, digits
    above slice ``k`` dropped): shape ``(k,) + u.shape``."""
    ui = u.to(torch.int64)
    r = 2 ** cell_bit
    return torch.stack([(ui >> (cell_bit * i)) & (r - 1) for i in range(k)]).to(u.dtype)


def subarray_split(cin: int, rows: int, compat: str) -> tuple[int, int]:
    """``(S, Cs)``: sub-arrays per kernel position and rows per sub-array for ``cin`` input channels
    and ``rows`` rows read at once.  ``ceil(cin / rows)`` sub-arrays (the last one partly filled), or
    the reference's ``int(cin / rows)`` (quirk ``hw_subarray_count_floor``: the remainder rows are
    never read; a layer with fewer rows than a sub-array is one sub-array)."""
    if cin <= rows:
        return 1, cin
    if applies("hw_subarray_count_floor", compat):
        return cin // rows, rows
    return math.ceil(cin / rows), rows


def conductance(d: torch.Tensor, cell_bit: int, on_off: float) -> torch.Tensor:
    """Normalised conductance of cell digit ``d``: ``Gmin + d/(R-1) (Gmax - Gmin)``, ``Gmax = 1``."""
    gmin = 1.0 / on_off
    return gmin + d / (2 ** cell_bit - 1) * (1.0 - gmin)


def drift_digits(d: torch.Tensor, hw: HwInferConfig, gen: torch.Generator) -> torch.Tensor:
    """Retention drift of the cell digits, the reference's ``Retention(remainder, t, v, detect, target)``:
    with ``x`` a cell digit, ``x(t) = 2 (x+1)/2 t^(v s) - 1`` clamped to the ``[min, max]`` of the
    layer's digits (no clamp at the target: a cell may drift past it).  ``to_target`` (detect=1):
    ``s = sign(target (max - min) - x)``; ``random`` (detect=0): ``s`` uniform in {-1, 0, 1} per cell."""
    if hw.drift_mode == "none" or hw.drift_t <= 0 or hw.drift_v <= 0:
        return d
    lo, hi = float(d.min()), float(d.max())
    if hw.drift_mode == "to_target":
        s = torch.sign(hw.drift_target * (hi - lo) - d)
    else:
        s = torch.randint(-1, 2, d.shape, generator=gen).to(d.device, d.dtype)
    ratio = torch.pow(torch.as_tensor(hw.drift_t, dtype=d.dtype, device=d.device), hw.drift_v * s)
    return torch.clamp((d + 1) * ratio - 1, lo, hi)


def fault_masks(shape, hw: HwInferConfig, gen: torch.Generator):
    """Stuck-at-Gmax and stuck-at-Gmin cell masks (``None`` when there are no faults)."""
    if hw.stuck_at_on <= 0 and hw.stuck_at_off <= 0:
        return None
    u = torch.rand(shape, generator=gen, dtype=torch.float64)
    return u < hw.stuck_at_on, (u >= hw.stuck_at_on) & (u < hw.stuck_at_on + hw.stuck_at_off)


def apply_nonidealities(d: torch.Tensor, hw: HwInferConfig, gen: torch.Generator):
    """Conductances of cell digits ``d`` with, in the reference's order, retention drift (on the
    digits), device-to-device variation ``G *= 1 + N(0, vari)``, then stuck-at faults (ours).
    Returns ``(G, digits)``; ``digits`` are the integer digits the cells hold (faults included) when
    the conductances sit exactly on the ideal levels (no variation, no drift), else ``None``."""
    gmin, gmax = 1.0 / hw.on_off_ratio, 1.0
    dd = drift_digits(d, hw, gen)
    g = conductance(dd, hw.cell_bit, hw.on_off_ratio)
    if hw.vari > 0:
        g = g * (1.0 + hw.vari * torch.randn(g.shape, generator=gen, dtype=g.dtype).to(g.device))
    digits = d if (dd is d and hw.vari <= 0) else None
    masks = fault_masks(g.shape, hw, gen)
    if masks is not None:
        on, off = (m.to(g.device) for m in masks)
        g = torch.where(on, torch.full_like(g, gmax), torch.where(off, torch.full_like(g, gmin), g))
        if digits is not None:
            digits = torch.where(on, torch.full_like(d, 2 ** hw.cell_bit - 1), torch.where(off, torch.zeros_like(d), d))
    return g, digits


def is_analog_input_layer(layer: nn.Module, hw: HwInferConfig) -> bool:
    """The image layer (<= 3 input channels) is read with analog inputs and no ADC, as in the
    reference's ``weight.shape[1] == 3`` branch of ``QConv2d``, which is taken only for exactly 3
    channels and fewer than a sub-array of rows (quirk ``hw_image_layer_three_channels``)."""
    if not isinstance(layer, QConv2d):
        return False
    if applies("hw_image_layer_three_channels", hw.compat):
        return layer.in_channels == 3 and 3 < min(hw.subarray, hw.parallel_read)
    return layer.in_channels <= 3


@dataclass
class ProgrammedLayer:
    """Conductances of one layer laid out for the batched read.

    ``G``: (P*S, C*K, Cs), rows ordered (output column, slice): the conductances, or the integer
    cell digits when the cells sit on their ideal levels (``affine`` set); ``w_eff``: (P*S, C, Cs) the ideal
    shift-and-added (G - G_dummy) in weight-code units (for reads without ADC); ``packed``: the
    cell digits as bit planes (P*S, K, cell_bit, C, ceil(Cs/64)) int64 for the popcount engine,
    or ``None`` when the bmm engine reads this layer."""

    G: torch.Tensor
    w_eff: torch.Tensor
    g_dummy: float
    coef: torch.Tensor     # (K,) digital shift-and-add weights incl. 1/(Gmax-Gmin) and
    offset: float          # per active row: sum_k coef_k (G(d_k) - G_dummy) - q (digital correction)
    in_scale: float        # input code of an activation x: x * in_scale (2^(A-1), or 2^A for the reference)
    rows_read: int         # input channels read (S * Cs, or fewer than cin: the reference's dropped rows)
    compat: str
    K: int
    P: int
    S: int
    Cs: int
    cin: int
    cout: int
    wbits: int
    abits: int
    analog_input: bool
    affine: tuple[float, float] | None   # (Gmin, (Gmax-Gmin)/(R-1)) when ``G`` holds integer digits, else None
    packed: np.ndarray | None = None
    packed_t: np.ndarray | None = None   # the same bit planes as (P*S, K, cell_bit, W, C)


def pack_digit_bits(digits: torch.Tensor, cell_bit: int) -> np.ndarray:
    """Integer cell digits (K, P, S, Cs, C) -> bit planes (P*S, K, cell_bit, C, W) int64 with
    sub-array row ``r`` at bit ``r % 64`` of word ``r // 64``."""
    K, P, S, Cs, C = digits.shape
    W = -(-Cs // 64)
    d = digits.to(torch.int64).permute(1, 2, 0, 4, 3).cpu().numpy()           # (P, S, K, C, Cs)
    planes = (d[:, :, :, None] >> np.arange(cell_bit)[:, None, None]) & 1    # (P, S, K, CB, C, Cs)
    planes = np.pad(planes.astype(np.uint8), [(0, 0)] * 5 + [(0, W * 64 - Cs)])
    bytes_ = np.packbits(planes.reshape(*planes.shape[:5], W, 64), axis=-1, bitorder="little")
    words = np.ascontiguousarray(bytes_).view("<i8")[..., 0]                # (P, S, K, CB, C, W)
    return np.ascontiguousarray(words.reshape(P * S, K, cell_bit, C, W))


def program_layer(layer: nn.Module, hw: HwInferConfig, gen: torch.Generator, dtype=torch.float32,
                  engine: str = "auto") -> ProgrammedLayer:
    """Map a quantised layer's weights onto sub-array conductances (with non-idealities).

    ``engine``: ``bmm`` (float batched matmul, any device and non-ideality), ``popcount`` (exact
    integer reads of bit planes, CPU, linear ADC, cells on their ideal levels) or ``auto`` (popcount
    where it applies)."""
    if engine not in ("auto", "bmm", "popcount"):
        raise ValueError(f"engine must be 'auto' | 'bmm' | 'popcount', got {engine!r}")
    wbits, abits = layer.wl_weight, layer.wl_activate
    if wbits < 2 or abits < 2:
        raise ValueError("hardware inference needs a WAGE model (wl_weight, wl_activate >= 2); got a float layer")
    compat = hw.compat
    w = layer.weight.detach().to(torch.float64)   # programmed in float64: ideal w_eff == q exactly
    q = weight_codes(torch.clamp(w, -1, 1), wbits)  # == round of qw(w)
    u = stored_codes(q, wbits, compat)
    if w.dim() == 4:
        cout, cin, kh, kw = w.shape
        um = u.reshape(cout, cin, kh * kw).permute(2, 1, 0)     # (P, Cin, Cout)
    else:
        cout, cin = w.shape
        um = u.t().unsqueeze(0)                                  # (1, Cin, Cout)
    P = um.shape[0]
    S, Cs = subarray_split(cin, min(hw.subarray, hw.parallel_read), compat)
    rows_read = min(cin, S * Cs)
    um = F.pad(um[:, :rows_read], (0, 0, 0, S * Cs - rows_read))  # padded rows: inputs are 0
    K = n_slices(wbits, hw.cell_bit, compat)
    d = cell_digits(um, K, hw.cell_bit)                          # (K, P, Cin_p, Cout)
    g, digits = apply_nonidealities(d, hw, gen)
    R = 2 ** hw.cell_bit
    gmin = 1.0 / hw.on_off_ratio
    g_dummy = (1.0 + gmin) / 2                                   # mid-conductance reference column
    coef = torch.tensor([R ** k * (R - 1) / (1.0 - gmin) for k in range(K)], dtype=torch.float64)
    # digital offset removal (the reference has none: quirk hw_weight_code_round)
    offset = 0.0 if applies("hw_weight_code_round", compat) else 2 ** (wbits - 1) - (R ** K - 1) / 2
    in_scale = 2.0 ** abits if applies("hw_input_code_255", compat) else 2.0 ** (abits - 1)
    g = g.reshape(K, P, S, Cs, cout)
    w_eff = torch.einsum("kpsrc,k->pscr", g - g_dummy, coef).reshape(P * S, cout, Cs) - offset
    # cells on their ideal levels: the bmm engine reads integer digit counts (exact in any float
    # dtype) and forms the currents Gmin * (active rows) + (Gmax - Gmin)/(R-1) * count in float64
    src = g if digits is None else digits.reshape(K, P, S, Cs, cout)
    G = src.permute(1, 2, 4, 0, 3).reshape(P * S, cout * K, Cs)
    affine = None if digits is None else (gmin, (1.0 - gmin) / (R - 1))
    dev = layer.weight.device
    analog = is_analog_input_layer(layer, hw)
    adc_reads = hw.adc_bits > 0 and not analog                   # else one ideal matmul, no engine choice
    popcount_ok = digits is not None and dev.type == "cpu" and hw.adc_mode == "linear"
    if engine == "popcount" and adc_reads and not popcount_ok:
        raise ValueError("engine='popcount' needs a CPU layer, a linear ADC and cells on their ideal levels "
                         "(no variation or drift)")
    packed = None
    if adc_reads and popcount_ok and engine != "bmm":
        packed = pack_digit_bits(digits.reshape(K, P, S, Cs, cout), hw.cell_bit)
    return ProgrammedLayer(G.to(dev, dtype).contiguous(), w_eff.to(dev, dtype).contiguous(), g_dummy,
                           coef.to(dev, dtype), offset, in_scale, rows_read, compat, K, P, S, Cs, cin, cout, wbits,
                           abits, analog, affine, packed,
                           None if packed is None else np.ascontiguousarray(packed.transpose(0, 1, 2, 4, 3)))


# ----------------------------------------------------------------------------- read-out


def input_codes(x: torch.Tensor, abits: int, compat: str) -> torch.Tensor:
    """Integer input codes of activations ``x`` (int64).  Two's complement of ``2^(A-1) x`` in
    ``[0, 2^A)``, or the reference's ``round((2^A - 1) x)`` (quirk ``hw_input_code_255``; read as
    ``A`` magnitude bits that carry the sign, weight ``2^z / 2^A``), which is negative for ``x < 0``."""
    if applies("hw_input_code_255", compat):
        c = torch.round(x * (2 ** abits - 1)).to(torch.int64)
        return torch.sign(c) * (c.abs() & (2 ** abits - 1))   # bits above A are never read
    s = 2 ** (abits - 1)
    return torch.clamp(torch.round(x * s), -s, s - 1).to(torch.int64) % (2 * s)


def input_bits(x: torch.Tensor, abits: int, compat: str = "corrected") -> tuple[torch.Tensor, torch.Tensor]:
    """Bit planes of activations on the ``abits`` grid: two's complement (the MSB weighs
    ``-2^(A-1)``), or the reference's sign-carrying magnitude bits of ``round((2^A - 1) x)``
    (values in {-1, 0, 1}, bit ``z`` weighs ``2^z``).  Returns ``(bits (Z, *x.shape), bit_weights
    (Z,))`` in input-code units, with only non-empty planes kept."""
    c = input_codes(x, abits, compat)
    signed = applies("hw_input_code_255", compat)
    sgn, c = (torch.sign(c), c.abs()) if signed else (None, c)
    zs, planes = [], []
    for z in range(abits):
        b = (c >> z) & 1
        if signed:
            b = b * sgn
        if bool(b.any()):
            zs.append(z)
            planes.append(b)
    bw = torch.tensor([-(2.0 ** z) if z == abits - 1 and not signed else 2.0 ** z for z in zs], dtype=x.dtype,
                      device=x.device)
    if not planes:
        return torch.zeros((0,) + tuple(x.shape), dtype=x.dtype, device=x.device), bw
    return torch.stack(planes).to(x.dtype), bw


def _linear_codes(v: torch.Tensor, mn: torch.Tensor, inv: torch.Tensor, nlev: int, eps: float) -> torch.Tensor:
    """``LinearQuantizeOut`` level index: ``floor((v - min) / step + eps)`` clipped to the top level."""
    t = torch.addcmul(eps - mn * inv, v, inv)
    return t.floor_().clamp_(0, nlev - 1)


def _read_ideal(prog: ProgrammedLayer, X: torch.Tensor, xw: torch.Tensor) -> torch.Tensor:
    """No ADC: the shift-and-add commutes with the sum over rows, so the layer is one matmul of the
    (varied) effective weights with the input codes.  ``X``: (PS, Z, Cs, N); returns (C, N)."""
    xc = torch.einsum("pzrn,z->prn", X, xw)
    return torch.bmm(prog.w_eff, xc).sum(0)


def _adc_chunk(G: torch.Tensor, g_dummy: float, X: torch.Tensor, pop: torch.Tensor, wzk: torch.Tensor,
               hw: HwInferConfig, B: int, affine: tuple[float, float] | None) -> torch.Tensor:
    """Reads of ``n`` (kernel position x sub-array) pairs and ``Z`` input bits, all ``K`` slices.
    ``G``: (n, C*K, Cs); ``X``: (n, Cs, Z, N) bit planes; ``pop``: (n, Z, N); ``wzk``: (K, Z).
    One matmul per pair covers every bit and slice (``G`` is read once).  Returns their
    shift-and-added, dummy-subtracted contribution (C, N).  The dummy column is converted with the
    read's range, or with the range of its own outputs (quirk ``hw_adc_dummy_separate_range``).
    With ``affine`` (cells on ideal levels) ``G`` holds digits and the ADC works on exact float64
    currents: edge decisions are those of exact arithmetic in any dtype."""
    n, Cs, Z, N = X.shape
    K = wzk.shape[0]
    C = G.shape[1] // K
    L = N // B
    nlev = 2 ** hw.adc_bits
    cur = torch.bmm(G, X.reshape(n, Cs, Z * N))                      # (n, C*K, Z*N) column currents
    if affine is not None and hw.adc_mode == "linear":
        return _adc_chunk_counts(cur, g_dummy, pop, wzk, hw, B, affine)
    if affine is not None:                                           # integer counts -> exact float64 currents
        pop = pop.double()
        cur = cur.double().mul_(affine[1]).add_(affine[0] * pop.reshape(n, 1, Z * N))
        wzk = wzk.double()
    dum = g_dummy * pop                                              # (n, Z, N) dummy-column current
    if hw.adc_range == "sample":                                     # one range per read and image
        cur = cur.reshape(n, C, K, Z, B, L)
        dum = dum.reshape(n, 1, 1, Z, B, L)
        rdims = (1, 5)
    else:                                                            # one range per read
        cur = cur.reshape(n, C, K, Z, N)
        dum = dum.reshape(n, 1, 1, Z, N)
        rdims = (1, 4)
    w = wzk.reshape(1, 1, K, Z, *([1] * (cur.dim() - 4)))
    eps = _edge_eps(cur.dtype)
    separate = applies("hw_adc_dummy_separate_range", hw.compat)   # reference: the dummy has its own range
    if separate and hw.adc_mode == "linear":
        dq = adc_quantize(dum, hw.adc_bits, "linear", rdims)         # small: (n, 1, 1, Z, N)
        mn = cur.amin(rdims[1], keepdim=True).amin(rdims[0], keepdim=True)
        delta = cur.amax(rdims[1], keepdim=True).amax(rdims[0], keepdim=True) - mn
        pos = delta > 0
        inv = torch.where(pos, nlev / torch.where(pos, delta, torch.ones_like(delta)), torch.zeros_like(delta))
        # Q(I) = min + step code(I) (a constant read gives code 0: Q = min = I)
        y = _linear_codes(cur, mn, inv, nlev, eps).mul_(delta / nlev).add_(mn - dq)
        return y.mul_(w).sum((0, 2, 3)).reshape(C, N)
    if separate:
        yq = adc_quantize(cur, hw.adc_bits, hw.adc_mode, rdims)
        dq = adc_quantize(dum, hw.adc_bits, hw.adc_mode, rdims)
        return ((yq - dq) * w).sum((0, 2, 3)).reshape(C, N)
    if hw.adc_mode == "linear":
        mn = torch.minimum(cur.amin(rdims[1], keepdim=True).amin(rdims[0], keepdim=True), dum.amin(rdims[1], keepdim=True))
        mx = torch.maximum(cur.amax(rdims[1], keepdim=True).amax(rdims[0], keepdim=True), dum.amax(rdims[1], keepdim=True))
        delta = mx - mn
        pos = delta > 0
        inv = torch.where(pos, nlev / torch.where(pos, delta, torch.ones_like(delta)), torch.zeros_like(delta))
        # Q(I) - Q(D) = step (code(I) - code(D)): the range minimum cancels
        diff = _linear_codes(cur, mn, inv, nlev, eps).sub_(_linear_codes(dum, mn, inv, nlev, eps))
        return diff.mul_(w * (delta / nlev)).sum((0, 2, 3)).reshape(C, N)
    both = torch.cat([cur, dum.expand(n, 1, *cur.shape[2:])], dim=1)
    yq = adc_quantize(both, hw.adc_bits, "nonlinear", rdims)
    return ((yq[:, :C] - yq[:, C:]) * w).sum((0, 2, 3)).reshape(C, N)


def _adc_chunk_counts(cnt: torch.Tensor, g_dummy: float, pop: torch.Tensor, wzk: torch.Tensor, hw: HwInferConfig,
                      B: int, affine: tuple[float, float]) -> torch.Tensor:
    """``_adc_chunk`` of a linear ADC on cells at their ideal levels: ``cnt`` (n, C*K, Z*N) are
    exact integer counts, a current is ``Gmin pop + cscale cnt``.  Each read's range comes from the
    counts' min/max over the columns (exact in any dtype), and the level index is
    ``floor(cnt a + b)`` with ``a, b`` per read and input vector, evaluated in float64 (one pass over
    the counts): the edge decisions of exact arithmetic, at the cost of float64 temporaries."""
    n, CK, ZN = cnt.shape
    K, Z = wzk.shape
    C, N = CK // K, ZN // Z
    L = N // B
    gmin, cscale = affine
    nlev = 2 ** hw.adc_bits
    eps = _edge_eps(torch.float64)
    shape = (n, C, K, Z, B, L) if hw.adc_range == "sample" else (n, C, K, Z, N)
    rd = len(shape) - 1                                              # the range's vector dim (N, or L per image)
    cnt = cnt.reshape(shape)
    popd = pop.double().reshape(n, 1, 1, *shape[3:])
    lo = (gmin * popd + cscale * cnt.amin(1, keepdim=True).double()).amin(rd, keepdim=True)
    hi = (gmin * popd + cscale * cnt.amax(1, keepdim=True).double()).amax(rd, keepdim=True)
    dum = g_dummy * popd                                             # (n, 1, 1, Z, ...) dummy-column current
    separate = applies("hw_adc_dummy_separate_range", hw.compat)
    if not separate:                                                 # one range for data and dummy
        lo = torch.minimum(lo, dum.amin(rd, keepdim=True))
        hi = torch.maximum(hi, dum.amax(rd, keepdim=True))
    delta = hi - lo
    pos = delta > 0
    inv = torch.where(pos, nlev / torch.where(pos, delta, torch.ones_like(delta)), torch.zeros_like(delta))
    step = delta / nlev
    code = torch.addcmul((gmin * popd - lo) * inv + eps, cnt, cscale * inv).floor_().clamp_(0, nlev - 1)
    if separate:                                                     # Q(I) - Q(D): min + step code(I) - Q(D)
        y = code.mul_(step).add_(lo - adc_quantize(dum, hw.adc_bits, "linear", (1, rd)))
    else:                                                            # step (code(I) - code(D)): the min cancels
        y = code.sub_(_linear_codes(dum, lo, inv, nlev, eps)).mul_(step)
    w = wzk.double().reshape(1, 1, K, Z, *([1] * (len(shape) - 4)))
    return y.mul_(w).sum((0, 2, 3)).reshape(C, N)


def _read_adc(prog: ProgrammedLayer, X: torch.Tensor, xw: torch.Tensor, hw: HwInferConfig, B: int) -> torch.Tensor:
    """Every (kernel position x sub-array, slice, input bit) read through the ADC, chunked over
    (kernel position x sub-array, input bit) pairs (reads are independent: chunking is exact)."""
    PS, Z, Cs, N = X.shape
    K, C = prog.K, prog.cout
    wzk = prog.coef.reshape(K, 1) * xw.reshape(1, Z)                # (K, Z) shift-and-add weights
    pop = X.sum(2)                                                   # (PS, Z, N) active rows
    Xr = X.permute(0, 2, 1, 3)                                       # (PS, Cs, Z, N)
    out = torch.zeros(C, N, dtype=torch.float64 if prog.affine else X.dtype, device=X.device)
    per_read_group = C * K * N                                       # one (n, z): all slices of one bit
    cz = min(Z, max(1, hw.max_chunk_elems // per_read_group))
    cn = max(1, hw.max_chunk_elems // (cz * per_read_group)) if cz == Z else 1
    for a in range(0, PS, cn):
        for b in range(0, Z, cz):
            out += _adc_chunk(prog.G[a:a + cn], prog.g_dummy, Xr[a:a + cn, :, b:b + cz], pop[a:a + cn, b:b + cz],
                              wzk[:, b:b + cz], hw, B, prog.affine)
    out -= prog.offset * torch.einsum("pzn,z->n", pop, xw).unsqueeze(0).to(out.dtype)
    return out.to(X.dtype)


# ----------------------------------------------------------------------------- popcount engine
# With cells on their ideal levels a read's column current is affine in an integer count:
# ``I = Gmin * (active rows) + (Gmax - Gmin)/(R-1) * sum_rows digit * input_bit``, and that count is a
# sum of popcounts of (digit bit plane AND input bit plane) over 64-row words.  The kernels below
# compute every read of a layer that way and apply the linear ADC (range over the read, floor,
# clamp) and the shift-and-add in the same loop, so no per-read current tensor is ever stored.
# Pass 1 takes each read's range, pass 2 converts and accumulates; both recount (a popcount is
# cheaper than storing the counts).  Exact: the counts are integers and the ADC arithmetic is the
# ``_adc_chunk`` arithmetic in float64.


@intrinsic
def _popcount(typingctx, x):
    """LLVM ``ctpop`` on an integer."""
    if isinstance(x, types.Integer):
        def codegen(context, builder, signature, args):
            return builder.ctpop(args[0])
        return x(x), codegen
    return None


@njit(cache=True)
def _pack_input_bits(codes, abits, S, Cs):
    """Input codes (B, Cin, P, L) in [0, 2^A) -> bit planes X (P*S, A, W, B*L) int64 (row ``r`` of a
    sub-array at bit ``r % 64`` of word ``r // 64``) and the active-row counts pop (P*S, A, B*L)."""
    B, cin, P, L = codes.shape
    W = (Cs + 63) // 64
    N = B * L
    X = np.zeros((P * S, abits, W, N), np.int64)
    for b in range(B):
        for c in range(cin):
            s = c // Cs
            r = c - s * Cs
            w = r >> 6
            bit = np.int64(1) << (r & 63)
            for p in range(P):
                for l in range(L):
                    v = codes[b, c, p, l]
                    z = 0
                    while v:
                        if v & 1:
                            X[p * S + s, z, w, b * L + l] |= bit
                        v >>= 1
                        z += 1
    pop = np.zeros((P * S, abits, N), np.int64)
    for ps in range(P * S):
        for z in range(abits):
            for w in range(W):
                for n in range(N):
                    pop[ps, z, n] += _popcount(X[ps, z, w, n])
    return X, pop


@njit(cache=True)
def _count_plane(cnt, dw, xz, shift, add):
    """``cnt[n] (+)= popcount(dw & xz[:, n]) << shift`` over the words of one 64-row group."""
    if dw.shape[0] == 2:
        d0, d1 = dw[0], dw[1]
        x0, x1 = xz[0], xz[1]
        for n in range(cnt.shape[0]):
            v = np.int32((_popcount(d0 & x0[n]) + _popcount(d1 & x1[n])) << shift)
            cnt[n] = cnt[n] + v if add else v
        return
    for w in range(dw.shape[0]):
        d, xw_ = dw[w], xz[w]
        first = w == 0 and not add
        for n in range(cnt.shape[0]):
            v = np.int32(_popcount(d & xw_[n]) << shift)
            cnt[n] = v if first else cnt[n] + v


@njit(cache=True)
def _read_counts(D, X, ps, k, c, z, cnt):
    """``cnt[n] = sum_rows digit(ps, k, c) * bit(ps, z, n)`` for one (read, column)."""
    for b in range(D.shape[2]):
        _count_plane(cnt, D[ps, k, b, c], X[ps, z], b, b > 0)


@njit(cache=True)
def _read_counts_signed(D, X, Xn, signed, ps, k, c, z, cnt, tmp):
    """``_read_counts`` of inputs whose bits carry a sign: the count of the positive bit planes ``X``
    minus that of the negative ones ``Xn`` (``signed``; else ``Xn`` is unused)."""
    _read_counts(D, X, ps, k, c, z, cnt)
    if signed:
        _read_counts(D, Xn, ps, k, c, z, tmp)
        for n in range(cnt.shape[0]):
            cnt[n] -= tmp[n]


@njit(cache=True, fastmath=True)
def _current_range(gp, cnt, cscale):
    """min and max of ``gp[n] + cscale cnt[n]`` (min/max are exact in any order: fastmath only lets
    them vectorise)."""
    mn, mx = np.inf, -np.inf
    for n in range(cnt.shape[0]):
        v = gp[n] + cscale * cnt[n]
        mn = min(mn, v)
        mx = max(mx, v)
    return mn, mx


@njit(cache=True)
def _convert_add(acc, cnt, bias, a, ws, top):
    """``acc[n] += ws * floor(clip(a cnt[n] + bias[n], 0, top))``: one linear-ADC conversion."""
    for n in range(acc.shape[0]):
        x = a * cnt[n] + bias[n]
        x = x if x > 0.0 else 0.0
        x = x if x < top else top
        acc[n] += ws * np.floor(x)


@njit(cache=True)
def _dummy_minus_min(v, dmn, dmx, mn, mx, separate, nlev, eps):
    """Linear-ADC output of the dummy-column current ``v`` minus the data range's minimum ``mn``.
    ``separate``: the dummy outputs have their own range ``[dmn, dmx]`` (reference); else the data
    range ``[mn, mx]`` (which then contains ``v``).  A constant range converts exactly."""
    lo, hi = (dmn, dmx) if separate else (mn, mx)
    if hi - lo <= 0:
        return v - mn
    t = min(max(math.floor((v - lo) * (nlev / (hi - lo)) + eps), 0.0), nlev - 1.0)
    if separate:
        return lo + (hi - lo) / nlev * t - mn
    return (hi - lo) / nlev * t


@njit(cache=True, fastmath={"nnan", "ninf", "nsz"})
def _popcount_adc_reads(D, X, Xn, signed, act, pop, xw, coef, gmin, cscale, g_dummy, nlev, eps, G, offset, separate):
    """Every (position x sub-array ``ps``, slice ``k``, input bit ``z``) read of a layer through the
    linear ADC (one range per read and per range group of ``G`` equal slices of the ``N`` columns),
    minus the dummy column (converted with the data range, or with its own range when ``separate``),
    shift-and-added with ``coef[k] * xw[z]``, minus ``offset`` per active row: returns (C, N) float64.
    The ADC code of a current ``I = Gmin pop + cscale cnt`` is ``floor((I - lo) inv + eps)`` clipped
    to [0, nlev-1], evaluated as ``floor(a cnt + b[n])``."""
    PS, K, _, C, _ = D.shape
    Z, N = X.shape[1], X.shape[3]
    Lg = N // G
    live = np.zeros((PS, Z), np.bool_)
    for ps in range(PS):
        for z in range(Z):
            live[ps, z] = act[ps, z].max() > 0
    gpop = gmin * pop
    cnt = np.empty(N, np.int32)                                  # int32: vectorised conversion
    tmp = np.empty(N, np.int32)
    lo = np.full((PS, K, Z, G), np.inf)                          # pass 1: each read's range
    hi = np.full((PS, K, Z, G), -np.inf)
    for c in range(C):
        for ps in range(PS):
            for z in range(Z):
                if not live[ps, z]:
                    continue
                for k in range(K):
                    _read_counts_signed(D, X, Xn, signed, ps, k, c, z, cnt, tmp)
                    for g in range(G):
                        n0, n1 = g * Lg, (g + 1) * Lg
                        mn, mx = _current_range(gpop[ps, z, n0:n1], cnt[n0:n1], cscale)
                        lo[ps, k, z, g] = min(lo[ps, k, z, g], mn)
                        hi[ps, k, z, g] = max(hi[ps, k, z, g], mx)
    slope = np.zeros((PS, K, Z, G))
    wstep = np.zeros((PS, K, Z, G))
    bias = np.zeros((PS, K, Z, N))
    corr = np.zeros(N)                                           # dummy column and offset, per n
    for ps in range(PS):
        for z in range(Z):
            for n in range(N):
                corr[n] += offset * xw[z] * pop[ps, z, n]
            if not live[ps, z]:
                continue
            for g in range(G):
                dmn, dmx = np.inf, -np.inf
                for n in range(g * Lg, (g + 1) * Lg):
                    dmn = min(dmn, g_dummy * pop[ps, z, n])
                    dmx = max(dmx, g_dummy * pop[ps, z, n])
                for k in range(K):
                    if separate:
                        mn, mx = lo[ps, k, z, g], hi[ps, k, z, g]
                    else:
                        mn, mx = min(dmn, lo[ps, k, z, g]), max(dmx, hi[ps, k, z, g])
                    cw = coef[k] * xw[z]
                    for n in range(g * Lg, (g + 1) * Lg):
                        corr[n] += cw * _dummy_minus_min(g_dummy * pop[ps, z, n], dmn, dmx, mn, mx, separate, nlev, eps)
                    delta = mx - mn
                    if delta <= 0:
                        continue                                 # constant data read: exactly mn
                    inv = nlev / delta
                    slope[ps, k, z, g] = cscale * inv
                    wstep[ps, k, z, g] = cw * (delta / nlev)
                    for n in range(g * Lg, (g + 1) * Lg):
                        bias[ps, k, z, n] = (gpop[ps, z, n] - mn) * inv + eps
    out = np.empty((C, N))
    acc = np.empty(N)
    top = nlev - 1.0
    for c in range(C):                                           # pass 2: convert and accumulate
        acc[:] = 0.0
        for ps in range(PS):
            for z in range(Z):
                if not live[ps, z]:
                    continue
                for k in range(K):
                    _read_counts_signed(D, X, Xn, signed, ps, k, c, z, cnt, tmp)
                    for g in range(G):
                        ws, a = wstep[ps, k, z, g], slope[ps, k, z, g]
                        if ws == 0.0:
                            continue
                        n0, n1 = g * Lg, (g + 1) * Lg
                        _convert_add(acc[n0:n1], cnt[n0:n1], bias[ps, k, z, n0:n1], a, ws, top)
        for n in range(N):
            out[c, n] = acc[n] - corr[n]
    return out


@njit(cache=True)
def _count_columns(cnt, dkb, xv, shift, add):
    """Column-major counts: ``cnt[c] (+)= popcount(dkb[:, c] & xv) << shift`` for one input vector."""
    if dkb.shape[0] == 2:
        d0, d1 = dkb[0], dkb[1]
        x0, x1 = xv[0], xv[1]
        for c in range(cnt.shape[0]):
            v = (_popcount(d0[c] & x0) + _popcount(d1[c] & x1)) << shift
            cnt[c] = cnt[c] + v if add else v
        return
    for w in range(dkb.shape[0]):
        d, x = dkb[w], xv[w]
        first = w == 0 and not add
        for c in range(cnt.shape[0]):
            v = _popcount(d[c] & x) << shift
            cnt[c] = v if first else cnt[c] + v


@njit(cache=True)
def _count_range(cnt):
    mn, mx = cnt[0], cnt[0]
    for c in range(1, cnt.shape[0]):
        mn = min(mn, cnt[c])
        mx = max(mx, cnt[c])
    return mn, mx


@njit(cache=True)
def _convert_add_scalar_bias(acc, cnt, b, a, ws, top):
    """``acc[c] += ws * floor(clip(a cnt[c] + b, 0, top))``."""
    for c in range(acc.shape[0]):
        x = a * cnt[c] + b
        x = x if x > 0.0 else 0.0
        x = x if x < top else top
        acc[c] += ws * np.floor(x)


@njit(cache=True)
def _popcount_adc_reads_cols(DT, X, Xn, signed, act, pop, xw, coef, gmin, cscale, g_dummy, nlev, eps, G, offset,
                             separate):
    """``_popcount_adc_reads`` with the output columns as the inner loop (``DT``: (P*S, K, cell_bit,
    W, C)).  Reads are independent, so each (position x sub-array, input bit) is finished before the
    next: its counts are taken once into a buffer, then ranged and converted.  Returns (C, N)."""
    PS, K, CB, _, C = DT.shape
    Z, N = X.shape[1], X.shape[3]
    Lg = N // G
    cnt = np.empty((K, N, C), np.int16)                          # counts <= rows * (2^cell_bit - 1) < 2^15
    tmp = np.empty(C, np.int16)
    lo = np.empty(G)
    hi = np.empty(G)
    dlo = np.empty(G)
    dhi = np.empty(G)
    acc = np.zeros((N, C))
    corr = np.zeros(N)
    top = nlev - 1.0
    for ps in range(PS):
        for z in range(Z):
            for n in range(N):
                corr[n] += offset * xw[z] * pop[ps, z, n]
            if act[ps, z].max() == 0:
                continue                                         # no active row: every read is 0
            dlo[:] = np.inf                                      # the dummy outputs' range of this read
            dhi[:] = -np.inf
            for n in range(N):
                dlo[n // Lg] = min(dlo[n // Lg], g_dummy * pop[ps, z, n])
                dhi[n // Lg] = max(dhi[n // Lg], g_dummy * pop[ps, z, n])
            for n in range(N):
                xv = X[ps, z, :, n].copy()
                for k in range(K):
                    for b in range(CB):
                        _count_columns(cnt[k, n], DT[ps, k, b], xv, b, b > 0)
                if signed:                                       # minus the negative bit planes' counts
                    xn = Xn[ps, z, :, n].copy()
                    for k in range(K):
                        for b in range(CB):
                            _count_columns(tmp, DT[ps, k, b], xn, b, b > 0)
                        for c in range(C):
                            cnt[k, n, c] -= tmp[c]
            for k in range(K):
                lo[:] = np.inf
                hi[:] = -np.inf
                for n in range(N):                               # the read's data range (and dummy's)
                    g = n // Lg
                    cmn, cmx = _count_range(cnt[k, n])
                    gp = gmin * pop[ps, z, n]
                    lo[g] = min(lo[g], gp + cscale * cmn)
                    hi[g] = max(hi[g], gp + cscale * cmx)
                if not separate:                                 # shared: one range for data and dummy
                    for g in range(G):
                        lo[g] = min(lo[g], dlo[g])
                        hi[g] = max(hi[g], dhi[g])
                cw = coef[k] * xw[z]
                for n in range(N):                               # convert and shift-and-add
                    g = n // Lg
                    corr[n] += cw * _dummy_minus_min(g_dummy * pop[ps, z, n], dlo[g], dhi[g], lo[g], hi[g],
                                                     separate, nlev, eps)
                    delta = hi[g] - lo[g]
                    if delta <= 0:
                        continue                                 # constant data read: exactly lo
                    inv = nlev / delta
                    _convert_add_scalar_bias(acc[n], cnt[k, n], (gmin * pop[ps, z, n] - lo[g]) * inv + eps,
                                             cscale * inv, cw * (delta / nlev), top)
    out = np.empty((C, N))
    for n in range(N):
        for c in range(C):
            out[c, n] = acc[n, c] - corr[n]
    return out


def _read_popcount(prog: ProgrammedLayer, codes: torch.Tensor, hw: HwInferConfig, dtype) -> torch.Tensor:
    """``hw_matmul`` on the popcount engine: (B, Cin, P, L) input codes -> (C, B*L) ``sum code * q``.
    Negative codes (the reference's sign-carrying magnitude bits) are read as positive and negative
    bit planes: a count is that of the positive planes minus that of the negative ones."""
    B, _, _, L = codes.shape
    signed = bool((codes < 0).any())
    X, pop = _pack_input_bits(codes.clamp(min=0).numpy(), prog.abits, prog.S, prog.Cs)
    Xn, act = X, pop
    if signed:
        Xn, popn = _pack_input_bits((-codes).clamp(min=0).numpy(), prog.abits, prog.S, prog.Cs)
        pop, act = pop - popn, pop + popn
    twos = not applies("hw_input_code_255", prog.compat)
    xw = np.array([-(2.0 ** z) if z == prog.abits - 1 and twos else 2.0 ** z for z in range(prog.abits)])
    gmin = 1.0 / hw.on_off_ratio
    by_columns = (prog.cout >= 64 or prog.cout >= B * L) and prog.Cs * (2 ** hw.cell_bit - 1) < 2 ** 15  # int16 counts
    kernel = _popcount_adc_reads_cols if by_columns else _popcount_adc_reads
    out = kernel(prog.packed_t if by_columns else prog.packed, X, Xn, signed, act, pop, xw, prog.coef.cpu().double().numpy(), gmin,
                 (1.0 - gmin) / (2 ** hw.cell_bit - 1), prog.g_dummy, float(2 ** hw.adc_bits),
                 _edge_eps(torch.float64), B if hw.adc_range == "sample" else 1, prog.offset,
                 applies("hw_adc_dummy_separate_range", prog.compat))
    return torch.from_numpy(out).to(dtype)


def hw_matmul(prog: ProgrammedLayer, xcols: torch.Tensor, hw: HwInferConfig) -> torch.Tensor:
    """Core read-out. ``xcols``: (B, Cin, P, L) activations; returns ``sum x w`` as (B, Cout, L)."""
    if prog.rows_read < xcols.shape[1]:                          # the reference never reads these rows
        xcols = xcols[:, :prog.rows_read]
    B, cin, P, L = xcols.shape
    S, Cs = prog.S, prog.Cs
    scale = prog.in_scale * 2 ** (prog.wbits - 1)
    if prog.packed is not None:
        out = _read_popcount(prog, input_codes(xcols, prog.abits, prog.compat), hw, xcols.dtype) / scale
        return out.reshape(prog.cout, B, L).permute(1, 0, 2)
    if prog.analog_input:     # one analog read of the input codes, no ADC (reference image layer)
        scale = 2 ** (prog.abits - 1) * 2 ** (prog.wbits - 1)   # inputs on the activation grid: exact
        bits = (torch.round(xcols * 2 ** (prog.abits - 1))).unsqueeze(0)
        xw = torch.ones(1, dtype=xcols.dtype, device=xcols.device)
    else:
        bits, xw = input_bits(xcols, prog.abits, prog.compat)    # (Z, B, Cin, P, L)
    Z = bits.shape[0]
    if Z == 0:
        return torch.zeros(B, prog.cout, L, dtype=xcols.dtype, device=xcols.device)
    if S * Cs > cin:
        bits = F.pad(bits, (0, 0, 0, 0, 0, S * Cs - cin))
    # (Z, B, S, Cs, P, L) -> (P, S, Z, Cs, B, L) -> (P*S, Z, Cs, B*L)
    X = bits.reshape(Z, B, S, Cs, P, L).permute(4, 2, 0, 3, 1, 5).reshape(P * S, Z, Cs, B * L)
    if prog.analog_input or hw.adc_bits == 0:
        out = _read_ideal(prog, X, xw)
    else:
        out = _read_adc(prog, X, xw, hw, B)
    out = out / scale
    return out.reshape(prog.cout, B, L).permute(1, 0, 2)


def make_hw_fn(prog: ProgrammedLayer, hw: HwInferConfig):
    def fn(layer, x):
        if isinstance(layer, QConv2d):
            B, _, H, W = x.shape
            kh, kw = layer.kernel_size
            cols = F.unfold(x, (kh, kw), padding=layer.padding, stride=layer.stride)  # (B, Cin*P, L)
            L = cols.shape[-1]
            y = hw_matmul(prog, cols.reshape(B, layer.in_channels, kh * kw, L), hw)
            ho = (H + 2 * layer.padding[0] - kh) // layer.stride[0] + 1
            wo = (W + 2 * layer.padding[1] - kw) // layer.stride[1] + 1
            return y.reshape(B, layer.out_channels, ho, wo)
        y = hw_matmul(prog, x.reshape(x.shape[0], -1, 1, 1), hw)
        return y[:, :, 0]
    return fn


@contextlib.contextmanager
def hw_mode(model: nn.Module, hw: HwInferConfig, dtype=torch.float32):
    """Within the context every quantised layer of ``model`` computes through the CIM model."""
    hw.validate()
    layers = quant_layers(model)
    try:
        for i, layer in enumerate(layers):
            gen = torch.Generator().manual_seed(hw.seed * 7919 + i)
            layer.hw_fn = make_hw_fn(program_layer(layer, hw, gen, dtype), hw)
        yield model
    finally:
        for layer in layers:
            layer.hw_fn = None


@torch.no_grad()
def evaluate(model: nn.Module, data, hw_cfg: HwInferConfig, progress=None) -> dict:
    """Accuracy and loss of ``model`` on ``data`` (a ``Dataset`` -> its test split, or ``(x, y)``).

    ``loss`` is the WAGE SSE per sample; ``ce_loss`` the cross-entropy.  With
    ``hw_cfg.enabled=False`` the ideal digital model is evaluated.  ``progress``, if given, is
    called after each batch as ``progress(images_done, images_total, correct_so_far)``.
    """
    hw_cfg.validate()
    x, y = (data.x_test, data.y_test) if hasattr(data, "x_test") else data
    model.eval()
    dev = next(model.parameters()).device
    ctx = hw_mode(model, hw_cfg) if hw_cfg.enabled else contextlib.nullcontext(model)
    correct, sse, ce, n = 0, 0.0, 0.0, len(y)
    with ctx:
        for i in range(0, n, hw_cfg.batch_size):
            xb, yb = x[i:i + hw_cfg.batch_size].to(dev), y[i:i + hw_cfg.batch_size].to(dev)
            out = model(xb)
            correct += int((out.argmax(1) == yb).sum())
            oh = F.one_hot(yb, out.shape[1]).to(out.dtype)
            sse += float(0.5 * ((out - oh) ** 2).sum())
            ce += float(F.cross_entropy(out, yb, reduction="sum"))
            if progress is not None:
                progress(min(i + hw_cfg.batch_size, n), n, correct)
    return {"accuracy": correct / max(n, 1), "loss": sse / max(n, 1), "ce_loss": ce / max(n, 1), "n": n}


__all__ = ["adc_quantize", "weight_codes", "cell_digits", "conductance", "is_analog_input_layer", "apply_nonidealities",
           "drift_digits", "fault_masks", "pack_digit_bits", "program_layer", "input_bits", "hw_matmul", "hw_mode",
           "evaluate", "ProgrammedLayer"]
