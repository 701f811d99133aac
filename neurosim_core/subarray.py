"""One compute-in-memory subarray with its periphery, and its batched (trace-driven) read model.

Model: NeuroSim V1.4 ``SubArray.cpp`` model (DNN+NeuroSim V1.4 manual, "SubArray"), in the two
conventional inference modes:

* **parallel** (``conventional_parallel``): ``num_row_parallel`` rows are read at once and
  ``num_col_muxed`` columns share one ADC (multilevel sense amplifier + encoder, or SAR ADC);
  partial sums of the ``num_add = num_row // num_row_parallel`` row groups are added by an
  adder + DFF; shift-adders combine cell bits (weight) and input bits.
* **sequential** (``conventional_sequential``): rows are read one at a time; SRAM uses a
  row decoder + voltage sense amplifiers; eNVM (RRAM/FeFET) a row decoder/driver, a column mux
  and a multilevel sense amplifier (or SAR ADC); an adder + DFF accumulates row by row.

Memory types: SRAM (8T-like cell, CMOS access), RRAM and FeFET (1T1R, or crossbar without an
access device).  The model's BNN/XNOR modes, write path and FPGA options are dropped.

Quantities the model passes to other modules through its global ``param`` object are
attributes here and explicit keyword arguments of the circuit methods (DESIGN.md):
``unit_cap``, ``unit_res``, ``column_cap``, ``array_height``, ``array_width_unit``,
``drive_cap_in``, ``reference_energy_peri`` (set for SRAM parallel only, 0 otherwise, as in
the model), and ``res_cell_access``.  The model's ``rowdelay / muxdelay / ADClatency``
diagnostics are ``row_delay``, ``mux_delay`` and ``adc_latency`` (set by the clock pass of the
parallel modes).

Batched read (the speed contract): the reference calls ``CalculateLatency`` / ``CalculatePower``
once per input bit-vector.  Here ``calculate_latency`` and ``calculate_power`` take every
vector of a subarray position at once and return per-vector results that equal, to float
rounding, the reference's per-vector values.  See those methods for the exact contract.

Differences from the reference (each a reference bug that gives NaN):

* eNVM sequential mode, input vector with no active row: the reference's column resistance is
  0/0 = NaN and its ADC energy NaN * 0 = NaN; we give the ADC energy of such a vector as 0
  (the ADC is read ``num_row * activity = 0`` times).
* Members the reference never initialises for a mode (e.g. the access resistance of a
  crossbar cell, the repeater sizes when ``buffer_number == 0``, the write activities) are 0.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from . import formula, quirks
from .circuits.adc import sar_adc
from .circuits.mlsa_role import mlsa_adc_builder
from .circuits.arithmetic import Adder, ShiftAdd
from .circuits.decoders import DecoderDriver, RowDecoder, WLNewDecoderDriver
from .circuits.dff import DFF
from .circuits.sram_periphery import Precharger, SenseAmp, SRAMWriteDriver
from .circuits.switching import LevelShifter, Mux, NewSwitchMatrix, SwitchMatrix
from .circuits.base import Component
from .kernels import sram_resistance_by_count
from .plugins import AdcBuilder, AdcSlot
from .subarray_energy import SubArrayEnergy
from .subarray_latency import SubArrayLatency
from .constants import (
    COL_MODE,
    CPP_1NM,
    CPP_2NM,
    CPP_3NM,
    CPP_5NM,
    CPP_7NM,
    CPP_10NM,
    INV,
    IR_DROP_TOLERANCE,
    LINEAR_REGION_RATIO,
    MAX_TRANSISTOR_HEIGHT,
    MAX_TRANSISTOR_HEIGHT_1NM,
    MAX_TRANSISTOR_HEIGHT_2NM,
    MAX_TRANSISTOR_HEIGHT_3NM,
    MAX_TRANSISTOR_HEIGHT_5NM,
    MAX_TRANSISTOR_HEIGHT_7NM,
    MAX_TRANSISTOR_HEIGHT_10NM,
    MAX_TRANSISTOR_HEIGHT_14NM,
    MIN_GAP_BET_GATE_POLY,
    MIN_GAP_BET_GATE_POLY_FINFET,
    NMOS,
    PMOS,
    POLY_WIDTH,
    POLY_WIDTH_FINFET,
    ROW_MODE,
    AreaModify,
    CellAccessType,
    DecoderMode,
    MemCellType,
)

__all__ = ["SubArray"]


#: ramp input the model uses for "ideal step" inputs
_STEP = 1e20
#: wire capacitance per metre used for rows and columns (0.2 fF/um)
_WIRE_CAP_PER_M = 0.2e-15 / 1e-6
#: inference never writes the array: every write activity / write count the periphery takes is 0
#: (the write path is the on-chip training estimator's, `neurosim_core.training`)
_NO_WRITE = 0.0
#: model's "NONSPIKING" shift-add mode (input bits in binary)
_NONSPIKING = 0

_MAX_HEIGHT_BY_NODE = {14: MAX_TRANSISTOR_HEIGHT_14NM, 10: MAX_TRANSISTOR_HEIGHT_10NM,
                       7: MAX_TRANSISTOR_HEIGHT_7NM, 5: MAX_TRANSISTOR_HEIGHT_5NM,
                       3: MAX_TRANSISTOR_HEIGHT_3NM, 2: MAX_TRANSISTOR_HEIGHT_2NM,
                       1: MAX_TRANSISTOR_HEIGHT_1NM}
_CPP_BY_NODE = {14: POLY_WIDTH_FINFET + MIN_GAP_BET_GATE_POLY_FINFET, 10: CPP_10NM, 7: CPP_7NM,
                5: CPP_5NM, 3: CPP_3NM, 2: CPP_2NM, 1: CPP_1NM}


def _min_cell_size_f(node_nm: int) -> tuple[float, float]:
    """(height, width) in F of the smallest logic cell a relaxed array cell is padded to."""
    height = MAX_TRANSISTOR_HEIGHT
    width = (MIN_GAP_BET_GATE_POLY + POLY_WIDTH) * 2
    if node_nm in _MAX_HEIGHT_BY_NODE:
        height *= _MAX_HEIGHT_BY_NODE[node_nm] / MAX_TRANSISTOR_HEIGHT
        width *= _CPP_BY_NODE[node_nm] / (MIN_GAP_BET_GATE_POLY + POLY_WIDTH)
    return height, width


class ReadTable(NamedTuple):
    """Per-vector read results of a subarray slice, indexed by the active-row count n (`SubArray.read_table`).

    ``latency``: (4, n) read latency total / ADC / accumulation / other; ``energy``: (4, n)
    read dynamic energy total / ADC / accumulation / other (None in the clock pass).  For eNVM
    the energies are those of open columns: a vector with column resistances R adds
    ``(adc_column_energy_sum(R) - open_column_sum) * adc_num_read[n]`` to its total and ADC
    energy (``adc_num_read`` is None for SRAM, whose table is exact).  Latencies are in the
    units of `SubArray.calculate_latency`, energies in J, leakages in W.
    """

    latency: np.ndarray
    energy: np.ndarray | None
    adc_num_read: np.ndarray | None
    open_column_sum: float
    leakage: float
    leakage_sram_in_use: float


class SubArray(SubArrayLatency, SubArrayEnergy, Component):
    """CIM subarray (NeuroSim V1.4 SubArray model): array + row drivers + column mux + ADC + accumulation.

    Construction follows the model's ``ProcessingUnitInitialize``: the configuration (mode,
    ADC, precisions, muxing) is read from ``p``; then call ``initialize(num_row, num_col,
    unit_wire_res)``, ``calculate_area()``, and per subarray position ``calculate_latency`` /
    ``calculate_power``.

    Settable attributes the processing-element model may change between passes, as the model
    does: ``clk_freq`` (Hz; the synchronous accumulation latency counts cycles of it) and
    ``level_output`` (the model sets it to ``p.level_output`` in parallel mode and to
    ``2**cell_bit`` in sequential mode before each read; it only enters the parallel-mode
    partial-sum DFF energy, so both settings give the model's numbers).
    """

    def __init__(self, p, tech, cell, adc: "AdcBuilder | None" = None):
        super().__init__(p, tech, cell)
        self.conventional_parallel = bool(p.conventional_parallel)
        self.conventional_sequential = bool(p.conventional_sequential)
        self.is_sram = cell.mem_cell_type == MemCellType.SRAM
        self.is_1t1r = cell.access_type == CellAccessType.CMOS_access
        self.num_row = p.num_row_subarray
        self.num_col = p.num_col_subarray
        self.level_output = p.level_output
        self.num_col_muxed = min(p.num_col_muxed, p.num_col_subarray)
        self.clk_freq = p.clk_freq_hz
        self.relax_array_cell_height = bool(p.relax_array_cell_height)
        self.relax_array_cell_width = bool(p.relax_array_cell_width)
        self.num_read_pulse = p.input_bits
        self.avg_weight_bit = p.cell_bit
        self.num_cell_per_synapse = p.num_col_per_synapse
        self.current_mode = bool(p.current_mode)
        self.validated = bool(p.validated)
        self.synchronous = bool(p.synchronous)
        self.num_row_parallel = p.num_row_parallel
        self.num_add = p.num_row_subarray // p.num_row_parallel
        self.num_read_cell_per_operation_neuro = p.num_col_subarray
        self.num_write_cell_per_operation_neuro = p.num_col_subarray
        self.num_write_cell_per_operation_memory = p.num_col_subarray // 8

        # circuit modules (the model's member objects; unused ones keep zero results)
        self.wl_level_shifter = LevelShifter(p, tech, cell)
        self.sl_level_shifter = LevelShifter(p, tech, cell)
        self.bl_level_shifter = LevelShifter(p, tech, cell)
        self.wl_decoder = RowDecoder(p, tech, cell)
        self.wl_new_decoder_driver = WLNewDecoderDriver(p, tech, cell)
        self.wl_decoder_driver = DecoderDriver(p, tech, cell)
        self.wl_new_switch_matrix = NewSwitchMatrix(p, tech, cell)
        self.wl_switch_matrix = SwitchMatrix(p, tech, cell)
        self.sl_switch_matrix = SwitchMatrix(p, tech, cell)
        self.mux = Mux(p, tech, cell)
        self.mux_decoder = RowDecoder(p, tech, cell)
        self.precharger = Precharger(p, tech, cell)
        self.sense_amp = SenseAmp(p, tech, cell)
        self.sram_write_driver = SRAMWriteDriver(p, tech, cell)
        self.dff = DFF(p, tech, cell)
        self.adder = Adder(p, tech, cell)
        self.shift_add_input = ShiftAdd(p, tech, cell)
        self.shift_add_weight = ShiftAdd(p, tech, cell)
        # the ADC role as an arch model (a plug-in, or the built-in SAR); the MLSA above is the
        # other built-in ADC, not yet converted, in which case the slot stays empty
        builder = adc if adc is not None else (sar_adc if p.adc_type == "sar" else None)
        self.adc_slot = AdcSlot(builder, p, tech, cell)  # builder None: the MLSA, set by _init_adc
        self._accum_ops = None  # (reads, adders per read, bits per read) of the last read's accumulation
        self._shift_ops: list = []  # (role, shift-add unit, shift-adds per read) of the last read

        # derived electrical quantities (set by initialize)
        self.res_cell_access = 0.0
        self.cap_cell_access = 0.0
        self.width_access_cmos = cell.width_access_cmos  # in F
        self.res_mem_cell_on = 0.0
        self.res_mem_cell_off = 0.0
        self.res_mem_cell_avg = 0.0
        self.unit_cap = 0.0
        self.unit_res = 0.0
        self.column_cap = 0.0
        self.array_height = 0.0
        self.array_width_unit = 0.0
        self.reference_energy_peri = 0.0
        # repeaters on the rows (buffer_number > 0 at 2/1 nm)
        self.width_inv_n = self.width_inv_p = 0.0
        self.h_inv = self.w_inv = 0.0
        self.drive_cap_in = self.drive_cap_out = 0.0
        self.section_res = self.target_drive_res = 0.0
        # diagnostics
        self.col_delay = 0.0
        self.row_delay = self.mux_delay = self.adc_latency = 0.0
        self.area_array = self.area_adc = self.area_accum = self.area_other = 0.0
        self.height_array = self.width_array = 0.0
        self.read_latency_adc = self.read_latency_accum = self.read_latency_other = 0.0
        self.read_dynamic_energy_adc = self.read_dynamic_energy_accum = 0.0
        self.read_dynamic_energy_other = self.read_dynamic_energy_array = 0.0
        self.leakage_sram_in_use = 0.0

    # ------------------------------------------------------------------------------------------
    # helpers
    @property
    def _fin(self) -> int:
        """FinFET/GAA nodes (<= 14 nm) count transistor widths in pairs of fins."""
        return 2 if self.tech.feature_size_in_nano <= 14 else 1

    @property
    def _beta(self) -> float:
        """Silicon-calibration factor of the sensing cycle (beta), 1 when not validated."""
        return self.p.beta if self.validated else 1.0

    @property
    def _num_adc(self) -> int:
        """Number of ADCs (columns // num_col_muxed)."""
        return self.num_col // self.num_col_muxed

    def _row_bus_kwargs(self) -> dict:
        return dict(unit_cap=self.unit_cap, unit_res=self.unit_res, drive_cap_in=self.drive_cap_in)

    def _size_repeaters(self, res_row: float) -> None:
        """Repeater (inverter) sizing for long rows (model's V1.4 buffer insertion)."""
        p, tech, f = self.p, self.tech, self.tech.feature_size
        temp = p.temperature_k
        self.section_res = res_row / (p.buffer_number + 1)
        self.target_drive_res = formula.on_resistance(self._fin * f * p.buffer_size_ratio, NMOS, temp, tech)
        self.width_inv_n = formula.on_resistance(self._fin * f, NMOS, temp, tech) / self.target_drive_res * f
        self.width_inv_p = formula.on_resistance(self._fin * f, PMOS, temp, tech) / self.target_drive_res * f
        if tech.feature_size_in_nano <= 14:
            self.width_inv_n = 2 * math.ceil(self.width_inv_n / f) * f
            self.width_inv_p = 2 * math.ceil(self.width_inv_p / f) * f

    def _init_accumulation_parallel(self) -> None:
        """Partial-sum adder/DFF (num_add > 1) and the weight/input shift-adders, parallel mode."""
        clk, ncps, levels = self.clk_freq, self.num_cell_per_synapse, self.level_output
        adder_bit = int(math.log2(levels) + math.ceil(math.log2(self.num_add)))
        num_adder = self._num_adc
        if self.num_add > 1:
            self.dff.initialize(adder_bit * num_adder, clk)
            self.adder.initialize(adder_bit - 1, num_adder, clk)
        if self.is_sram:
            weight_bits, input_bits = adder_bit, adder_bit + ncps
        else:  # the model sizes the eNVM shift-adders for the ADC output only
            weight_bits, input_bits = int(math.log2(levels)), int(math.log2(levels) + ncps)
        if ncps > 1:
            self.shift_add_weight.initialize(num_adder, weight_bits, clk, _NONSPIKING, ncps)
        if self.num_read_pulse > 1:
            self.shift_add_input.initialize(num_adder, input_bits, clk, _NONSPIKING, self.num_read_pulse)

    def _per_half_parallel_rows(self, value: float) -> float:
        """``value / (num_row_parallel / 2)``: half of the enabled rows assumed on.  V1.4 halves in
        integers (quirk ``integer_half_parallel_rows``: one parallel row gives an infinite value)."""
        if quirks.applies("integer_half_parallel_rows", self.p.compat):
            half = self.num_row_parallel // 2
            return value / half if half else math.inf
        return value / (self.num_row_parallel / 2)

    def _init_adc(self, level_output: int, parallel: bool) -> None:
        clk, n_read = self.clk_freq, self.num_read_cell_per_operation_neuro
        if self.adc_slot.builder is None:  # the built-in multilevel sense amp
            p, vdd2 = self.p, self.tech.vdd * self.tech.vdd

            def reference_energy_peri() -> float:  # the SRAM reference columns' row interface
                if self.is_sram:
                    self.reference_energy_peri = self.cap_row1 / p.num_col_subarray * vdd2 * self.num_row
                return self.reference_energy_peri

            self.adc_slot.builder = mlsa_adc_builder(
                p, self.cell, parallel=parallel, res_cell_access=self.res_cell_access, array_height=self.array_height,
                array_width_unit=self.array_width_unit, reference_energy_peri=reference_energy_peri)
        self.adc_slot.initialize(self._num_adc, level_output, clk, n_read)
        self.adc_slot.column_cap = self.column_cap

    def _init_mux(self, res_tg: float) -> None:
        if self.num_col_muxed > 1:
            self.mux.initialize(self._num_adc, self.num_col_muxed, res_tg, False)
            self.mux_decoder.initialize(DecoderMode.REGULAR_ROW, math.ceil(math.log2(self.num_col_muxed)), True, False)

    def _switch_matrix_init(self, sm: SwitchMatrix, mode: int, num_output: int, res_tg: float) -> None:
        sm.initialize(mode, num_output, res_tg, True, False, 0.0, _NO_WRITE,
                      self.num_write_cell_per_operation_memory, self.num_write_cell_per_operation_neuro,
                      1, self.clk_freq)

    # ------------------------------------------------------------------------------------------
    def initialize(self, num_row: int, num_col: int, unit_wire_res: float) -> None:
        """Array geometry, row/column parasitics and periphery sizing (model's ``Initialize``)."""
        p, tech, cell = self.p, self.tech, self.cell
        f = tech.feature_size
        self.num_row, self.num_col = num_row, num_col
        self.unit_wire_res = unit_wire_res
        min_h, min_w = _min_cell_size_f(tech.feature_size_in_nano)
        cell_w, cell_h = cell.width_in_feature_size, cell.height_in_feature_size

        # array size
        if self.is_sram:  # the SRAM cell's width is the logic layout's height, hence the swap
            self.length_row = num_col * (max(cell_w, min_h) if self.relax_array_cell_width else cell_w) * f
            self.length_col = num_row * (max(cell_h, min_w) if self.relax_array_cell_height else cell_h) * f
            self.array_width_unit = cell_w * f
        elif self.is_1t1r:
            self.length_row = num_col * (max(cell_w, min_w * 2) if self.relax_array_cell_width else cell_w) * f
            self.length_col = num_row * (max(cell_h, min_h) if self.relax_array_cell_height else cell_h) * f
            self.array_width_unit = cell_w * cell.feature_size
        else:  # crossbar
            fc = cell.feature_size
            self.length_row = num_col * (max(cell_w * fc, min_w * 2 * f) if self.relax_array_cell_width else cell_w * fc)
            self.length_col = num_row * (max(cell_h * fc, min_h * f) if self.relax_array_cell_height else cell_h * fc)
            self.array_width_unit = cell_w * fc
        self.array_height = num_row * cell_h * cell.feature_size

        self.cap_row1 = self.length_row * _WIRE_CAP_PER_M  # BL for 1T1R, WL for crossbar and SRAM
        self.cap_row2 = self.length_row * _WIRE_CAP_PER_M  # WL for 1T1R
        self.cap_col = self.length_col * _WIRE_CAP_PER_M
        self.res_row = self.length_row * p.metal1_unit_wire_res
        self.res_col = self.length_col * p.metal0_unit_wire_res
        self.column_cap = self.cap_col

        if self.is_sram:
            self._initialize_sram()
        else:
            self._initialize_envm()
        self.initialized = True

    def _initialize_sram(self) -> None:
        p, tech, cell = self.p, self.tech, self.cell
        f, temp, num_row, num_col, clk = tech.feature_size, p.temperature_k, self.num_row, self.num_col, self.clk_freq
        w_access = cell.width_access_cmos * self._fin * f
        self.res_cell_access = formula.on_resistance(w_access, NMOS, temp, tech)
        self.cap_cell_access = formula.drain_cap(w_access, NMOS, MAX_TRANSISTOR_HEIGHT * f, tech)
        self.unit_cap = self.cap_row1 / p.num_col_subarray
        self.unit_res = self.res_row / p.num_col_subarray
        if tech.feature_size_in_nano <= 14:
            self.cap_col += tech.cap_draintotal * cell.width_access_cmos * tech.effective_width * num_row
        else:
            self.cap_col += formula.drain_cap(w_access, NMOS, MAX_TRANSISTOR_HEIGHT * f, tech) * num_row
        self.column_cap = self.cap_col
        gate_access = formula.gate_cap(w_access, tech)

        if self.conventional_sequential:
            self.cap_row1 += 2 * gate_access * num_col
            self.wl_decoder.initialize(DecoderMode.REGULAR_ROW, math.ceil(math.log2(num_row)), False, False)
            self.sense_amp.initialize(num_col, False, cell.min_sense_voltage, self.length_row / num_col, clk,
                                      self.num_read_cell_per_operation_neuro)
            adder_bit = math.ceil(math.log2(num_row)) + 1
            num_adder = num_col // self.num_cell_per_synapse
            self.dff.initialize(adder_bit * num_col, clk)
            self.adder.initialize(adder_bit - 1, num_col, clk)
            if self.num_cell_per_synapse > 1:
                self.shift_add_weight.initialize(num_adder, adder_bit, clk, _NONSPIKING, self.num_cell_per_synapse)
            if self.num_read_pulse > 1:
                self.shift_add_input.initialize(num_adder, adder_bit + self.num_cell_per_synapse, clk, _NONSPIKING,
                                                self.num_read_pulse)
        else:
            self.cap_row1 += gate_access * num_col  # one WL is on per ADC conversion
            if p.buffer_number > 0:
                self._size_repeaters(self.res_row)
                self._switch_matrix_init(self.wl_switch_matrix, ROW_MODE, num_row, self.section_res)
            else:
                self._switch_matrix_init(self.wl_switch_matrix, ROW_MODE, num_row, self.res_row)
            # half of the enabled rows assumed on (model: numRowParallel/2 in integers)
            self._init_mux(self._per_half_parallel_rows(self.res_cell_access))
            self._init_adc(self.level_output, parallel=True)
            self._init_accumulation_parallel()
        self.precharger.initialize(num_col, self.res_col, _NO_WRITE,
                                   self.num_read_cell_per_operation_neuro, self.num_write_cell_per_operation_neuro)
        self.sram_write_driver.initialize(num_col, _NO_WRITE, self.num_write_cell_per_operation_neuro)

    def _initialize_envm(self) -> None:
        p, tech, cell = self.p, self.tech, self.cell
        f, temp, num_row, num_col, clk = tech.feature_size, p.temperature_k, self.num_row, self.num_col, self.clk_freq
        r_on, r_off, n_par = cell.resistance_on, cell.resistance_off, self.num_row_parallel
        if self.is_1t1r:
            self.res_cell_access = r_on * IR_DROP_TOLERANCE
            self.width_access_cmos = (formula.on_resistance(self._fin * f, NMOS, temp, tech) * LINEAR_REGION_RATIO
                                      / self.res_cell_access)
            width_f = self.width_access_cmos
            if tech.feature_size_in_nano <= 14:  # number of fins -> F
                width_f = ((self.width_access_cmos - 1) * tech.pitch_fin + tech.width_fin) / f
            if width_f > cell.width_in_feature_size:
                raise ValueError(f"1T1R access transistor width {self.width_access_cmos:.2f}F exceeds the cell "
                                 f"width {cell.width_in_feature_size:.2f}F")
            w_access = self.width_access_cmos * self._fin * f
            self.cap_row2 += formula.gate_cap(w_access, tech) * num_col
            self.unit_cap = self.cap_row2 / p.num_col_subarray
            self.unit_res = self.res_row / p.num_col_subarray
            self.cap_col += formula.drain_cap(w_access, NMOS, MAX_TRANSISTOR_HEIGHT * f, tech) * num_row
            self.column_cap = self.cap_col
        else:  # crossbar: no access device (the model leaves unit_cap/res stale; we use the row's)
            self.res_cell_access = 0.0
            self.unit_cap = self.cap_row1 / p.num_col_subarray
            self.unit_res = self.res_row / p.num_col_subarray
        self.res_mem_cell_on = self.res_cell_access + r_on
        self.res_mem_cell_off = self.res_cell_access + r_off
        self.res_mem_cell_avg = 1 / (1 / (r_on + self.res_cell_access) * n_par / 2.0
                                     + 1 / (r_off + self.res_cell_access) * n_par / 2.0) * n_par

        if cell.write_voltage > 1.5:
            self.wl_level_shifter.initialize(num_row, 0.0, clk)
            self.bl_level_shifter.initialize(num_row, 0.0, clk)
            self.sl_level_shifter.initialize(num_col, _NO_WRITE, clk)

        if self.conventional_sequential:
            res_tg = self.res_mem_cell_on
            num_adder = math.ceil(num_col / self.num_col_muxed)
            adder_bit = math.ceil(math.log2(num_row)) + self.avg_weight_bit
            self.wl_decoder.initialize(DecoderMode.REGULAR_ROW, math.ceil(math.log2(num_row)), False, False)
            if self.is_1t1r:
                self.wl_new_decoder_driver.initialize(num_row)
            else:
                self.wl_decoder_driver.initialize(ROW_MODE, num_row, num_col)
            self._switch_matrix_init(self.sl_switch_matrix, COL_MODE, num_col, res_tg)
            if self.num_col_muxed > 1:
                self.mux.initialize(num_adder, self.num_col_muxed, res_tg, False)
                self.mux_decoder.initialize(DecoderMode.REGULAR_ROW, math.ceil(math.log2(self.num_col_muxed)),
                                            True, False)
            self._init_adc(2 ** self.avg_weight_bit, parallel=False)
            self.dff.initialize(adder_bit * num_adder, clk)
            self.adder.initialize(adder_bit - 1, num_adder, clk)
            weight_shifts = (self.num_cell_per_synapse - 1) * self.avg_weight_bit + 1
            if self.num_cell_per_synapse > 1:
                self.shift_add_weight.initialize(num_adder, adder_bit, clk, _NONSPIKING, weight_shifts)
            if self.num_read_pulse > 1:
                self.shift_add_input.initialize(num_adder, adder_bit + weight_shifts, clk, _NONSPIKING,
                                                self.num_read_pulse)
        else:
            res_tg = self.res_mem_cell_avg / n_par
            if self.is_1t1r:
                self.wl_new_switch_matrix.initialize(num_row, 0.0, clk)
                if p.buffer_number > 0:
                    self._size_repeaters(self.res_row)
            else:
                self._switch_matrix_init(self.wl_switch_matrix, ROW_MODE, num_row, res_tg * num_row / num_col)
            self._switch_matrix_init(self.sl_switch_matrix, COL_MODE, num_col, res_tg * num_row)
            self._init_mux(res_tg)
            self._init_adc(self.level_output, parallel=True)
            self._init_accumulation_parallel()

    # ------------------------------------------------------------------------------------------
    def calculate_area(self) -> None:
        """Layout area with its breakdown (model's ``CalculateArea``).

        Sets ``height, width, area, used_area, empty_area`` and ``area_array, area_adc,
        area_accum, area_other`` (m, m^2), plus ``height_array, width_array``.
        """
        if not self.initialized:
            raise RuntimeError("SubArray: initialize() first")
        none = AreaModify.NONE
        self.height_array, self.width_array = self.length_col, self.length_row
        self.area_array = self.height_array * self.width_array
        w_arr, h_arr = self.width_array, self.height_array
        if self.is_sram:
            self.precharger.calculate_area(0.0, w_arr, none)
            self.sram_write_driver.calculate_area(0.0, w_arr, none)
        elif self.cell.write_voltage > 1.5:
            self.wl_level_shifter.calculate_area(h_arr, 0.0, none)
            self.bl_level_shifter.calculate_area(h_arr, 0.0, none)
            self.sl_level_shifter.calculate_area(0.0, w_arr, none)

        if self.is_sram and self.conventional_sequential:
            self.wl_decoder.calculate_area(h_arr, 0.0, none)
            self.sense_amp.calculate_area(0.0, w_arr, AreaModify.MAGIC)
            self.adder.calculate_area(0.0, w_arr, none)
            self.dff.calculate_area(0.0, w_arr, none)
        else:
            self._area_row_drivers()
            if self.num_col_muxed > 1:
                self.mux.calculate_area(0.0, w_arr, none)
                self.mux_decoder.calculate_area(0.0, 0.0, none)
                self.mux.calculate_area(max(self.mux_decoder.height, self.mux.height), w_arr, AreaModify.OVERRIDE)
            self.adc_slot.calculate_area(0.0, w_arr, none)
            if self.conventional_sequential or self.num_add > 1:
                self.dff.calculate_area(0.0, w_arr, none)
                self.adder.calculate_area(0.0, w_arr, none)
        if self.num_read_pulse > 1:
            self.shift_add_input.calculate_area(0.0, w_arr, none)
        if self.num_cell_per_synapse > 1:
            self.shift_add_weight.calculate_area(0.0, w_arr, none)

        if self.is_sram:
            self._area_totals_sram()
        else:
            self._area_totals_envm()
        self.area = self.height * self.width
        self.empty_area = self.area - self.used_area

    def _area_row_drivers(self) -> None:
        h_arr, none = self.height_array, AreaModify.NONE
        if self.is_sram:
            self.wl_switch_matrix.calculate_area(h_arr, 0.0, none)
            return
        if self.conventional_sequential:
            self.wl_decoder.calculate_area(h_arr, 0.0, none)
            if self.is_1t1r:
                self.wl_new_decoder_driver.calculate_area(h_arr, 0.0, none)
            else:
                self.wl_decoder_driver.calculate_area(h_arr, 0.0, none)
        elif self.is_1t1r:
            self.wl_new_switch_matrix.calculate_area(h_arr, 0.0, none)
        else:
            self.wl_switch_matrix.calculate_area(h_arr, 0.0, none)
        self.sl_switch_matrix.calculate_area(0.0, self.width_array, none)

    def _buffer_area(self) -> float:
        """Row repeaters: 2 inverters per buffer stage per row (also sets their input/output cap)."""
        p, f = self.p, self.tech.feature_size
        if p.buffer_number > 0:
            _, self.h_inv, self.w_inv = formula.gate_area(INV, 1, self.width_inv_n, self.width_inv_p,
                                                          f * MAX_TRANSISTOR_HEIGHT, self.tech)
            self.drive_cap_in, self.drive_cap_out = formula.gate_capacitance(
                INV, 1, self.width_inv_n, self.width_inv_p, f * MAX_TRANSISTOR_HEIGHT, self.tech)
        else:
            self.h_inv = self.w_inv = 0.0
        return self.h_inv * self.w_inv * p.buffer_number * 2 * p.num_row_subarray

    def _mux_parts(self) -> tuple[float, float, float]:
        """(height, decoder width, area) of the column mux and its decoder (0 when not muxed)."""
        if self.num_col_muxed > 1:
            return self.mux.height, self.mux_decoder.width, self.mux.area + self.mux_decoder.area
        return 0.0, 0.0, 0.0

    def _area_totals_sram(self) -> None:
        pre, wd, sai, saw = self.precharger, self.sram_write_driver, self.shift_add_input, self.shift_add_weight
        if self.conventional_sequential:
            dec, sa, adder, dff = self.wl_decoder, self.sense_amp, self.adder, self.dff
            # DFF x2: adder and shift-add-weight pipeline registers
            self.height = (pre.height + wd.height + self.height_array + sa.height + adder.height + dff.height * 2
                           + sai.height + saw.height)
            self.width = dec.width + self.width_array
            self.used_area = (self.area_array + dec.area + pre.area + wd.area + sa.area + adder.area + dff.area * 2
                              + sai.area + saw.area)
            self.area_adc = sa.area + pre.area
            self.area_accum = adder.area + dff.area * 2 + sai.area + saw.area
            self.area_other = dec.area + wd.area
            return
        adc, sm = self.adc_slot, self.wl_switch_matrix
        buffer_area = self._buffer_area()
        mux_h, mux_dec_w, mux_area = self._mux_parts()
        acc_h, acc_area = self._partial_sum_parts()
        self.height = (pre.height + wd.height + self.height_array + adc.height + sai.height + saw.height
                       + acc_h + mux_h)
        self.width = max(sm.width, mux_dec_w) + self.width_array + buffer_area / self.length_col
        self.used_area = (self.area_array + sm.area + pre.area + wd.area + adc.area + sai.area + saw.area
                          + acc_area + mux_area + buffer_area)
        self.area_adc = adc.area + pre.area
        self.area_accum = sai.area + saw.area + acc_area
        self.area_other = sm.area + wd.area + mux_area + buffer_area

    def _partial_sum_parts(self) -> tuple[float, float]:
        if self.num_add > 1:
            return self.adder.height + self.dff.height, self.adder.area + self.dff.area
        return 0.0, 0.0

    def _area_totals_envm(self) -> None:
        adc = self.adc_slot
        sai, saw, slsm = self.shift_add_input, self.shift_add_weight, self.sl_switch_matrix
        mux_h, mux_dec_w, mux_area = self._mux_parts()
        if self.cell.write_voltage > 1.5:
            ls_h = self.sl_level_shifter.height
            ls_w = self.wl_level_shifter.width + self.bl_level_shifter.width
            ls_area = self.wl_level_shifter.area + self.bl_level_shifter.area + self.sl_level_shifter.area
        else:
            ls_h = ls_w = ls_area = 0.0
        if self.conventional_sequential:
            dec, ndd, dd, adder, dff = (self.wl_decoder, self.wl_new_decoder_driver, self.wl_decoder_driver,
                                        self.adder, self.dff)
            self.height = (ls_h + slsm.height + self.height_array + mux_h + adc.height + adder.height
                           + dff.height + sai.height + saw.height)
            self.width = max(ls_w + dec.width + ndd.width + dd.width, mux_dec_w) + self.width_array
            self.used_area = (self.area_array + ls_area + dec.area + dd.area + ndd.area + slsm.area + mux_area
                              + adc.area + adder.area + dff.area + sai.area + saw.area)
            self.area_adc = adc.area
            self.area_accum = adder.area + dff.area + sai.area + saw.area
            self.area_other = ls_area + dec.area + ndd.area + dd.area + slsm.area + mux_area
            return
        nsm, sm = self.wl_new_switch_matrix, self.wl_switch_matrix
        buffer_area = self._buffer_area()
        acc_h, acc_area = self._partial_sum_parts()
        self.height = (ls_h + slsm.height + self.height_array + mux_h + adc.height + saw.height
                       + sai.height + acc_h)
        self.width = max(ls_w + nsm.width + sm.width, mux_dec_w) + self.width_array + buffer_area / self.length_col
        self.used_area = (self.area_array + ls_area + sm.area + nsm.area + slsm.area + mux_area + adc.area
                          + saw.area + sai.area + acc_area + buffer_area)
        self.area_adc = adc.area
        self.area_accum = saw.area + sai.area + acc_area
        self.area_other = ls_area + nsm.area + sm.area + slsm.area + mux_area + buffer_area

    def read_table(self, num_cols: int, calculate_clk_freq: bool, max_rows: int = 0) -> "ReadTable":
        """Per-vector read results as a function of the number of active rows.

        Every per-vector latency of the model, and every energy except the ADC's
        column-resistance term, depends on the input vector only through its active-row count
        n (``activity_row_read = n / num_row_subarray``).  This evaluates `calculate_latency`
        (and, outside the clock pass, `calculate_power`) once for n = 0..num_row_subarray on a
        slice of ``num_cols`` columns: with the real column resistance for SRAM (a function of
        n alone) and with open columns for eNVM, whose real columns are added per vector with
        `adc_column_energy_sum` (see `ReadTable`).  ``max_rows``: the table goes up to
        max(num_row_subarray, max_rows) (the model feeds a slice taller than the subarray when a
        duplicated PE holds the whole weight matrix).  Set ``clk_freq`` first, as for the others.
        """
        p = self.p
        counts = np.arange(max(p.num_row_subarray, max_rows) + 1)
        activity = counts / float(p.num_row_subarray)
        if self.is_sram:
            by_count = sram_resistance_by_count(counts.size - 1, self.res_cell_access,
                                                float(p.wire_resistance_col))
            resistance = np.repeat(by_count[:, np.newaxis], num_cols, axis=1)
        else:
            resistance = np.full((counts.size, num_cols), np.inf)
        self.calculate_latency(resistance, activity, calculate_clk_freq)
        latency = np.stack([self.read_latency, self.read_latency_adc, self.read_latency_accum,
                            self.read_latency_other])
        if calculate_clk_freq:
            return ReadTable(latency, None, None, 0.0, 0.0, 0.0)
        self.calculate_power(resistance, activity)
        energy = np.stack([self.read_dynamic_energy, self.read_dynamic_energy_adc,
                           self.read_dynamic_energy_accum, self.read_dynamic_energy_other])
        if self.is_sram:
            return ReadTable(latency, energy, None, 0.0, float(self.leakage), float(self.leakage_sram_in_use))
        open_sum = float(self.adc_column_energy_sum(resistance[:1])[0])
        return ReadTable(latency, energy, np.array(self.adc_num_read, dtype=float), open_sum,
                         float(self.leakage), float(self.leakage_sram_in_use))
