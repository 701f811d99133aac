import numpy as np
import pytest
import torch
import torch.nn.functional as F

from pipeline.algo.config import DataConfig, ModelConfig, TrainConfig
from pipeline.algo.models import build_model, layer_names, network_table
from pipeline.algo.trace_export import extract_traces

torch.set_num_threads(1)

# shared/reference/README.md, NetWork_VGG8.csv
REF_VGG8 = [(32, 32, 3, 3, 3, 128, 0, 1), (32, 32, 128, 3, 3, 128, 1, 1), (16, 16, 128, 3, 3, 256, 0, 1),
            (16, 16, 256, 3, 3, 256, 1, 1), (8, 8, 256, 3, 3, 512, 0, 1), (8, 8, 512, 3, 3, 512, 1, 1),
            (1, 1, 8192, 1, 1, 1024, 0, 1), (1, 1, 1024, 1, 1, 10, 0, 1)]


def test_network_table_vgg8_matches_reference():
    m = build_model(ModelConfig())
    assert network_table(m, (3, 32, 32)) == REF_VGG8
    assert layer_names(m) == ["Conv0_", "Conv1_", "Conv3_", "Conv4_", "Conv6_", "Conv7_", "FC0_", "FC1_"]
    ops = sum(2 * h * w * c * kh * kw * co for h, w, c, kh, kw, co, _, _ in REF_VGG8)
    assert abs(ops - 1.2318e9) / 1.2318e9 < 1e-3


def test_network_table_narrow_grayscale():
    m = build_model(ModelConfig(width_mult=0.25, in_channels=1))
    rows = network_table(m, (1, 1, 32, 32))
    assert rows[0] == (32, 32, 1, 3, 3, 32, 0, 1)
    assert rows[6] == (1, 1, 128 * 16, 1, 1, 256, 0, 1)
    assert [r[6] for r in rows] == [0, 1, 0, 1, 0, 1, 0, 0]


def test_fp_mode_has_no_quantisation():
    m = build_model(ModelConfig(width_mult=0.125), TrainConfig(mode="fp"))
    x = torch.randn(2, 3, 32, 32) * 0.3
    y = m(x)
    assert y.dtype == torch.float32 and not torch.equal(y * 128, torch.round(y * 128))


def test_trace_layout_matches_wrapper():
    torch.manual_seed(3)
    m = build_model(ModelConfig(width_mult=0.125))
    imgs = torch.rand(3, 3, 32, 32) * 2 - 1
    tr = extract_traces(m, imgs)
    assert [t.name for t in tr] == layer_names(m)
    assert [t.net_row for t in tr] == network_table(m, (3, 32, 32))
    layers = [mm for mm in m.modules() if hasattr(mm, "wl_weight")]
    # capture real inputs of image 0
    cap = {}
    hooks = [l.register_forward_hook(lambda mod, i, o: cap.__setitem__(mod, i[0])) for l in layers]
    with torch.no_grad():
        m(imgs[:1])
    for h in hooks:
        h.remove()
    for t, l in zip(tr, layers):
        assert t.weight_q.dtype == np.int8 and t.input_q.dtype == np.int8 and t.wbits == 8 and t.abits == 8
        w = l.weight.detach()
        rows = w[0].numel()
        assert t.weight_q.shape == (rows, w.shape[0])
        assert np.abs(t.weight_q).max() <= 127
        x = cap[l][0].double()
        if w.dim() == 4:
            cin, kh, kw = w.shape[1:]
            H, W = x.shape[1:]
            assert t.input_q.shape == (rows, H * W)
            # explicit element check: r = cin*KH*KW + kh*KW + kw, window j = oh*W + ow, zero padding 1
            xp = F.pad(x, (1, 1, 1, 1))
            for (c, a, b, oh, ow) in [(0, 0, 0, 0, 0), (cin - 1, 2, 1, H - 1, 3), (cin // 2, 1, 2, 5, W - 1)]:
                r, j = c * kh * kw + a * kw + b, oh * W + ow
                assert t.input_q[r, j] == int(np.floor(float(xp[c, oh + a, ow + b]) * 128 + 1e-9))
                assert t.weight_q[r, 3 % w.shape[0]] == round(float(l.weight_q().detach()[3 % w.shape[0], c, a, b]) * 128)
        else:
            assert t.input_q.shape == (rows, 1)
            assert np.array_equal(t.input_q[:, 0], np.floor(x.numpy() * 128 + 1e-9).astype(np.int8))
    assert tr[0].input_q.min() < 0            # the first layer sees the signed image
    assert all(t.input_q.min() >= 0 for t in tr[1:])  # post-ReLU layers never set the sign bit
    lt = tr[1].to_layer_trace()
    assert lt.rows == tr[1].weight_q.shape[0] and lt.net_row == tr[1].net_row


def test_data_adapts_mnist_to_model():
    from pipeline.algo.data import load_data
    d = load_data(DataConfig(n_train=10, n_test=5), ModelConfig(in_channels=3))
    assert d.x_train.shape == (10, 3, 32, 32) and d.x_test.shape == (5, 3, 32, 32)
    assert float(d.x_train.min()) == -1.0 and float(d.x_train.max()) <= 1.0
    assert torch.equal(d.x_train[:, 0], d.x_train[:, 2])
    assert torch.all(d.x_train[:, :, :2, :] == -1.0)  # padding rows


def test_cifar_missing_is_clear(tmp_path):
    from pipeline.algo.data import load_data
    with pytest.raises(FileNotFoundError, match="cifar-10-batches-py"):
        load_data(DataConfig(name="cifar10", root=str(tmp_path)), ModelConfig())
