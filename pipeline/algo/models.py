"""Networks built from WAGE-quantised layers, and the NeuroSim ``NetWork.csv`` table.

ResNet-18 (He et al., CVPR 2016, CIFAR variant: 3x3 stem, no stem pool, stages 64-128-256-512 of two
basic blocks, 1x1 projection shortcuts, global average pool, FC) and DenseNet-40 (Huang et al., CVPR
2017, DenseNet-BC as in the NeuroSim ``NetWork_DenseNet40.csv``: growth 12, 24-channel stem, three
blocks of six bottleneck layers 1x1 (4 x growth) -> 3x3 (growth), 1x1 transitions with compression
0.5 and 2x2 average pools, global average pool, FC) follow VGG-8's conventions: no batch norm (WAGE),
ReLU after every quantised layer, and an activation quantiser wherever a sum or an average leaves
the activation grid.

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

from .config import ModelConfig, TrainConfig
from .quant import InputQuant, QConv2d, QLinear, quant_act, quant_layers

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


class _QAct(nn.Module):
    """ReLU then WAGE activation quantiser (for residual sums and pooled averages)."""

    def __init__(self, wl_activate, wl_error):
        super().__init__()
        self.bits = (wl_activate, wl_error)

    def forward(self, x):
        return quant_act(torch.relu(x), *self.bits)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, name, q):
        super().__init__()
        self.conv_a = QConv2d(cin, cout, 3, stride, 1, name=f"{name}a_", **q)
        self.conv_b = QConv2d(cout, cout, 3, 1, 1, name=f"{name}b_", **q)
        self.shortcut = QConv2d(cin, cout, 1, stride, 0, name=f"{name}sc_", **q) \
            if stride != 1 or cin != cout else None
        self.act = _QAct(q["wl_activate"], q["wl_error"])

    def forward(self, x):
        h = self.conv_b(torch.relu(self.conv_a(x)))   # shortcut after the main path (reference table order)
        return self.act(h + (self.shortcut(x) if self.shortcut is not None else x))


class ResNet18(nn.Module):
    STAGES = (64, 128, 256, 512)

    def __init__(self, cfg: ModelConfig, wl_weight=8, wl_activate=8, wl_error=8):
        super().__init__()
        q = dict(wl_weight=wl_weight, wl_activate=wl_activate, wl_error=wl_error)
        self.input_quant = InputQuant(wl_activate)
        c0 = _w(64, cfg.width_mult)
        self.stem = QConv2d(cfg.in_channels, c0, 3, 1, 1, name="Conv0_", **q)
        blocks, cin = [], c0
        for i, c in enumerate(self.STAGES):
            cout = _w(c, cfg.width_mult)
            for j in range(2):
                blocks.append(BasicBlock(cin, cout, 2 if (i > 0 and j == 0) else 1, f"L{i + 1}B{j}", q))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.pool_act = _QAct(wl_activate, wl_error)
        self.fc = QLinear(cin, cfg.num_classes, name="FC0_", **q)

    def forward(self, x):
        x = self.blocks(torch.relu(self.stem(self.input_quant(x))))
        return self.fc(torch.flatten(self.pool_act(self.pool(x)), 1))


class DenseLayer(nn.Module):
    def __init__(self, cin, growth, name, q):
        super().__init__()
        self.conv1 = QConv2d(cin, 4 * growth, 1, 1, 0, name=f"{name}1x1_", **q)
        self.conv2 = QConv2d(4 * growth, growth, 3, 1, 1, name=f"{name}3x3_", **q)

    def forward(self, x):
        return torch.cat([x, torch.relu(self.conv2(torch.relu(self.conv1(x))))], 1)


class DenseNet40(nn.Module):
    LAYERS_PER_BLOCK = 6

    def __init__(self, cfg: ModelConfig, wl_weight=8, wl_activate=8, wl_error=8):
        super().__init__()
        q = dict(wl_weight=wl_weight, wl_activate=wl_activate, wl_error=wl_error)
        g = _w(12, cfg.width_mult)
        self.input_quant = InputQuant(wl_activate)
        c = 2 * g
        mods: list[nn.Module] = [QConv2d(cfg.in_channels, c, 3, 1, 1, name="Conv0_", **q), nn.ReLU()]
        for b in range(3):
            for i in range(self.LAYERS_PER_BLOCK):
                mods.append(DenseLayer(c, g, f"D{b + 1}L{i}_", q))
                c += g
            if b < 2:
                co = c // 2
                mods += [QConv2d(c, co, 1, 1, 0, name=f"T{b + 1}_", **q), nn.ReLU(), nn.AvgPool2d(2),
                         _QAct(wl_activate, wl_error)]
                c = co
        self.features = nn.Sequential(*mods)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.pool_act = _QAct(wl_activate, wl_error)
        self.fc = QLinear(c, cfg.num_classes, name="FC0_", **q)

    def forward(self, x):
        x = self.features(self.input_quant(x))
        return self.fc(torch.flatten(self.pool_act(self.pool(x)), 1))


MODELS = {"vgg8": VGG, "resnet18": ResNet18, "densenet40": DenseNet40}


def build_model(model_cfg: ModelConfig, train_cfg: TrainConfig | None = None) -> nn.Module:
    """Build the network; ``train_cfg.mode == 'fp'`` disables every quantiser (float baseline)."""
    model_cfg.validate()
    tc = train_cfg or TrainConfig()
    if tc.mode == "fp":
        bits = dict(wl_weight=-1, wl_activate=-1, wl_error=-1)
    else:
        bits = dict(wl_weight=tc.wl_weight, wl_activate=tc.wl_activate, wl_error=tc.wl_error)
    if model_cfg.name not in MODELS:
        raise ValueError(f"ModelConfig.name={model_cfg.name!r} is invalid; allowed: {' | '.join(MODELS)}")
    return MODELS[model_cfg.name](model_cfg, **bits)


def network_table(model: nn.Module, input_shape) -> list[tuple[int, ...]]:
    """NeuroSim ``NetWork.csv`` rows ``(IFM_H, IFM_W, IFM_C, K_H, K_W, C_out, followedByMaxPool,
    stride)`` for every quantised layer in execution order, derived by tracing one forward pass of
    zeros.  ``followedByMaxPool`` is 1 when any pooling (max or average, as in the reference
    ResNet-18/DenseNet-40 tables) runs before the next quantised layer.  ``C_out`` is the layer's own
    output width (the reference DenseNet-40 table lists the concatenated width after a 3x3 layer).

    ``input_shape`` is ``(C, H, W)`` or ``(N, C, H, W)``.  FC layers are ``(1, 1, in, 1, 1, out, 0, 1)``.
    """
    shape = tuple(input_shape)
    if len(shape) == 3:
        shape = (1,) + shape
    order: list[tuple[nn.Module, tuple]] = []
    hooks = []
    pools = (nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)
    for m in model.modules():
        if isinstance(m, (QConv2d, QLinear) + pools):
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
        if isinstance(m, pools):
            continue
        pooled = 0
        for m2, _ in order[idx + 1:]:
            if isinstance(m2, (QConv2d, QLinear)):
                break
            if isinstance(m2, pools):
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


__all__ = ["VGG", "ResNet18", "DenseNet40", "MODELS", "VGG8_CFG", "build_model", "network_table", "layer_names"]
