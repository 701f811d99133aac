"""End to end: the real Snakefile runs the whole DAG on a tiny config in a temporary directory.

One run (module fixture) is shared by the checks: every stage output exists and passes its schema
check; the report has its tables, accuracy and a drawn plot; `snakemake --report` builds; a
dry-run with only ``array.adc_bits`` changed lists exactly the ADC-dependent rules, the unchanged
config has nothing to do; a run that fails in a stage (a corrupted traces file) fails with one
line naming the file and leaves every earlier result untouched.
"""
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from pipeline.flow import schemas
from pipeline.flow.config import compose, stage_keys
from pipeline.flow.plan import STAGE_FILES

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
pytestmark = pytest.mark.slow

#: the smallest config that still exercises every stage: a few training steps on a narrow VGG-8
TINY = ("train.max_steps=4", "train.batch_size=32", "data.n_train=128", "data.n_test=16",
        "network.width_mult=0.125")


def _snakemake(workdir: Path, *args, overrides=TINY, check=True):
    cmd = [str(SNAKEMAKE), "--cores", "2", "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
           "--config", f"overrides=[{','.join(overrides)}]", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir, timeout=900)
    if check:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def _job_counts(stdout: str) -> dict[str, int]:
    """Parse the dry-run job table (``rule  count`` lines)."""
    counts = dict(re.findall(r"^(\w+)\s+(\d+)$", stdout, re.M))
    return {k: int(v) for k, v in counts.items() if k != "total"}


def _digests(results: Path) -> dict[str, tuple[str, int]]:
    """Content hash and mtime of every result file (logs excluded)."""
    return {str(p.relative_to(results)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(results.rglob("*")) if p.is_file() and "logs" not in p.parts}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    work = tmp_path_factory.mktemp("e2e")
    _snakemake(work)
    keys = stage_keys(compose(list(TINY)))
    return work, work / "results", keys


def test_every_stage_output_exists_and_passes_its_schema(run):
    work, results, keys = run
    for stage, files in STAGE_FILES.items():
        d = results / stage / keys[stage]
        for f in files:
            assert (d / f).is_file() and (d / f).stat().st_size > 0, d / f
        prov = yaml.safe_load((d / "config.yaml").read_text())
        assert prov["stage"] == stage and prov["key"] == keys[stage] and prov["overrides"] == list(TINY)
    metrics = json.loads((results / "train" / keys["train"] / "metrics.json").read_text())
    assert metrics["steps"] == 4 and 0.0 <= metrics["accuracy"] <= 1.0
    traces = schemas.read_traces(results / "traces" / keys["traces"] / "traces.parquet")
    assert traces[0]["name"].startswith("Conv") and len(traces) == 8
    assert all(t["weight_q"].any() for t in traces)  # real trained codes, not zeros
    net = (results / "traces" / keys["traces"] / "network.csv").read_text().splitlines()
    assert len(net) == 8 and all(len(line.split(",")) == 8 for line in net)
    fp = schemas.read_table(results / "floorplan" / keys["floorplan"] / "floorplan.parquet",
                            schemas.FLOORPLAN_COLUMNS)
    assert fp.num_rows == 8
    est = results / "estimate" / keys["estimate"]
    layers = schemas.read_table(est / "layers.parquet", schemas.LAYER_COLUMNS).to_pylist()
    chip = schemas.read_table(est / "chip.parquet", schemas.CHIP_COLUMNS).to_pylist()[0]
    assert len(layers) == 8 and all(r["read_latency_ns"] > 0 and r["read_dynamic_energy_pJ"] > 0 for r in layers)
    assert chip["chip_area_um2"] > 0 and chip["tops_per_w"] > 0 and chip["fps"] > 0
    acc = schemas.read_table(results / "infer" / keys["infer"] / "accuracy.parquet", ("accuracy", "loss"))
    assert 0.0 <= acc.column("accuracy")[0].as_py() <= 1.0
    assert acc.column("n_images")[0].as_py() == 16


def test_report_has_tables_accuracy_and_a_drawn_plot(run):
    work, results, keys = run
    rep = results / "report" / keys["report"]
    acc = schemas.read_table(results / "infer" / keys["infer"] / "accuracy.parquet",
                             ("accuracy", "digital_accuracy")).to_pylist()[0]
    md = (rep / "report.md").read_text()
    for heading in ("## Headline", "## Training", "## Shares of area, energy and latency", "## Per layer",
                    "## Chip", "## Floorplan", "## Design"):
        assert heading in md
    assert f"| accuracy, hardware-aware | {acc['accuracy'] * 100:.2f} % |" in md
    assert f"| accuracy, digital (no hardware model) | {acc['digital_accuracy'] * 100:.2f} % |" in md
    assert "| 1 | conv1 | Conv0 | 32x32x1 | 3x3 conv -> 16 |" in md and "efficiency (TOPS/W)" in md
    html = (rep / "report.html").read_text()
    assert html.count("<table") >= 8 and "TOPS/W" in html
    for png in ("breakdown.png", "shares.png", "training_curve.png"):
        assert f'src="{png}"' in html

        import matplotlib.image as mpimg

        img = mpimg.imread(rep / png)
        assert img.ndim == 3 and img.shape[0] > 250 and img.shape[1] > 800
        gray = img[..., :3].mean(axis=2)
        assert gray.std() > 0.05 and np.mean(gray < 0.9) > 0.02  # not blank: bars/lines and text drawn


def test_stage_logs_carry_progress_lines(run):
    work, results, keys = run
    train_log = (results / "logs" / "train" / f"{keys['train']}.log").read_text()
    assert re.search(r"train: step 4/4 \(100 %\), loss [0-9.]+, acc [0-9.]+, elapsed", train_log), train_log
    infer_log = (results / "logs" / "infer" / f"{keys['infer']}.log").read_text()
    assert re.search(r"infer \(hardware-aware\): image 16/16 \(100 %\), acc [0-9.]+", infer_log), infer_log
    assert "infer: digital (no-hardware) accuracy" in infer_log


def test_snakemake_report_builds(run):
    work, _, _ = run
    out = work / "report.html"
    _snakemake(work, "--report", str(out))
    text = out.read_text(errors="replace")
    assert out.stat().st_size > 50_000 and "breakdown.png" in text and "layers.csv" in text


def test_adc_change_reruns_only_adc_dependent_rules(run):
    work, _, _ = run
    proc = _snakemake(work, "-n", overrides=TINY + ("array.adc_bits=4",))
    assert _job_counts(proc.stdout) == {"infer": 1, "estimate": 1, "report": 1, "all": 1}
    same = _snakemake(work, "-n")
    assert "Nothing to be done" in same.stdout + same.stderr


def test_failed_stage_leaves_earlier_results_intact(run):
    """A corrupted traces file for a new design point: floorplan fails at once with one line naming
    the file; nothing earlier changes; after removing the bad file a rerun would resume from traces."""
    work, results, keys = run
    point = TINY + ("trace_images=2",)
    bad_keys = stage_keys(compose(list(point)))
    assert bad_keys["train"] == keys["train"] and bad_keys["traces"] != keys["traces"]
    bad = results / "traces" / bad_keys["traces"]
    bad.mkdir(parents=True)
    (bad / "traces.parquet").write_bytes(b"PAR1 not a parquet file PAR1")
    (bad / "network.csv").write_text("32,32,1,3,3,16,0,1\n")
    (bad / "config.yaml").write_text("stage: traces\n")
    before = _digests(results)

    proc = _snakemake(work, "--rerun-triggers", "mtime", overrides=point, check=False)
    assert proc.returncode != 0
    log = (results / "logs" / "floorplan" / f"{bad_keys['floorplan']}.log").read_text().strip().splitlines()
    assert log[-1].startswith("neurosim-flow: error: ") and str(Path("traces") / bad_keys["traces"]) in log[-1]
    assert "not a readable Parquet file" in log[-1]
    assert _digests(results) == before  # earlier results untouched, no partial floorplan output
    assert not (results / "floorplan" / bad_keys["floorplan"] / "floorplan.parquet").exists()

    for f in bad.iterdir():
        f.unlink()
    resume = _snakemake(work, "-n", overrides=point)
    assert _job_counts(resume.stdout) == {"traces": 1, "floorplan": 1, "estimate": 1, "report": 1, "all": 1}
