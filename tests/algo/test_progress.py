"""Progress lines of the long loops (training steps, hardware-aware inference): step, metrics,
elapsed time and ETA, to the log; a bar only on a terminal."""
import io
import logging

import pytest
import torch

from pipeline.algo.progress import Progress, format_duration


class FakeClock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def _logger(name):
    stream = io.StringIO()
    logger = logging.getLogger(f"neurosim_flow.test.{name}")
    logger.handlers[:] = [logging.StreamHandler(stream)]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger, stream


def test_format_duration():
    assert format_duration(0) == "0:00" and format_duration(75.4) == "1:15"
    assert format_duration(3 * 3600 + 62) == "3:01:02" and format_duration(float("nan")) == "?"


def test_lines_carry_step_metrics_and_eta_at_the_set_interval():
    clock = FakeClock()
    logger, stream = _logger("interval")
    bar = Progress(total=100, desc="train", unit="step", log_every_s=10, bar=False, clock=clock, logger=logger)
    for step in range(1, 101):
        clock.t += 0.5  # 0.5 s per step -> a line every 20 steps
        bar.update(step, loss=1.0 / step, acc=step / 100)
    bar.close()
    lines = stream.getvalue().strip().splitlines()
    assert len(lines) == 5, lines
    assert lines[0].startswith("train: step 20/100 (20 %), loss 0.05, acc 0.2, elapsed 0:10, ETA 0:40")
    assert lines[-1] == "train: step 100/100 (100 %), loss 0.01, acc 1, elapsed 0:50"  # the end, no ETA


def test_resumed_run_estimates_from_this_runs_rate_and_an_early_stop_is_logged():
    clock = FakeClock()
    logger, stream = _logger("resume")
    bar = Progress(total=1000, desc="train", unit="step", initial=900, log_every_s=1e9, bar=False, clock=clock,
                   logger=logger)
    clock.t += 10
    bar.update(950)  # 50 steps in 10 s -> 50 left take 10 s
    assert bar.line().endswith("ETA 0:10")
    bar.close()  # stopped before the end (e.g. an error): the last position is logged
    assert stream.getvalue().strip() == "train: step 950/1000 (95 %), elapsed 0:10, ETA 0:10"


def test_a_bar_draws_on_request_and_is_closed(capsys):
    logger, _ = _logger("bar")
    with Progress(total=3, desc="infer", unit="image", bar=True, logger=logger) as bar:
        for i in range(1, 4):
            bar.update(i, acc=0.5)
    err = capsys.readouterr().err
    assert "infer" in err and "3/3" in err


def test_hw_inference_reports_each_batch_through_the_callback():
    from pipeline.algo.config import HwInferConfig

    from pipeline.algo.hw_infer import evaluate

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 3))
    x, y = torch.randn(10, 1, 2, 2), torch.randint(0, 3, (10,))
    calls = []
    out = evaluate(model, (x, y), HwInferConfig(enabled=False, batch_size=4),
                   progress=lambda done, total, correct: calls.append((done, total, correct)))
    assert [c[:2] for c in calls] == [(4, 10), (8, 10), (10, 10)]
    assert calls[-1][2] == round(out["accuracy"] * 10)


def test_training_logs_progress_and_records_interval_means(tmp_path, caplog):
    """A few WAGE steps on random data: progress lines in the log, interval means in the history."""
    from pipeline.algo.config import DataConfig, ModelConfig, TrainConfig
    from pipeline.algo.data import Dataset
    from pipeline.algo.train import train

    g = torch.Generator().manual_seed(0)
    data = Dataset(x_train=torch.rand(64, 1, 32, 32, generator=g) * 2 - 1,
                   y_train=torch.randint(0, 10, (64,), generator=g),
                   x_test=torch.rand(16, 1, 32, 32, generator=g) * 2 - 1,
                   y_test=torch.randint(0, 10, (16,), generator=g), name="random")
    model_cfg = ModelConfig(name="vgg8", width_mult=0.0625, num_classes=10, in_channels=1, image_size=32)
    train_cfg = TrainConfig(steps=6, max_steps=6, batch_size=16, log_every=2, seed=0, device="cpu", num_threads=1)
    with caplog.at_level(logging.INFO, logger="neurosim_flow"):
        metrics = train(model_cfg, train_cfg, DataConfig(name="mnist_embedded"), str(tmp_path), data=data)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("train: step")]
    assert lines and lines[-1].startswith("train: step 6/6 (100 %), loss ")
    assert any("digital test accuracy" in r.getMessage() for r in caplog.records)
    h = metrics["history"]
    assert [p["step"] for p in h] == [2, 4, 6]
    assert all(0 <= p["interval_accuracy"] <= 1 and p["interval_loss"] > 0 for p in h)
    # the running mean of the last point is the mean of the interval means (equal-sized intervals)
    assert h[-1]["train_loss"] == pytest.approx(sum(p["interval_loss"] for p in h) / 3)
