"""WAGE quantisers and quantised layers.

Follows WAGE (Wu, Li, Chen, Shi, "Training and Inference with Integers in Deep Neural Networks",
ICLR 2018) as used by DNN+NeuroSim V1.4 (Peng et al., IEDM 2019 / TCAD 2021;
``Inference_pytorch/utee/wage_quantizer.py``, ``wage_initializer.py``):

* ``sigma(k) = 2**(1-k)`` is the LSB of a k-bit fixed-point number in (-1, 1).
* ``clip(x, k)`` clips to ``[-1 + sigma, 1 - sigma]`` and ``quantize(x, k)`` rounds to the sigma grid.
* W: ``QW = quantize(clip(w))`` in the forward pass, straight-through gradient.
* A: ``QA = quantize(clip(a))``; its backward quantises the error (``QE``: divide by the
  power-of-two nearest to max|e|, then clip+round to ``wl_error`` bits).
* G: ``QG`` divides by the power-of-two nearest max|g|, multiplies by a gradient scale, rounds
  stochastically to integers and divides by ``2**(wl_grad-1)``: updates are integer multiples of
  the weight LSB.
* Init: uniform in the full clipped range; each layer divides its output by a power-of-two
  ``scale`` chosen so that the layer's output has the spread of a He-initialised float layer.
* ``bits == -1`` disables a quantiser (float path for the FP baseline).
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def sigma(bits: int) -> float:
    """LSB of a signed ``bits``-bit fixed-point value in (-1, 1)."""
    return 2.0 ** (1 - bits)


def clip(x: torch.Tensor, bits: int) -> torch.Tensor:
    if bits < 0 or bits > 15:
        return x
    d = sigma(bits) if bits > 1 else 0.0
    return torch.clamp(x, -1.0 + d, 1.0 - d)


def quantize(x: torch.Tensor, bits: int) -> torch.Tensor:
    """Round to the ``bits`` grid (no clipping). ``bits==1`` is sign, ``-1``/``>15`` is identity."""
    if bits < 0 or bits > 15:
        return x
    if bits == 1:
        return torch.sign(x)
    s = 2.0 ** (bits - 1)
    return (x * s).round_().mul_(1.0 / s)        # power-of-two scale: exact, one fewer temporary


def quantize_(x: torch.Tensor, bits: int) -> torch.Tensor:
    """In-place ``quantize`` of a temporary."""
    if bits < 0 or bits > 15:
        return x
    if bits == 1:
        return x.sign_()
    s = 2.0 ** (bits - 1)
    return x.mul_(s).round_().mul_(1.0 / s)


def pow2_round(x: torch.Tensor) -> torch.Tensor:
    """Nearest power of two (in log domain)."""
    return torch.pow(2.0, torch.round(torch.log2(x)))


def qw(w: torch.Tensor, bits: int) -> torch.Tensor:
    """Weight quantiser: clip + round."""
    return quantize(clip(w, bits), bits)


def qe(e: torch.Tensor, bits: int) -> torch.Tensor:
    """Error quantiser (backward of activations). A zero error tensor passes unchanged."""
    if bits < 0:
        return e
    m = torch.maximum(e.max(), -e.min())                  # max|e| without an |e| temporary
    if m == 0 or not torch.isfinite(m):
        return e
    x = e / pow2_round(m)
    if bits > 15:
        return x
    d = sigma(bits) if bits > 1 else 0.0
    return quantize_(x.clamp_(-1.0 + d, 1.0 - d), bits)     # == quantize(clip(e / s)), one temporary


def qg(g: torch.Tensor, bits: int, grad_scale: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """Gradient quantiser with stochastic rounding (seeded through ``generator``)."""
    m = g.abs().max()
    if m == 0 or not torch.isfinite(m):
        return torch.zeros_like(g)
    x = g * (grad_scale / pow2_round(m))
    r = torch.rand(x.shape, generator=generator, device=x.device, dtype=x.dtype)
    return x.add_(r).floor_().mul_(2.0 ** (1 - bits))


class _STEWeight(torch.autograd.Function):
    """``qw(w)`` forward, identity (straight-through) backward: the value of
    ``w + (qw(w) - w).detach()`` without its two extra full-size passes."""

    @staticmethod
    def forward(ctx, w, bits: int):
        return qw(w, bits)

    @staticmethod
    def backward(ctx, g):
        return g, None


class _ActQuant(torch.autograd.Function):
    """Activation quantiser ``quantize(clip(x))``: forward clips and rounds; backward quantises the
    error (QE) and passes it where ``clip`` is the identity (``lo <= x <= hi``, as ``torch.clamp``),
    in one function so that the clip mask is one saved bool tensor."""

    @staticmethod
    def forward(ctx, x, bits_a: int, bits_e: int):
        ctx.bits_e = bits_e
        if bits_a < 0 or bits_a > 15:
            ctx.save_for_backward(None)
            return x.clone()
        d = sigma(bits_a) if bits_a > 1 else 0.0
        xc = x.clamp(-1.0 + d, 1.0 - d)
        ctx.save_for_backward(xc == x)                       # lo <= x <= hi, in one pass
        return quantize_(xc, bits_a)

    @staticmethod
    def backward(ctx, g):
        inside, = ctx.saved_tensors
        e = qe(g, ctx.bits_e)
        return (e if inside is None else torch.where(inside, e, 0.0)), None, None


def quant_act(x: torch.Tensor, bits_a: int, bits_e: int) -> torch.Tensor:
    """WAGE activation quantiser: clip (gradient passes inside the range), round, QE backward."""
    if bits_a < 0 and bits_e < 0:
        return x
    return _ActQuant.apply(x, bits_a, bits_e)


def wage_scale(fan_in: int, bits_w: int) -> tuple[float, float]:
    """Return ``(limit, scale)``: init limit of the quantised weights and the power-of-two output
    divisor.  Weights start uniform over the whole quantised range; ``scale`` is the power of two
    at or above ``std(U(-limit, limit)) / sqrt(3/fan_in)`` (the WAGE layer-wise scaling factor, as
    in the NeuroSim initialiser: 2 for fan-in 27, 16 for 1152, 32 for 8192).
    For the float path (``bits_w < 0``) the init is He-uniform and scale is 1."""
    float_limit = math.sqrt(3.0 / fan_in)
    if bits_w < 0:
        return math.sqrt(6.0 / fan_in), 1.0
    limit = 1.0 - sigma(bits_w) if bits_w > 1 else 1.0
    std_q = limit / math.sqrt(3.0)
    scale = 2.0 ** math.ceil(math.log2(max(std_q / float_limit, 1e-12)))
    return limit, max(scale, 1.0)


class _QMixin:
    """Shared state of quantised layers: bit widths, WAGE scale, optional hardware hook."""

    def _setup(self, wl_weight, wl_activate, wl_error, quant_output, fan_in):
        self.wl_weight = wl_weight
        self.wl_activate = wl_activate
        self.wl_error = wl_error
        self.quant_output = quant_output
        limit, scale = wage_scale(fan_in, wl_weight)
        self.scale = scale
        nn.init.uniform_(self.weight, -limit, limit)
        self.hw_fn = None  # set by pipeline.algo.hw_infer to replace the ideal matmul

    def weight_q(self) -> torch.Tensor:
        """Quantised weight (forward value), straight-through gradient."""
        if self.wl_weight < 0:
            return self.weight
        return _STEWeight.apply(self.weight, self.wl_weight)

    def _post(self, y):
        y = y / self.scale
        if self.quant_output:
            y = quant_act(y, self.wl_activate, self.wl_error)
        return y


class QConv2d(nn.Conv2d, _QMixin):
    """Conv layer with WAGE weights; output divided by ``scale`` then activation-quantised."""

    def __init__(self, cin, cout, k, stride=1, padding=0, *, wl_weight=8, wl_activate=8, wl_error=8,
                 quant_output=True, name=""):
        super().__init__(cin, cout, k, stride=stride, padding=padding, bias=False)
        self._setup(wl_weight, wl_activate, wl_error, quant_output, cin * k * k)
        self.name = name

    def forward(self, x):
        if self.hw_fn is not None:
            y = self.hw_fn(self, x)
        else:
            y = F.conv2d(x, self.weight_q(), None, self.stride, self.padding)
        return self._post(y)


class QLinear(nn.Linear, _QMixin):
    """Fully-connected layer with WAGE weights."""

    def __init__(self, fin, fout, *, wl_weight=8, wl_activate=8, wl_error=8, quant_output=True, name=""):
        super().__init__(fin, fout, bias=False)
        self._setup(wl_weight, wl_activate, wl_error, quant_output, fin)
        self.name = name

    def forward(self, x):
        if self.hw_fn is not None:
            y = self.hw_fn(self, x)
        else:
            y = F.linear(x, self.weight_q())
        return self._post(y)


class InputQuant(nn.Module):
    """Quantises the network input to the activation grid (so that the first layer's input is a
    ``wl_activate``-bit two's-complement code, as in the NeuroSim input traces)."""

    def __init__(self, bits: int):
        super().__init__()
        self.bits = bits

    def forward(self, x):
        if self.bits < 0:
            return x
        return quantize(clip(x, self.bits), self.bits)


def quant_layers(model: nn.Module) -> list[nn.Module]:
    """Quantised layers of ``model`` in forward (registration) order."""
    return [m for m in model.modules() if isinstance(m, (QConv2d, QLinear))]


def clip_weights_(model: nn.Module) -> None:
    """WAGE: keep stored weights inside the clipped range after each update."""
    with torch.no_grad():
        for m in quant_layers(model):
            if 0 < m.wl_weight <= 15:                          # the range ``clip`` keeps
                d = sigma(m.wl_weight) if m.wl_weight > 1 else 0.0
                m.weight.clamp_(-1.0 + d, 1.0 - d)


__all__ = ["sigma", "clip", "quantize", "pow2_round", "qw", "qe", "qg", "quant_act", "wage_scale",
           "QConv2d", "QLinear", "InputQuant", "quant_layers", "clip_weights_"]
