"""Tidy-table analysis of a sweep with polars: lazy scans of the per-point Parquet files, the
Monte-Carlo accuracy statistics, the Pareto front, per-parameter summaries.

Units in the tables: accuracy in % (``accuracy_pct``, ``accuracy_std_pct``), area in mm^2
(``area_mm2``), energy per image in uJ, latency per image in us, TOPS/W, FPS.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import polars as pl

#: Pareto objectives: column -> +1 maximise, -1 minimise (IEDM'19 Fig. 5's axes but memory utilisation)
PARETO_OBJECTIVES = {"accuracy_pct": 1, "tops_per_w": 1, "area_mm2": -1, "fps": 1}


def scan_points(files: Sequence[str | Path]) -> pl.LazyFrame:
    """The per-point estimate rows (one Parquet file each, written by `pipeline.dse.batch`)."""
    files = [str(f) for f in files]
    if not files:
        raise FileNotFoundError("no per-point estimate files to aggregate")
    return pl.scan_parquet(files)


def scan_accuracy(infer: Sequence[tuple[str, int, str | Path]]) -> pl.LazyFrame:
    """``(point_id, mc_seed, accuracy.parquet)`` triples -> one row per point and draw."""
    ids = pl.LazyFrame({"point_id": [i for i, _, _ in infer], "mc_seed": [s for _, s, _ in infer],
                        "path": [str(p) for _, _, p in infer]})
    acc = pl.scan_parquet([str(p) for _, _, p in infer], include_file_paths="path").select("path", "accuracy")
    # several points may share one infer result (their infer keys agree): join on the file
    return ids.join(acc.unique("path"), on="path", how="left")


def no_accuracy() -> pl.LazyFrame:
    """The accuracy statistics of an estimate-only sweep: none."""
    return pl.LazyFrame(schema={"point_id": pl.String, "accuracy_pct": pl.Float64, "accuracy_std_pct": pl.Float64,
                                "mc_draws": pl.UInt32})


def accuracy_stats(acc: pl.LazyFrame) -> pl.LazyFrame:
    """Mean and sample standard deviation (ddof 1; 0 with a single draw) of the accuracy in %."""
    return (acc.group_by("point_id")
            .agg((pl.col("accuracy").mean() * 100).alias("accuracy_pct"),
                 (pl.col("accuracy").std(ddof=1).fill_null(0.0) * 100).alias("accuracy_std_pct"),
                 pl.len().alias("mc_draws")))


def sweep_table(points: pl.LazyFrame, acc: pl.LazyFrame | None, param_cols: Sequence[str]) -> pl.DataFrame:
    """One row per design point: swept values, figures in report units, accuracy statistics, ``pareto``
    (``acc`` None: an estimate-only sweep, the front over the hardware figures alone)."""
    stats = no_accuracy() if acc is None else accuracy_stats(acc)
    df = (points.join(stats, on="point_id", how="left")
          .with_columns((pl.col("chip_area_um2") / 1e6).alias("area_mm2"),
                        (pl.col("read_dynamic_energy_pJ") / 1e6).alias("energy_uJ"),
                        (pl.col("read_latency_ns") / 1e3).alias("latency_us"))
          .collect())
    order = [c for c in param_cols if c in df.columns]
    objectives = None if acc is not None else {k: v for k, v in PARETO_OBJECTIVES.items() if k != "accuracy_pct"}
    df = df.with_columns(pl.Series("pareto", pareto_mask(df, objectives)))
    first = ["point_id", "label", *order, "accuracy_pct", "accuracy_std_pct", "mc_draws", "tops_per_w", "area_mm2",
             "fps", "energy_uJ", "latency_us", "mem_utilization_pct", "pareto"]
    return df.select(first + [c for c in df.columns if c not in first])


def pareto_mask(df: pl.DataFrame, objectives: dict[str, int] | None = None) -> np.ndarray:
    """True where no other point is at least as good in every objective and better in one.

    Vectorised: objectives are turned into "larger is better", points sorted by the first one
    (descending), and each point compared at once against all the points not after it.  A point
    with a missing value (NaN) is never on the front.
    """
    objectives = objectives or PARETO_OBJECTIVES
    x = np.column_stack([df[c].cast(pl.Float64).to_numpy() * s for c, s in objectives.items()]) \
        if len(df) else np.zeros((0, len(objectives)))
    n = len(x)
    finite = np.isfinite(x).all(axis=1)
    mask = np.zeros(n, dtype=bool)
    order = np.argsort(-np.where(finite, x[:, 0], -np.inf), kind="stable")
    xs = x[order]
    for rank, i in enumerate(order):
        if not finite[i]:
            continue
        # only points with x0 >= this point's x0 can dominate it: those up to the end of its tie group
        end = rank + 1 + int(np.searchsorted(-xs[rank + 1:, 0], -xs[rank, 0], side="right"))
        cand = xs[:end]
        ge = (cand >= xs[rank]).all(axis=1)
        gt = (cand > xs[rank]).any(axis=1)
        mask[i] = not (ge & gt & np.isfinite(cand).all(axis=1)).any()
    return mask


def by_parameter(df: pl.DataFrame, param_cols: Sequence[str]) -> dict[str, pl.DataFrame]:
    """For each swept parameter: the mean (over the other parameters) of the headline figures per level."""
    out = {}
    for p in param_cols:
        out[p] = (df.group_by(p, maintain_order=True)
                  .agg(pl.len().alias("points"), pl.col("accuracy_pct").mean(), pl.col("tops_per_w").mean(),
                       pl.col("area_mm2").mean(), pl.col("fps").mean(), pl.col("pareto").sum().alias("on_front")))
    return out
