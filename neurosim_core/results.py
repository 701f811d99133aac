"""Typed estimate results and the reference results table.

`LayerResult` and `ChipResult` hold every figure NeuroSim V1.4 ``main.cpp`` prints (floorplan,
per-layer latency/energy/leakage with their ADC / accumulation / other breakdown, chip area
breakdown, clock period, TOPS/W, TOPS, FPS, TOPS/mm^2), in SI units.  `ChipResult.to_rows()`
converts them to the column names and units of the reference runs' tidy table
(``tests/data/reference_v14/results.csv``: um^2, ns, pJ, uW), so both can be compared cell by cell.

`read_reference_results` reads that table and `reference_hardware_config` turns one of its
configurations back into a `HardwareConfig` (the config columns plus the Param.cpp edits recorded
in ``param_edits``).
"""
from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .floorplan import Floorplan
from .params import HardwareConfig

__all__ = [
    "LayerResult",
    "ChipResult",
    "LAYER_METRICS",
    "CHIP_METRICS",
    "FLOORPLAN_LAYER_COLUMNS",
    "FLOORPLAN_CHIP_COLUMNS",
    "read_reference_results",
    "reference_hardware_config",
    "REFERENCE_ERRATA",
]

_NS, _PJ, _UW, _UM2 = 1e9, 1e12, 1e6, 1e12

#: per-layer performance columns of results.csv: (column, attribute, scale from SI)
LAYER_METRICS: tuple[tuple[str, str, float], ...] = (
    ("readLatency_ns", "read_latency", _NS),
    ("readDynamicEnergy_pJ", "read_dynamic_energy", _PJ),
    ("leakagePower_uW", "leakage_power", _UW),
    ("leakageEnergy_pJ", "leakage_energy", _PJ),
    ("bufferLatency_ns", "buffer_latency", _NS),
    ("bufferReadDynamicEnergy_pJ", "buffer_read_dynamic_energy", _PJ),
    ("icLatency_ns", "ic_latency", _NS),
    ("icReadDynamicEnergy_pJ", "ic_read_dynamic_energy", _PJ),
    ("ADC_readLatency_ns", "adc_read_latency", _NS),
    ("Accum_readLatency_ns", "accum_read_latency", _NS),
    ("Other_readLatency_ns", "other_read_latency", _NS),
    ("ADC_readDynamicEnergy_pJ", "adc_read_dynamic_energy", _PJ),
    ("Accum_readDynamicEnergy_pJ", "accum_read_dynamic_energy", _PJ),
    ("Other_readDynamicEnergy_pJ", "other_read_dynamic_energy", _PJ),
)

#: chip-only columns of results.csv (besides the LAYER_METRICS, which the chip row also has)
CHIP_METRICS: tuple[tuple[str, str, float], ...] = (
    ("chipArea_um2", "area", _UM2),
    ("area_CIMarray_um2", "area_array", _UM2),
    ("area_IC_um2", "area_ic", _UM2),
    ("area_ADC_um2", "area_adc", _UM2),
    ("area_Accum_um2", "area_accum", _UM2),
    ("area_Other_um2", "area_other", _UM2),
    ("clkPeriod_ns", "clock_period", _NS),
    ("TOPS_per_W", "tops_per_w", 1.0),
    ("TOPS", "tops", 1.0),
    ("FPS", "fps", 1.0),
    ("TOPS_per_mm2", "tops_per_mm2", 1.0),
)

FLOORPLAN_LAYER_COLUMNS = ("numTiles", "speedUp", "utilization")
FLOORPLAN_CHIP_COLUMNS = ("numTiles", "memUtilization_pct", "CM_tileSize", "CM_PESize", "NM_numPE", "NM_PESize")


@dataclass(frozen=True)
class LayerResult:
    """One layer's figures (SI units), as NeuroSim main.cpp prints them for that layer.

    In a pipelined chip ``leakage_power`` is the layer's tiles' average leakage over the system
    clock cycle and ``leakage_energy`` = leakage_power * system cycle; layer by layer, the
    leakage energy is that of all the other layers' idle tiles during this layer.
    """

    index: int
    name: str
    num_tiles: int
    speedup: int
    utilization: float
    read_latency: float
    read_dynamic_energy: float
    leakage_power: float
    leakage_energy: float
    buffer_latency: float
    buffer_read_dynamic_energy: float
    ic_latency: float
    ic_read_dynamic_energy: float
    adc_read_latency: float
    accum_read_latency: float
    other_read_latency: float
    adc_read_dynamic_energy: float
    accum_read_dynamic_energy: float
    other_read_dynamic_energy: float

    def to_row(self) -> dict[str, Any]:
        """This layer in the reference results.csv columns and units."""
        row: dict[str, Any] = {"layer": str(self.index + 1), "numTiles": self.num_tiles,
                               "speedUp": self.speedup, "utilization": self.utilization}
        for column, attr, scale in LAYER_METRICS:
            row[column] = getattr(self, attr) * scale
        return row


@dataclass(frozen=True)
class ChipResult:
    """The whole-chip estimate (SI units).  ``layers`` holds the per-layer figures.

    ``read_latency`` is the pipeline system cycle (the slowest layer) for a pipelined chip, or the
    sum of the layers' latencies layer by layer; ``clock_period`` is the chip clock (the longest
    sensing delay when synchronous, else 1/clk_freq).
    """

    floorplan: Floorplan
    num_computation: int
    pipeline: bool
    area: float
    area_array: float
    area_ic: float
    area_adc: float
    area_accum: float
    area_other: float
    clock_period: float
    read_latency: float
    read_dynamic_energy: float
    leakage_power: float
    leakage_energy: float
    buffer_latency: float
    buffer_read_dynamic_energy: float
    ic_latency: float
    ic_read_dynamic_energy: float
    adc_read_latency: float
    accum_read_latency: float
    other_read_latency: float
    adc_read_dynamic_energy: float
    accum_read_dynamic_energy: float
    other_read_dynamic_energy: float
    tops_per_w: float
    tops: float
    fps: float
    tops_per_mm2: float
    layers: tuple[LayerResult, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())

    def to_rows(self) -> list[dict[str, Any]]:
        """Rows in the reference results.csv columns and units: one per layer, then ``chip``."""
        rows = [layer.to_row() for layer in self.layers]
        fp = self.floorplan
        nm = any(fp.mark_nm)
        chip: dict[str, Any] = {
            "layer": "chip",
            "numTiles": fp.total_tiles,
            "memUtilization_pct": fp.memory_utilization * 100,
            "CM_tileSize": fp.desired_tile_size_cm,
            "CM_PESize": fp.desired_pe_size_cm,
            "NM_numPE": fp.num_pe_nm if nm else "",
            "NM_PESize": fp.desired_pe_size_nm if nm else "",
        }
        for column, attr, scale in CHIP_METRICS + LAYER_METRICS:
            chip[column] = getattr(self, attr) * scale
        chip["clkPeriod_s_first_pass"] = self.clock_period
        rows.append(chip)
        return rows


# --- the reference table -------------------------------------------------------------------

#: Corrections to results.csv config columns, checked against the runs' logs and argv
#: (``shared/reference/neurosim_v14/<config>.time.txt``).  sram_sub64 ran ``main ... 8 8 64 64``
#: ("User-defined SubArray Size: 64x64" in its log) but its row records 128 rows.
REFERENCE_ERRATA: dict[str, dict[str, Any]] = {
    "sram_sub64": {"num_row_subarray": 64, "num_row_parallel": 64},
}


def read_reference_results(path: str | Path) -> dict[str, dict[str, dict[str, str]]]:
    """results.csv -> {config: {layer ("1".."N" or "chip"): row}}, rows as read (strings)."""
    table: dict[str, dict[str, dict[str, str]]] = {}
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(row["config"], {})[row["layer"]] = row
    return table


def _flag(text: str, column: str, config: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ValueError(f"reference config '{config}': column '{column}' = {text!r} is not true/false")


_MEMCELL = {"sram": "sram", "rram": "rram", "fefet": "fefet", "1": "sram", "2": "rram", "3": "fefet"}

# Param.cpp members (as recorded in param_edits) that the config columns do not cover
_PARAM_EDIT_FIELDS = {
    "numColMuxed": ("num_col_muxed", int),
    "speedUpDegree": ("speedup_degree", int),
    "temp": ("temperature_k", int),
    "clkFreq": ("clk_freq_hz", float),
    "currentMode": ("current_mode", lambda s: s.strip().lower() in ("true", "1")),
    "deviceroadmap": ("roadmap", lambda s: {"1": "hp", "2": "lstp"}[s.strip()]),
    "accesstype": ("access", lambda s: {"1": "cmos", "4": "none"}[s.strip()]),
    "synchronous": ("synchronous", lambda s: s.strip().lower() in ("true", "1")),
    "chipActivation": ("chip_activation", lambda s: s.strip().lower() in ("true", "1")),
    "reLu": ("relu", lambda s: s.strip().lower() in ("true", "1")),
    "validated": ("validated", lambda s: s.strip().lower() in ("true", "1")),
    "inputtoggle": ("input_toggle", float),
    "outputtoggle": ("output_toggle", float),
    "maxGlobalBusWidth": ("max_global_bus_width", int),
    "resistanceOn": ("resistance_on_ohm", float),
    "resistanceOff": ("resistance_off_ohm", float),
    "readPulseWidth": ("read_pulse_width_s", float),
}


def reference_hardware_config(chip_row: Mapping[str, str], config: str | None = None) -> HardwareConfig:
    """The `HardwareConfig` a reference run used, from its results.csv ``chip`` row.

    Uses the config columns (memcell, technode_nm, operationmode, subArrayRows, subArrayCols,
    parallelRead_rows, levelOutput, cellBit, novelMapping, pipeline, globalBus, ADC_type,
    weightBits, inputBits), then the `REFERENCE_ERRATA`, then the Param.cpp edits in
    ``param_edits`` that no column covers.  The explicit parallel-read rows are kept in sequential
    mode too (the reference's argv[5] overrides it there as well).
    """
    name = config or chip_row.get("config", "?")
    adc = chip_row["ADC_type"].strip().upper()
    memcell = _MEMCELL.get(chip_row["memcell"].strip().lower())
    if memcell is None:
        raise ValueError(f"reference config '{name}': unknown memcell {chip_row['memcell']!r}")
    mode = chip_row["operationmode"].strip()
    if mode not in ("conventionalParallel", "conventionalSequential"):
        raise ValueError(f"reference config '{name}': unsupported operationmode {mode!r}")
    bus = chip_row["globalBus"].strip().lower()
    values: dict[str, Any] = dict(
        mem_cell=memcell,
        tech_node_nm=int(chip_row["technode_nm"]),
        operation_mode="conventional_parallel" if mode == "conventionalParallel" else "conventional_sequential",
        num_row_subarray=int(chip_row["subArrayRows"]),
        num_col_subarray=int(chip_row["subArrayCols"]),
        num_row_parallel=int(chip_row["parallelRead_rows"]),
        level_output=int(chip_row["levelOutput"]),
        cell_bit=int(chip_row["cellBit"]),
        novel_mapping=_flag(chip_row["novelMapping"], "novelMapping", name),
        pipeline=_flag(chip_row["pipeline"], "pipeline", name),
        global_bus="htree" if bus in ("htree", "h-tree") else "xy_bus",
        adc_type="sar" if adc.startswith("SAR") else "mlsa",
        current_mode="VSA" not in adc,
    )
    if chip_row.get("weightBits"):
        values["synapse_bits"] = int(chip_row["weightBits"])
    if chip_row.get("inputBits"):
        values["input_bits"] = int(chip_row["inputBits"])
    values.update(REFERENCE_ERRATA.get(name, {}))
    edits_text = (chip_row.get("param_edits") or "").strip()
    if edits_text:
        edits = json.loads(edits_text)
        for key, text in edits.items():
            if key in _PARAM_EDIT_FIELDS:
                attr, convert = _PARAM_EDIT_FIELDS[key]
                values[attr] = convert(str(text))
    return HardwareConfig(**values)


def relative_error(ours: float, reference: float) -> float:
    """|ours - reference| / |reference| (0 when both are 0; inf when only the reference is 0)."""
    if reference == 0:
        return 0.0 if ours == 0 else math.inf
    return abs(ours - reference) / abs(reference)
