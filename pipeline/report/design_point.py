"""The design-point report (``report`` stage): ``report.md``, ``report.html`` and its PNG figures.

Built from the stage outputs only (see `content` for what is computed and what the estimator does
not split).  Figures: ``breakdown.png`` (per-layer latency/energy parts, chip area parts),
``shares.png`` (shares of total area, energy, latency), ``training_curve.png``.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Mapping

import pyarrow.parquet as pq
import yaml

from ..flow import schemas
from . import content
from .figures import breakdown_plot, shares_plot, training_curve_plot
from .render import (BulletList, Column, Document, Figure, KeyValues, Paragraph, Section, Table, fmt_number,
                     write_document)

#: the PNG files the report stage writes next to report.md / report.html
FIGURES = ("breakdown.png", "shares.png", "training_curve.png")


# ---------------------------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------------------------
def _read_yaml(path: Path) -> dict:
    try:
        return yaml.safe_load(Path(path).read_text()) or {}
    except (OSError, yaml.YAMLError):
        return {}


def _net_rows(traces_dir: Path | None, n_layers: int) -> list[dict]:
    """Name and NetWork.csv shape of each layer, read from the traces table (those columns only)."""
    if traces_dir is None:
        return [{c: None for c in schemas.NET_COLUMNS} for _ in range(n_layers)]
    path = Path(traces_dir) / "traces.parquet"
    cols = ["name", *schemas.NET_COLUMNS]
    if not path.exists():
        raise schemas.SchemaError(f"{path}: file not found")
    try:
        rows = pq.read_table(path, columns=cols).to_pylist()
    except Exception as exc:  # corrupted / missing columns
        raise schemas.SchemaError(f"{path}: cannot read columns {', '.join(cols)} "
                                  f"({' '.join(str(exc).split())})") from None
    if len(rows) != n_layers:
        raise schemas.SchemaError(f"{path}: {len(rows)} layers, but the estimate has {n_layers}")
    return rows


def _train_metrics(train_dir: Path | None) -> dict:
    if train_dir is None:
        return {}
    path = Path(train_dir) / "metrics.json"
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise schemas.SchemaError(f"{path}: file not found") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise schemas.SchemaError(f"{path}: not a readable metrics file ({' '.join(str(exc).split())})") from None


# ---------------------------------------------------------------------------------------------
# the design line and configuration
# ---------------------------------------------------------------------------------------------
def _si(value: float, unit: str) -> str:
    """1.7e6, 'ohm' -> '1.7 Mohm'."""
    if value is None:
        return "n/a"
    v = float(value)
    for factor, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "u"), (1e-9, "n"),
                           (1e-12, "p")):
        if abs(v) >= factor or v == 0:
            return f"{v / factor:.4g} {prefix}{unit}"
    return f"{v:.4g} {unit}"


def _compat(flow, hw) -> str:
    from neurosim_core import quirks

    for obj in (hw, flow):
        value = getattr(obj, "compat", None)
        if value:
            return str(value)
    return f"{quirks.DEFAULT_COMPAT} (default)"


def design_facts(flow, provenance: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The design as the estimator resolved it (e.g. SRAM cells are 1 bit whatever ``array.cell_bit``
    says; the per-node default read voltage), plus the code version it was estimated with."""
    from neurosim_core.params import resolve

    from ..flow.stages import code_version

    hw = flow.hardware()
    p = resolve(hw)
    prov = dict(code_version())
    prov.update({k: v for k, v in (provenance or {}).items() if k in ("package_version", "git_commit") and v})
    adc_bits = int(round(math.log2(p.level_output)))
    cell = hw.mem_cell.upper()
    if hw.mem_cell == "sram":
        device = f"SRAM cell {p.height_in_feature_size_sram:g}F x {p.width_in_feature_size_sram:g}F"
    else:
        device = (f"{cell} {'1T1R' if hw.access == 'cmos' else 'crossbar'}, R_on {_si(hw.resistance_on_ohm, 'ohm')}, "
                  f"R_off {_si(hw.resistance_off_ohm, 'ohm')} (on/off {hw.resistance_off_ohm / hw.resistance_on_ohm:.3g}), "
                  f"{p.cell_bit}-bit cells, read {p.read_voltage:.3g} V / {_si(hw.read_pulse_width_s, 's')}")
    d = flow.device
    nonideal = (f"variation sigma {d.variation_sigma:g}, drift {d.drift_time_s:g} s (nu {d.drift_nu:g}), "
                f"stuck-at fraction {d.stuck_at_fraction:g}")
    return {
        "network": f"{flow.network.name} x{flow.network.width_mult:g}",
        "cell": cell,
        "data": flow.data.name,
        "precision": f"W{flow.train.wl_weight}/A{flow.train.wl_activate} ({flow.train.mode})",
        "device": device,
        "nonideal": nonideal,
        "technology": f"{p.technode} nm {hw.roadmap.upper()}, {hw.temperature_k} K",
        "array": (f"{hw.num_row_subarray}x{hw.num_col_subarray} subarrays, "
                  f"{'parallel' if p.parallel_read else 'sequential'} read of {p.num_row_parallel} rows, "
                  f"{adc_bits}-bit {hw.adc_type.upper()} ADC"
                  f"{'' if hw.adc_type == 'sar' else (' (current mode)' if hw.current_mode else ' (voltage mode)')}, "
                  f"column mux {p.num_col_muxed}"),
        "chip": (f"{'novel' if hw.novel_mapping else 'conventional'} mapping, "
                 f"{'pipelined' if hw.pipeline else 'layer-by-layer'} (speed-up degree {hw.speedup_degree}), "
                 f"{'H-tree' if hw.global_bus == 'htree' else 'X-Y bus'}, "
                 f"{'synchronous' if hw.synchronous else 'asynchronous'} at {_si(hw.clk_freq_hz, 'Hz')} requested, "
                 f"{'validated (post-layout calibration)' if hw.validated else 'not calibrated'}"),
        "estimate_mode": flow.estimate_mode,
        "compat": _compat(flow, hw),
        "package_version": prov["package_version"],
        "git_commit": prov["git_commit"],
        "zeta": p.zeta if hw.validated else None,
    }


def design_line(facts: Mapping[str, Any], clock_ns: float | None) -> str:
    clock = f"clock {clock_ns:.4g} ns" if clock_ns else "clock n/a"
    return (f"{facts['network']} on {facts['data']}, {facts['precision']} | {facts['device']} | "
            f"{facts['technology']} | {facts['array']} | {facts['chip']}, {clock} | {facts['nonideal']} | "
            f"estimate mode {facts['estimate_mode']}, compat {facts['compat']} | "
            f"neurosim-flow {facts['package_version']}, commit {facts['git_commit']}")


# ---------------------------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------------------------
_UNIT_SUFFIXES = {"um2": "um^2", "ns": "ns", "pJ": "pJ", "uW": "uW", "pct": "%"}
_UNITLESS = {"tops_per_w": "TOPS/W", "tops": "TOPS", "fps": "images/s", "tops_per_mm2": "TOPS/mm^2"}


def _split_unit(column: str) -> tuple[str, str]:
    """``read_latency_ns`` -> (``read latency``, ``ns``); ``fps`` -> (``fps``, ``images/s``)."""
    if column in _UNITLESS:
        return column.replace("_", " "), _UNITLESS[column]
    head, _, suffix = column.rpartition("_")
    if head and suffix in _UNIT_SUFFIXES:
        return head.replace("_", " "), _UNIT_SUFFIXES[suffix]
    return column.replace("_", " "), ""


def build_document(flow, layers: list[dict], chip: dict, acc: dict, fp: list[dict], net_rows: list[dict],
                   train: dict, provenance: Mapping | None = None) -> tuple[Document, dict]:
    """The report `Document` and the data its figures need."""
    facts = design_facts(flow, provenance)
    accf = content.accuracy_figures(acc)
    rows = content.layer_table_rows(layers, net_rows, facts["zeta"])
    share = content.shares(chip, layers)
    line = design_line(facts, chip.get("clk_period_ns"))
    notes: list[str] = []

    # headline
    energy_total = float(chip["read_dynamic_energy_pJ"]) + float(chip["leakage_energy_pJ"])
    headline = [
        ("accuracy, hardware-aware", f"{100 * accf['hw']:.2f} %"),
        ("accuracy, digital (no hardware model)", "n/a (re-run the infer stage)" if accf["digital"] is None
         else f"{100 * accf['digital']:.2f} %"),
        ("accuracy drop", "n/a" if accf["drop_points"] is None else f"{accf['drop_points']:.2f} percentage points"),
        ("test images", fmt_number(accf["n_images"], "int")),
        ("chip area", f"{chip['chip_area_um2'] / 1e6:.4g} mm^2"),
        ("clock period", f"{chip['clk_period_ns']:.4g} ns"),
        ("latency per image", f"{chip['read_latency_ns'] / 1e3:.4g} us"
         + (" (pipeline system cycle: the slowest layer)" if flow.chip.pipeline else " (sum over layers)")),
        ("energy per image", f"{energy_total / 1e6:.4g} uJ (dynamic {chip['read_dynamic_energy_pJ'] / 1e6:.4g} uJ, "
                             f"leakage {chip['leakage_energy_pJ'] / 1e6:.4g} uJ)"),
        ("leakage power", f"{chip['leakage_power_uW']:.4g} uW"),
        ("energy efficiency", f"{chip['tops_per_w']:.4g} TOPS/W"),
        ("throughput", f"{chip['tops']:.4g} TOPS, {chip['fps']:,.0f} images/s"),
        ("compute density", f"{chip['tops_per_mm2']:.4g} TOPS/mm^2"),
        ("memory utilisation", f"{chip['mem_utilization_pct']:.4g} %"),
    ]
    if train:
        headline.insert(4, ("training", f"{train.get('steps', 'n/a')} steps, {train.get('mode', '')} on "
                                        f"{train.get('device', 'n/a')}, digital test accuracy at the end of training "
                                        f"{100 * float(train['accuracy']):.2f} %" if train.get("accuracy") is not None
                            else f"{train.get('steps', 'n/a')} steps"))

    # shares
    share_table = Table([
        Column("part", "part", numeric=False),
        Column("area", "area", "mm^2", 1e-6), Column("area_share", "area share", "%", fmt="pct"),
        Column("energy", "energy per image", "nJ", 1e-3), Column("energy_share", "energy share", "%", fmt="pct"),
        Column("latency", "latency, summed over layers", "us", 1e-3),
        Column("latency_share", "latency share", "%", fmt="pct"),
    ], share["rows"], caption="n/a: the estimator does not report that part for that quantity")
    notes += share["notes"]

    # per layer
    has_area = all("tile_area_um2" in r for r in layers)
    layer_cols = [
        Column("layer", "#", fmt="int"),
        Column("label", "layer", numeric=False),
        Column("raw_name", "id", numeric=False),
        Column("input", "input HxWxC", numeric=False),
        Column("op", "operation", numeric=False),
        Column("macs", "MACs", "per image", fmt="int"),
        Column("num_tiles", "tiles", fmt="int"),
        Column("speedup", "speed-up", "x", fmt="int"),
        Column("utilization", "utilisation", "%", fmt="pct"),
    ]
    if has_area:
        layer_cols.append(Column("tile_area_um2", "area", "mm^2", 1e-6))
    else:
        notes.append("per-layer area: the estimate stage of these results predates the per-layer area column; "
                     "re-run it to get one")
    layer_cols += [
        Column("read_latency_ns", "latency", "us", 1e-3),
        Column("read_dynamic_energy_pJ", "dynamic energy", "nJ", 1e-3),
        Column("leakage_energy_pJ", "leakage energy", "nJ", 1e-3),
        Column("tops_per_w", "efficiency", "TOPS/W"),
    ]
    layer_table = Table(layer_cols, rows)
    latency_parts = Table([Column("label", "layer", numeric=False)]
                          + [Column(f"{key}_latency_ns", label, "ns") for key, label in content.LATENCY_ENERGY_PARTS]
                          + [Column("read_latency_ns", "total", "ns")], rows,
                          caption="read latency by part (ns)")
    energy_parts = Table([Column("label", "layer", numeric=False)]
                         + [Column(f"{key}_energy_pJ", label, "pJ") for key, label in content.LATENCY_ENERGY_PARTS]
                         + [Column("read_dynamic_energy_pJ", "total", "pJ")], rows,
                         caption="read dynamic energy by part (pJ)")
    total_macs = sum(r["macs"] for r in rows) if all(r["macs"] is not None for r in rows) else None
    sums = [f"MACs {fmt_number(total_macs, 'int')} per image",
            f"tiles {sum(int(r['num_tiles']) for r in rows)}"]
    if has_area:
        tiles_area = sum(float(r["tile_area_um2"]) for r in rows)
        sums.append(f"tile area {tiles_area / 1e6:.4g} mm^2 of the chip's {chip['chip_area_um2'] / 1e6:.4g} mm^2 "
                    f"({100 * tiles_area / chip['chip_area_um2']:.1f} %; the rest is the chip-level global buffer, "
                    "bus, pooling, accumulation and activation)")
    sums.append(f"dynamic energy {sum(float(r['read_dynamic_energy_pJ']) for r in rows) / 1e3:.4g} nJ "
                f"(chip: {chip['read_dynamic_energy_pJ'] / 1e3:.4g} nJ)")

    # floorplan
    fp_rows = []
    for r, lr in zip(fp, rows):
        fp_rows.append({**r, "label": lr["label"]})
    fp_table = Table([
        Column("layer", "#", fmt="int"), Column("label", "layer", numeric=False),
        Column("num_tiles", "tiles", "count", fmt="int"), Column("speedup", "speed-up", "weight copies", fmt="int"),
        Column("utilization", "utilisation", "% of the layer's tiles", fmt="pct"),
    ], fp_rows)
    f0 = fp[0] if fp else {}
    fp_chip = KeyValues([
        ("total tiles", fmt_number(sum(int(r["num_tiles"]) for r in fp), "int")),
        ("memory utilisation (% of all cells holding weights)", fmt_number(f0.get("mem_utilization_pct"))),
        ("conventional-mapping tile size (cells, rows = columns)", fmt_number(f0.get("cm_tile_size"), "int")),
        ("conventional-mapping PE size (cells, rows = columns)", fmt_number(f0.get("cm_pe_size"), "int")),
        ("novel-mapping PEs per tile (count; 0: no novel-mapped layer)", fmt_number(f0.get("nm_num_pe"), "int")),
        ("novel-mapping PE size (cells, rows = columns; 0: none)", fmt_number(f0.get("nm_pe_size"), "int")),
    ], caption="chip-wide floorplan")

    chip_items = []
    for col in schemas.CHIP_COLUMNS:
        name, unit = _split_unit(col)
        chip_items.append((f"{name} ({unit})" if unit else name, fmt_number(chip[col], ".6g")))

    config_items = [
        ("network, data, precision", f"{facts['network']} on {facts['data']}, {facts['precision']}"),
        ("device", facts["device"]),
        ("non-idealities (hardware-aware inference)", facts["nonideal"]),
        ("technology", facts["technology"]),
        ("array", facts["array"]),
        ("chip", facts["chip"]),
        ("clock period (achieved)", f"{chip['clk_period_ns']:.4g} ns"),
        ("estimate mode", facts["estimate_mode"]),
        ("compat (reference quirks reproduced)", facts["compat"]),
        ("neurosim-flow version", facts["package_version"]),
        ("git commit", facts["git_commit"]),
        ("overrides", " ".join(flow.overrides) or "(none: defaults)"),
    ]

    method = [
        "Accuracy: the same test images with the ideal digital (quantised) model and with the hardware "
        "model (ADC, cell levels, non-idealities); the drop is digital minus hardware-aware.",
        "Area, latency and energy: the NeuroSim V1.4 estimator on the recorded traces. Its 'ADC' energy and "
        "latency include the array read (word/bit-line charging) and, for SRAM, the precharger and sense "
        "amplifiers (NeuroSim: 'ADC (or S/As and precharger for SRAM)'), so the CIM array has an area but no "
        "energy or latency share of its own. Buffer and interconnect latency/energy are parts of the "
        "estimator's 'other' and are shown separately; 'other' is the rest (decoders, muxes, switch matrices, "
        "pooling, activation). The estimator does not report buffer area separately: it is inside "
        "'other (incl. buffers)'.",
        "MACs: as NeuroSim counts them for TOPS, H_in x W_in x C_in x K_h x K_w x C_out (input feature-map "
        "size); per-layer TOPS/W = 2 x MACs / (dynamic + leakage energy)"
        + (f", divided by the post-layout factor zeta = {facts['zeta']:g} as for the chip" if facts["zeta"] else "")
        + ".",
        "Per-layer area: the layer's tiles x the area of one tile (the chip's global buffer, bus, pooling and "
        "accumulation are not assigned to layers).",
    ]
    sections = [
        Section("Headline", [KeyValues(headline)]),
        Section("Training", [Figure("training_curve.png", "training loss and accuracy against the step",
                                    "Training loss and accuracy on the training batches (the legend says over "
                                    "which steps each point is a mean) with the digital and hardware-aware test "
                                    "accuracies.")]),
        Section("Shares of area, energy and latency", [share_table, Figure(
            "shares.png", "shares of total area, energy and latency", "Shares of the chip area, of the energy per "
                                                                       "image and of the summed layer latencies.")]),
        Section("Per layer", [layer_table, Paragraph("Sum over the layers: " + "; ".join(sums) + "."),
                              latency_parts, energy_parts,
                              Figure("breakdown.png", "per-layer latency and energy parts and chip area parts",
                                     "Per-layer latency and dynamic energy by part, and the chip area by part.")]),
        Section("Chip", [KeyValues(chip_items, caption="every chip figure of chip.csv, in its units; the buffer "
                                                       "and ic figures are parts of the other ones")]),
        Section("Floorplan", [fp_table, fp_chip]),
        Section("Design", [KeyValues(config_items)]),
        Section("Method and caveats", [BulletList(method + notes)]),
    ]
    doc = Document(title=f"neurosim-flow report: {facts['network']} on {facts['cell']} "
                         f"{facts['technology'].split(',')[0]}",
                   subtitle=f"Design: {line}", sections=sections,
                   footer=f"neurosim-flow {facts['package_version']} (commit {facts['git_commit']}); "
                          f"tables: layers.csv, chip.csv (estimate stage), floorplan.csv (floorplan stage).")
    return doc, {"rows": rows, "share": share, "facts": facts, "accf": accf}


def write_report(flow, out_dir: Path, estimate_dir: Path, infer_dir: Path, floorplan_dir: Path,
                 train_dir: Path | None = None, traces_dir: Path | None = None) -> Path:
    """Write report.md, report.html and the figures into ``out_dir``; returns ``out_dir``."""
    layers = schemas.read_table(estimate_dir / "layers.parquet", schemas.LAYER_COLUMNS).to_pylist()
    chip = schemas.read_table(estimate_dir / "chip.parquet", schemas.CHIP_COLUMNS).to_pylist()[0]
    acc = schemas.read_table(infer_dir / "accuracy.parquet", ("accuracy", "loss")).to_pylist()[0]
    fp = schemas.read_table(floorplan_dir / "floorplan.parquet", schemas.FLOORPLAN_COLUMNS).to_pylist()
    net_rows = _net_rows(traces_dir, len(layers))
    train = _train_metrics(train_dir)
    provenance = _read_yaml(Path(estimate_dir) / "config.yaml")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    doc, data = build_document(flow, layers, chip, acc, fp, net_rows, train, provenance)
    facts, accf = data["facts"], data["accf"]
    summary = (f"{facts['network']}, {facts['cell']} {facts['technology'].split(',')[0]}: "
               f"{chip['tops_per_w']:.3g} TOPS/W, {chip['fps']:,.0f} FPS, hardware-aware accuracy "
               f"{accf['hw'] * 100:.1f} %")
    breakdown_plot(data["rows"], chip, out_dir / "breakdown.png", title=summary)
    shares_plot(data["share"]["plot"], out_dir / "shares.png", title=f"shares of the totals ({summary})")
    training_curve_plot(train.get("history", []), out_dir / "training_curve.png",
                        test_accuracy=accf["digital"] if accf["digital"] is not None else train.get("accuracy"),
                        hw_accuracy=accf["hw"],
                        title=f"training: {facts['network']} on {facts['data']}, {facts['precision']}")
    write_document(doc, out_dir, "report")
    return out_dir
