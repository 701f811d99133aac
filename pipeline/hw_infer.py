"""Fast, batched hardware-aware inference with CIM non-idealities (NeuroSim V1.4 semantics).

Model followed: DNN+NeuroSim V1.4 hardware inference (Peng et al., IEDM 2019 / TCAD 2021;
``Inference_pytorch/modules/quantization_cpu_np_infer.py``), re-derived and vectorised:

* **Weights -> cells.**  A WAGE weight ``w = q / 2^(W-1)`` (``q`` in ``[-(2^(W-1)-1), 2^(W-1)-1]``) is
  stored as the offset code ``u = q + 2^(W-1)`` (the C++ mapping ``int(2^(W-1) w + 2^(W-1))``),
  split into ``K = ceil(W / cell_bit)`` cells of base ``R = 2^cell_bit`` (LSB cell = slice 0).
  A cell digit ``d`` gets the conductance ``G = Gmin + d/(R-1) * (Gmax - Gmin)`` with ``Gmax = 1``,
  ``Gmin = 1/on_off_ratio``.
* **Reference (dummy) column.**  As in the reference, every read has a dummy column at the mid
  conductance ``(Gmax + Gmin)/2`` (``dummyP``); its current ``g_dummy * (active rows)`` is subtracted
  after the ADC, which removes the ``Gmin`` floor.  With offset codes the ideal shift-and-added
  difference is ``q + c0`` per active row, ``c0 = 2^(W-1) - (R^K - 1)/2``; ``c0 * (active rows)`` is
  removed digitally (the active-row count is known), so the ideal read-out is exactly ``sum x q``
  (the reference's ``round(127.5 (w+1))`` codes leave a +-1 LSB bias instead).
* **One ADC range per read, shared by the data and dummy columns.**  The reference quantises the
  dummy output with its own min/max; its floor bias (-step/2 on average) then differs from the data
  columns' and accumulates over reads, slices and bits into a large negative offset (a 6-bit ADC
  took a small MNIST model from 73 % to 33 %).  The dummy column is a column of the same sub-array,
  converted by the same ADC, so we give it the read's range: the mean floor biases cancel and only
  the quantisation noise is left.
* **Image layer.**  The first layer (<= 3 input channels) is read with analog (not bit-serial)
  inputs and no ADC, as the reference's ``weight.shape[1] == 3`` branch does.
* **Bit-serial inputs.**  Activations on the ``wl_activate`` grid are coded as ``A``-bit two's
  complement ``c = x 2^(A-1)``; cycle ``z`` applies bit ``z`` (weight ``2^z``, the MSB weighs
  ``-2^(A-1)``).  Post-ReLU inputs never set the sign bit; all-zero bit planes are skipped (their
  read-out is exactly zero).
* **Mapping.**  Rows are kernel-position-major: for every kernel position ``(kh, kw)`` the input
  channels are cut into sub-arrays of ``min(subarray, parallel_read)`` rows (the reference's
  masked-conv partition).  Every (kernel position, sub-array, input bit, slice) is one analog read
  whose column currents go through the ADC separately, then shift-and-add digitally.
* **ADC.**  ``linear``: ``2^adc_bits`` uniform levels between the min and max of the currents of a
  read, floor to the level below (the reference ``LinearQuantizeOut``); ``nonlinear``: level edges at
  the quantiles of the read's current distribution (distribution-derived), output = bin mid-point.
  ``adc_range='batch'`` takes that range over the whole evaluated batch (reference), ``'sample'`` per
  image.  ``adc_bits=0`` is an ideal read-out: the shift-and-add then commutes with the row sums and
  the layer is one matmul of the (possibly varied) effective weights, exactly the digital model
  when devices are ideal.
* **Non-idealities** (all seeded, sampled once per layer per ``evaluate`` call, i.e. device-to-device):
  relative conductance variation ``G *= 1 + N(0, vari)``; retention drift ``G(t) = G t^(v s)``
  (IEDM'19 Fig. 3: cells relax towards a target state, ``to_target``, clamped at the target; or
  drift up/down/not at random, ``random``, clamped to [Gmin, Gmax]); stuck-at-Gmax / Gmin faults.
  Dummy columns are ideal.

All slices of a chunk of (kernel position x sub-array, input bit) pairs are one batched matmul;
chunks only bound memory and are exact (reads are independent).
"""
from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from .algo_config import HwInferConfig
from .quant import QConv2d, QLinear, quant_layers

# ----------------------------------------------------------------------------- ADC


def _edge_eps(dtype) -> float:
    """Comparator offset (in units of one ADC level): a current that lies on a level edge up to
    floating-point noise is converted consistently, whatever order the sums were taken in."""
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


def cell_digits(q: torch.Tensor, wbits: int, cell_bit: int) -> torch.Tensor:
    """Cells of the offset code ``q + 2^(W-1)``: shape ``(K,) + q.shape``, LSB slice first."""
    k = math.ceil(wbits / cell_bit)
    u = (q + 2 ** (wbits - 1)).to(torch.int64)
    r = 2 ** cell_bit
    return torch.stack([(u >> (cell_bit * i)) & (r - 1) for i in range(k)]).to(q.dtype)


def conductance(d: torch.Tensor, cell_bit: int, on_off: float) -> torch.Tensor:
    """Normalised conductance of cell digit ``d``: ``Gmin + d/(R-1) (Gmax - Gmin)``, ``Gmax = 1``."""
    gmin = 1.0 / on_off
    return gmin + d / (2 ** cell_bit - 1) * (1.0 - gmin)


def apply_nonidealities(g: torch.Tensor, hw: HwInferConfig, gen: torch.Generator) -> torch.Tensor:
    """Variation, retention drift and stuck-at faults on a conductance tensor (CPU generator)."""
    gmin, gmax = 1.0 / hw.on_off_ratio, 1.0
    shape = g.shape
    if hw.vari > 0:
        g = g * (1.0 + hw.vari * torch.randn(shape, generator=gen, dtype=g.dtype).to(g.device))
    if hw.drift_mode != "none" and hw.drift_t > 0 and hw.drift_v > 0:
        if hw.drift_mode == "to_target":
            gt = gmin + hw.drift_target * (gmax - gmin)
            s = torch.sign(gt - g)
            gn = g * torch.pow(torch.as_tensor(hw.drift_t, dtype=g.dtype), hw.drift_v * s)
            g = torch.where(s > 0, torch.minimum(gn, torch.full_like(gn, gt)), torch.maximum(gn, torch.full_like(gn, gt)))
        else:
            s = torch.randint(-1, 2, shape, generator=gen).to(g.device, g.dtype)
            g = torch.clamp(g * torch.pow(torch.as_tensor(hw.drift_t, dtype=g.dtype), hw.drift_v * s), gmin, gmax)
    if hw.stuck_at_on > 0 or hw.stuck_at_off > 0:
        u = torch.rand(shape, generator=gen, dtype=g.dtype).to(g.device)
        g = torch.where(u < hw.stuck_at_on, torch.full_like(g, gmax), g)
        g = torch.where((u >= hw.stuck_at_on) & (u < hw.stuck_at_on + hw.stuck_at_off), torch.full_like(g, gmin), g)
    return g


def is_analog_input_layer(layer: nn.Module) -> bool:
    """The image layer (<= 3 input channels) is read with analog inputs and no ADC, as in the
    reference (``weight.shape[1] == 3`` branch of ``QConv2d``)."""
    return isinstance(layer, QConv2d) and layer.in_channels <= 3


@dataclass
class ProgrammedLayer:
    """Conductances of one layer laid out for the batched read.

    ``G``: (P*S, C*K, Cs), rows ordered (output column, slice); ``w_eff``: (P*S, C, Cs) the ideal
    shift-and-added (G - G_dummy) in weight-code units (for reads without ADC)."""

    G: torch.Tensor
    w_eff: torch.Tensor
    g_dummy: float
    coef: torch.Tensor     # (K,) digital shift-and-add weights incl. 1/(Gmax-Gmin) and
    offset: float          # per active row: sum_k coef_k (G(d_k) - G_dummy) - q (digital correction)
    K: int
    P: int
    S: int
    Cs: int
    cin: int
    cout: int
    wbits: int
    abits: int
    analog_input: bool


def program_layer(layer: nn.Module, hw: HwInferConfig, gen: torch.Generator, dtype=torch.float32) -> ProgrammedLayer:
    """Map a quantised layer's weights onto sub-array conductances (with non-idealities)."""
    wbits, abits = layer.wl_weight, layer.wl_activate
    if wbits < 2 or abits < 2:
        raise ValueError("hardware inference needs a WAGE model (wl_weight, wl_activate >= 2); got a float layer")
    w = layer.weight.detach().to(torch.float64)   # programmed in float64: ideal w_eff == q exactly
    q = weight_codes(torch.clamp(w, -1, 1), wbits)  # == round of qw(w)
    if w.dim() == 4:
        cout, cin, kh, kw = w.shape
        qm = q.reshape(cout, cin, kh * kw).permute(2, 1, 0)     # (P, Cin, Cout)
    else:
        cout, cin = w.shape
        qm = q.t().unsqueeze(0)                                  # (1, Cin, Cout)
    P = qm.shape[0]
    rows = min(hw.subarray, hw.parallel_read)
    S = math.ceil(cin / rows)
    Cs = min(rows, cin)
    qm = F.pad(qm, (0, 0, 0, S * Cs - cin))                      # padded rows get q=0 (inputs are 0)
    d = cell_digits(qm, wbits, hw.cell_bit)                      # (K, P, Cin_p, Cout)
    K = d.shape[0]
    g = apply_nonidealities(conductance(d, hw.cell_bit, hw.on_off_ratio), hw, gen)
    R = 2 ** hw.cell_bit
    gmin = 1.0 / hw.on_off_ratio
    g_dummy = (1.0 + gmin) / 2                                   # mid-conductance reference column
    coef = torch.tensor([R ** k * (R - 1) / (1.0 - gmin) for k in range(K)], dtype=torch.float64)
    offset = 2 ** (wbits - 1) - (R ** K - 1) / 2
    g = g.reshape(K, P, S, Cs, cout)
    w_eff = torch.einsum("kpsrc,k->pscr", g - g_dummy, coef).reshape(P * S, cout, Cs) - offset
    G = g.permute(1, 2, 4, 0, 3).reshape(P * S, cout * K, Cs)
    dev = layer.weight.device
    return ProgrammedLayer(G.to(dev, dtype).contiguous(), w_eff.to(dev, dtype).contiguous(), g_dummy,
                           coef.to(dev, dtype), offset, K, P, S, Cs, cin, cout, wbits, abits,
                           is_analog_input_layer(layer))


# ----------------------------------------------------------------------------- read-out


def input_bits(x: torch.Tensor, abits: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Two's-complement bit planes of activations on the ``abits`` grid.
    Returns ``(bits (Z, *x.shape) in {0,1}, bit_weights (Z,))`` with only non-empty planes kept."""
    s = 2 ** (abits - 1)
    c = torch.clamp(torch.round(x * s), -s, s - 1).to(torch.int32) % (2 * s)
    zs, planes = [], []
    for z in range(abits):
        b = (c >> z) & 1
        if bool(b.any()):
            zs.append(z)
            planes.append(b)
    bw = torch.tensor([-(2.0 ** z) if z == abits - 1 else 2.0 ** z for z in zs], dtype=x.dtype, device=x.device)
    if not planes:
        return torch.zeros((0,) + tuple(x.shape), dtype=x.dtype, device=x.device), bw
    return torch.stack(planes).to(x.dtype), bw


def _linear_codes(v: torch.Tensor, mn: torch.Tensor, inv: torch.Tensor, nlev: int) -> torch.Tensor:
    """``LinearQuantizeOut`` level index: ``floor((v - min) / step)`` clipped to the top level."""
    t = torch.addcmul(_edge_eps(v.dtype) - mn * inv, v, inv)
    return t.floor_().clamp_(0, nlev - 1)


def _read_ideal(prog: ProgrammedLayer, X: torch.Tensor, xw: torch.Tensor) -> torch.Tensor:
    """No ADC: the shift-and-add commutes with the sum over rows, so the layer is one matmul of the
    (varied) effective weights with the input codes.  ``X``: (PS, Z, Cs, N); returns (C, N)."""
    xc = torch.einsum("pzrn,z->prn", X, xw)
    return torch.bmm(prog.w_eff, xc).sum(0)


def _adc_chunk(G: torch.Tensor, g_dummy: float, X: torch.Tensor, pop: torch.Tensor, wzk: torch.Tensor,
               hw: HwInferConfig, B: int) -> torch.Tensor:
    """Reads of ``n`` (kernel position x sub-array) pairs and ``Z`` input bits, all ``K`` slices.
    ``G``: (n, C*K, Cs); ``X``: (n, Cs, Z, N) bit planes; ``pop``: (n, Z, N); ``wzk``: (K, Z).
    One matmul per pair covers every bit and slice (``G`` is read once).  Returns their
    shift-and-added, dummy-subtracted contribution (C, N)."""
    n, Cs, Z, N = X.shape
    K = wzk.shape[0]
    C = G.shape[1] // K
    L = N // B
    nlev = 2 ** hw.adc_bits
    cur = torch.bmm(G, X.reshape(n, Cs, Z * N))                      # (n, C*K, Z*N) column currents
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
    if hw.adc_mode == "linear":
        mn = torch.minimum(cur.amin(rdims[1], keepdim=True).amin(rdims[0], keepdim=True), dum.amin(rdims[1], keepdim=True))
        mx = torch.maximum(cur.amax(rdims[1], keepdim=True).amax(rdims[0], keepdim=True), dum.amax(rdims[1], keepdim=True))
        delta = mx - mn
        pos = delta > 0
        inv = torch.where(pos, nlev / torch.where(pos, delta, torch.ones_like(delta)), torch.zeros_like(delta))
        # Q(I) - Q(D) = step (code(I) - code(D)): the range minimum cancels
        diff = _linear_codes(cur, mn, inv, nlev).sub_(_linear_codes(dum, mn, inv, nlev))
        return diff.mul_(w * (delta / nlev)).sum((0, 2, 3)).reshape(C, N)
    both = torch.cat([cur, dum.expand(n, 1, *cur.shape[2:])], dim=1)
    yq = adc_quantize(both, hw.adc_bits, "nonlinear", rdims)
    return ((yq[:, :C] - yq[:, C:]) * w).sum((0, 2, 3)).reshape(C, N)


def _read_adc(prog: ProgrammedLayer, X: torch.Tensor, xw: torch.Tensor, hw: HwInferConfig, B: int) -> torch.Tensor:
    """Every (kernel position x sub-array, slice, input bit) read through the ADC, chunked over
    (kernel position x sub-array, input bit) pairs (reads are independent: chunking is exact)."""
    PS, Z, Cs, N = X.shape
    K, C = prog.K, prog.cout
    wzk = prog.coef.reshape(K, 1) * xw.reshape(1, Z)                # (K, Z) shift-and-add weights
    pop = X.sum(2)                                                   # (PS, Z, N) active rows
    Xr = X.permute(0, 2, 1, 3)                                       # (PS, Cs, Z, N)
    out = torch.zeros(C, N, dtype=X.dtype, device=X.device)
    per_read_group = C * K * N                                       # one (n, z): all slices of one bit
    cz = min(Z, max(1, hw.max_chunk_elems // per_read_group))
    cn = max(1, hw.max_chunk_elems // (cz * per_read_group)) if cz == Z else 1
    for a in range(0, PS, cn):
        for b in range(0, Z, cz):
            out += _adc_chunk(prog.G[a:a + cn], prog.g_dummy, Xr[a:a + cn, :, b:b + cz], pop[a:a + cn, b:b + cz],
                              wzk[:, b:b + cz], hw, B)
    out -= prog.offset * torch.einsum("pzn,z->n", pop, xw).unsqueeze(0)
    return out


def hw_matmul(prog: ProgrammedLayer, xcols: torch.Tensor, hw: HwInferConfig) -> torch.Tensor:
    """Core read-out. ``xcols``: (B, Cin, P, L) activations; returns ``sum x w`` as (B, Cout, L)."""
    B, cin, P, L = xcols.shape
    S, Cs = prog.S, prog.Cs
    if prog.analog_input:     # one analog read of the input codes, no ADC (reference image layer)
        bits = (torch.round(xcols * 2 ** (prog.abits - 1))).unsqueeze(0)
        xw = torch.ones(1, dtype=xcols.dtype, device=xcols.device)
    else:
        bits, xw = input_bits(xcols, prog.abits)                 # (Z, B, Cin, P, L)
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
    out = out / (2 ** (prog.abits - 1) * 2 ** (prog.wbits - 1))
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
def evaluate(model: nn.Module, data, hw_cfg: HwInferConfig) -> dict:
    """Accuracy and loss of ``model`` on ``data`` (a ``Dataset`` -> its test split, or ``(x, y)``).

    ``loss`` is the WAGE SSE per sample; ``ce_loss`` the cross-entropy.  With
    ``hw_cfg.enabled=False`` the ideal digital model is evaluated.
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
    return {"accuracy": correct / max(n, 1), "loss": sse / max(n, 1), "ce_loss": ce / max(n, 1), "n": n}


__all__ = ["adc_quantize", "weight_codes", "cell_digits", "conductance", "is_analog_input_layer", "apply_nonidealities",
           "program_layer", "input_bits", "hw_matmul", "hw_mode", "evaluate", "ProgrammedLayer"]
