"""Networks built from WAGE-quantised layers, and the NeuroSim ``NetWork.csv`` table.

VGG-8 follows the DNN+NeuroSim V1.4 CIFAR-10 network (Peng et al., IEDM 2019;
``Inference_pytorch/models/VGG.py``): six 3x3 same-padded convolutions 128-128-256-256-512-512,
a 2x2 max-pool after the 2nd, 4th and 6th, then FC 8192-1024-10, ReLU after every layer except
the last.  ``width_mult`` scales every hidden width; ``in_channels``/``image_size`` let the same
network run on 28x28 (padded to 32x32) grayscale.  Layer names follow the reference's index in the
cfg list (``Conv0_, Conv1_, Conv3_, Conv4_, Conv6_, Conv7_, FC0_, FC1_``).
"""
from __future__ import annotations

import torch
import torch.nn as nn

from .algo_config import ModelConfig, TrainConfig
from .quant import InputQuant, QConv2d, QLinear, quant_layers

# ('C', out_channels) or ('M',) -- 3x3 same convs, 2x2/2 pools
VGG8_CFG = [("C", 128), ("C", 128), ("M",), ("C", 256), ("C", 256), ("M",), ("C", 512), ("C", 512), ("M",)]
VGG8_FC = [1024]


def _w(c: int, mult: float) -> int:
    return max(1, int(round(c * mult)))


class VGG(nn.Module):
    def __init__(self, cfg: ModelConfig, wl_weight=8, wl_activate=8, wl_error=8):
        super().__init__()
        q = dict(wl_weight=wl_weight, wl_activate=wl_activate, wl_error=wl_error)
        self.input_quant = InputQuant(wl_activate)
        layers: list[nn.Module] = []
        cin, size = cfg.in_channels, cfg.image_size
        for i, v in enumerate(VGG8_CFG):
            if v[0] == "C":
                cout = _w(v[1], cfg.width_mult)
                layers += [QConv2d(cin, cout, 3, 1, 1, name=f"Conv{i}_", **q), nn.ReLU()]
                cin = cout
            else:
                layers.append(nn.MaxPool2d(2, 2))
                size //= 2
        self.features = nn.Sequential(*layers)
        fc: list[nn.Module] = []
        fin = cin * size * size
        dims = [_w(d, cfg.width_mult) for d in VGG8_FC] + [cfg.num_classes]
        for j, d in enumerate(dims):
            last = j == len(dims) - 1
            fc.append(QLinear(fin, d, name=f"FC{j}_", **q))
            if not last:
                fc.append(nn.ReLU())
            fin = d
        self.classifier = nn.Sequential(*fc)

    def forward(self, x):
        x = self.input_quant(x)
        x = self.features(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


def build_model(model_cfg: ModelConfig, train_cfg: TrainConfig | None = None) -> nn.Module:
    """Build the network; ``train_cfg.mode == 'fp'`` disables every quantiser (float baseline)."""
    model_cfg.validate()
    tc = train_cfg or TrainConfig()
    if tc.mode == "fp":
        bits = dict(wl_weight=-1, wl_activate=-1, wl_error=-1)
    else:
        bits = dict(wl_weight=tc.wl_weight, wl_activate=tc.wl_activate, wl_error=tc.wl_error)
    if model_cfg.name == "vgg8":
        return VGG(model_cfg, **bits)
    raise ValueError(f"ModelConfig.name={model_cfg.name!r} is invalid; allowed: 'vgg8'")


def network_table(model: nn.Module, input_shape) -> list[tuple[int, ...]]:
    """NeuroSim ``NetWork.csv`` rows ``(IFM_H, IFM_W, IFM_C, K_H, K_W, C_out, followedByMaxPool,
    stride)`` for every quantised layer, derived by tracing one forward pass of zeros.

    ``input_shape`` is ``(C, H, W)`` or ``(N, C, H, W)``.  FC layers are ``(1, 1, in, 1, 1, out, 0, 1)``.
    """
    shape = tuple(input_shape)
    if len(shape) == 3:
        shape = (1,) + shape
    order: list[tuple[nn.Module, tuple]] = []
    hooks = []
    for m in model.modules():
        if isinstance(m, (QConv2d, QLinear, nn.MaxPool2d)):
            hooks.append(m.register_forward_hook(lambda mod, inp, out: order.append((mod, tuple(inp[0].shape)))))
    was_training = model.training
    model.eval()
    try:
        p = next(model.parameters())
        with torch.no_grad():
            model(torch.zeros(shape, dtype=p.dtype, device=p.device))
    finally:
        for h in hooks:
            h.remove()
        model.train(was_training)
    rows: list[tuple[int, ...]] = []
    for idx, (m, ish) in enumerate(order):
        if isinstance(m, nn.MaxPool2d):
            continue
        pooled = 0
        for m2, _ in order[idx + 1:]:
            if isinstance(m2, (QConv2d, QLinear)):
                break
            if isinstance(m2, nn.MaxPool2d):
                pooled = 1
                break
        if isinstance(m, QConv2d):
            kh, kw = m.kernel_size
            rows.append((int(ish[2]), int(ish[3]), int(ish[1]), int(kh), int(kw), int(m.out_channels), pooled,
                         int(m.stride[0])))
        else:
            rows.append((1, 1, int(m.in_features), 1, 1, int(m.out_features), pooled, 1))
    return rows


def layer_names(model: nn.Module) -> list[str]:
    return [m.name for m in quant_layers(model)]


__all__ = ["VGG", "VGG8_CFG", "build_model", "network_table", "layer_names"]
