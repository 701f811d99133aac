"""Device-aware training on a small model: reduction to WAGE SGD, accuracy vs device, resume,
trace set round trip through Parquet into the training estimator."""
import dataclasses

import numpy as np
import pytest
import torch

from pipeline.algo_config import DataConfig, ModelConfig, TrainConfig
from pipeline.models import build_model
from pipeline.quant import qg, quant_layers
from pipeline.training.config import OnchipConf, OnchipDeviceConf
from pipeline.training.onchip import OnchipRun, sse_loss

torch.set_num_threads(1)
MODEL = ModelConfig(width_mult=0.125, in_channels=1, image_size=16)
BITS = TrainConfig(wl_weight=5, wl_activate=8, wl_error=8, wl_grad=5)
CONF = OnchipConf(epochs=2, batch_size=50, grad_scale=0.25, seed=0)
IDEAL = OnchipDeviceConf(name="ideal", nonlinearity_ltp=0.0, nonlinearity_ltd=0.0, c2c_sigma=0.0)


@pytest.fixture(scope="module")
def data():
    from pipeline.data import load_data
    return load_data(DataConfig(name="mnist_embedded", n_train=2000, n_test=300), MODEL)


def _model(seed=0):
    torch.manual_seed(seed)
    return build_model(MODEL, BITS)


def test_linear_noiseless_device_reduces_to_wage_quantised_sgd(data):
    """Ideal linear device, unrounded pulses, no noise == WAGE (QG + momentum + clip) step for step."""
    dev = dataclasses.replace(IDEAL, continuous_pulses=True)
    conf = dataclasses.replace(CONF, steps_per_epoch=4, epochs=1)
    a, b = _model().double(), _model().double()
    with torch.no_grad():
        for m in (a, b):
            for p in m.parameters():
                p.mul_(0.4)                                  # stay clear of the range limits
    init = [p.detach().clone() for p in b.parameters()]
    run = OnchipRun(a, data, conf, dev)
    params_b = [m.weight for m in quant_layers(b)]
    vel = [torch.zeros_like(p) for p in params_b]
    gen = torch.Generator().manual_seed(conf.seed + 1)
    perm = torch.randperm(len(data.y_train), generator=torch.Generator().manual_seed(conf.seed * 1000003))
    for k in range(conf.steps_per_epoch):                   # the reference: plain WAGE quantised SGD
        idx = perm[k * 50:(k + 1) * 50]
        for p in params_b:
            p.grad = None
        sse_loss(b(data.x_train[idx].double()), data.y_train[idx]).backward()
        with torch.no_grad():
            for p, v in zip(params_b, vel):
                v.mul_(conf.momentum_gamma).add_(p.grad, alpha=conf.momentum_alpha)
                p.sub_(qg(v, conf.wl_grad, conf.grad_scale, generator=gen)).clamp_(-15 / 16, 15 / 16)
    run.data = type(data)(data.x_train.double(), data.y_train, data.x_test.double(), data.y_test, data.name)
    run.run_epoch()
    for pa_, pb in zip(run.params, params_b):
        torch.testing.assert_close(pa_, pb, rtol=0, atol=1e-12)
    assert sum(int((pb != p0).sum()) for pb, p0 in zip(params_b, init)) > 100    # the steps did update


def _accuracy(data, dev, epochs=2):
    run = OnchipRun(_model(), data, dataclasses.replace(CONF, epochs=epochs), dev)
    acc = 0.0
    for _ in range(epochs):
        rec, _, _ = run.run_epoch()
        acc = rec["accuracy"]
    return acc


def test_larger_nonlinearity_or_fewer_levels_lower_accuracy(data):
    ideal = _accuracy(data, IDEAL)
    strong_nl = _accuracy(data, dataclasses.replace(IDEAL, nonlinearity_ltp=8.0, nonlinearity_ltd=8.0))
    few_levels = _accuracy(data, dataclasses.replace(IDEAL, max_level=4))
    assert ideal > 0.55
    assert strong_nl < ideal - 0.1, (ideal, strong_nl)
    assert few_levels < ideal - 0.1, (ideal, few_levels)


def test_resumed_run_equals_uninterrupted_run(data, tmp_path):
    dev = OnchipDeviceConf(d2d_sigma=0.1)                   # FeFET preset + d2d: every random source used
    conf = dataclasses.replace(CONF, steps_per_epoch=5)
    full = OnchipRun(_model(), data, conf, dev)
    h_full = [full.run_epoch()[0] for _ in range(2)]
    first = OnchipRun(_model(), data, conf, dev)
    h0 = first.run_epoch()[0]
    first.save(tmp_path / "state.pt")
    second = OnchipRun(_model(seed=123), data, conf, dev)   # different init: the state must override it
    second.load(tmp_path / "state.pt")
    h1 = second.run_epoch()[0]
    for p, q in zip(full.params, second.params):
        assert torch.equal(p, q)
    for a, b in zip(h_full, (h0, h1)):
        assert a["accuracy"] == b["accuracy"] and a["loss"] == b["loss"]
    # d2d: one label draw per device, shared by LTP and LTD, seeded
    a_ltp = full.state.a_ltp[1]
    assert a_ltp.shape == full.params[1].shape and float(a_ltp.std()) > 0
    assert torch.equal(a_ltp, second.state.a_ltp[1])


def test_trace_set_round_trip_into_the_training_estimator(data, tmp_path):
    from neurosim_core.network import LayerSpec, Network
    from neurosim_core.training.config import TrainingConfig
    from neurosim_core.training.estimate import estimate_training

    from pipeline import schemas
    from pipeline.train_estimate import table_to_train_traces
    from pipeline.training.onchip import write_epoch

    conf = dataclasses.replace(CONF, steps_per_epoch=6, trace_images=3)
    run = OnchipRun(_model(), data, conf, OnchipDeviceConf())
    record, stats, rows = run.run_epoch()
    write_epoch(tmp_path / "epoch_000", record, stats, rows)
    back = schemas.read_train_traces(tmp_path / "epoch_000" / "train_traces.parquet")
    assert [r["name"] for r in back] == run.names
    for r, p in zip(back, run.params):
        w = p.detach().reshape(p.shape[0], -1).t().double().numpy()
        np.testing.assert_array_equal(r["weight_q"], np.rint(w * 16))            # new codes = Q(w, 5)
        assert np.abs(r["weight_old"] - w).max() <= 2 / 16 + 0.05               # one step (+ c2c) away
        assert r["n_images"] == 3 and 0 < r["activity"] < 1
    moved = sum(int((np.rint(r["weight_old"] * 16) != r["weight_q"]).sum()) for r in back)
    assert moved > 0
    # stats: one tidy table, V2.0's quantities per layer
    quantities = {(s["quantity"], s["statistic"]) for s in stats}
    assert {("input_activity", "mean"), ("weight", "mean"), ("weight", "std"), ("delta", "mean"),
            ("delta", "std"), ("delta", "nonzero_frac")} <= quantities
    # into the estimator
    traces = table_to_train_traces(tmp_path / "epoch_000" / "train_traces.parquet")
    network = Network(layers=tuple(LayerSpec(*t.net_row) for t in traces), names=tuple(t.name for t in traces))
    from pipeline.training.plan import compose, training_hardware, training_overrides
    hw = training_hardware(compose(training_overrides(())))
    res = estimate_training(network, traces, hw, training=TrainingConfig(batch_size=50, iterations=6,
                                                                          max_num_level_ltp=32, max_num_level_ltd=32))
    assert sum(l.write_pulses for l in res.layers) > 0
    assert res.total("wu").energy > 0 and res.energy > 0
