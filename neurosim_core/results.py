"""Typed estimate results.

`LayerResult` and `ChipResult` hold every figure NeuroSim V1.4 ``main.cpp`` prints (floorplan,
per-layer latency/energy/leakage with their ADC / accumulation / other breakdown, chip area
breakdown, clock period, TOPS/W, TOPS, FPS, TOPS/mm^2), in SI units.  `ChipResult.to_rows()`
converts them to the column names and units of the reference runs' tidy table
(``tests/data/reference_v14/results.csv``: um^2, ns, pJ, uW), so both can be compared cell by cell
(the reference table is read by ``benchmarks/reference_table.py``, outside the model).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .floorplan import Floorplan

__all__ = [
    "LayerResult",
    "ChipResult",
    "LAYER_METRICS",
    "CHIP_METRICS",
    "FLOORPLAN_LAYER_COLUMNS",
    "FLOORPLAN_CHIP_COLUMNS",
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
