"""One compute-in-memory subarray: its array and periphery as data, and its trace-driven read model.

Model: DNN+NeuroSim V1.4 manual, "SubArray" (array parasitics, the periphery of each read mode)
and "Peripheral circuits"; Peng et al., IEDM'19 (the inference engine), in two read modes:

* **parallel** (``conventional_parallel``): ``num_row_parallel`` rows are read at once and
  ``num_col_muxed`` columns share one ADC (multilevel sense amplifier + encoder, SAR ADC, or a
  plug-in); the partial sums of the ``num_add = num_row // num_row_parallel`` row groups are
  added by an adder + register; shift-adders combine cell bits (weight) and input bits;
* **sequential** (``conventional_sequential``): rows are read one at a time (SRAM: row decoder
  + latch sense amps; eNVM: row decoder/driver, column mux, MLSA or SAR ADC); an adder +
  register accumulates row by row.

Memory types: SRAM (8T-like cell, CMOS access), RRAM and FeFET (1T1R, or crossbar).

Shape (`neurosim_core.arch`): `build_subarray` returns an immutable `SubArrayModel`: the array's
wires (`ArrayWires`), a `Macro` whose parts are the array and every periphery circuit with its
breakdown bucket (`subarray_parts`), and the floorplan.  A read of one input bit-vector is a list
of `Use`\\ s per mode (`subarray_energy.read_uses`), priced by `arch.energy`; the latencies of the
same uses are combined by the overlap rule of the mode (`subarray_latency`).  Area and leakage are
`Macro.area_m2` / `Macro.leakage_w`.

Batched read (the speed contract): every per-vector latency, and every energy except the ADC's
column-resistance term, depends on the input vector only through its number of active rows, so
`read_table` evaluates the read once per active-row count; eNVM vectors add their columns' ADC
energy (`SubArrayModel.adc_column_energy_sum`, or the fused kernel of
`SubArrayModel.adc_energy_kernel_args`).

Differences from the reference (each a reference bug giving NaN): eNVM sequential read of a
vector with no active row -- the reference's column resistance is 0/0 and its ADC energy NaN * 0;
we give 0 (the ADC converts ``num_row * activity = 0`` times).  Circuits the reference leaves
uninitialised for a mode are not part of that mode's subarray.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import formula
from .arch import ActionCost, Breakdown, ComponentModel, Macro, Part
from .constants import (
    CPP_1NM, CPP_2NM, CPP_3NM, CPP_5NM, CPP_7NM, CPP_10NM, INV, MAX_TRANSISTOR_HEIGHT, MAX_TRANSISTOR_HEIGHT_1NM,
    MAX_TRANSISTOR_HEIGHT_2NM, MAX_TRANSISTOR_HEIGHT_3NM, MAX_TRANSISTOR_HEIGHT_5NM, MAX_TRANSISTOR_HEIGHT_7NM,
    MAX_TRANSISTOR_HEIGHT_10NM, MAX_TRANSISTOR_HEIGHT_14NM, MIN_GAP_BET_GATE_POLY, MIN_GAP_BET_GATE_POLY_FINFET,
    NMOS, POLY_WIDTH, POLY_WIDTH_FINFET,
)
from .cell import res_mem_cell
from .kernels import sram_resistance_by_count
from .subarray_energy import read_energy, read_uses, row_energy
from .subarray_latency import column_settling, half_parallel_rows, read_latency, sensing_cycle
from .subarray_parts import WIRE_CAP_PER_M, accumulation_parts, is_1t1r, periphery_parts, repeaters

__all__ = ["SubArraySpec", "ArrayWires", "SubArrayModel", "ReadTable", "build_subarray", "read_table",
           "read_latency", "read_energy", "read_uses", "sensing_cycle"]


_MAX_HEIGHT_BY_NODE = {14: MAX_TRANSISTOR_HEIGHT_14NM, 10: MAX_TRANSISTOR_HEIGHT_10NM,
                       7: MAX_TRANSISTOR_HEIGHT_7NM, 5: MAX_TRANSISTOR_HEIGHT_5NM,
                       3: MAX_TRANSISTOR_HEIGHT_3NM, 2: MAX_TRANSISTOR_HEIGHT_2NM,
                       1: MAX_TRANSISTOR_HEIGHT_1NM}
_CPP_BY_NODE = {14: POLY_WIDTH_FINFET + MIN_GAP_BET_GATE_POLY_FINFET, 10: CPP_10NM, 7: CPP_7NM,
                5: CPP_5NM, 3: CPP_3NM, 2: CPP_2NM, 1: CPP_1NM}

#: where each periphery block sits (the rest sit above/below the array, as wide as it)
_ROW_SIDE = frozenset({"wl_decoder", "wl_decoder_driver", "wl_new_decoder_driver", "wl_switch_matrix",
                       "wl_new_switch_matrix", "wl_level_shifter", "bl_level_shifter"})
_CORNER = frozenset({"column_mux_decoder"})  # beside the mux, below the row-side blocks
_SPREAD_OVER_ROWS = frozenset({"row_repeaters"})  # inserted along the rows: widen the array


@dataclass(frozen=True, kw_only=True)
class SubArraySpec:
    """What a subarray is: size, memory, read mode, muxing, precisions and timing options."""

    num_row: int
    num_col: int
    sram: bool
    one_t_one_r: bool  # eNVM cell with an access transistor (False: crossbar, or SRAM)
    parallel: bool  # read mode: parallel (True) or sequential
    num_row_parallel: int
    num_col_muxed: int
    cells_per_synapse: int
    input_bits: int
    cell_bit: int
    level_output: int  # ADC levels of the parallel read
    synapses_per_mux: int  # synapses one ADC reads in turn (`Params.synapses_per_mux`)
    synchronous: bool
    beta: float  # silicon calibration of the sensing cycle (1 when not validated)
    wire_resistance_col: float  # ohm per cell of a column's wire (the SRAM column resistance)

    @classmethod
    def of(cls, p, cell) -> "SubArraySpec":
        return cls(num_row=p.num_row_subarray, num_col=p.num_col_subarray, sram=cell.is_sram,
                   one_t_one_r=is_1t1r(cell), parallel=bool(p.conventional_parallel),
                   num_row_parallel=p.num_row_parallel, num_col_muxed=min(p.num_col_muxed, p.num_col_subarray),
                   cells_per_synapse=p.num_col_per_synapse, input_bits=p.input_bits, cell_bit=p.cell_bit,
                   level_output=p.level_output, synapses_per_mux=p.synapses_per_mux,
                   synchronous=bool(p.synchronous), beta=p.beta if p.validated else 1.0,
                   wire_resistance_col=float(p.wire_resistance_col))

    @property
    def num_add(self) -> int:
        """Row groups of a parallel read, whose partial sums are added."""
        return self.num_row // self.num_row_parallel

    @property
    def num_adc(self) -> int:
        return self.num_col // self.num_col_muxed


class ArrayWires(NamedTuple):
    """Geometry and parasitics of the array (V1.4 manual, "SubArray": wire RC per cell pitch,
    access-device loads).  ``cap_row1``: word line (SRAM, crossbar) or bit line (1T1R);
    ``cap_row2``: 1T1R word line; ``unit_cap``/``unit_res``: a row's capacitance/resistance per
    cell (the row driver's distributed line)."""

    length_row: float
    length_col: float
    array_height: float  # rows x cell height at the cell's own feature size (reference columns)
    array_width_unit: float
    cap_row1: float
    cap_row2: float
    cap_col: float
    res_row: float
    res_col: float
    res_cell_access: float
    cap_cell_access: float
    unit_cap: float
    unit_res: float
    res_mem_cell_on: float  # eNVM: one cell on, with its access device
    res_mem_cell_avg: float  # eNVM: mean cell resistance with half of the parallel rows on

    @property
    def column_cap(self) -> float:
        return self.cap_col


def _fin(tech) -> int:
    """FinFET/GAA nodes (<= 14 nm) count transistor widths in pairs of fins."""
    return 2 if tech.feature_size_in_nano <= 14 else 1


def _min_cell_size_f(node_nm: int) -> tuple[float, float]:
    """(height, width) in F of the smallest logic cell a relaxed array cell is padded to."""
    height, width = MAX_TRANSISTOR_HEIGHT, (MIN_GAP_BET_GATE_POLY + POLY_WIDTH) * 2
    if node_nm in _MAX_HEIGHT_BY_NODE:
        height *= _MAX_HEIGHT_BY_NODE[node_nm] / MAX_TRANSISTOR_HEIGHT
        width *= _CPP_BY_NODE[node_nm] / (MIN_GAP_BET_GATE_POLY + POLY_WIDTH)
    return height, width


def array_wires(p, tech, cell) -> ArrayWires:
    """The array's size and parasitics (V1.4 manual, "SubArray"; 0.2 fF/um wires, metal-1 rows,
    metal-0 columns; the access transistors load the lines they gate or drain onto)."""
    f, rows, cols = tech.feature_size, p.num_row_subarray, p.num_col_subarray
    min_h, min_w = _min_cell_size_f(tech.feature_size_in_nano)
    cw, ch, fc = cell.width_in_feature_size, cell.height_in_feature_size, cell.feature_size
    relax_w, relax_h = p.relax_array_cell_width, p.relax_array_cell_height
    if cell.is_sram:  # the SRAM cell's width is the logic layout's height, hence the swap
        length_row = cols * (max(cw, min_h) if relax_w else cw) * f
        length_col = rows * (max(ch, min_w) if relax_h else ch) * f
        width_unit = cw * f
    elif is_1t1r(cell):
        length_row = cols * (max(cw, min_w * 2) if relax_w else cw) * f
        length_col = rows * (max(ch, min_h) if relax_h else ch) * f
        width_unit = cw * fc
    else:  # crossbar: cell at its own feature size
        length_row = cols * (max(cw * fc, min_w * 2 * f) if relax_w else cw * fc)
        length_col = rows * (max(ch * fc, min_h * f) if relax_h else ch * fc)
        width_unit = cw * fc
    cap_row1 = cap_row2 = length_row * WIRE_CAP_PER_M
    cap_col = length_col * WIRE_CAP_PER_M
    res_row, res_col = length_row * p.metal1_unit_wire_res, length_col * p.metal0_unit_wire_res
    unit_res = res_row / cols
    temp, cap_cell_access = p.temperature_k, 0.0
    if cell.is_sram:
        w_access = cell.width_access_cmos * _fin(tech) * f
        res_access = formula.on_resistance(w_access, NMOS, temp, tech)
        cap_cell_access = formula.drain_cap(w_access, NMOS, MAX_TRANSISTOR_HEIGHT * f, tech)
        unit_cap = cap_row1 / cols  # the bare word line
        if tech.feature_size_in_nano <= 14:
            cap_col += tech.cap_draintotal * cell.width_access_cmos * tech.effective_width * rows
        else:
            cap_col += cap_cell_access * rows
        # access gates on the word line: one per cell in parallel read, two (read port) sequential
        cap_row1 += (2 if p.conventional_sequential else 1) * formula.gate_cap(w_access, tech) * cols
        on = avg = 0.0
    else:
        if is_1t1r(cell):
            res_access = cell.res_cell_access
            w_access = cell.width_access_cmos * _fin(tech) * f
            cap_row2 += formula.gate_cap(w_access, tech) * cols
            unit_cap = cap_row2 / cols
            cap_col += formula.drain_cap(w_access, NMOS, MAX_TRANSISTOR_HEIGHT * f, tech) * rows
        else:
            res_access, unit_cap = 0.0, cap_row1 / cols
        on, _, avg = res_mem_cell(cell, p.num_row_parallel)
    return ArrayWires(length_row, length_col, rows * ch * fc, width_unit, cap_row1, cap_row2, cap_col, res_row,
                      res_col, res_access, cap_cell_access, unit_cap, unit_res, on, avg)


def _cell_leakage(p, tech, cell) -> float:
    """Static power of one SRAM cell (its two inverters); eNVM cells do not leak."""
    if not cell.is_sram:
        return 0.0
    f = tech.feature_size
    return formula.gate_leakage(INV, 1, cell.width_sram_cell_nmos * _fin(tech) * f,
                                cell.width_sram_cell_pmos * _fin(tech) * f, p.temperature_k, tech) * tech.vdd * 2


@dataclass(frozen=True)
class SubArrayModel:
    """An immutable subarray: spec, array wires, parts (`macro`) and floorplan (SI units).

    ``leakage_sram_in_use_w``: the SRAM cells that keep leaking while the array computes (the
    tile counts them apart); 0 for eNVM.
    """

    spec: SubArraySpec
    wires: ArrayWires
    macro: Macro
    height: float
    width: float
    leakage_sram_in_use_w: float
    reference_energy_peri: float  # SRAM parallel read: the MLSA reference columns' word-line energy (else 0)

    # --- static figures (`arch` evaluator) -------------------------------------------------------
    @property
    def area(self) -> float:
        return self.height * self.width

    @property
    def area_breakdown(self) -> Breakdown:
        return self.macro.area_m2()

    @property
    def used_area(self) -> float:
        return self.area_breakdown.total

    @property
    def empty_area(self) -> float:
        return self.area - self.used_area

    @property
    def area_array(self) -> float:
        return self.area_breakdown.array

    @property
    def area_adc(self) -> float:
        return self.area_breakdown.adc

    @property
    def area_accum(self) -> float:
        return self.area_breakdown.accumulation

    @property
    def area_other(self) -> float:
        return self.area_breakdown.other

    @property
    def leakage(self) -> float:
        return self.macro.leakage_w()

    @property
    def is_sram(self) -> bool:
        return self.spec.sram

    @property
    def res_cell_access(self) -> float:
        return self.wires.res_cell_access

    # --- the ADC's data-dependent energy --------------------------------------------------------
    @property
    def adc(self) -> ComponentModel:
        return self.macro.part("adc").model

    def adc_column_energy_sum(self, column_resistance) -> np.ndarray:
        """(n_vectors,) the column-resistance-dependent energy of one conversion (J); a read's ADC
        energy is affine in it with slope `ReadTable.adc_num_read`."""
        r = np.atleast_2d(np.asarray(column_resistance, dtype=float))
        energy = np.asarray(self.adc.cost("column_energy", column_resistance=r).energy_j, dtype=float)
        return np.broadcast_to(energy, (r.shape[0],)) + self.adc.cost("convert").energy_j

    def adc_energy_kernel_args(self):
        """The compiled form of the ADC's ``column_energy`` (built-in ADCs), else None."""
        return self.adc.compiled.get("column_energy")


def _floorplan(parts, wires: ArrayWires) -> tuple[float, float]:
    """(height, width): column-side blocks stacked with the array, row-side blocks side by side
    left of it (the column-mux decoder in the corner beside them), repeaters widening the rows."""
    height, row_side, corner, spread = wires.length_col, 0.0, 0.0, 0.0
    for part in parts:
        m = part.model
        if part.role == "array":
            continue
        if part.role in _ROW_SIDE:
            row_side += m.width_m
        elif part.role in _CORNER:
            corner = max(corner, m.width_m)
        elif part.role in _SPREAD_OVER_ROWS:
            spread += m.area_m2 / wires.length_col
        else:
            height += m.height_m * part.count
    return height, max(row_side, corner) + wires.length_row + spread


def build_subarray(p, tech, cell, adc=None) -> SubArrayModel:
    """The subarray of resolved parameters ``p`` (its size is ``num_row_subarray`` x
    ``num_col_subarray``); ``adc``: a plug-in builder of the ``adc`` role (None: built-in)."""
    spec = SubArraySpec.of(p, cell)
    w = array_wires(p, tech, cell)
    rep = repeaters(p, tech, sized=spec.parallel and (spec.sram or spec.one_t_one_r))
    col_delay = column_settling(p, tech, cell, w)
    if spec.sram:  # half of the enabled rows on
        mux_res_tg = half_parallel_rows(w.res_cell_access, spec.num_row_parallel, p.compat)
    elif spec.parallel:
        mux_res_tg = w.res_mem_cell_avg / spec.num_row_parallel
    else:
        mux_res_tg = w.res_mem_cell_on
    vdd2 = tech.vdd * tech.vdd
    # SRAM parallel read: the MLSA reference columns' word lines (one row's wire per reference column)
    ref_peri = w.cap_row1 / spec.num_col * vdd2 * spec.num_row if spec.sram and spec.parallel else 0.0
    parts = periphery_parts(p, tech, cell, w, rep, mux_res_tg=mux_res_tg, adc=adc, reference_energy_peri=ref_peri)
    parts += accumulation_parts(p, tech, cell, w)
    cell_leak = _cell_leakage(p, tech, cell)
    rows, cols = spec.num_row, spec.num_col
    array = ComponentModel(kind="cim_array", area_m2=w.length_row * w.length_col, height_m=w.length_col,
                           width_m=w.length_row, leakage_w=cell_leak * rows * cols,
                           actions={"activate_row": ActionCost(energy_j=row_energy(p, tech, cell, w, rep)),
                                    "bitline": ActionCost(latency_s=col_delay)})
    parts.insert(0, Part("array", array, "array"))
    height, width = _floorplan(parts, w)
    if not spec.sram:
        in_use = 0.0
    elif spec.parallel:  # every cell but those on the rows of the ADCs' current group
        in_use = cell_leak * (rows * cols - spec.num_row_parallel * spec.num_adc)
    else:
        in_use = cell_leak * (rows - 1) * cols
    return SubArrayModel(spec, w, Macro("subarray", tuple(parts)), height, width, in_use, ref_peri)


class ReadTable(NamedTuple):
    """Per-vector read results of a subarray slice, indexed by the active-row count n.

    ``latency``: (4, n) total / ADC / accumulation / other; ``energy``: (4, n) total / ADC /
    accumulation / other (None in the clock pass).  For eNVM the energies are those of open
    columns: a vector with column resistances R adds ``(adc_column_energy_sum(R) -
    open_column_sum) * adc_num_read[n]`` to its total and ADC energy (``adc_num_read`` is None
    for SRAM, whose table is exact).  Latencies in clock cycles when synchronous (else s),
    energies J, leakages W.
    """

    latency: np.ndarray
    energy: np.ndarray | None
    adc_num_read: np.ndarray | None
    open_column_sum: float
    leakage: float
    leakage_sram_in_use: float


def read_table(model: SubArrayModel, num_cols: int, clock_pass: bool, max_rows: int = 0,
               clk_freq_hz: float = 1e9) -> ReadTable:
    """The read of a ``num_cols``-column slice for n = 0..max(num_row, max_rows) active rows.

    ``clock_pass``: only the sensing cycle (s; the clock period is its maximum over the vectors);
    else the performance pass at ``clk_freq_hz`` (the synchronous latencies count its cycles).
    SRAM columns take their real resistance (a function of n alone); eNVM columns are open, their
    real ADC energy is added per vector (see `ReadTable`).
    """
    spec = model.spec
    counts = np.arange(max(spec.num_row, max_rows) + 1)
    activity = counts / float(spec.num_row)
    if clock_pass:
        latency = np.zeros((4, counts.size))
        latency[0] = sensing_cycle(model).period_s
        return ReadTable(latency, None, None, 0.0, 0.0, 0.0)
    if spec.sram:
        by_count = sram_resistance_by_count(counts.size - 1, model.wires.res_cell_access,
                                            spec.wire_resistance_col)
        resistance = np.repeat(by_count[:, np.newaxis], num_cols, axis=1)
    else:
        resistance = np.full((counts.size, num_cols), np.inf)
    latency = np.stack(read_latency(model, activity, clk_freq_hz))
    energy = np.stack(read_energy(model, resistance, activity)[:4])
    leakage, in_use = float(model.leakage), float(model.leakage_sram_in_use_w)
    if spec.sram:
        return ReadTable(latency, energy, None, 0.0, leakage, in_use)
    adc_num_read = np.broadcast_to(spec.num_add if spec.parallel else spec.num_row * activity, counts.shape)
    open_sum = float(model.adc_column_energy_sum(resistance[:1])[0])
    return ReadTable(latency, energy, np.array(adc_num_read, dtype=float), open_sum, leakage, in_use)
