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
from .arch import ActionCost, ComponentModel, Macro, Part, Use, energy
from .circuits.adc import MultilevelSAEncoder, MultilevelSenseAmp, SarADC
from .circuits.arithmetic import Adder, ShiftAdd
from .circuits.decoders import DecoderDriver, RowDecoder, WLNewDecoderDriver
from .circuits.dff import DFF
from .circuits.sram_periphery import Precharger, SenseAmp, SRAMWriteDriver
from .circuits.switching import LevelShifter, Mux, NewSwitchMatrix, SwitchMatrix
from .circuits.base import Component
from .kernels import sram_resistance_by_count
from .plugins import AdcBuilder, AdcSlot
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


def _snapshot(kind: str, circuit: Component) -> ComponentModel:
    """Transitional: an old-shape circuit's computed read energy as the cost of one "read"."""
    return ComponentModel(kind=kind, area_m2=circuit.area, height_m=circuit.height, width_m=circuit.width,
                          leakage_w=circuit.leakage, actions={"read": ActionCost(energy_j=circuit.read_dynamic_energy)})

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


def _cmax(a, b):
    """The model's ``MAX(a, b)`` macro, ``a > b ? a : b`` (a NaN ``a`` gives ``b``), elementwise."""
    return np.where(a > b, a, b)


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


class SubArray(Component):
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
        self.use_sar_adc = p.adc_type == "sar"
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
        self.multilevel_sense_amp = MultilevelSenseAmp(p, tech, cell)
        self.multilevel_sa_encoder = MultilevelSAEncoder(p, tech, cell)
        self.sar_adc = SarADC(p, tech, cell)
        if adc is not None:  # a plug-in ADC (neurosim_core.plugins) takes the single-ADC slot
            self.use_sar_adc = True
            self.sar_adc = AdcSlot(adc, p, tech, cell)

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

    def _repeater_latency(self, cap_row: float) -> float:
        """Delay of the repeater chain along a row (0 without repeaters)."""
        p = self.p
        if p.buffer_number <= 0:
            return 0.0
        section_num = p.num_col_subarray // (p.buffer_number + 1)
        unit_cap, unit_res = cap_row / p.num_col_subarray, self.unit_res
        r_drive, c_in, c_out = self.target_drive_res, self.drive_cap_in, self.drive_cap_out
        wire = unit_cap * section_num * (0.69 * r_drive + 0.38 * unit_res * section_num)
        t_inner = r_drive * c_out * 0.69 + wire + (unit_cap * section_num * 0.69 + 0.69 * r_drive) * c_in
        t_last = r_drive * c_out * 0.69 + wire
        t_gate = (c_out + c_in) * r_drive * 0.69
        latency = 0.0
        for i in range(p.buffer_number - 1, -1, -1):
            latency += (t_last + t_gate) if i == 0 else (t_inner + t_gate)
        return latency

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
        if self.use_sar_adc:
            self.sar_adc.initialize(self._num_adc, level_output, clk, n_read)
            self.sar_adc.column_cap = self.column_cap
        else:
            self.multilevel_sense_amp.initialize(self._num_adc, level_output, clk, n_read, parallel,
                                                 self.current_mode, res_cell_access=self.res_cell_access)
            if parallel or self.avg_weight_bit > 1:
                self.multilevel_sa_encoder.initialize(level_output, self._num_adc)

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
            if self.use_sar_adc:
                self.sar_adc.calculate_unit_area()
                self.sar_adc.calculate_area(0.0, w_arr, none)
            else:
                self.multilevel_sense_amp.calculate_area(0.0, w_arr, none, array_height=self.array_height,
                                                         array_width_unit=self.array_width_unit)
                if self.conventional_parallel or self.avg_weight_bit > 1:
                    self.multilevel_sa_encoder.calculate_area(0.0, w_arr, none)
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
        mlsa, enc, sar, sm = self.multilevel_sense_amp, self.multilevel_sa_encoder, self.sar_adc, self.wl_switch_matrix
        buffer_area = self._buffer_area()
        mux_h, mux_dec_w, mux_area = self._mux_parts()
        acc_h, acc_area = self._partial_sum_parts()
        self.height = (pre.height + wd.height + self.height_array + mlsa.height + enc.height + sai.height + saw.height
                       + acc_h + mux_h + sar.height)
        self.width = max(sm.width, mux_dec_w) + self.width_array + buffer_area / self.length_col
        self.used_area = (self.area_array + sm.area + pre.area + wd.area + mlsa.area + enc.area + sai.area + saw.area
                          + acc_area + mux_area + sar.area + buffer_area)
        self.area_adc = mlsa.area + pre.area + enc.area + sar.area
        self.area_accum = sai.area + saw.area + acc_area
        self.area_other = sm.area + wd.area + mux_area + buffer_area

    def _partial_sum_parts(self) -> tuple[float, float]:
        if self.num_add > 1:
            return self.adder.height + self.dff.height, self.adder.area + self.dff.area
        return 0.0, 0.0

    def _area_totals_envm(self) -> None:
        mlsa, enc, sar = self.multilevel_sense_amp, self.multilevel_sa_encoder, self.sar_adc
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
            self.height = (ls_h + slsm.height + self.height_array + mux_h + mlsa.height + enc.height + adder.height
                           + dff.height + sai.height + saw.height + sar.height)
            self.width = max(ls_w + dec.width + ndd.width + dd.width, mux_dec_w) + self.width_array
            self.used_area = (self.area_array + ls_area + dec.area + dd.area + ndd.area + slsm.area + mux_area
                              + mlsa.area + enc.area + adder.area + dff.area + sai.area + saw.area + sar.area)
            self.area_adc = mlsa.area + enc.area + sar.area
            self.area_accum = adder.area + dff.area + sai.area + saw.area
            self.area_other = ls_area + dec.area + ndd.area + dd.area + slsm.area + mux_area
            return
        nsm, sm = self.wl_new_switch_matrix, self.wl_switch_matrix
        buffer_area = self._buffer_area()
        acc_h, acc_area = self._partial_sum_parts()
        self.height = (ls_h + slsm.height + self.height_array + mux_h + mlsa.height + enc.height + saw.height
                       + sai.height + acc_h + sar.height)
        self.width = max(ls_w + nsm.width + sm.width, mux_dec_w) + self.width_array + buffer_area / self.length_col
        self.used_area = (self.area_array + ls_area + sm.area + nsm.area + slsm.area + mux_area + mlsa.area
                          + enc.area + saw.area + sai.area + acc_area + sar.area + buffer_area)
        self.area_adc = mlsa.area + enc.area + sar.area
        self.area_accum = saw.area + sai.area + acc_area
        self.area_other = ls_area + nsm.area + sm.area + slsm.area + mux_area + buffer_area

    # ------------------------------------------------------------------------------------------
    @staticmethod
    def _batch(column_resistance, activity_row_read):
        """(2-D column resistance, 1-D activity, single-vector flag) from the caller's arrays."""
        res = np.asarray(column_resistance, dtype=float)
        single = res.ndim == 1
        res2 = res.reshape(1, -1) if single else res
        act = np.broadcast_to(np.asarray(activity_row_read, dtype=float), (res2.shape[0],))
        return res2, act, single

    @staticmethod
    def _out(value, n: int, single: bool):
        arr = np.broadcast_to(np.asarray(value, dtype=float), (n,)).copy()
        return float(arr[0]) if single else arr

    def _shift_add_adder_latency(self, shift_add: ShiftAdd) -> float:
        return shift_add.adder.read_latency if shift_add.initialized else 0.0

    def _sram_bitline_delay(self) -> float:
        """Elmore delay of the SRAM bitline to a half-sense-voltage swing."""
        p, tech, cell = self.p, self.tech, self.cell
        res_pull_down = formula.on_resistance(cell.width_sram_cell_nmos * self._fin * tech.feature_size, NMOS,
                                              p.temperature_k, tech)
        n = self.num_row
        cap_per_cell = self.cap_col / n + self.cap_cell_access
        res_per_cell = self.res_col / n
        elmore = ((self.res_cell_access + res_pull_down) * cap_per_cell * n
                  + cap_per_cell * res_per_cell * n * (n + 1) / 2)
        return elmore * math.log(tech.vdd / (tech.vdd - cell.min_sense_voltage / 2))

    def _adc_latency(self) -> None:
        if self.use_sar_adc:
            self.sar_adc.calculate_latency(1)
        else:
            # the sensing time is set by the reference ladder, not by the input vector
            self.multilevel_sense_amp.calculate_latency(None, 1, 1, column_cap=self.column_cap)
            if self.conventional_parallel or self.avg_weight_bit > 1:
                self.multilevel_sa_encoder.calculate_latency(_STEP, 1)

    def _mux_latency(self, col_ramp: float) -> float:
        """Column mux + mux decoder delay (0 when not muxed)."""
        if self.num_col_muxed <= 1:
            return 0.0
        self.mux.calculate_latency(col_ramp, 0, 1)
        n = self._num_adc
        self.mux_decoder.calculate_latency(_STEP, self.mux.cap_tg_gate_n * n, self.mux.cap_tg_gate_p * n, 0, 0, 1, 0)
        return self.mux.read_latency + self.mux_decoder.read_latency

    def calculate_latency(self, column_resistance, activity_row_read, calculate_clk_freq: bool):
        """Read latency of every input vector (model's ``CalculateLatency``), batched.

        Parameters
        ----------
        column_resistance : array (n_vectors, n_columns) or (n_columns,)
            Column resistance of each input vector (ohm), as the model's ``GetColumnResistance``.
        activity_row_read : array (n_vectors,) or scalar
            Fraction of active rows of each vector (model's ``activityRowRead``).
        calculate_clk_freq : bool
            True: the clock pass.  ``read_latency`` is then the sensing-cycle time (s) of each
            vector; the clock period is its maximum over all vectors (and positions).
            False: the performance pass.  With ``p.synchronous`` the results are in clock
            cycles of ``self.clk_freq`` (set it to the chip clock first, as the model does);
            otherwise in seconds.

        Returns
        -------
        ``read_latency`` per vector: an array of shape (n_vectors,), a float for a 1-D
        ``column_resistance``.  Also sets, with the same shape, the attributes ``read_latency``,
        ``read_latency_adc``, ``read_latency_accum`` and ``read_latency_other`` (in the clock
        pass only ``read_latency``; the others are 0).  The processing element sums them over
        the vectors of a position.  The clock pass of the parallel modes also sets
        ``row_delay``, ``mux_delay`` and ``adc_latency`` (s).
        """
        if not self.initialized:
            raise RuntimeError("SubArray: initialize() first")
        res2, act, single = self._batch(column_resistance, activity_row_read)
        if self.conventional_parallel:
            total, adc, accum, other = self._latency_parallel(calculate_clk_freq)
        elif self.is_sram:
            total, adc, accum, other = self._latency_sram_sequential(act, calculate_clk_freq)
        else:
            total, adc, accum, other = self._latency_envm_sequential(act, calculate_clk_freq)
        n = res2.shape[0]
        self.read_latency = self._out(total, n, single)
        self.read_latency_adc = self._out(adc, n, single)
        self.read_latency_accum = self._out(accum, n, single)
        self.read_latency_other = self._out(other, n, single)
        return self.read_latency

    def _row_driver_latency_parallel(self) -> tuple[float, float]:
        """(row driver delay, repeater-chain delay) of the parallel-mode row path."""
        p, sram = self.p, self.is_sram
        num_write = _NO_WRITE
        if not sram and self.is_1t1r:
            driver, cap_row, kwargs = self.wl_new_switch_matrix, self.cap_row2, {}
        else:
            driver, cap_row = self.wl_switch_matrix, self.cap_row1
        buffered = p.buffer_number > 0 and (sram or self.is_1t1r)
        if buffered:
            # the model re-derives the per-cell row parasitics from the final row capacitance here
            self.unit_cap = cap_row / p.num_col_subarray
            self.unit_res = self.res_row / p.num_col_subarray
            section_num = p.num_col_subarray // (p.buffer_number + 1)
            cap_load, res_load = cap_row / (p.buffer_number + 1) + self.drive_cap_in, self.unit_res * section_num
        else:
            cap_load, res_load = cap_row, self.res_row
        if driver is self.wl_switch_matrix:
            kwargs = self._row_bus_kwargs()
        driver.calculate_latency(_STEP, cap_load, res_load, 1, num_write, **kwargs)
        return driver.read_latency, (self._repeater_latency(cap_row) if buffered else 0.0)

    def _latency_parallel(self, clk_pass: bool):
        """Parallel modes: nothing depends on the input vector, results are scalars."""
        beta, n_mux, n_add, sram = self._beta, self.num_col_muxed, self.num_add, self.is_sram
        col_ramp = 0.0
        if not sram:
            tau = self.cap_col * self._per_half_parallel_rows(self.res_mem_cell_avg)
            _, col_ramp = formula.horowitz(tau, 0, _STEP)
            self.col_delay = tau * 0.2  # a 15-20 % swing is enough to sense
        rows = mux = 0.0
        if clk_pass or not self.synchronous:
            rows, buffer_latency = self._row_driver_latency_parallel()
            if sram:
                num_write = _NO_WRITE
                self.precharger.calculate_latency(_STEP, self.cap_col, 1, num_write)
            self._adc_latency()
            mux = self._mux_latency(col_ramp)
            if sram:
                self.col_delay = self._sram_bitline_delay()
            if clk_pass:
                latency = 0.0
                latency += max(rows + buffer_latency, mux)
                if sram:
                    latency += self.precharger.read_latency
                latency += self.multilevel_sense_amp.read_latency
                latency += self.multilevel_sa_encoder.read_latency
                latency += self.sar_adc.read_latency
                latency *= beta
                self.row_delay = rows + buffer_latency
                self.mux_delay = self.mux.read_latency + self.mux_decoder.read_latency
                self.adc_latency = self.multilevel_sense_amp.read_latency
                return latency, 0.0, 0.0, 0.0
        self._accumulation_latency()
        ncps = self.num_cell_per_synapse
        groups = self.p.synapses_per_mux
        saw = self._shift_add_adder_latency(self.shift_add_weight)
        sai = self._shift_add_adder_latency(self.shift_add_input)
        other = 0.0
        if self.synchronous:
            clk = self.clk_freq
            adc = float(n_mux * n_add)
            accum = 0.0
            if n_add > 1:  # adder pipelined with the ADC
                accum += n_mux * (n_add - 1) * (math.ceil(self.adder.read_latency * clk) - 1)
            with np.errstate(divide="ignore", invalid="ignore"):
                if ncps > 1:  # weight shift-add pipelined with ADC + adder of one column
                    accum += (ncps - 1) * groups * _cmax(math.ceil(saw * clk) - np.float64(adc + accum) / n_mux, 0)
                if self.num_read_pulse > 1:  # input shift-add pipelined with the synapse's columns
                    accum += groups * _cmax(math.ceil(sai * clk) - np.float64(adc + accum) / np.float64(groups), 0)
        else:
            if sram:
                sense = (self.precharger.read_latency + self.col_delay + self.multilevel_sense_amp.read_latency
                         + self.multilevel_sa_encoder.read_latency + self.sar_adc.read_latency)
            else:
                sense = (self.multilevel_sense_amp.read_latency + self.multilevel_sa_encoder.read_latency
                         + self.sar_adc.read_latency + self.col_delay)
            adc = sense * n_mux * beta * n_add
            other = max(rows * n_add, mux) * n_mux * beta
            accum = _cmax(self.adder.read_latency * n_mux * (n_add - 1) + saw * (ncps - 1) * groups + sai * groups
                          - adc - other, 0)
        return adc + accum + other, adc, accum, other

    def _accumulation_latency(self) -> None:
        """Adder/DFF and shift-adder latencies used by the performance pass."""
        if self.conventional_sequential or self.num_add > 1:
            self.adder.calculate_latency(_STEP, self.dff.cap_tg_drain, 1)
            self.dff.calculate_latency(_STEP, 1)
        if self.num_cell_per_synapse > 1:
            self.shift_add_weight.calculate_latency(1)
        if self.num_read_pulse > 1:
            self.shift_add_input.calculate_latency(1)

    def _latency_sram_sequential(self, act, clk_pass: bool):
        beta, num_row = self._beta, self.num_row
        ops_per_row = math.ceil(self.num_col / self.num_read_cell_per_operation_neuro)
        if clk_pass or not self.synchronous:
            num_write = _NO_WRITE
            self.wl_decoder.calculate_latency(_STEP, self.cap_row1, 0, self.res_row, self.num_col, 1, num_write)
            self.precharger.calculate_latency(_STEP, self.cap_col, 1, num_write)
            self.sense_amp.calculate_latency(1)
            self.col_delay = self._sram_bitline_delay()
            if clk_pass:
                latency = 0.0
                latency += self.wl_decoder.read_latency
                latency += self.precharger.read_latency
                latency += self.col_delay
                latency += self.sense_amp.read_latency
                latency *= beta
                return latency, 0.0, 0.0, 0.0
        self._accumulation_latency()
        ncps = self.num_cell_per_synapse
        saw = self._shift_add_adder_latency(self.shift_add_weight)
        sai = self._shift_add_adder_latency(self.shift_add_input)
        reads = ops_per_row * num_row * act
        other = np.zeros_like(act)
        if self.synchronous:
            clk = self.clk_freq
            adc = reads
            accum = ops_per_row * (num_row * act - 1) * (math.ceil(self.adder.read_latency * clk) - 1)
            accum = accum + _cmax(math.ceil((saw * (ncps - 1) + sai) * clk) - (adc + accum), 0)
        else:
            sense = self.precharger.read_latency + self.col_delay + self.sense_amp.read_latency
            adc = sense * ops_per_row * num_row * act * beta
            other = self.wl_decoder.read_latency * num_row * act * beta
            accum = _cmax(self.adder.read_latency * (ops_per_row * num_row * act - 1) + saw * (ncps - 1) + sai
                          - adc - other, 0)
        return adc + accum + other, adc, accum, other

    def _latency_envm_sequential(self, act, clk_pass: bool):
        beta, num_row, n_mux = self._beta, self.num_row, self.num_col_muxed
        tau = self.cap_col * self.res_mem_cell_avg
        _, col_ramp = formula.horowitz(tau, 0, _STEP)
        self.col_delay = tau * 0.2  # a 15-20 % swing is enough to sense
        rows = mux = 0.0
        if clk_pass or not self.synchronous:
            num_write = _NO_WRITE
            self.wl_decoder.calculate_latency(_STEP, self.cap_row2, 0, self.res_row, self.num_col, 1, num_write)
            ramp = self.wl_decoder.ramp_output
            if self.is_1t1r:
                self.wl_new_decoder_driver.calculate_latency(ramp, self.cap_row2, self.res_row, 1, num_write)
            else:
                self.wl_decoder_driver.calculate_latency(ramp, self.cap_row1, self.cap_row1, self.res_row, 1, num_write)
            mux = self._mux_latency(col_ramp)
            self._adc_latency()
            rows = (self.wl_decoder.read_latency + self.wl_new_decoder_driver.read_latency
                    + self.wl_decoder_driver.read_latency)
            if clk_pass:
                latency = 0.0
                latency += max(rows, mux)
                latency += self.col_delay
                latency += self.multilevel_sense_amp.read_latency
                latency += self.multilevel_sa_encoder.read_latency
                latency += self.sar_adc.read_latency
                latency *= beta
                return latency, 0.0, 0.0, 0.0
        self._accumulation_latency()
        ncps = self.num_cell_per_synapse
        groups = self.p.synapses_per_mux
        saw = self._shift_add_adder_latency(self.shift_add_weight)
        sai = self._shift_add_adder_latency(self.shift_add_input)
        other = np.zeros_like(act)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.synchronous:
                clk = self.clk_freq
                adc = num_row * act * n_mux
                accum = n_mux * (num_row * act - 1) * (math.ceil(self.adder.read_latency * clk) - 1)
                if ncps > 1:
                    accum = accum + (ncps - 1) * groups * _cmax(math.ceil(saw * clk) - (adc + accum) / n_mux, 0)
                if self.num_read_pulse > 1:
                    accum = accum + groups * _cmax(math.ceil(sai * clk) - (adc + accum) / np.float64(groups), 0)
            else:
                adc = (self.multilevel_sense_amp.read_latency + self.multilevel_sa_encoder.read_latency
                       + self.sar_adc.read_latency + self.col_delay) * (num_row * act * n_mux) * beta
                other = _cmax(rows * num_row * act, mux) * n_mux * beta
                accum = _cmax(self.adder.read_latency * n_mux * (num_row * act - 1) + saw * (ncps - 1) * groups
                              + sai * groups - adc - other, 0)
        return adc + accum + other, adc, accum, other

    # ------------------------------------------------------------------------------------------
    def calculate_power(self, column_resistance, activity_row_read):
        """Read dynamic energy of every input vector and the leakage (model's ``CalculatePower``), batched.

        Parameters are those of `calculate_latency` (without the pass flag).

        Returns
        -------
        ``read_dynamic_energy`` per vector (J): an array of shape (n_vectors,), a float for a
        1-D ``column_resistance``.  Also sets, with the same shape, ``read_dynamic_energy``,
        ``read_dynamic_energy_adc``, ``read_dynamic_energy_accum``,
        ``read_dynamic_energy_other`` and ``read_dynamic_energy_array`` (per vector, to be
        summed by the caller), and the scalars ``leakage`` (W, whole subarray) and
        ``leakage_sram_in_use`` (W; SRAM cells that leak while the array computes; 0 for eNVM).
        """
        if not self.initialized:
            raise RuntimeError("SubArray: initialize() first")
        res2, act, single = self._batch(column_resistance, activity_row_read)
        if self.is_sram:
            parts = self._power_sram(res2, act)
        else:
            parts = self._power_envm(res2, act)
        n = res2.shape[0]
        total, adc, accum, other, array = parts
        self.read_dynamic_energy = self._out(total, n, single)
        self.read_dynamic_energy_adc = self._out(adc, n, single)
        self.read_dynamic_energy_accum = self._out(accum, n, single)
        self.read_dynamic_energy_other = self._out(other, n, single)
        self.read_dynamic_energy_array = self._out(array, n, single)
        return self.read_dynamic_energy

    def _adc_power(self, res2, num_read, num_read_encoder) -> None:
        self.adc_num_read = np.broadcast_to(np.asarray(num_read, dtype=float), (res2.shape[0],))
        if self.use_sar_adc:
            self.sar_adc.calculate_power(res2, num_read)
        else:
            self.multilevel_sense_amp.calculate_power(res2, num_read, column_cap=self.column_cap,
                                                      reference_energy_peri=self.reference_energy_peri)
            if self.conventional_parallel or self.avg_weight_bit > 1:
                self.multilevel_sa_encoder.calculate_power(num_read_encoder)

    def _adc_parts(self) -> list:
        return [("sense_amp", self.multilevel_sense_amp, "adc"), ("encoder", self.multilevel_sa_encoder, "adc"),
                ("sar_adc", self.sar_adc, "adc")]

    def _mux_parts_list(self) -> list:
        if self.num_col_muxed <= 1:
            return []
        return [("column_mux", self.mux, "other"), ("column_mux_decoder", self.mux_decoder, "other")]

    def _evaluate(self, entries, array_energy, array_leakage: float):
        """Energy of this read and the subarray leakage, by the evaluator of `neurosim_core.arch`.

        ``entries``: (role, circuit, bucket[, read]) of the periphery; ``read=False``: a part that
        only leaks during this read (write path, the precharger of a parallel read).  Transitional: circuits not yet
        converted to `arch` builders enter as snapshots of their computed read energy (one
        "read" per operation).  NeuroSim's "ADC" energy is the ADC bucket plus the array's.
        Returns (total, adc, accumulation, other, array) and sets ``leakage``.
        """
        parts = [Part("array", ComponentModel(kind="cim_array", area_m2=self.area_array, height_m=self.height_array,
                                              width_m=self.width_array, leakage_w=array_leakage,
                                              actions={"read": ActionCost(energy_j=array_energy)}), "array")]
        parts += [Part(entry[0], _snapshot(entry[0], entry[1]), entry[2]) for entry in entries]
        idle = {entry[0] for entry in entries if len(entry) > 3 and not entry[3]}
        macro = Macro("subarray", tuple(parts))
        e = energy(macro, [Use(part.role, "read") for part in parts if part.role not in idle])
        self.leakage = macro.leakage_w()
        return e.total, e.adc + e.array, e.accumulation, e.other, e.array

    def _mux_power(self) -> tuple[float, float]:
        """(read energy, leakage) of the column mux + its decoder (0 when not muxed)."""
        if self.num_col_muxed <= 1:
            return 0.0, 0.0
        self.mux.calculate_power(self.num_col_muxed)
        self.mux_decoder.calculate_power(self.num_col_muxed, 1)
        return (self.mux.read_dynamic_energy + self.mux_decoder.read_dynamic_energy,
                self.mux.leakage + self.mux_decoder.leakage)

    def _partial_sum_power(self) -> None:
        """Parallel modes: adder + DFF of the row-group partial sums, and the shift-adders."""
        n_mux, n_add = self.num_col_muxed, self.num_add
        if n_add > 1:
            self.adder.calculate_power(n_mux * (n_add - 1), self._num_adc)
            self.dff.calculate_power(n_mux * (n_add - 1), self._num_adc * (math.log2(self.level_output)
                                                                          + math.ceil(math.log2(n_add)) / 2),
                                     self.validated)
        self._shift_add_power()

    def _shift_add_power(self) -> None:
        ncps, groups = self.num_cell_per_synapse, self.p.synapses_per_mux
        if ncps > 1:
            self.shift_add_weight.calculate_power((ncps - 1) * groups)
        if self.num_read_pulse > 1:
            self.shift_add_input.calculate_power(groups)

    def _power_sram(self, res2, act):
        p, tech, cell = self.p, self.tech, self.cell
        f, vdd2 = tech.feature_size, tech.vdd * tech.vdd
        num_row, num_col, n_mux = self.num_row, self.num_col, self.num_col_muxed
        ops_per_row = (num_col // self.num_read_cell_per_operation_neuro
                       if num_col > self.num_read_cell_per_operation_neuro else 1)
        write_rows = _NO_WRITE
        cell_leak = formula.gate_leakage(INV, 1, cell.width_sram_cell_nmos * self._fin * f,
                                         cell.width_sram_cell_pmos * self._fin * f, p.temperature_k, tech) * tech.vdd * 2
        self.leakage_sram_in_use = cell_leak
        leakage = cell_leak * num_row * num_col
        sai, saw = self.shift_add_input, self.shift_add_weight
        if self.conventional_sequential:
            reads = ops_per_row * num_row * act
            ncps = self.num_cell_per_synapse
            per_op = self.num_read_cell_per_operation_neuro // ncps
            self.wl_decoder.calculate_power(num_row * act, _NO_WRITE)
            self.precharger.calculate_power(reads, write_rows)
            self.sram_write_driver.calculate_power(write_rows)
            self.adder.calculate_power(reads, per_op)
            self.dff.calculate_power(reads, per_op * (math.ceil(math.log2(num_row)) / 2 + 1), self.validated)
            self.sense_amp.calculate_power(reads)
            if ncps > 1:
                saw.calculate_power(ncps - 1)
            if self.num_read_pulse > 1:
                sai.calculate_power(1)
            array = self.cap_row1 * vdd2 * num_row * act  # WL charging; BL discharge is in the precharger
            self.leakage_sram_in_use *= (num_row - 1) * num_col
            return self._evaluate(
                [("wl_decoder", self.wl_decoder, "other"), ("precharger", self.precharger, "adc"),
                 ("sense_amp", self.sense_amp, "adc"), ("write_driver", self.sram_write_driver, "other", False),
                 ("accumulator_register", self.dff, "accumulation"), ("accumulator_adder", self.adder, "accumulation"),
                 ("shift_add_weight", saw, "accumulation"), ("shift_add_input", sai, "accumulation")],
                array, leakage)

        sm, n_add = self.wl_switch_matrix, self.num_add
        sm.calculate_power(n_mux, 2 * write_rows, act, _NO_WRITE)
        self.precharger.calculate_power(n_mux * n_add, write_rows)
        self.sram_write_driver.calculate_power(write_rows)
        self.reference_energy_peri = self.cap_row1 / p.num_col_subarray * vdd2 * num_row
        mux_energy, mux_leak = self._mux_power()
        self._adc_power(res2, n_add, n_mux * n_add)
        self._partial_sum_power()
        array = self.cap_row1 * vdd2 * num_row * act
        array = array + (self.drive_cap_in + self.drive_cap_out) * vdd2 * p.buffer_number * 2 * num_row * act
        array = array * n_mux
        self.leakage_sram_in_use *= (num_row * num_col - self.num_row_parallel * self._num_adc)
        # the precharger is not used in parallel read (it only leaks)
        return self._evaluate(
            [("wl_switch_matrix", sm, "other"), ("precharger", self.precharger, "adc", False),
             ("write_driver", self.sram_write_driver, "other", False), *self._adc_parts(), *self._mux_parts_list(),
             ("partial_sum_register", self.dff, "accumulation"), ("partial_sum_adder", self.adder, "accumulation"),
             ("shift_add_weight", saw, "accumulation"), ("shift_add_input", sai, "accumulation")],
            array, leakage)

    def _power_envm(self, res2, act):
        p, tech, cell = self.p, self.tech, self.cell
        vdd2 = tech.vdd * tech.vdd
        num_row, num_col, n_mux = self.num_row, self.num_col, self.num_col_muxed
        self.leakage_sram_in_use = 0.0
        num_read_cells = math.ceil(num_col / n_mux)
        write_rows = _NO_WRITE
        sai, saw, slsm = self.shift_add_input, self.shift_add_weight, self.sl_switch_matrix
        slsm.calculate_power(0, write_rows, act, _NO_WRITE)
        mux_energy, mux_leak = self._mux_power()
        if self.conventional_sequential:
            row_reads = num_row * act * n_mux
            self.wl_decoder.calculate_power(row_reads, write_rows)
            if self.is_1t1r:
                self.wl_new_decoder_driver.calculate_power(row_reads, write_rows)
            else:
                self.wl_decoder_driver.calculate_power(num_read_cells, num_col, row_reads, write_rows)
            self._adc_power(res2, num_row * act, row_reads)
            self._zero_idle_adc_energy(num_row * act)
            ncps = self.num_cell_per_synapse
            self.adder.calculate_power(n_mux * num_row * act, num_read_cells)
            self.dff.calculate_power(n_mux * num_row * act,
                                     num_read_cells * (math.ceil(math.log2(num_row)) / 2 + self.avg_weight_bit),
                                     self.validated)
            self._shift_add_power()
            cap_bl = self.length_col * _WIRE_CAP_PER_M
            array = cap_bl * cell.read_voltage * cell.read_voltage * num_read_cells  # selected BLs
            array += self.cap_row2 * vdd2  # selected WL
            array = array * (num_row * act * n_mux)
            return self._evaluate(
                [("wl_decoder", self.wl_decoder, "other"), ("wl_new_decoder_driver", self.wl_new_decoder_driver, "other"),
                 ("wl_decoder_driver", self.wl_decoder_driver, "other"), ("sl_switch_matrix", slsm, "other", False),
                 *self._mux_parts_list(), *self._adc_parts(),
                 ("accumulator_register", self.dff, "accumulation"), ("accumulator_adder", self.adder, "accumulation"),
                 ("shift_add_weight", saw, "accumulation"), ("shift_add_input", sai, "accumulation")],
                array, 0.0)

        n_add = self.num_add
        row_driver = self.wl_new_switch_matrix if self.is_1t1r else self.wl_switch_matrix
        if self.is_1t1r:
            row_driver.calculate_power(n_mux, write_rows, act)
        else:
            row_driver.calculate_power(n_mux, write_rows, act, _NO_WRITE)
        self._adc_power(res2, n_add, n_mux * n_add)
        self._partial_sum_power()
        array = self.cap_row2 * vdd2 * num_row * act  # selected WLs
        array = array + (self.drive_cap_in + self.drive_cap_out) * vdd2 * p.buffer_number * 2 * num_row * act
        array = array * n_mux
        repeater_leak = 0.0
        if p.buffer_number > 0:
            repeater_leak = (formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, p.temperature_k, tech)
                             * p.buffer_number * 2 * p.num_row_subarray)
        return self._evaluate(
            [("wl_driver", row_driver, "other"), ("sl_switch_matrix", slsm, "other", False), *self._mux_parts_list(),
             *self._adc_parts(),
             ("partial_sum_register", self.dff, "accumulation"), ("partial_sum_adder", self.adder, "accumulation"),
             ("shift_add_weight", saw, "accumulation"), ("shift_add_input", sai, "accumulation")],
            array, repeater_leak)

    def _zero_idle_adc_energy(self, num_read) -> None:
        """Sequential eNVM: a vector with no active row reads the ADC 0 times (reference: NaN * 0)."""
        idle = np.asarray(num_read) == 0
        if not idle.any():
            return
        adc = self.sar_adc if self.use_sar_adc else self.multilevel_sense_amp
        energy = np.broadcast_to(np.asarray(adc.read_dynamic_energy, dtype=float), idle.shape)
        adc.read_dynamic_energy = np.where(idle, 0.0, energy)

    def adc_column_energy_sum(self, column_resistance) -> np.ndarray:
        """(n_vectors,) the column-resistance-dependent part of one ADC conversion (J).

        The ADC read energy of a vector is affine in it with slope ``adc_num_read`` (the number
        of conversions, set by `calculate_power`); `read_table` uses this to add the real
        columns of eNVM vectors to a table built with open columns.
        """
        r = np.asarray(column_resistance, dtype=float)
        if self.use_sar_adc:
            return self.sar_adc.column_energy_sum(r)
        return self.multilevel_sense_amp.column_energy_sum(r, column_cap=self.column_cap)

    def adc_energy_kernel_args(self) -> tuple:
        """The ADC's `circuits.adc.conversion_energy` arguments after the column resistance."""
        if self.use_sar_adc:
            return self.sar_adc.energy_kernel_args()
        return self.multilevel_sense_amp.energy_kernel_args(self.column_cap)

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
