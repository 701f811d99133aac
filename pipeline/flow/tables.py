"""The report edge: `neurosim_core` results (SI units) -> table rows in report units.

Column names and units are those documented in `pipeline.flow.schemas` (``LAYER_COLUMNS``,
``CHIP_COLUMNS``, ``FLOORPLAN_COLUMNS``).  This is the only place SI values are converted.
"""
from __future__ import annotations

UM2, NS, PJ, UW = 1e12, 1e9, 1e12, 1e6


def floorplan_rows(fp) -> list[dict]:
    nm = any(fp.mark_nm)
    return [{"layer": i + 1, "num_tiles": int(fp.num_tiles[i]), "speedup": int(fp.speedup[i]),
             "utilization": float(fp.utilization[i]), "mem_utilization_pct": float(fp.memory_utilization * 100),
             "cm_tile_size": int(fp.desired_tile_size_cm), "cm_pe_size": int(fp.desired_pe_size_cm),
             "nm_num_pe": int(fp.num_pe_nm) if nm else 0, "nm_pe_size": int(fp.desired_pe_size_nm) if nm else 0}
            for i in range(fp.num_layers)]


_COMMON = (("read_latency_ns", "read_latency", NS), ("read_dynamic_energy_pJ", "read_dynamic_energy", PJ),
           ("leakage_power_uW", "leakage_power", UW), ("leakage_energy_pJ", "leakage_energy", PJ),
           ("buffer_latency_ns", "buffer_latency", NS),
           ("buffer_read_dynamic_energy_pJ", "buffer_read_dynamic_energy", PJ),
           ("ic_latency_ns", "ic_latency", NS), ("ic_read_dynamic_energy_pJ", "ic_read_dynamic_energy", PJ),
           ("adc_read_latency_ns", "adc_read_latency", NS), ("accum_read_latency_ns", "accum_read_latency", NS),
           ("other_read_latency_ns", "other_read_latency", NS),
           ("adc_read_dynamic_energy_pJ", "adc_read_dynamic_energy", PJ),
           ("accum_read_dynamic_energy_pJ", "accum_read_dynamic_energy", PJ),
           ("other_read_dynamic_energy_pJ", "other_read_dynamic_energy", PJ))


def layer_rows(result) -> list[dict]:
    rows = []
    for layer in result.layers:
        row = {"layer": layer.index + 1, "name": layer.name, "num_tiles": int(layer.num_tiles),
               "speedup": int(layer.speedup), "utilization": float(layer.utilization)}
        row.update({col: float(getattr(layer, attr)) * k for col, attr, k in _COMMON})
        rows.append(row)
    return rows


def chip_row(result) -> dict:
    row = {"chip_area_um2": result.area * UM2, "area_cim_array_um2": result.area_array * UM2,
           "area_ic_um2": result.area_ic * UM2, "area_adc_um2": result.area_adc * UM2,
           "area_accum_um2": result.area_accum * UM2, "area_other_um2": result.area_other * UM2,
           "clk_period_ns": result.clock_period * NS}
    row.update({col: float(getattr(result, attr)) * k for col, attr, k in _COMMON})
    row.update(tops_per_w=float(result.tops_per_w), tops=float(result.tops), fps=float(result.fps),
               tops_per_mm2=float(result.tops_per_mm2),
               mem_utilization_pct=float(result.floorplan.memory_utilization * 100))
    return {k: float(v) for k, v in row.items()}


def summary(result) -> str:
    c = chip_row(result)
    lines = [f"{'layer':>5} {'name':>8} {'tiles':>5} {'speedup':>7} {'latency (ns)':>14} {'energy (pJ)':>14}"]
    for r in layer_rows(result):
        lines.append(f"{r['layer']:>5} {r['name']:>8} {r['num_tiles']:>5} {r['speedup']:>7} "
                     f"{r['read_latency_ns']:>14.6g} {r['read_dynamic_energy_pJ']:>14.6g}")
    lines += ["",
              f"chip area        {c['chip_area_um2'] / 1e6:.6g} mm^2 (array {c['area_cim_array_um2'] / 1e6:.4g}, "
              f"ADC {c['area_adc_um2'] / 1e6:.4g}, accum {c['area_accum_um2'] / 1e6:.4g}, "
              f"IC {c['area_ic_um2'] / 1e6:.4g}, other {c['area_other_um2'] / 1e6:.4g})",
              f"clock period     {c['clk_period_ns']:.6g} ns",
              f"latency / image  {c['read_latency_ns']:.6g} ns",
              f"energy / image   {c['read_dynamic_energy_pJ']:.6g} pJ (leakage {c['leakage_energy_pJ']:.6g} pJ, "
              f"{c['leakage_power_uW']:.6g} uW)",
              f"TOPS/W {c['tops_per_w']:.6g}   TOPS {c['tops']:.6g}   FPS {c['fps']:.6g}   "
              f"TOPS/mm^2 {c['tops_per_mm2']:.6g}"]
    return "\n".join(lines)


def layer_tile_areas_um2(network, p, fp) -> list[float]:
    """Area (um^2) of the tiles each layer occupies: its tile count x the area of one tile of its
    mapping (novel or conventional), from the chip model's own area calculation
    (`neurosim_core.chip.Chip.area`: tile outline height x width).  The chip-level
    global buffer, bus, pooling, accumulation and activation are not assigned to layers.
    The estimate result does not carry tile areas, so the chip is sized once more here (cheap: no
    trace is evaluated)."""
    from neurosim_core.cell import make_cell
    from neurosim_core.chip import Chip
    from neurosim_core.tech import technology

    tech = technology(p.technode, p.roadmap, compat=p.compat)
    area = Chip(p, tech, make_cell(p, tech), network, fp).area
    cm = area.cm_tile.height_m * area.cm_tile.width_m * UM2
    nm = area.nm_tile.height_m * area.nm_tile.width_m * UM2 if area.nm_tile else 0.0
    return [n * (nm if novel else cm) for n, novel in zip(fp.num_tiles, fp.mark_nm)]
