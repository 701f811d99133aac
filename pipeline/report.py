"""Report stage and sweep aggregation: tables (Parquet + CSV), Markdown/HTML summaries, PNG plots.

Figures come only from the estimate/infer/floorplan tables (report units, see `pipeline.schemas`).
"""
from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pyarrow as pa  # noqa: E402

from . import schemas  # noqa: E402


def _fmt(v) -> str:
    if isinstance(v, float):
        if v == 0 or not math.isfinite(v):
            return str(v)
        return f"{v:.4g}"
    return str(v)


def markdown_table(rows: list[dict], columns: Sequence[str]) -> str:
    head = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    return head + "".join("| " + " | ".join(_fmt(r.get(c, "")) for c in columns) + " |\n" for r in rows)


def _atomic_savefig(fig, path: Path) -> None:
    tmp = path.with_name(f".{path.stem}.tmp.png")
    fig.savefig(tmp, dpi=110, bbox_inches="tight")
    plt.close(fig)
    tmp.replace(path)


def _atomic_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    tmp.replace(path)


def _label(row) -> str:
    return str(row.get("name") or row["layer"]).rstrip("_")


def breakdown_plot(layers: list[dict], chip: dict, path: Path, title: str = "") -> None:
    """Stacked per-layer latency and energy breakdowns (ADC / accumulation / other) + chip area breakdown."""
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), layout="constrained")
    names = [_label(r) for r in layers]
    x = range(len(layers))
    parts = (("adc", "ADC"), ("accum", "accumulation"), ("other", "other"))
    # (table quantity, its unit, plotted unit, scale to the plotted unit, panel title)
    for ax, (kind, unit, shown, scale, panel) in zip(axes[:2], (
            ("read_latency", "ns", "us", 1e-3, "read latency per layer"),
            ("read_dynamic_energy", "pJ", "nJ", 1e-3, "read dynamic energy per layer"))):
        bottom = [0.0] * len(layers)
        for key, label in parts:
            vals = [float(r[f"{key}_{kind}_{unit}"]) * scale for r in layers]
            ax.bar(x, vals, bottom=bottom, label=label)
            bottom = [b + v for b, v in zip(bottom, vals)]
        ax.set_xticks(list(x), names, rotation=45, ha="right")
        ax.set_ylabel(f"{kind.replace('_', ' ')} ({shown})")
        ax.set_title(panel)
        ax.grid(axis="y", alpha=0.3)
        ax.legend()
    area_parts = (("area_cim_array_um2", "CIM array"), ("area_adc_um2", "ADC"), ("area_accum_um2", "accumulation"),
                  ("area_ic_um2", "interconnect"), ("area_other_um2", "other"))
    axes[2].bar([lbl for _, lbl in area_parts], [float(chip[k]) / 1e6 for k, _ in area_parts],
                color=["C0", "C1", "C2", "C3", "C4"])
    axes[2].set_ylabel("area (mm$^2$)")
    axes[2].set_title(f"chip area breakdown (total {float(chip['chip_area_um2']) / 1e6:.3g} mm$^2$)")
    axes[2].tick_params(axis="x", rotation=30)
    axes[2].grid(axis="y", alpha=0.3)
    fig.suptitle(title or "neurosim-flow estimate: breakdowns")
    _atomic_savefig(fig, path)


def write_report(flow, out_dir: Path, estimate_dir: Path, infer_dir: Path, floorplan_dir: Path) -> None:
    layers = schemas.read_table(estimate_dir / "layers.parquet", schemas.LAYER_COLUMNS).to_pylist()
    chip = schemas.read_table(estimate_dir / "chip.parquet", schemas.CHIP_COLUMNS).to_pylist()[0]
    acc = schemas.read_table(infer_dir / "accuracy.parquet", ("accuracy", "loss")).to_pylist()[0]
    fp = schemas.read_table(floorplan_dir / "floorplan.parquet", schemas.FLOORPLAN_COLUMNS).to_pylist()
    out_dir.mkdir(parents=True, exist_ok=True)
    hw = flow.hardware()
    breakdown_plot(layers, chip, out_dir / "breakdown.png",
                   title=f"{flow.network.name} x{flow.network.width_mult} on {hw.mem_cell.upper()} "
                         f"{hw.tech_node_nm} nm, {int(math.log2(hw.level_output))}-bit ADC: "
                         f"{chip['tops_per_w']:.3g} TOPS/W, {chip['fps']:,.0f} FPS, "
                         f"hardware-aware accuracy {acc['accuracy'] * 100:.1f} %")
    headline = {
        "accuracy (hardware-aware)": f"{acc['accuracy'] * 100:.2f} %",
        "chip area": f"{chip['chip_area_um2'] / 1e6:.4g} mm^2",
        "clock period": f"{chip['clk_period_ns']:.4g} ns",
        "latency per image": f"{chip['read_latency_ns'] / 1e3:.4g} us",
        "dynamic energy per image": f"{chip['read_dynamic_energy_pJ'] / 1e6:.4g} uJ",
        "leakage power": f"{chip['leakage_power_uW']:.4g} uW",
        "energy efficiency": f"{chip['tops_per_w']:.4g} TOPS/W",
        "throughput": f"{chip['tops']:.4g} TOPS, {chip['fps']:.4g} FPS",
        "compute density": f"{chip['tops_per_mm2']:.4g} TOPS/mm^2",
        "memory utilisation": f"{chip['mem_utilization_pct']:.4g} %",
    }
    design = (f"{hw.mem_cell.upper()} {hw.tech_node_nm} nm {hw.roadmap.upper()}, {hw.num_row_subarray}x"
              f"{hw.num_col_subarray} subarrays, {int(math.log2(hw.level_output))}-bit {hw.adc_type.upper()} ADC, "
              f"cellBit {hw.cell_bit}, {hw.operation_mode.replace('_', ' ')}, "
              f"{'novel' if hw.novel_mapping else 'conventional'} mapping, "
              f"{'pipelined' if hw.pipeline else 'layer-by-layer'}, {hw.global_bus} global bus")
    layer_cols = ("layer", "name", "num_tiles", "speedup", "utilization", "read_latency_ns",
                  "read_dynamic_energy_pJ", "leakage_power_uW", "adc_read_dynamic_energy_pJ",
                  "accum_read_dynamic_energy_pJ", "other_read_dynamic_energy_pJ")
    md = ["# neurosim-flow report", "", f"Design: {design}.", "",
          f"Network: {flow.network.name} (width x{flow.network.width_mult}), data: {flow.data.name}, "
          f"W/A bits {flow.train.wl_weight}/{flow.train.wl_activate}.", "", "## Headline", "",
          markdown_table([{"figure": k, "value": v} for k, v in headline.items()], ("figure", "value")), "",
          "## Per layer", "", markdown_table(layers, layer_cols), "", "## Chip", "",
          markdown_table([{"figure": k, "value": chip[k]} for k in schemas.CHIP_COLUMNS], ("figure", "value")), "",
          "## Floorplan", "", markdown_table(fp, schemas.FLOORPLAN_COLUMNS), "",
          "## Breakdowns", "", "![breakdowns](breakdown.png)", ""]
    text = "\n".join(md)
    _atomic_text(out_dir / "report.md", text)
    _atomic_text(out_dir / "report.html", markdown_to_html(text, title="neurosim-flow report"))


def markdown_to_html(text: str, title: str) -> str:
    """Tiny converter for the subset the reports use (headings, tables, images, paragraphs)."""
    out, in_table = [], False
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if set("".join(cells)) <= {"-"}:
                continue
            if not in_table:
                out.append("<table>")
                in_table = True
                out.append("<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in cells) + "</tr>")
            else:
                out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
            continue
        if in_table:
            out.append("</table>")
            in_table = False
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            out.append(f"<h{level}>{html.escape(line.lstrip('#').strip())}</h{level}>")
        elif line.startswith("!["):
            alt, src = line[2:].split("](", 1)
            out.append(f'<img alt="{html.escape(alt)}" src="{html.escape(src.rstrip(")"))}" style="max-width:100%">')
        elif line.strip():
            out.append(f"<p>{html.escape(line)}</p>")
    if in_table:
        out.append("</table>")
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}"
             "td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{style}</style></head><body>\n" + "\n".join(out) + "\n</body></html>\n")


# ---------------------------------------------------------------------------------------------
# sweeps
# ---------------------------------------------------------------------------------------------
def aggregate_sweep(name: str, overrides: Sequence[str], out_dir: Path | None = None) -> Path:
    from .config import compose, stage_keys
    from .plan import Plan

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
    _atomic_text(out_dir / "sweep.md", f"# Sweep '{name}' over {param}\n\n" + markdown_table(rows, cols))
    sweep_plots(rows, param, out_dir)
    return out_dir


def sweep_plots(rows: list[dict], param: str, out_dir: Path) -> None:
    labels = [r["point"] for r in rows]
    metrics = (("tops_per_w", "TOPS/W", 1.0), ("read_latency_ns", "latency per image (us)", 1e-3),
               ("chip_area_um2", "chip area (mm$^2$)", 1e-6),
               ("read_dynamic_energy_pJ", "energy per image (uJ)", 1e-6),
               ("fps", "FPS", 1.0), ("accuracy", "hardware-aware accuracy (%)", 100.0))
    fig, axes = plt.subplots(2, 3, figsize=(14, 7))
    for ax, (key, label, scale) in zip(axes.ravel(), metrics):
        ax.plot(range(len(rows)), [float(r[key]) * scale for r in rows], "o-")
        ax.set_xticks(range(len(rows)), labels)
        ax.set_xlabel(param)
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    fig.suptitle(f"sweep over {param}")
    fig.tight_layout()
    _atomic_savefig(fig, out_dir / "metrics.png")
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot([float(r["read_dynamic_energy_pJ"]) / 1e6 for r in rows], [float(r["accuracy"]) * 100 for r in rows],
            "o-")
    for r in rows:
        ax.annotate(r["point"], (float(r["read_dynamic_energy_pJ"]) / 1e6, float(r["accuracy"]) * 100),
                    textcoords="offset points", xytext=(4, 4))
    ax.set_xlabel("dynamic energy per image (uJ)")
    ax.set_ylabel("hardware-aware accuracy (%)")
    ax.set_title(f"accuracy vs energy ({param})")
    ax.grid(alpha=0.3)
    _atomic_savefig(fig, out_dir / "accuracy_vs_energy.png")
