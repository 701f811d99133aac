"""The training DAG: fan-out (dry runs), keys, a tiny real run end to end."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.training.plan import TrainingPlan, compose, training_keys, training_overrides

ROOT = Path(__file__).resolve().parents[2]


def _snakemake(*args, cwd, dry=True):
    snakemake = Path(sys.executable).with_name("snakemake")
    cmd = [str(snakemake), *(["-n"] if dry else []), "--cores", "2", "-d", str(cwd), "-s", str(ROOT / "Snakefile"), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc


def _counts(proc):
    return {k: int(v) for k, v in re.findall(r"^(\w+)\s+(\d+)$", proc.stdout, re.M) if k != "total"}


def test_dry_run_fans_out_one_estimate_per_epoch(tmp_path):
    counts = _counts(_snakemake("training", "--config", "overrides=[onchip.epochs=3]", cwd=tmp_path))
    assert counts == {"train_onchip_epoch": 3, "train_onchip": 1, "estimate_training": 3, "aggregate_training": 1,
                      "training": 1}
    counts = _counts(_snakemake("training", "--config", "overrides=[onchip.epochs=5,onchip.trace_every=2]",
                                cwd=tmp_path))
    assert counts["train_onchip_epoch"] == 5 and counts["estimate_training"] == 3   # epochs 1, 3 and the last


def test_sweep_nl_fans_out_one_training_chain_per_value(tmp_path):
    n = len(TrainingPlan.build(sweep_names=["nl"]).sweeps["nl"][1])
    counts = _counts(_snakemake("sweep_nl", "--config", "overrides=[onchip.epochs=2]", cwd=tmp_path))
    assert counts["train_onchip_epoch"] == 2 * n and counts["estimate_training"] == 2 * n
    assert counts["aggregate_training"] == n and counts["sweep_nl"] == 1


def test_hardware_change_moves_only_estimate_and_aggregate_keys():
    base = training_keys(compose(training_overrides(())))
    hw = training_keys(compose(training_overrides(("tech=n7", "array.adc_bits=6"))))
    dev = training_keys(compose(training_overrides(("onchip_device.nonlinearity_ltp=3.0",))))
    assert hw["train_onchip"] == base["train_onchip"]
    assert hw["estimate_training"] != base["estimate_training"] and hw["training"] != base["training"]
    assert dev["train_onchip"] != base["train_onchip"]
    # the training defaults give way to the user's choice of the same key or group
    assert training_overrides(("device=rram",))[0] != "device=fefet"
    assert "array.rows=32" not in training_overrides(("array.rows=64",))


@pytest.mark.slow
def test_tiny_training_run_end_to_end_then_hardware_change_reruns_only_estimates(tmp_path):
    ov = "overrides=[onchip.epochs=2,data.n_train=400,data.n_test=100,onchip.batch_size=50]"
    _snakemake("training", "--config", ov, cwd=tmp_path, dry=False)
    out = next((tmp_path / "results" / "training").iterdir())
    for f in ("per_epoch.parquet", "accuracy.png", "energy_latency.png", "accuracy_vs_energy.png", "totals.csv"):
        assert (out / f).stat().st_size > 0
    import pyarrow.parquet as pq
    rows = pq.read_table(out / "per_epoch.parquet").to_pylist()
    assert [r["epoch"] for r in rows] == [0, 1]
    for r in rows:
        assert r["energy_total_J"] > 0 and r["latency_total_s"] > 0 and 0 <= r["accuracy"] <= 1
        # 400 images of a 16-64-channel net: well under a second of chip time, under a joule
        assert r["latency_total_s"] < 10 and r["energy_total_J"] < 1
    est = pq.read_table(next((tmp_path / "results" / "estimate_training").iterdir()) / "epoch_000" /
                        "estimate.parquet").to_pylist()[0]
    dyn = sum(est[f"energy_{p}_J"] for p in ("fw", "ag", "wg", "wu", "dram"))
    assert dyn == pytest.approx(est["energy_dynamic_J"], rel=1e-9)              # disjoint phases add up
    # nothing to do again; a hardware-only change reruns the estimates and the aggregate only
    assert _counts(_snakemake("training", "--config", ov, cwd=tmp_path)) == {}
    ov_hw = ov[:-1] + ",tech=n7]"
    counts = _counts(_snakemake("training", "--config", ov_hw, cwd=tmp_path))
    assert counts == {"estimate_training": 2, "aggregate_training": 1, "training": 1}
