"""End to end: a tiny 2x2 grid with Monte-Carlo draws through the real Snakefile (slow)."""
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
pytestmark = pytest.mark.slow

TINY = ("train.max_steps=4", "train.batch_size=32", "data.n_train=128", "data.n_test=16", "network.width_mult=0.125")
SWEEP = """
base: [device=rram, device.variation_sigma=0.1]
params:
  array.adc_bits: [3, 5]
  array.rows: [64, 128]
mc_seeds: 2
"""


def test_tiny_grid_sweep_end_to_end(tmp_path):
    name = "zz_test_tiny_grid"
    sweep = ROOT / "conf" / "sweep" / f"{name}.yaml"
    sweep.write_text(SWEEP)
    try:
        cmd = [str(SNAKEMAKE), f"sweep_{name}", "--cores", "2", "-s", str(ROOT / "Snakefile"), "-d", str(tmp_path),
               "--config", f"overrides=[{','.join(TINY)}]"]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=1500)
    finally:
        sweep.unlink()
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    counts = dict(re.findall(r"^(\w+)\s+(\d+)$", proc.stdout + proc.stderr, re.M))
    assert int(counts["train"]) == 1 and int(counts["dse_chunk"]) == 1 and int(counts["infer"]) == 8
    out = next((tmp_path / "results" / "sweep" / name).iterdir())
    for f in ("sweep.parquet", "sweep.csv", "sweep.md", "sweep.html", "metrics.png", "pareto.png", "radar.png",
              "heatmap.png", "accuracy_vs_energy.png"):
        assert (out / f).stat().st_size > 0, f
    df = pl.read_parquet(out / "sweep.parquet")
    assert len(df) == 4 and df["mc_draws"].to_list() == [2, 2, 2, 2]
    assert df["array.adc_bits"].to_list() == [3, 3, 5, 5] and df["array.rows"].to_list() == [64, 128, 64, 128]
    assert ((df["accuracy_pct"] >= 0) & (df["accuracy_pct"] <= 100)).all()
    assert df["pareto"].any() and df["chip_area_um2"].n_unique() == 4
    # the accuracy statistics equal those of the per-draw infer results
    acc = [pl.read_parquet(p)["accuracy"][0] * 100 for p in sorted((tmp_path / "results" / "infer").glob("*/accuracy.parquet"))]
    assert len(acc) == 8
    assert np.isclose(df["accuracy_pct"].mean(), np.mean(acc))  # 4 points x 2 draws, all distinct infer jobs
    md = (out / "sweep.md").read_text()
    assert "## Pareto front" in md and "2 Monte-Carlo draw(s)" in md
