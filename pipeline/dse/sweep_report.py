"""A sweep's aggregation: the per-point Parquet files + accuracies -> sweep table (Parquet, CSV),
Markdown + HTML report and PNG plots, in ``results/sweep/<name>/<key>/``."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import polars as pl

from . import analysis, plots

BASE_FILES = ("sweep.parquet", "sweep.csv", "sweep.md", "sweep.html", "metrics.png", "accuracy_vs_energy.png",
              "pareto.png", "radar.png")


def _grid_params(spec) -> list[str]:
    """Parameters a heatmap can show: a grid (not a sample) with at least two multi-level parameters."""
    if spec.sample is not None:
        return []
    multi = [p.name for p in spec.params if len(p.values) > 1]
    return multi if len(multi) >= 2 else []


def report_files(spec) -> list[str]:
    files = [f for f in BASE_FILES if spec.accuracy or f != "accuracy_vs_energy.png"]
    return files + (["heatmap.png"] if _grid_params(spec) else [])


def _typed_params(df: pl.DataFrame, names: Sequence[str]) -> pl.DataFrame:
    """``p:<name>`` string columns -> ``<name>`` columns, integer / float where every value parses."""
    cols = []
    for n in names:
        s = df[f"p:{n}"]
        for dtype in (pl.Int64, pl.Float64):
            c = s.cast(dtype, strict=False)
            if c.null_count() == 0:
                s = c
                break
        cols.append(s.alias(n))
    return df.drop([f"p:{n}" for n in names]).with_columns(cols)


def _digital_accuracy(results_dir: Path, train_keys: Sequence[str]) -> float | None:
    vals = []
    for k in set(train_keys):
        f = results_dir / "train" / k / "metrics.json"
        if f.exists():
            m = json.loads(f.read_text())
            for key in ("test_accuracy", "accuracy", "test_acc"):
                if isinstance(m.get(key), (int, float)):
                    vals.append(float(m[key]))
                    break
    if not vals:
        return None
    v = sum(vals) / len(vals)
    return v * 100 if v <= 1 else v


def build_table(plan, name: str) -> tuple[pl.DataFrame, float | None]:
    """The sweep table of ``name`` from its finished chunk and infer results."""
    from ..flow.plan import compose, stage_keys

    spec = plan.specs[name]
    results = Path(plan.results_dir)
    files = []
    for d in plan.chunk_dirs(name):
        files += sorted(Path(d).glob("*.parquet"))
    points = analysis.scan_points(files)
    infer = []
    train_keys = []
    ids = {p: pid for p, pid in ((pt.overrides, pt.id) for pt in spec.points(plan.base_overrides))}
    for pt, s, ov in plan.draws(name):
        keys = stage_keys(compose(ov))
        infer.append((ids[pt], s, results / "infer" / keys["infer"] / "accuracy.parquet"))
        train_keys.append(keys["train"])
    acc = analysis.scan_accuracy(infer) if infer else None
    df = analysis.sweep_table(points, acc, [f"p:{n}" for n in spec.param_names])
    df = _typed_params(df, spec.param_names)
    want = len(plan.sweeps[name][1])
    if len(df) != want:
        raise FileNotFoundError(f"sweep '{name}': {len(df)} estimated points found in {plan.sweep_dir(name)}/chunks, "
                                f"expected {want}")
    order = {pid: i for i, pid in enumerate(ids.values())}
    df = df.with_columns(pl.col("point_id").replace_strict(order, return_dtype=pl.Int64).alias("_o")) \
        .sort("_o").drop("_o")
    return df, _digital_accuracy(results, train_keys)


def _radar_rows(df: pl.DataFrame, spec) -> pl.DataFrame:
    if spec.radar:
        mask = pl.lit(False)
        for sel in spec.radar:
            cond = pl.lit(True)
            for k, v in sel:
                cond = cond & (pl.col(k).cast(pl.String) == str(v))
            mask = mask | cond
        return df.filter(mask)
    front = df.filter(pl.col("pareto"))
    if len(front) > 8:  # the 8 front designs with the best mean normalised score
        score = plots.radar_values(front).mean(axis=1)
        front = front.with_columns(pl.Series("_s", score)).sort("_s", descending=True).head(8).drop("_s")
    return front


def aggregate_sweep(name: str, overrides: Sequence[str] = (), out_dir: Path | None = None, cores: int = 2) -> Path:
    from ..flow.plan import Plan
    from ..report.render import Column, Document, Figure, Paragraph, Section, Table, write_document

    plan = Plan.build(overrides, sweep_names=(name,), cores=cores)
    spec = plan.specs[name]
    out_dir = Path(out_dir) if out_dir else plan.sweep_dir(name)
    out_dir.mkdir(parents=True, exist_ok=True)
    df, digital = build_table(plan, name)
    from ..flow import schemas

    schemas.write_table(df.to_arrow(), out_dir / "sweep.parquet")
    tmp = out_dir / ".sweep.csv.tmp"
    df.write_csv(tmp)
    tmp.replace(out_dir / "sweep.csv")

    params = spec.param_names
    title = f"sweep '{name}'"
    plots.metrics_plot(df, params, out_dir / "metrics.png", title, digital)
    if spec.accuracy:
        plots.accuracy_energy_plot(df, out_dir / "accuracy_vs_energy.png", title, digital)
    plots.pareto_plot(df, out_dir / "pareto.png", title)
    radar = _radar_rows(df, spec)
    plots.radar_plot(radar, out_dir / "radar.png", f"{title}: " + ("chosen designs" if spec.radar else
                                                                   "Pareto designs"))
    grid = _grid_params(spec)
    if grid:
        plots.heatmap_plot(df, grid, out_dir / "heatmap.png", f"{title}: accuracy and TOPS/W")

    how = (f"{spec.sample.method} sample of n={spec.sample.n} (seed {spec.sample.seed})" if spec.sample
           else "grid product")
    intro = [Paragraph(f"{len(df)} design points ({how} of {', '.join(params)}"
                       + (f"; constraints: {', '.join(spec.constraints)}" if spec.constraints else "")
                       + (f"; base: {' '.join(spec.base)}" if spec.base else "")
                       + (f"; overrides: {' '.join(overrides)}" if overrides else "") + ")."),
             Paragraph((f"Hardware-aware accuracy: {spec.mc_seeds} Monte-Carlo draw(s) of the device variation per "
                        "point with random non-idealities (mean and sample std)."
                        + (f" Digital (no-hardware) accuracy of the trained model: {digital:.2f} %."
                           if digital is not None else "")) if spec.accuracy else
                       "Estimate-only sweep (`accuracy: false`): no hardware-aware inference, accuracy columns empty."),
             Paragraph(f"Pareto front (maximise {'accuracy, ' if spec.accuracy else ''}TOPS/W, FPS; minimise area): "
                       f"{int(df['pareto'].sum())} of "
                       f"{len(df)} points.")]
    if spec.description:
        intro.insert(0, Paragraph(spec.description))
    cols = [Column("label", "design", numeric=False), Column("accuracy_pct", "accuracy", "%"),
            Column("accuracy_std_pct", "std", "%"), Column("tops_per_w", "efficiency", "TOPS/W"),
            Column("area_mm2", "area", "mm2"), Column("fps", "throughput", "FPS"),
            Column("energy_uJ", "energy", "uJ"), Column("latency_us", "latency", "us"),
            Column("mem_utilization_pct", "mem. util.", "%")]
    figures = [Figure("pareto.png", "Pareto front", "front coloured, dominated points grey"),
               Figure("radar.png", "radar", "each axis relative to the best plotted design (IEDM'19 Fig. 5)")]
    if grid:
        figures.append(Figure("heatmap.png", "heatmaps", "accuracy and TOPS/W over the first two parameters"))
    figures.append(Figure("metrics.png", "metrics vs parameter", "digital accuracy dashed; bands: MC mean +- std"))
    if spec.accuracy:
        figures.append(Figure("accuracy_vs_energy.png", "accuracy vs energy"))
    per_param = []
    for p, t in analysis.by_parameter(df, params).items():
        per_param.append(Table([Column(p, p, numeric=False), Column("points", "points", fmt="int"),
                                Column("accuracy_pct", "accuracy", "%"), Column("tops_per_w", "efficiency", "TOPS/W"),
                                Column("area_mm2", "area", "mm2"), Column("fps", "throughput", "FPS"),
                                Column("on_front", "on front", fmt="int")], t.to_dicts(), caption=p))
    rows = df.to_dicts()
    doc = Document(f"Sweep '{name}'", sections=[
        Section("Summary", intro),
        Section("Pareto front", [Table(cols, df.filter(pl.col("pareto")).sort("tops_per_w", descending=True)
                                       .to_dicts())]),
        Section("Plots", figures),
        Section("Per parameter (means over the other parameters)", per_param),
        Section("All design points", [Table(cols + [Column("pareto", "Pareto", numeric=False)], rows)]),
    ])
    write_document(doc, out_dir, "sweep")
    return out_dir
