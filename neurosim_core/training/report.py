"""`TrainingResult` -> rows in the V2.1 reference table's columns and units (ns, pJ, uW, um^2).

The column names are those of ``tests/data/reference_v21/results.csv`` (one row per layer
``'1'..'n'`` and one ``'chip'`` row), so a result and a reference run compare cell by cell.
"""
from __future__ import annotations

_NS, _PJ, _UW, _UM2 = 1e9, 1e12, 1e6, 1e12

#: per-layer columns: (column, attribute path, scale)
LAYER_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("readlatency_of_forward_ns", "fw.latency", _NS),
    ("readdynamicenergy_of_forward_pJ", "fw.energy", _PJ),
    ("readlatency_of_activation_gradient_ns", "ag.latency", _NS),
    ("readdynamicenergy_of_activation_gradient_pJ", "ag.energy", _PJ),
    ("readlatency_of_weight_gradient_ns", "wg.latency", _NS),
    ("readdynamicenergy_of_weight_gradient_pJ", "wg.energy", _PJ),
    ("writelatency_of_weight_update_ns", "wu.latency", _NS),
    ("writedynamicenergy_of_weight_update_pJ", "wu.energy", _PJ),
    ("peak_readlatency_of_forward_ns", "fw_peak.latency", _NS),
    ("peak_readdynamicenergy_of_forward_pJ", "fw_peak.energy", _PJ),
    ("peak_readlatency_of_activation_gradient_ns", "ag_peak.latency", _NS),
    ("peak_readdynamicenergy_of_activation_gradient_pJ", "ag_peak.energy", _PJ),
    ("peak_readlatency_of_weight_gradient_ns", "wg_peak.latency", _NS),
    ("peak_readdynamicenergy_of_weight_gradient_pJ", "wg_peak.energy", _PJ),
    ("peak_writelatency_of_weight_update_ns", "wu_peak.latency", _NS),
    ("peak_writedynamicenergy_of_weight_update_pJ", "wu_peak.energy", _PJ),
    ("leakagepower_uW", "leakage_power", _UW),
    ("leakageenergy_pJ", "leakage_energy", _PJ),
    ("adc_readlatency_ns", "adc.latency", _NS),
    ("accumulation_circuits_readlatency_ns", "accum.latency", _NS),
    ("synaptic_array_w_o_adc_readlatency_ns", "array_other.latency", _NS),
    ("buffer_latency_ns", "buffer.latency", _NS),
    ("interconnect_latency_ns", "interconnect.latency", _NS),
    ("weight_gradient_calculation_readlatency_ns", "wg_peak.latency", _NS),
    ("weight_update_writelatency_ns", "wu_peak.latency", _NS),
    ("dram_data_transfer_latency_ns", "dram.latency", _NS),
    ("adc_readdynamicenergy_pJ", "adc.energy", _PJ),
    ("accumulation_circuits_readdynamicenergy_pJ", "accum.energy", _PJ),
    ("synaptic_array_w_o_adc_readdynamicenergy_pJ", "array_other.energy", _PJ),
    ("buffer_readdynamicenergy_pJ", "buffer.energy", _PJ),
    ("interconnect_readdynamicenergy_pJ", "interconnect.energy", _PJ),
    ("weight_gradient_calculation_readdynamicenergy_pJ", "wg_peak.energy", _PJ),
    ("weight_update_writedynamicenergy_pJ", "wu_peak.energy", _PJ),
    ("dram_data_transfer_dynamicenergy_pJ", "dram.energy", _PJ),
)

FLOORPLAN_COLUMNS = ("tiles", "speedup", "utilization")

#: chip-only columns: (column, attribute path on TrainingResult or a total, scale)
CHIP_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("chiparea_um2", "area", _UM2),
    ("chip_total_cim_array_um2", "area_array", _UM2),
    ("total_ic_area_on_chip_um2", "area_ic", _UM2),
    ("total_adc_area_on_chip_um2", "area_adc", _UM2),
    ("total_accumulation_circuits_on_chip_um2", "area_accum", _UM2),
    ("other_peripheries_um2", "area_other", _UM2),
    ("weight_gradient_calculation_um2", "area_wg", _UM2),
    ("chip_readlatency_of_forward_ns", "total:fw.latency", _NS),
    ("chip_readdynamicenergy_of_forward_pJ", "total:fw.energy", _PJ),
    ("chip_readlatency_of_activation_gradient_ns", "total:ag.latency", _NS),
    ("chip_readdynamicenergy_of_activation_gradient_pJ", "total:ag.energy", _PJ),
    ("chip_readlatency_of_weight_gradient_ns", "total:wg.latency", _NS),
    ("chip_readdynamicenergy_of_weight_gradient_pJ", "total:wg.energy", _PJ),
    ("chip_writelatency_of_weight_update_ns", "total:wu.latency", _NS),
    ("chip_writedynamicenergy_of_weight_update_pJ", "total:wu.energy", _PJ),
    ("chip_total_latency_ns", "latency", _NS),
    ("chip_total_energy_pJ", "energy", _PJ),
    ("chip_peak_readlatency_of_forward_ns", "total:fw_peak.latency", _NS),
    ("chip_peak_readdynamicenergy_of_forward_pJ", "total:fw_peak.energy", _PJ),
    ("chip_peak_readlatency_of_activation_gradient_ns", "total:ag_peak.latency", _NS),
    ("chip_peak_readdynamicenergy_of_activation_gradient_pJ", "total:ag_peak.energy", _PJ),
    ("chip_peak_readlatency_of_weight_gradient_ns", "total:wg_peak.latency", _NS),
    ("chip_peak_readdynamicenergy_of_weight_gradient_pJ", "total:wg_peak.energy", _PJ),
    ("chip_peak_writelatency_of_weight_update_ns", "total:wu_peak.latency", _NS),
    ("chip_peak_writedynamicenergy_of_weight_update_pJ", "total:wu_peak.energy", _PJ),
    ("chip_peak_total_latency_ns", "peak_latency", _NS),
    ("chip_peak_total_energy_pJ", "peak_energy", _PJ),
    ("chip_leakage_energy_pJ", "leakage_energy", _PJ),
    ("chip_leakage_power_uW", "leakage_power", _UW),
    ("energy_efficiency_tops_w", "tops_per_w", 1.0),
    ("throughput_tops", "tops", 1.0),
    ("throughput_fps", "epochs_per_s", 1.0),
    ("peak_energy_efficiency_tops_w", "peak_tops_per_w", 1.0),
    ("peak_throughput_tops", "peak_tops", 1.0),
    ("peak_throughput_fps", "peak_epochs_per_s", 1.0),
)


def _get(obj, path: str):
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def result_rows(result) -> list[dict]:
    rows = []
    for layer in result.layers:
        row = {"scope": str(layer.index + 1), "name": layer.name, "tiles": layer.num_tiles,
               "speedup": layer.speedup, "utilization": layer.utilization}
        for col, path, k in LAYER_COLUMNS:
            row[col] = float(_get(layer, path)) * k
        rows.append(row)
    chip = {"scope": "chip", "memory_utilization_pct": result.floorplan.memory_utilization * 100}
    for col, path, k in CHIP_COLUMNS:
        if path.startswith("total:"):
            attr, part = path[6:].split(".")
            value = getattr(result.total(attr), part)
        elif path == "peak_epochs_per_s":
            value = 1.0 / result.peak_latency
        else:
            value = getattr(result, path)
        chip[col] = float(value) * k
    rows.append(chip)
    return rows
