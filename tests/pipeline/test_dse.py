"""Design-space exploration (pipeline.dse): sweep expansion, constraints, samples, bad sweep files,
keys shared across points, fast composition, batching equivalence, Monte-Carlo statistics, Pareto
front vs brute force, plots, the ResNet-18 table and the average mode without traces."""
from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pytest

from pipeline.flow import schemas
from pipeline.flow.config import compose, stage_keys
from pipeline.dse import analysis
from pipeline.dse.spec import SweepSpecError, chunks, default_chunk_size, load_spec, sweep_names

ROOT = Path(__file__).resolve().parents[2]


def _spec(tmp_path, text: str, name: str = "t"):
    d = tmp_path / "sweep"
    d.mkdir(exist_ok=True)
    (d / f"{name}.yaml").write_text(text)
    return load_spec(name, conf_dir=tmp_path)


# ---- expansion --------------------------------------------------------------------------------
def test_one_parameter_files_keep_their_points():
    spec = load_spec("adc")
    pts = spec.points()
    assert [p.label for p in pts] == ["3", "4", "5", "6", "7", "8"]
    assert [p.overrides for p in pts] == [(f"array.adc_bits={b}",) for b in range(3, 9)]
    assert [p.overrides for p in load_spec("device").points(["train.max_steps=7"])][1] == \
        ("train.max_steps=7", "device=rram")


def test_grid_product_and_constraints(tmp_path):
    spec = _spec(tmp_path, """
params:
  array.adc_bits: [3, 4, 5]
  array.cell_bit: [1, 2, 4]
  array.rows: [64, 128]
base: [device=rram]
constraints: ["cell_bit <= adc_bits", "not (rows == 64 and adc_bits == 5)"]
""")
    pts = spec.points(["train.max_steps=7"])
    want = [(a, c, r) for a, c, r in itertools.product([3, 4, 5], [1, 2, 4], [64, 128])
            if c <= a and not (r == 64 and a == 5)]
    assert [tuple(v for _, v in p.values) for p in pts] == want
    assert all(p.overrides[:2] == ("train.max_steps=7", "device=rram") for p in pts)
    assert pts[0].overrides[2:] == ("array.adc_bits=3", "array.cell_bit=1", "array.rows=64")
    assert len({p.id for p in pts}) == len(pts)


def test_constraints_read_unswept_fields_and_group_options(tmp_path):
    # array.cell_bit is not swept: its value (1) comes from the base config
    spec = _spec(tmp_path, "params:\n  array.adc_bits: [1, 2, 3]\nconstraints: ['adc_bits > array.cell_bit']\n")
    assert [p.label for p in spec.points()] == ["2", "3"]
    spec = _spec(tmp_path, "params:\n  device: [sram, rram]\n  array.cell_bit: [1, 2]\n"
                           "constraints: [\"device != 'sram' or cell_bit == 1\"]\n")
    assert [p.label for p in spec.points()] == ["device=sram, cell_bit=1", "device=rram, cell_bit=1",
                                                "device=rram, cell_bit=2"]


@pytest.mark.parametrize("method", ["random", "lhs"])
def test_samples_are_deterministic_distinct_and_constrained(tmp_path, method):
    text = f"""
params:
  array.adc_bits: [3, 4, 5, 6, 7, 8]
  array.cell_bit: [1, 2, 4]
  array.rows: [64, 128, 256]
  tech: [n45, n32, n22]
constraints: ["cell_bit <= adc_bits - 2"]
sample: {{method: {method}, n: 30, seed: 3}}
"""
    a, b = _spec(tmp_path, text).points(), _spec(tmp_path, text).points()
    assert [p.overrides for p in a] == [p.overrides for p in b] and len(a) == 30
    assert len({p.overrides for p in a}) == 30
    assert all(p.as_dict()["array.cell_bit"] <= p.as_dict()["array.adc_bits"] - 2 for p in a)
    c = _spec(tmp_path, text.replace("seed: 3", "seed: 4")).points()
    assert [p.overrides for p in c] != [p.overrides for p in a]


def test_latin_hypercube_fills_every_stratum_of_a_range(tmp_path):
    spec = _spec(tmp_path, """
params:
  device.resistance_on_ohm: {low: 1.0e4, high: 1.0e6, log: true}
  device.variation_sigma: {low: 0.0, high: 0.1}
sample: {method: lhs, n: 20, seed: 0}
""")
    pts = spec.points()
    assert len(pts) == 20
    for name, to_u in (("device.resistance_on_ohm", lambda v: (math.log(v) - math.log(1e4)) / math.log(100)),
                       ("device.variation_sigma", lambda v: v / 0.1)):
        strata = sorted(min(int(to_u(p.as_dict()[name]) * 20), 19) for p in pts)
        assert strata == list(range(20)), name  # one point per stratum: a Latin hypercube


def test_sample_larger_than_the_space_fails(tmp_path):
    with pytest.raises(SweepSpecError, match=r"conf/sweep/t\.yaml: sample n=10 but only 4"):
        _spec(tmp_path, "params:\n  array.adc_bits: [3, 4]\n  array.rows: [64, 128]\nsample: {n: 10}\n")


# ---- bad sweep files: one line naming the file, the parameter and what is allowed ------------------
@pytest.mark.parametrize("text,fragments", [
    ("params:\n  array.adc_bits: [3, 9]\n", ["'array.adc_bits'", "9", "allowed: integers 1..8"]),
    ("param: array.adc_bits\nvalues: [4, x]\n", ["'array.adc_bits'", "'x'", "integers 1..8"]),
    ("params:\n  array.adc_bitz: [3]\n", ["'array.adc_bitz'", "unknown field 'adc_bitz'", "allowed:"]),
    ("params:\n  device: [sram, flash]\n", ["'device'", "'flash'", "allowed: ecram, fefet"]),
    ("params:\n  tech: [n22, n23]\n", ["'tech'", "n23", "allowed:"]),
    ("params:\n  array.rows: []\n", ["'array.rows'", "allowed: a non-empty list"]),
    ("params:\n  array.rows: [64, 64]\n", ["'array.rows'", "allowed: distinct values"]),
    ("params:\n  array.rows: {low: 8, high: 64}\n", ["'array.rows'", "need a `sample:`"]),
    ("params:\n  array.rows: [64]\nsample: {method: sobol, n: 3}\n", ["sample.method", "allowed: random, lhs"]),
    ("params:\n  array.rows: [64]\nmc_seeds: 0\n", ["mc_seeds", "a positive integer"]),
    ("params:\n  array.rows: [64]\nchunk: 3\n", ["unknown field 'chunk'", "allowed: name, description"]),
    ("params:\n  array.rows: [64]\nconstraints: ['rows < = 3']\n", ["constraint 'rows < = 3'", "allowed: comparisons"]),
    ("params:\n  array.rows: [64]\nconstraints: ['__import__(\"os\")']\n", ["unsupported syntax", "allowed:"]),
    ("params:\n  array.rows: [64]\nconstraints: ['rowz > 3']\n", ["'rowz'", "allowed: array.rows"]),
    ("params:\n  array.rows: [64]\nconstraints: ['rows > 100']\n", ["leave no design point", "allowed:"]),
    ("params:\n  array.rows: [64]\nbase: [array.rows=32]\n", ["base override", "allowed:"]),
    ("param: array.rows\nvalues: [64]\nparams: {array.rows: [64]}\n", ["both", "allowed: one of"]),
    ("params: [1, 2]\n", ["params", "allowed: a mapping"]),
    ("[: bad yaml\n", ["not valid YAML"]),
])
def test_bad_sweep_files_fail_in_one_line(tmp_path, text, fragments):
    with pytest.raises(SweepSpecError) as err:
        _spec(tmp_path, text)
    msg = str(err.value)
    assert msg.startswith("conf/sweep/t.yaml: ") and "\n" not in msg, msg
    for f in fragments:
        assert f in msg, (f, msg)


def test_a_bad_design_point_fails_in_one_line_before_any_job(tmp_path):
    """A point the hardware model rejects (RRAM below 22 nm) stops Snakemake at parse time."""
    import subprocess
    import sys

    sweep = ROOT / "conf" / "sweep" / "zz_test_bad_point.yaml"
    sweep.write_text("params:\n  device: [rram]\n  tech: [n22, n7]\n")
    try:
        snakemake = Path(sys.executable).with_name("snakemake")
        proc = subprocess.run([str(snakemake), "-n", "--cores", "1", "-d", str(tmp_path), "-s", str(ROOT / "Snakefile"),
                               "sweep_zz_test_bad_point"], capture_output=True, text=True, cwd=ROOT)
    finally:
        sweep.unlink()
    assert proc.returncode != 0
    line = [l for l in proc.stderr.splitlines() if "neurosim-flow: error" in l]
    assert line and "conf/sweep/zz_test_bad_point.yaml: design point 'device=rram, tech=n7'" in line[0], proc.stderr[-800:]
    assert "RRAM is modelled down to 22 nm" in line[0] and "Traceback" not in proc.stderr


def test_shipped_sweep_files_load():
    names = sweep_names()
    assert {"adc", "device", "array", "tech", "rram_grid", "sample50"} <= set(names)
    assert len(load_spec("rram_grid").points()) == 33  # 4 x 3 x 3 minus the 3 with cell_bit > adc_bits
    assert len(load_spec("sample50").points()) == 50


# ---- keys, composition, chunks ------------------------------------------------------------------
def test_fast_composition_equals_hydra():
    from pipeline.dse.fastcompose import fast_compose

    cases = []
    for name in ("rram_grid", "sample50", "adc", "tech"):
        pts = load_spec(name).points(["train.max_steps=7"])
        cases += [p.overrides for p in pts[:3] + pts[-2:]]
    cases += [("mc_seed=2", "device=rram", "array.adc_bits=4"), ("estimate_mode=pseudo", "device.variation_sigma=0.05"),
              ("device.resistance_on_ohm=6000", "device=rram")]
    for ov in cases:
        a, b = compose(ov), fast_compose(ov)
        assert a == b, ov
        assert stage_keys(a) == stage_keys(b), ov


def test_points_share_the_keys_of_the_stages_they_do_not_change():
    from pipeline.flow.plan import Plan

    plan = Plan.build(["train.max_steps=7"], sweep_names=("rram_grid", "sample50"))
    keys = [stage_keys(compose(pt)) for _, pt in plan.sweeps["rram_grid"][1]]
    assert len({k["train"] for k in keys}) == 1 and len({k["traces"] for k in keys}) == 1
    assert len({k["estimate"] for k in keys}) == 33 and len({k["infer"] for k in keys}) == 33
    # the technology node changes the estimate, never the hardware-aware inference
    s50 = [stage_keys(compose(pt)) for _, pt in plan.sweeps["sample50"][1]]
    by_infer = {}
    for (label, pt), k in zip(plan.sweeps["sample50"][1], s50):
        by_infer.setdefault(k["infer"], set()).add(k["estimate"])
    assert len(by_infer) < 50 and any(len(v) > 1 for v in by_infer.values())
    assert len({k["train"] for k in s50}) == 1


def test_mc_seeds_add_infer_jobs_only():
    base = compose(["device.variation_sigma=0.05"])
    draw = compose(["device.variation_sigma=0.05", "mc_seed=3"])
    k0, k1 = stage_keys(base), stage_keys(draw)
    assert k0["infer"] != k1["infer"] and k0["report"] != k1["report"]
    assert all(k0[s] == k1[s] for s in ("train", "traces", "floorplan", "estimate"))
    assert stage_keys(compose(["mc_seed=0"])) == stage_keys(compose([]))  # default: today's keys
    from pipeline.flow.stages import algo_configs

    assert algo_configs(base)[3].seed != algo_configs(draw)[3].seed
    with pytest.raises(Exception, match="mc_seed"):
        compose(["mc_seed=-1"])


def test_chunking():
    assert default_chunk_size(100, 2) == 25 and default_chunk_size(10, 2) == 8 and default_chunk_size(1000, 16) == 32
    parts = chunks(33, 8)
    assert [len(c) for c in parts] == [8, 8, 8, 8, 1] and list(itertools.chain(*parts)) == list(range(33))


def _tiny_traces(seed=0):
    """A 3-layer network's traces (ReLU-like inputs) for fast estimates."""
    from neurosim_core.network import LayerSpec, Network
    from pipeline.dse.networks import synthetic_traces

    net = Network(layers=(LayerSpec(8, 8, 3, 3, 3, 16, False, 1), LayerSpec(8, 8, 16, 3, 3, 32, True, 1),
                          LayerSpec(1, 1, 512, 1, 1, 10, False, 1)), names=("c0", "c1", "fc"))
    return net, synthetic_traces(net, seed=seed)


def _write_traces(results: Path, key: str, traces) -> None:
    rows = [dict(name=t.name, net_row=t.net_row, weight_q=t.weight_q, input_q=t.input_q, wbits=t.wbits,
                 abits=t.abits) for t in traces]
    schemas.write_table(schemas.traces_to_table(rows), results / "traces" / key / "traces.parquet")


def test_batched_points_equal_one_point_per_job(tmp_path):
    """A chunk estimates its points in one process; each point's figures equal the estimate stage's."""
    from pipeline.dse.batch import run_chunk
    from pipeline.flow.stages import run_estimate

    spec = _spec(tmp_path, """
params:
  device: [sram, rram]
  array.adc_bits: [3, 5]
  array.rows: [64, 128]
constraints: ["device == 'sram' or adc_bits == 5"]
""")
    results = tmp_path / "results"
    pts = spec.points()
    _, traces = _tiny_traces()
    _write_traces(results, stage_keys(compose(pts[0].overrides))["traces"], traces)
    files = []
    for i in range(2):  # two chunks of 3
        files += run_chunk("t", i, (), results, 3, tmp_path / f"chunk{i}", spec=spec)
    assert len(files) == len(pts) == 6
    for pt, f in zip(pts, files):
        flow = compose(pt.overrides)
        out = tmp_path / "single" / pt.id
        run_estimate(flow, out, {"traces": results / "traces" / stage_keys(flow)["traces"]})
        single = schemas.read_table(out / "chip.parquet", schemas.CHIP_COLUMNS).to_pylist()[0]
        batched = pl.read_parquet(f).row(0, named=True)
        assert batched["point_id"] == pt.id and batched["estimate_key"] == stage_keys(flow)["estimate"]
        for c in schemas.CHIP_COLUMNS:
            assert batched[c] == single[c], (pt.label, c)  # identical, not close


# ---- Monte-Carlo statistics and Pareto -----------------------------------------------------------
def test_mc_accuracy_statistics(tmp_path):
    rng = np.random.default_rng(1)
    acc = {("a", s): float(rng.uniform(0.5, 0.9)) for s in range(5)}
    acc[("b", 0)] = 0.7
    infer = []
    for (pid, s), v in acc.items():
        f = tmp_path / f"{pid}{s}" / "accuracy.parquet"
        schemas.write_table(pa.Table.from_pylist([{"accuracy": v, "loss": 0.0}]), f)
        infer.append((pid, s, f))
    infer.append(("c", 0, tmp_path / "a0" / "accuracy.parquet"))  # two points sharing one infer result
    stats = {r["point_id"]: r for r in analysis.accuracy_stats(analysis.scan_accuracy(infer)).collect()
             .iter_rows(named=True)}
    a = np.array([acc[("a", s)] for s in range(5)]) * 100
    assert stats["a"]["accuracy_pct"] == pytest.approx(a.mean(), rel=1e-12)
    assert stats["a"]["accuracy_std_pct"] == pytest.approx(a.std(ddof=1), rel=1e-12)
    assert stats["a"]["mc_draws"] == 5
    assert stats["b"]["accuracy_std_pct"] == 0.0 and stats["b"]["mc_draws"] == 1
    assert stats["c"]["accuracy_pct"] == pytest.approx(acc[("a", 0)] * 100)


def _brute_pareto(x: np.ndarray) -> list[bool]:
    out = []
    for i in range(len(x)):
        dominated = False
        for j in range(len(x)):
            if j != i and all(x[j][k] >= x[i][k] for k in range(x.shape[1])) and \
                    any(x[j][k] > x[i][k] for k in range(x.shape[1])):
                dominated = True
                break
        out.append(not dominated)
    return out


@pytest.mark.parametrize("seed", range(12))
def test_pareto_matches_brute_force_dominance(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 80))
    discrete = seed % 2 == 0  # ties and duplicates on half of the cases
    cols = {c: (rng.integers(0, 4, n).astype(float) if discrete else rng.normal(size=n))
            for c in analysis.PARETO_OBJECTIVES}
    df = pl.DataFrame(cols)
    mask = analysis.pareto_mask(df)
    signed = np.column_stack([cols[c] * s for c, s in analysis.PARETO_OBJECTIVES.items()])
    assert mask.tolist() == _brute_pareto(signed)
    assert mask.any()


def test_pareto_excludes_missing_values():
    df = pl.DataFrame({"accuracy_pct": [90.0, float("nan"), 80.0], "tops_per_w": [1.0, 5.0, 2.0],
                       "area_mm2": [1.0, 0.5, 1.0], "fps": [1.0, 9.0, 1.0]})
    assert analysis.pareto_mask(df).tolist() == [True, False, True]


# ---- report and plots ---------------------------------------------------------------------------
def _fake_table(n=24, seed=0):
    rng = np.random.default_rng(seed)
    grid = list(itertools.product([3, 4, 5, 6], [1, 2, 4], [64, 128]))[:n]
    df = pl.DataFrame({
        "point_id": [f"p{i}" for i in range(n)], "label": [f"a{a}c{c}r{r}" for a, c, r in grid],
        "array.adc_bits": [g[0] for g in grid], "array.cell_bit": [g[1] for g in grid],
        "array.rows": [g[2] for g in grid], "accuracy_pct": rng.uniform(10, 95, n),
        "accuracy_std_pct": rng.uniform(0, 3, n), "tops_per_w": rng.uniform(1, 30, n),
        "area_mm2": rng.uniform(5, 100, n), "fps": rng.uniform(100, 5000, n), "energy_uJ": rng.uniform(1, 50, n),
        "latency_us": rng.uniform(10, 1000, n), "mem_utilization_pct": rng.uniform(50, 99, n)})
    return df.with_columns(pl.Series("pareto", analysis.pareto_mask(df)))


def test_plots_are_drawn(tmp_path):
    from PIL import Image

    from pipeline.dse import plots

    df = _fake_table()
    params = ["array.adc_bits", "array.cell_bit", "array.rows"]
    plots.pareto_plot(df, tmp_path / "pareto.png", "t")
    plots.radar_plot(df.filter(pl.col("pareto")).head(6), tmp_path / "radar.png", "t")
    plots.heatmap_plot(df, params, tmp_path / "heatmap.png", "t")
    plots.metrics_plot(df, params, tmp_path / "metrics.png", "t", digital_pct=92.0)
    plots.accuracy_energy_plot(df, tmp_path / "ae.png", "t", 92.0)
    for f in ("pareto", "radar", "heatmap", "metrics", "ae"):
        with Image.open(tmp_path / f"{f}.png") as im:
            assert im.size[0] > 400 and im.size[1] > 300
            assert len(np.unique(np.asarray(im.convert("L")))) > 20  # drawn, not blank


def test_radar_normalisation():
    from pipeline.dse.plots import radar_values

    df = pl.DataFrame({"accuracy_pct": [90.0, 45.0], "mem_utilization_pct": [50.0, 100.0], "area_mm2": [10.0, 20.0],
                       "tops_per_w": [4.0, 8.0], "fps": [100.0, 25.0]})
    assert radar_values(df).tolist() == [[1.0, 0.5, 1.0, 0.5, 1.0], [0.5, 1.0, 0.5, 1.0, 0.25]]


# ---- networks and the average mode ----------------------------------------------------------------
def test_resnet18_table_matches_the_reference_rows():
    from pipeline.dse.networks import resnet18_imagenet

    ref = (ROOT / "tests" / "data" / "NetWork_ResNet18.csv").read_text().split()
    assert [",".join(str(int(v)) for v in l.as_row()) for l in resnet18_imagenet().layers] == ref


def test_average_mode_needs_no_traces():
    """The average mode reads no trace value: shape-only traces give the figures real traces give."""
    from neurosim_core.estimate import estimate
    from neurosim_core.params import HardwareConfig, resolve
    from pipeline.dse.networks import shape_traces

    net, traces = _tiny_traces(seed=5)
    for cell in ("sram", "rram"):
        p = resolve(HardwareConfig(activity_mode="average", mem_cell=cell, average_row_activity=0.3))
        a, b = estimate(net, traces, p), estimate(net, shape_traces(net), p)
        assert (a.read_dynamic_energy, a.read_latency, a.area) == (b.read_dynamic_energy, b.read_latency, b.area)
        real = estimate(net, traces, resolve(HardwareConfig(mem_cell=cell)))
        assert real.read_dynamic_energy != a.read_dynamic_energy


def test_estimate_cli_average_mode_without_traces(tmp_path, capsys):
    from pipeline.cli import main

    net = ROOT / "tests" / "data" / "NetWork_ResNet18.csv"
    assert main(["estimate", "--network", str(net), "--set", "activity_mode=average", "--out", str(tmp_path)]) == 0
    assert "TOPS/W" in capsys.readouterr().out and (tmp_path / "chip.parquet").exists()
    assert main(["estimate", "--network", str(net)]) == 2
    assert "--traces is required in activity_mode=real" in capsys.readouterr().err


def test_mc_draws_per_point_share_training_and_skip_deterministic_points():
    from pipeline.flow.plan import Plan

    plan = Plan.build(["train.max_steps=7"], sweep_names=("variation",))
    draws = plan.draws("variation")
    per_point = {}
    for pt, s, ov in draws:
        per_point.setdefault(pt, []).append(s)
        assert ov == pt + ((f"mc_seed={s}",) if s else ())
    for pt, seeds in per_point.items():
        sigma = compose(pt).device.variation_sigma
        assert seeds == (list(range(5)) if sigma > 0 else [0]), pt
    keys = [stage_keys(compose(ov)) for _, _, ov in draws]
    assert len({k["train"] for k in keys}) == 1 and len({k["infer"] for k in keys}) == len(draws) == 32


def test_sweep_report_from_chunks_and_accuracies(tmp_path):
    """The aggregation of a finished sweep (estimates from real chunk jobs, accuracies written here):
    tables, Markdown/HTML report, every plot; MC statistics and the Pareto column in the table."""
    from PIL import Image

    from pipeline.dse.batch import run_chunk
    from pipeline.dse.sweep_report import aggregate_sweep
    from pipeline.flow.plan import Plan

    name = "zz_test_report"
    sweep = ROOT / "conf" / "sweep" / f"{name}.yaml"
    sweep.write_text("base: [device.variation_sigma=0.05]\nparams:\n  array.adc_bits: [3, 5]\n"
                     "  array.rows: [64, 128]\nmc_seeds: 3\n")
    try:
        overrides = [f"results_dir={tmp_path / 'results'}"]
        plan = Plan.build(overrides, sweep_names=(name,))
        results = Path(plan.results_dir)
        pts = plan.sweeps[name][1]
        _, traces = _tiny_traces()
        _write_traces(results, stage_keys(compose(pts[0][1]))["traces"], traces)
        size = plan.chunk_size(name)
        for i, d in enumerate(plan.chunk_dirs(name)):
            run_chunk(name, i, overrides, results, size, Path(d))
        rng = np.random.default_rng(0)
        written = {}
        for pt, s, ov in plan.draws(name):
            keys = stage_keys(compose(ov))
            v = float(rng.uniform(0.3, 0.9))
            written.setdefault(pt, []).append(v * 100)
            schemas.write_table(pa.Table.from_pylist([{"accuracy": v, "loss": 0.1}]),
                                results / "infer" / keys["infer"] / "accuracy.parquet")
            (results / "train" / keys["train"]).mkdir(parents=True, exist_ok=True)
            (results / "train" / keys["train"] / "metrics.json").write_text('{"accuracy": 0.93}')
        out = aggregate_sweep(name, overrides, tmp_path / "report")
    finally:
        sweep.unlink()
    df = pl.read_parquet(out / "sweep.parquet")
    assert df["label"].to_list() == [label for label, _ in pts]
    for (label, pt), row in zip(pts, df.iter_rows(named=True)):
        assert row["mc_draws"] == 3
        assert row["accuracy_pct"] == pytest.approx(np.mean(written[pt]))
        assert row["accuracy_std_pct"] == pytest.approx(np.std(written[pt], ddof=1))
    signed = np.column_stack([df[c].to_numpy() * s for c, s in analysis.PARETO_OBJECTIVES.items()])
    assert df["pareto"].to_list() == _brute_pareto(signed)
    md, html = (out / "sweep.md").read_text(), (out / "sweep.html").read_text()
    assert "Pareto front" in md and "93.00 %" in md and "<table" in html and "pareto.png" in html
    for f in ("pareto", "radar", "heatmap", "metrics", "accuracy_vs_energy"):
        with Image.open(out / f"{f}.png") as im:
            assert len(np.unique(np.asarray(im.convert("L")))) > 20, f


def test_estimate_only_sweep_report(tmp_path):
    """``accuracy: false``: no infer jobs; the front over TOPS/W, area and FPS; plots without accuracy."""
    from PIL import Image

    from pipeline.dse.batch import run_chunk
    from pipeline.dse.sweep_report import aggregate_sweep, report_files
    from pipeline.flow.plan import Plan

    name = "zz_test_estimate_only"
    sweep = ROOT / "conf" / "sweep" / f"{name}.yaml"
    sweep.write_text("params:\n  array.adc_bits: [3, 5]\n  array.rows: [64, 128]\n  tech: [n22, n7]\naccuracy: false\n")
    try:
        overrides = [f"results_dir={tmp_path / 'results'}"]
        plan = Plan.build(overrides, sweep_names=(name,))
        assert plan.draws(name) == [] and not any("/infer/" in f for f in plan.sweep_inputs(name))
        assert "accuracy_vs_energy.png" not in report_files(plan.specs[name])
        results = Path(plan.results_dir)
        _, traces = _tiny_traces()
        _write_traces(results, stage_keys(compose(plan.sweeps[name][1][0][1]))["traces"], traces)
        for i, d in enumerate(plan.chunk_dirs(name)):
            run_chunk(name, i, overrides, results, plan.chunk_size(name), Path(d))
        out = aggregate_sweep(name, overrides, tmp_path / "report")
    finally:
        sweep.unlink()
    df = pl.read_parquet(out / "sweep.parquet")
    assert len(df) == 8 and df["accuracy_pct"].null_count() == 8
    objectives = {k: v for k, v in analysis.PARETO_OBJECTIVES.items() if k != "accuracy_pct"}
    signed = np.column_stack([df[c].to_numpy() * s for c, s in objectives.items()])
    assert df["pareto"].to_list() == _brute_pareto(signed)
    for f in ("pareto", "radar", "heatmap", "metrics"):
        with Image.open(out / f"{f}.png") as im:
            assert len(np.unique(np.asarray(im.convert("L")))) > 20, f
    assert "Estimate-only sweep" in (out / "sweep.md").read_text()
