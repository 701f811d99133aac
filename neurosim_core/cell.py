"""Memory cell (SRAM / RRAM / FeFET) electrical and geometric description.

Model: NeuroSim V1.4 cell set-up (``ProcessingUnit.cpp`` ``ProcessingUnitInitialize``) and the
cell-level values derived in ``SubArray.cpp`` ``SubArray::Initialize``:

* SRAM (6T): the access-transistor on-resistance and the storage-node capacitance
  ``cap_sram_cell`` = access drain cap + NMOS and PMOS drain caps + NMOS and PMOS gate caps.
  At FinFET/GAA nodes (<= 14 nm) each transistor width of w F is drawn as 2w F (w fins).
* eNVM with a CMOS access transistor (1T1R, RRAM and FeFET alike): the access device is sized
  so that its resistance is ``resistance_on * IR_DROP_TOLERANCE`` while operating in the
  linear region (``LINEAR_REGION_RATIO`` of its saturation on-resistance); the transistor must
  fit within the cell width (else `ValueError`, where the reference aborts).
* eNVM crossbar (no access device): no access resistance.

Units: transistor widths ``width_*`` and cell sizes ``*_in_feature_size`` are in feature sizes F
(fins at <= 14 nm for the 1T1R access width), as in the model; ``feature_size`` is the cell
(wire) feature size in m; resistances in ohm, voltages in V, times in s, capacitance in F.
Fields the model never sets for a given cell type stay 0, as in the model (e.g.
``min_sense_voltage`` and the SRAM transistor widths of an eNVM cell, ``width_access_cmos`` of
a crossbar cell, ``max_num_level_*`` and ``write_pulse_width`` for inference).
"""
from __future__ import annotations

from dataclasses import dataclass

from . import constants as c
from . import formula
from .constants import CellAccessType, MemCellType
from .params import Params
from .tech import Technology

__all__ = ["MemCell", "make_cell", "res_mem_cell"]

_CELL_TYPES = {"sram": MemCellType.SRAM, "rram": MemCellType.RRAM, "fefet": MemCellType.FeFET}
_ACCESS_TYPES = {"cmos": CellAccessType.CMOS_access, "none": CellAccessType.none_access}


@dataclass(frozen=True)
class MemCell:
    """One memory cell (NeuroSim ``MemCell``), fully derived; see the module docstring for units."""

    mem_cell_type: MemCellType
    access_type: CellAccessType
    height_in_feature_size: float  # F
    width_in_feature_size: float  # F
    feature_size: float  # m
    resistance_on: float  # ohm
    resistance_off: float  # ohm
    resistance_avg: float  # ohm, (on + off) / 2
    resistance_access: float  # ohm, access resistance used in the column-resistance model
    res_cell_access: float  # ohm: 1T1R R_on*IR_DROP_TOLERANCE; SRAM access on-resistance; crossbar 0
    read_voltage: float  # V
    read_pulse_width: float  # s
    access_voltage: float  # V
    write_voltage: float  # V
    min_sense_voltage: float  # V (SRAM only)
    width_access_cmos: float  # F (fins at <= 14 nm for 1T1R)
    width_sram_cell_nmos: float  # F
    width_sram_cell_pmos: float  # F
    cap_sram_cell: float  # F (SRAM only)
    max_num_level_ltp: int
    max_num_level_ltd: int
    write_pulse_width: float  # s

    @property
    def is_sram(self) -> bool:
        return self.mem_cell_type == MemCellType.SRAM


def _drawn_width(width_f: float, tech: Technology) -> float:
    """Width (m) of a transistor of ``width_f`` F; FinFET/GAA nodes draw it at 2F per unit."""
    return width_f * (2 if tech.feature_size_in_nano <= 14 else 1) * tech.feature_size


def _sram_cell_cap(width_access: float, width_nmos: float, width_pmos: float, tech: Technology) -> float:
    """Storage-node capacitance (F) of a 6T SRAM cell."""
    height = c.MAX_TRANSISTOR_HEIGHT * tech.feature_size
    return (formula.drain_cap(_drawn_width(width_access, tech), c.NMOS, height, tech)
            + formula.drain_cap(_drawn_width(width_nmos, tech), c.NMOS, height, tech)
            + formula.drain_cap(_drawn_width(width_pmos, tech), c.PMOS, height, tech)
            + formula.gate_cap(_drawn_width(width_nmos, tech), tech)
            + formula.gate_cap(_drawn_width(width_pmos, tech), tech))


def _access_width_1t1r(res_cell_access: float, width_in_feature_size: float, temperature: int,
                       tech: Technology) -> float:
    """Width (F, or fins at <= 14 nm) of the 1T1R access transistor."""
    unit_res = formula.on_resistance(_drawn_width(1, tech), c.NMOS, temperature, tech)
    width = unit_res * c.LINEAR_REGION_RATIO / res_cell_access
    layout_width = width
    if tech.feature_size_in_nano <= 14:  # fins -> F
        layout_width = ((width - 1) * tech.pitch_fin + tech.width_fin) / tech.feature_size
    if layout_width > width_in_feature_size:
        raise ValueError(f"1T1R access transistor width {width:.2f}F exceeds the cell width "
                         f"{width_in_feature_size:.2f}F; increase width_in_feature_size_1t1r or resistance_on_ohm")
    return width


def make_cell(p: Params, tech: Technology) -> MemCell:
    """Build the `MemCell` for resolved parameters ``p`` at technology ``tech``."""
    cfg = p.cfg
    cell_type = _CELL_TYPES[cfg.mem_cell]
    access = _ACCESS_TYPES[cfg.access]
    common = dict(
        mem_cell_type=cell_type,
        access_type=access,
        feature_size=p.feature_size,
        resistance_on=cfg.resistance_on_ohm,
        resistance_off=cfg.resistance_off_ohm,
        resistance_avg=(cfg.resistance_on_ohm + cfg.resistance_off_ohm) / 2,
        resistance_access=p.resistance_access,
        read_voltage=p.read_voltage,
        read_pulse_width=cfg.read_pulse_width_s,
        access_voltage=cfg.access_voltage_v,
        write_voltage=cfg.write_voltage_v,
        max_num_level_ltp=0,
        max_num_level_ltd=0,
        write_pulse_width=0.0,
    )
    if cell_type == MemCellType.SRAM:
        width_access = p.width_access_cmos
        return MemCell(
            height_in_feature_size=p.height_in_feature_size_sram,
            width_in_feature_size=p.width_in_feature_size_sram,
            res_cell_access=formula.on_resistance(_drawn_width(width_access, tech), c.NMOS,
                                                  cfg.temperature_k, tech),
            min_sense_voltage=cfg.min_sense_voltage_v,
            width_access_cmos=width_access,
            width_sram_cell_nmos=p.width_sram_cell_nmos,
            width_sram_cell_pmos=p.width_sram_cell_pmos,
            cap_sram_cell=_sram_cell_cap(width_access, p.width_sram_cell_nmos, p.width_sram_cell_pmos, tech),
            **common,
        )
    if access == CellAccessType.CMOS_access:
        height, width = cfg.height_in_feature_size_1t1r, cfg.width_in_feature_size_1t1r
        res_cell_access = cfg.resistance_on_ohm * c.IR_DROP_TOLERANCE
        width_access = _access_width_1t1r(res_cell_access, width, cfg.temperature_k, tech)
    else:
        height, width = cfg.height_in_feature_size_crossbar, cfg.width_in_feature_size_crossbar
        res_cell_access = 0.0
        width_access = 0.0
    return MemCell(
        height_in_feature_size=height,
        width_in_feature_size=width,
        res_cell_access=res_cell_access,
        min_sense_voltage=0.0,
        width_access_cmos=width_access,
        width_sram_cell_nmos=0.0,
        width_sram_cell_pmos=0.0,
        cap_sram_cell=0.0,
        **common,
    )


def res_mem_cell(cell: MemCell, num_row_parallel: int) -> tuple[float, float, float]:
    """eNVM cell resistance seen by the read circuit: (on, off, average over ``num_row_parallel``
    rows with half the cells on), including the access resistance (``SubArray::Initialize``)."""
    on = cell.res_cell_access + cell.resistance_on
    off = cell.res_cell_access + cell.resistance_off
    avg = 1 / (1 / (cell.resistance_on + cell.res_cell_access) * num_row_parallel / 2.0
               + 1 / (cell.resistance_off + cell.res_cell_access) * num_row_parallel / 2.0) * num_row_parallel
    if cell.access_type != CellAccessType.CMOS_access:
        on, off = cell.resistance_on, cell.resistance_off
    return on, off, avg
