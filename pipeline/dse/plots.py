"""Sweep plots: Pareto scatter, radar chart, heatmaps of two-parameter grids, metrics vs a parameter.

All figures read the sweep table (`pipeline.dse.analysis.sweep_table`, report units, accuracy in %).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

GREY = "#b0b0b0"
FRONT = "C3"


def _save(fig, path: Path) -> None:
    tmp = path.with_name(f".{path.stem}.tmp.png")
    fig.savefig(tmp, dpi=110, bbox_inches="tight")
    plt.close(fig)
    tmp.replace(path)


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def has_accuracy(df: pl.DataFrame) -> bool:
    """False for an estimate-only sweep (no hardware-aware inference: accuracy columns empty)."""
    return "accuracy_pct" in df.columns and df["accuracy_pct"].null_count() < len(df)


def _std_max(df: pl.DataFrame) -> float:
    return float(df["accuracy_std_pct"].max() or 0.0) if "accuracy_std_pct" in df.columns else 0.0


def pareto_plot(df: pl.DataFrame, path: Path, title: str) -> None:
    """Three projections of the 4-objective front; front points coloured and labelled, the rest grey."""
    first = (("tops_per_w", "accuracy_pct", "energy efficiency (TOPS/W)", "accuracy (%)") if has_accuracy(df)
             else ("tops_per_w", "fps", "energy efficiency (TOPS/W)", "throughput (FPS)"))
    pairs = (first,
             ("area_mm2", "fps", "chip area (mm$^2$)", "throughput (FPS)"),
             ("area_mm2", "tops_per_w", "chip area (mm$^2$)", "energy efficiency (TOPS/W)"))
    front = df["pareto"].to_numpy()
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8), layout="constrained")
    labels = df["label"].to_list()
    for ax, (xc, yc, xl, yl) in zip(axes, pairs):
        x, y = df[xc].to_numpy(), df[yc].to_numpy()
        ax.scatter(x[~front], y[~front], c=GREY, s=22, label=f"dominated ({int((~front).sum())})")
        ax.scatter(x[front], y[front], c=FRONT, s=40, edgecolors="k", linewidths=0.5,
                   label=f"Pareto front ({int(front.sum())})", zorder=3)
        if yc == "accuracy_pct" and _std_max(df) > 0:
            ax.errorbar(x, y, yerr=df["accuracy_std_pct"].to_numpy(), fmt="none", ecolor=GREY, elinewidth=0.8)
        if front.sum() <= 12:
            for i in np.flatnonzero(front):
                ax.annotate(labels[i], (x[i], y[i]), textcoords="offset points", xytext=(4, 3), fontsize=7)
        if xc == "area_mm2":
            ax.set_xscale("log")
        ax.set_xlabel(xl)
        ax.set_ylabel(yl)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    over = "accuracy, TOPS/W, area and FPS" if has_accuracy(df) else "TOPS/W, area and FPS (estimate-only sweep)"
    fig.suptitle(f"{title}: Pareto front over {over} (three projections)")
    _save(fig, path)


RADAR_AXES = (("accuracy_pct", "accuracy", 1), ("mem_utilization_pct", "memory utilisation", 1),
              ("area_mm2", "area (inverse)", -1), ("tops_per_w", "TOPS/W", 1), ("fps", "FPS", 1))


def radar_axes(df: pl.DataFrame):
    return RADAR_AXES if has_accuracy(df) else RADAR_AXES[1:]


def radar_values(df: pl.DataFrame) -> np.ndarray:
    """IEDM'19 Fig. 5 normalisation: each axis relative to the best of the plotted designs (1 = best;
    larger-is-better figures as value / max, area as min / value, so the outer ring is best)."""
    cols = []
    for col, _, sense in radar_axes(df):
        v = df[col].cast(pl.Float64).to_numpy()
        cols.append(v / np.nanmax(v) if sense > 0 else np.nanmin(v) / v)
    return np.column_stack(cols)


def radar_plot(df: pl.DataFrame, path: Path, title: str) -> None:
    vals = radar_values(df)
    axes_used = radar_axes(df)
    n = len(axes_used)
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False)
    fig = plt.figure(figsize=(7.5, 6.5))
    ax = fig.add_subplot(111, polar=True)
    for i, label in enumerate(df["label"].to_list()):
        v = np.append(vals[i], vals[i][0])
        a = np.append(ang, ang[0])
        ax.plot(a, v, "-o", ms=3, lw=1.4, label=label)
        ax.fill(a, v, alpha=0.06)
    ax.set_xticks(ang, [lbl for _, lbl, _ in axes_used])
    ax.set_ylim(0, 1.05)
    ax.set_yticks([0.25, 0.5, 0.75, 1.0], ["0.25", "0.5", "0.75", "1"], fontsize=7)
    ax.legend(loc="upper left", bbox_to_anchor=(1.05, 1.0), fontsize=8)
    ax.set_title(f"{title}\n(each axis / best of these designs; area inverted: outer = better)", fontsize=10)
    _save(fig, path)


def heatmap_plot(df: pl.DataFrame, params: Sequence[str], path: Path, title: str, metrics=None) -> None:
    """Metric over params[0] (x) x params[1] (y), one column of panels per level of params[2]
    (IEDM'19 Fig. 4); further parameters are averaged over.  Blank cells: no design point (constraints)."""
    metrics = metrics or ((("accuracy_pct", "accuracy (%)"),) if has_accuracy(df) else
                          (("area_mm2", "area (mm$^2$)"),)) + (("tops_per_w", "TOPS/W"),)
    px, py = params[0], params[1]
    facets = sorted(df[params[2]].unique().to_list()) if len(params) > 2 else [None]
    xs, ys = sorted(df[px].unique().to_list()), sorted(df[py].unique().to_list())
    fig, axes = plt.subplots(len(metrics), len(facets), figsize=(3.6 * len(facets) + 1.2, 3.2 * len(metrics)),
                             squeeze=False, layout="constrained")
    for r, (col, lbl) in enumerate(metrics):
        sub_all = df.group_by([c for c in (px, py, params[2] if len(params) > 2 else None) if c]) \
            .agg(pl.col(col).mean())
        vmin, vmax = sub_all[col].min(), sub_all[col].max()
        for c, f in enumerate(facets):
            sub = sub_all if f is None else sub_all.filter(pl.col(params[2]) == f)
            grid = np.full((len(ys), len(xs)), np.nan)
            for row in sub.iter_rows(named=True):
                grid[ys.index(row[py]), xs.index(row[px])] = row[col]
            ax = axes[r][c]
            im = ax.imshow(grid, origin="lower", cmap="viridis", vmin=vmin, vmax=vmax, aspect="auto")
            for (i, j), v in np.ndenumerate(grid):
                if np.isfinite(v):
                    ax.text(j, i, f"{v:.3g}", ha="center", va="center", fontsize=7,
                            color="w" if v < (vmin + vmax) / 2 else "k")
            ax.set_xticks(range(len(xs)), [str(x) for x in xs])
            ax.set_yticks(range(len(ys)), [str(y) for y in ys])
            ax.set_xlabel(_short(px))
            ax.set_ylabel(_short(py))
            ax.set_title(f"{lbl}" + ("" if f is None else f", {_short(params[2])}={f}"), fontsize=9)
        fig.colorbar(im, ax=axes[r].tolist(), shrink=0.85, label=lbl)
    extra = params[3:]
    fig.suptitle(title + (f" (mean over {', '.join(map(_short, extra))})" if extra else ""))
    _save(fig, path)


METRICS = (("accuracy_pct", "hardware-aware accuracy (%)"), ("tops_per_w", "energy efficiency (TOPS/W)"),
           ("area_mm2", "chip area (mm$^2$)"), ("fps", "throughput (FPS)"), ("energy_uJ", "energy per image (uJ)"),
           ("latency_us", "latency per image (us)"))


def _is_numeric(s: pl.Series) -> bool:
    return s.dtype.is_numeric()


def metrics_plot(df: pl.DataFrame, params: Sequence[str], path: Path, title: str,
                 digital_pct: float | None = None) -> None:
    """Each metric vs the first parameter; one line per level of the second parameter (up to 6, else
    points); accuracy with its Monte-Carlo band (mean +- std) and the digital accuracy as a dashed line."""
    px = params[0]
    group = params[1] if len(params) > 1 and df[params[1]].n_unique() <= 6 else None
    xs = sorted(df[px].unique().to_list())
    numeric = _is_numeric(df[px])
    pos = {x: (x if numeric else i) for i, x in enumerate(xs)}
    metrics = METRICS if has_accuracy(df) else (("mem_utilization_pct", "memory utilisation (%)"),) + METRICS[1:]
    fig, axes = plt.subplots(2, 3, figsize=(15, 7.5), layout="constrained")
    levels = sorted(df[group].unique().to_list()) if group else [None]
    for ax, (col, lbl) in zip(axes.ravel(), metrics):
        for k, lev in enumerate(levels):
            sub = df if lev is None else df.filter(pl.col(group) == lev)
            agg = sub.group_by(px).agg(pl.col(col).mean(), pl.col("accuracy_std_pct").mean().alias("_std")) \
                .sort(px)
            x = np.array([pos[v] for v in agg[px].to_list()], dtype=float)
            y = agg[col].to_numpy()
            name = None if lev is None else f"{_short(group)}={lev}"
            ax.plot(x, y, "o-", color=f"C{k}", label=name, ms=4)
            if col == "accuracy_pct":
                s = agg["_std"].to_numpy()
                if np.isfinite(s).any() and np.nanmax(s) > 0:
                    ax.fill_between(x, y - s, y + s, color=f"C{k}", alpha=0.18, lw=0)
            if len(sub) > len(agg):  # several points per x (other parameters): show them faintly
                ax.scatter([pos[v] for v in sub[px].to_list()], sub[col].to_numpy(), s=8, color=f"C{k}", alpha=0.3)
        if col == "accuracy_pct" and digital_pct is not None and has_accuracy(df):
            ax.axhline(digital_pct, color="k", ls="--", lw=1, label=f"digital {digital_pct:.1f} %")
        if col in ("area_mm2", "fps", "energy_uJ", "latency_us") and df[col].min() > 0 \
                and df[col].max() / df[col].min() > 30:
            ax.set_yscale("log")
        if not numeric:
            ax.set_xticks(list(range(len(xs))), [str(x) for x in xs])
        elif len(xs) <= 12:
            if min(xs) > 0 and max(xs) / min(xs) >= 8:
                ax.set_xscale("log", base=2)
            ax.set_xticks(xs, [str(x) for x in xs])
            ax.minorticks_off()
        ax.set_xlabel(_short(px))
        ax.set_ylabel(lbl)
        ax.grid(alpha=0.3)
        if ax is axes[0][0] and (group or digital_pct is not None):
            ax.legend(fontsize=8)
    band = " (band: Monte-Carlo mean +- std)" if _std_max(df) > 0 else ""
    fig.suptitle(f"{title}: metrics vs {px}" + (f", lines per {group}" if group else "") + band)
    _save(fig, path)


def accuracy_energy_plot(df: pl.DataFrame, path: Path, title: str, digital_pct: float | None = None) -> None:
    fig, ax = plt.subplots(figsize=(6.5, 4.8))
    front = df["pareto"].to_numpy()
    x, y = df["energy_uJ"].to_numpy(), df["accuracy_pct"].to_numpy()
    ax.errorbar(x, y, yerr=df["accuracy_std_pct"].to_numpy(), fmt="none", ecolor=GREY, elinewidth=0.8)
    ax.scatter(x[~front], y[~front], c=GREY, s=20, label="dominated")
    ax.scatter(x[front], y[front], c=FRONT, s=36, edgecolors="k", linewidths=0.5, label="Pareto front", zorder=3)
    if len(df) <= 12:
        for lbl, xi, yi in zip(df["label"].to_list(), x, y):
            ax.annotate(lbl, (xi, yi), textcoords="offset points", xytext=(4, 3), fontsize=7)
    if digital_pct is not None:
        ax.axhline(digital_pct, color="k", ls="--", lw=1, label=f"digital {digital_pct:.1f} %")
    ax.set_xscale("log" if x.min() > 0 and x.max() / x.min() > 30 else "linear")
    ax.set_xlabel("dynamic energy per image (uJ)")
    ax.set_ylabel("hardware-aware accuracy (%)")
    ax.set_title(f"{title}: accuracy vs energy")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    _save(fig, path)
