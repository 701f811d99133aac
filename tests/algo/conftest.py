import pytest
import torch

from pipeline.algo.config import DataConfig, ModelConfig, TrainConfig

torch.set_num_threads(1)

# 16x16 MNIST (area-downsampled), widths 16-16-32-32-64-64 / FC 128: ~20 s of WAGE, ~87 % test accuracy
SMALL_MODEL = ModelConfig(width_mult=0.125, in_channels=1, image_size=16)
SMALL_DATA = DataConfig(name="mnist_embedded", n_train=8000, n_test=256)
SMALL_TRAIN = TrainConfig(mode="wage", lr=0.02, steps=300, batch_size=32, seed=0, log_every=50)


@pytest.fixture(scope="session")
def small_data():
    from pipeline.algo.data import load_data
    return load_data(SMALL_DATA, SMALL_MODEL)


@pytest.fixture(scope="session")
def trained_small(tmp_path_factory, small_data):
    """A narrow VGG-8 trained with WAGE on an MNIST subset for a few seconds (shared)."""
    from pipeline.algo.train import load_trained, train
    out = tmp_path_factory.mktemp("wage_small")
    metrics = train(SMALL_MODEL, SMALL_TRAIN, SMALL_DATA, str(out), data=small_data)
    return load_trained(str(out)), metrics, out
