"""Sweep aggregation: one row per design point (sweep.parquet / .csv / .md) and the sweep plots."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pyarrow as pa

from ..flow import schemas
from .figures import sweep_plots
from .render import atomic_write_text, markdown_table


def aggregate_sweep(name: str, overrides: Sequence[str], out_dir: Path | None = None) -> Path:
    from ..flow.config import compose, stage_keys
    from ..flow.plan import Plan

    plan = Plan.build(overrides, sweep_names=(name,))
    out_dir = Path(out_dir) if out_dir else plan.sweep_dir(name)
    key, points = plan.sweeps[name]
    param = compose(list(overrides) + [f"sweep={name}"]).sweep.param
    rows = []
    for value, pt in points:
        keys = stage_keys(compose(pt))
        est = Path(plan.results_dir) / "estimate" / keys["estimate"]
        inf = Path(plan.results_dir) / "infer" / keys["infer"]
        chip = schemas.read_table(est / "chip.parquet", schemas.CHIP_COLUMNS).to_pylist()[0]
        acc = schemas.read_table(inf / "accuracy.parquet", ("accuracy",)).to_pylist()[0]
        rows.append({"point": value, "param": param, **chip, "accuracy": acc["accuracy"]})
    out_dir.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows)
    schemas.write_table(table, out_dir / "sweep.parquet")
    schemas.write_csv(table, out_dir / "sweep.csv")
    cols = ("point", "accuracy", "chip_area_um2", "read_latency_ns", "read_dynamic_energy_pJ", "tops_per_w",
            "tops", "fps")
    atomic_write_text(out_dir / "sweep.md", f"# Sweep '{name}' over {param}\n\n" + markdown_table(rows, cols))
    sweep_plots(rows, param, out_dir)
    return out_dir
