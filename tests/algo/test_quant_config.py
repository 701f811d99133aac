import math

import pytest
import torch
from hypothesis import given, settings, strategies as st

from pipeline.algo.config import DataConfig, HwInferConfig, ModelConfig, TrainConfig
from pipeline.algo.quant import QConv2d, clip, qe, qg, quant_act, quantize, qw, wage_scale

torch.set_num_threads(1)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 12), st.lists(st.floats(-4, 4, allow_nan=False), min_size=1, max_size=50))
def test_qw_on_grid_and_in_range(bits, vals):
    x = torch.tensor(vals, dtype=torch.float64)
    y = qw(x, bits)
    s = 2 ** (bits - 1)
    assert torch.all(y.abs() <= 1 - 1 / s)
    assert torch.equal(y * s, torch.round(y * s))
    inside = x.abs() <= 1 - 1 / s
    assert torch.all((y - x)[inside].abs() <= 0.5 / s + 1e-12)
    assert torch.equal(qw(y, bits), y)  # idempotent


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 10), st.lists(st.floats(-100, 100, allow_nan=False), min_size=2, max_size=40))
def test_qe_scaled_by_power_of_two(bits, vals):
    e = torch.tensor(vals, dtype=torch.float64)
    if e.abs().max() == 0:
        return
    y = qe(e, bits)
    assert torch.all(y.abs() <= 1 - 2.0 ** (1 - bits))
    s = 2 ** (bits - 1)
    assert torch.equal(y * s, torch.round(y * s))


def test_qg_stochastic_rounding_unbiased_and_seeded():
    g = torch.full((20000,), 0.3, dtype=torch.float64)
    g[0] = 1.0  # max -> scaled by 1
    a = qg(g, 8, 1.0, torch.Generator().manual_seed(1))
    b = qg(g, 8, 1.0, torch.Generator().manual_seed(1))
    assert torch.equal(a, b)
    assert set(torch.unique(a[1:] * 128).tolist()) <= {0.0, 1.0}
    assert abs(float((a[1:] * 128).mean()) - 0.3) < 0.02
    assert torch.equal(qg(torch.zeros(5), 8, 8.0), torch.zeros(5))


def test_quant_act_forward_and_error_quantisation():
    x = torch.tensor([-2.0, -0.3, 0.004, 0.5, 3.0], requires_grad=True)
    y = quant_act(x, 8, 8)
    assert torch.allclose(y, torch.tensor([-127 / 128, -38 / 128, 1 / 128, 64 / 128, 127 / 128]))
    y.backward(torch.tensor([0.1, 0.2, 0.3, 0.4, 0.5]))
    # clipped entries get no gradient; the others are QE(e) = round(e / 0.5 * 128) / 128
    assert x.grad[0] == 0 and x.grad[4] == 0
    assert torch.allclose(x.grad[1:4], torch.round(torch.tensor([0.2, 0.3, 0.4]) / 0.5 * 128) / 128)


def test_wage_scale_matches_reference_layer_scales():
    # NeuroSim VGG-8 cfg scales: 2 for the first conv (fan-in 27), 16 for 3x3x128, 32 for 8192
    assert wage_scale(27, 8)[1] == 2.0
    assert wage_scale(1152, 8)[1] == 16.0
    assert wage_scale(8192, 8)[1] == 32.0
    lim, sc = wage_scale(27, -1)
    assert sc == 1.0 and math.isclose(lim, math.sqrt(6 / 27))


def test_qconv_forward_uses_quantised_weight():
    torch.manual_seed(0)
    m = QConv2d(4, 3, 3, 1, 1)
    assert m.weight.abs().max() <= 127 / 128
    x = quantize(clip(torch.rand(2, 4, 5, 5), 8), 8)
    y = m(x)
    ref = torch.nn.functional.conv2d(x, qw(m.weight, 8), padding=1) / m.scale
    assert torch.allclose(y, quant_act(ref, 8, 8))


@pytest.mark.parametrize("cfg,field", [
    (ModelConfig(name="resnet99"), "name"), (ModelConfig(image_size=30), "image_size"),
    (TrainConfig(mode="int"), "mode"), (TrainConfig(device="tpu"), "device"), (TrainConfig(wl_weight=1), "wl_weight"),
    (DataConfig(name="imagenet"), "name"), (DataConfig(name="cifar10"), "root"),
    (HwInferConfig(adc_mode="log"), "adc_mode"), (HwInferConfig(on_off_ratio=1.0), "on_off_ratio"),
    (HwInferConfig(drift_mode="up"), "drift_mode"), (HwInferConfig(stuck_at_on=0.7, stuck_at_off=0.5), "stuck_at_on"),
    (HwInferConfig(compat="v1.4"), "compat"),
])
def test_validate_names_field(cfg, field):
    with pytest.raises(ValueError) as ei:
        cfg.validate()
    msg = str(ei.value)
    assert field in msg and "allowed" in msg and "\n" not in msg


def test_defaults_validate():
    for c in (ModelConfig(), TrainConfig(), DataConfig(), HwInferConfig()):
        assert c.validate() is c
