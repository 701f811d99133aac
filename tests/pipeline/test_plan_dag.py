"""The Snakemake DAG: dry-runs of the main job and of the sweeps."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.flow.plan import Plan

ROOT = Path(__file__).resolve().parents[2]


def _dry_run(*args, cwd=ROOT):
    snakemake = Path(sys.executable).with_name("snakemake")
    proc = subprocess.run([str(snakemake), "-n", "--cores", "2", "-d", str(cwd), "-s", str(ROOT / "Snakefile"),
                           *args], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    counts = dict(re.findall(r"^(\w+)\s+(\d+)$", proc.stdout, re.M))
    return {k: int(v) for k, v in counts.items() if k != "total"}


def test_main_dag_has_each_stage_once(tmp_path):
    counts = _dry_run(cwd=tmp_path)
    assert counts == {"train": 1, "infer": 1, "traces": 1, "floorplan": 1, "estimate": 1, "report": 1, "all": 1}


def test_sweep_adc_shares_training_and_fans_out_estimation(tmp_path):
    counts = _dry_run("sweep_adc", cwd=tmp_path)
    assert counts["train"] == 1 and counts["traces"] == 1
    # the 6 points' estimates run batched in one chunk job (pipeline/dse/batch.py), accuracy per point
    assert counts["dse_chunk"] == 1 and counts["infer"] == 6 and "estimate" not in counts
    assert counts["sweep_adc_aggregate"] == 1


def test_multi_parameter_sweeps_share_training_and_batch_estimates(tmp_path):
    counts = _dry_run("sweep_rram_grid", cwd=tmp_path)  # 33 points, 2 cores: chunks of 9
    assert counts["train"] == 1 and counts["traces"] == 1 and counts["infer"] == 33 and counts["dse_chunk"] == 4
    counts = _dry_run("sweep_sample50", "--config", "dse_cores=8", cwd=tmp_path)  # chunks of >= 8 points
    assert counts["train"] == 1 and counts["traces"] == 1 and counts["dse_chunk"] == 7
    assert "infer" not in counts  # an estimate-only sweep (accuracy: false)


def test_reproduction_targets(tmp_path):
    counts = _dry_run("reproduce_iedm19_table1", "reproduce_v14_table7", cwd=tmp_path)
    assert counts == {"reproduce_iedm19_table1": 1, "reproduce_v14_table7": 1}


def test_sweep_device_shares_training(tmp_path):
    counts = _dry_run("sweep_device", cwd=tmp_path)
    assert counts["train"] == 1 and counts["dse_chunk"] == 1 and counts["infer"] == 3


def test_plan_paths_are_keyed():
    plan = Plan.build(sweep_names=("adc",))
    key = plan.main_keys["estimate"]
    assert plan.outputs("estimate", key)[0].endswith(f"estimate/{key}/layers.parquet")
    ins = plan.inputs("estimate", key)
    assert any("/traces/" in p for p in ins) and any("/floorplan/" in p for p in ins)
    with pytest.raises(KeyError, match="no design point produces"):
        plan.overrides_of("estimate", "000000000000")


def test_sweep_points_are_composed_only_when_asked_for():
    from pipeline.flow.config import compose, stage_keys

    plan = Plan.build(["train.max_steps=7"])
    assert not plan._registered_sweeps and set(plan.sweeps) >= {"adc", "device", "array", "tech"}
    point = ["train.max_steps=7", "array.adc_bits=3"]
    key = stage_keys(compose(point))["estimate"]
    assert plan.overrides_of("estimate", key) == tuple(point)  # a sweep job (e.g. on Slurm) finds its point
    assert plan._registered_sweeps == {"adc"}  # stops at the sweep that produces the key
    tech_point = ["train.max_steps=7", "tech=n45"]
    # some design point producing that key (another sweep's point may produce it first: same key)
    found = plan.overrides_of("estimate", stage_keys(compose(tech_point))["estimate"])
    assert stage_keys(compose(found))["estimate"] == stage_keys(compose(tech_point))["estimate"]
    assert plan._registered_sweeps >= {"adc", "device", "array"}  # registered one sweep at a time
