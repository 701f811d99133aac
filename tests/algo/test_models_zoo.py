"""ResNet-18 / DenseNet-40 tables (derived from the models) and forward passes; CIFAR-10 reader."""
import pickle

import numpy as np
import pytest
import torch

from pipeline.algo.config import DataConfig, HwInferConfig, ModelConfig
from pipeline.algo.data import load_data
from pipeline.algo.hw_infer import hw_mode
from pipeline.algo.models import build_model, layer_names, network_table

torch.set_num_threads(1)


def test_resnet18_table():
    rows = network_table(build_model(ModelConfig(name="resnet18")), (3, 32, 32))
    assert len(rows) == 21                                   # as the reference NetWork_ResNet18.csv
    assert rows[0] == (32, 32, 3, 3, 3, 64, 0, 1)            # CIFAR stem (reference: 7x7/2 ImageNet stem)
    # stage transitions: 3x3 stride-2 conv, 3x3 conv, then the 1x1 stride-2 projection (reference order)
    assert rows[5:8] == [(32, 32, 64, 3, 3, 128, 0, 2), (16, 16, 128, 3, 3, 128, 0, 1), (32, 32, 64, 1, 1, 128, 0, 2)]
    assert rows[15:18] == [(8, 8, 256, 3, 3, 512, 0, 2), (4, 4, 512, 3, 3, 512, 0, 1), (8, 8, 256, 1, 1, 512, 0, 2)]
    assert rows[19] == (4, 4, 512, 3, 3, 512, 1, 1)          # global average pool flagged, as the reference
    assert rows[20] == (1, 1, 512, 1, 1, 10, 0, 1)
    assert sum(r[6] for r in rows) == 1


def test_densenet40_table_matches_reference_except_concat_width():
    # reference V1.4 NetWork_DenseNet40.csv: 40 rows; its 3x3 rows list the concatenated width
    # (e.g. 36 = 24 + 12); ours list the layer's own 12 output columns, everything else is equal
    m = build_model(ModelConfig(name="densenet40"))
    rows = network_table(m, (3, 32, 32))
    assert len(rows) == 40
    assert rows[0] == (32, 32, 3, 3, 3, 24, 0, 1)
    assert rows[1] == (32, 32, 24, 1, 1, 48, 0, 1) and rows[2] == (32, 32, 48, 3, 3, 12, 0, 1)
    assert rows[13] == (32, 32, 96, 1, 1, 48, 1, 1)          # transition 1 + 2x2 average pool
    assert rows[26] == (16, 16, 120, 1, 1, 60, 1, 1)         # transition 2 (compression 0.5)
    assert rows[27] == (8, 8, 60, 1, 1, 48, 0, 1)
    assert rows[38] == (8, 8, 48, 3, 3, 12, 1, 1)            # global average pool
    assert rows[39] == (1, 1, 132, 1, 1, 10, 0, 1)
    assert [r[2] for r in rows[1:13:2]] == [24, 36, 48, 60, 72, 84]   # dense connectivity
    assert len(set(layer_names(m))) == 40


@pytest.mark.parametrize("name", ["resnet18", "densenet40"])
def test_tiny_models_forward_and_hw(name):
    torch.manual_seed(0)
    m = build_model(ModelConfig(name=name, width_mult=0.125, in_channels=1, image_size=16))
    x = torch.rand(2, 1, 16, 16) * 2 - 1
    with torch.no_grad():
        y = m(x)
        with hw_mode(m, HwInferConfig(adc_bits=0, subarray=16, compat="corrected")):
            y_hw = m(x)                      # ideal read-out == digital model, through every layer type
        with hw_mode(m, HwInferConfig(adc_bits=4, subarray=16)):
            y_adc = m(x)
    assert y.shape == (2, 10) and torch.isfinite(y).all()
    assert torch.equal(y, y_hw)
    assert torch.isfinite(y_adc).all()
    m.train()
    m(x).sum().backward()                    # trainable (WAGE error quantiser in the backward)
    assert all(p.grad is not None for p in m.parameters())


def _fake_cifar(d, n_per_batch=4):
    d.mkdir()
    rng = np.random.default_rng(0)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        with open(d / name, "wb") as f:
            pickle.dump({"data": rng.integers(0, 256, (n_per_batch, 3072), dtype=np.uint8),
                         "labels": list(rng.integers(0, 10, n_per_batch))}, f)
    return d


def test_cifar10_reader_standard_layout(tmp_path):
    d = _fake_cifar(tmp_path / "cifar-10-batches-py")
    with open(d / "test_batch", "rb") as f:
        raw = pickle.load(f, encoding="latin1")
    for root in (d, tmp_path):               # the directory itself or its parent
        ds = load_data(DataConfig(name="cifar10", root=str(root)), ModelConfig())
        assert ds.x_train.shape == (20, 3, 32, 32) and ds.x_test.shape == (4, 3, 32, 32)
        assert ds.x_train.min() >= -1 and ds.x_train.max() <= 1
        # channel-major 3072-byte rows -> (3, 32, 32), pixel p -> 2p/255 - 1
        px = int(raw["data"][1].reshape(3, 32, 32)[2, 5, 7])
        assert abs(float(ds.x_test[1, 2, 5, 7]) - (2 * px / 255 - 1)) < 1e-6
        assert ds.y_test.tolist() == list(raw["labels"])


def test_cifar10_missing_is_one_clear_line(tmp_path):
    with pytest.raises(FileNotFoundError) as e:
        load_data(DataConfig(name="cifar10", root=str(tmp_path / "nowhere")), ModelConfig())
    msg = str(e.value)
    assert "\n" not in msg and "cifar-10-batches-py" in msg and "nothing is downloaded" in msg
