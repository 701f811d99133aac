"""The weight-gradient (WG) unit: an SRAM compute-in-memory macro that computes dW = X^T . dY.

Model (DNN+NeuroSim V2, Peng et al., IEEE TCAD 2021, Sec. III-B, Fig. 5): the activations of a
layer are *written* into SRAM sub-arrays (one activation bit per column, ``input_bits`` columns per
activation; rows = output positions), and the errors are applied to the rows as 8-bit input pulses;
the columns are read through a mux (``num_row_muxed_wg``), a ``level_output_wg``-level sense amp
(or SAR ADC) and shift-adders, exactly like a parallel-read SRAM CIM sub-array of the inference
chip.  The unit is sized once for the layer with the largest IFM: ``floor(rows/num_row_subarray_wg)``
x ``floor(C_in*input_bits/num_col_subarray_wg)`` sub-arrays.

`build_wg_unit` returns an immutable `WGUnitModel`: area, leakage and the cost of its two actions,
``read`` (one output channel's error vector through one sub-array, per sub-array) and ``write``
(one sub-array's activations), plus the adder tree (``tree``, action ``"reduce"``) that sums a
column of sub-arrays.  In parallel-BP mode with V2.1's sense amp (the default) the sub-array is
composed component by component as V2.1 does (`_composed_read_write`: row switch matrix,
precharger, write drivers, bit-line discharge, multilevel sense amps + encoders, shift-add, mux);
otherwise the read reuses the inference SRAM sub-array model at the unit's size (sequential BP is
not composed yet).  The write is the SRAM cell flip (``2 C_cell Vdd^2`` per written cell), its RC
delay per written row and the line drivers.

`layer_cost` maps a layer onto the unit (V2.1's speed-up by parallel sub-arrays and the fraction of
the unit the layer uses) and returns the PEAK WG latency and energy of one image.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import formula
from ..cell import make_cell
from ..constants import NMOS, PMOS
from ..params import HardwareConfig, resolve
from .. import quirks
from ..arch import ActionCost, ComponentModel
from ..circuits.arithmetic import AdderBankSpec, adder_bank
from ..circuits.mlsa import MlsaEncoderSpec, mlsa_encoder
from ..circuits.arithmetic import AdderTreeSpec, ShiftAddSpec, adder_tree, shift_add
from ..circuits.decoders import RowDecoderSpec, row_decoder
from ..circuits.dff import DffBankSpec, dff_bank
from ..circuits.env import CircuitEnv
from ..circuits.sram_periphery import PrechargerSpec, SramWriteDriverSpec, precharger, sram_write_driver
from ..circuits.switching import MuxSpec, SwitchMatrixSpec, mux, size_tg, switch_matrix
from ..constants import INV, IR_DROP_TOLERANCE, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, ROW_MODE
from .bp_periphery import encoder_model
from ..subarray import build_subarray, read_table
from ..tech import technology
from .config import TrainingConfig
from .mlsa_v21 import MlsaV21Spec, build_mlsa_v21
from .phase import Phase

__all__ = ["WGUnitSpec", "WGUnitModel", "build_wg_unit"]


@dataclass(frozen=True, kw_only=True)
class WGUnitSpec:
    mem_rows: int  # output positions of the largest layer: (H-K+1)(W-K+1)
    mem_cols: int  # C_in * input_bits of that layer
    activity: float  # row read / row write / column write activity (V2.1: the layer's input activity)


@dataclass(frozen=True)
class WGUnitModel:
    sub_rows: int
    sub_cols: int
    arrays_in_row: int
    arrays_in_col: int
    area_m2: float
    leakage_w: float
    read: Phase  # one output channel through one sub-array
    write: Phase  # one sub-array's activations
    tree: ComponentModel | None = None  # adder tree over a column of sub-arrays (action "reduce")
    num_col_muxed: int = 1  # reductions per read (V2.1: the chip's numColMuxed)
    num_row_muxed: int = 8  # columns per sense amp (sizes the adder-tree count)
    composed: bool = False  # True: V2.1's component-by-component sub-array; False: the inference SRAM sub-array

    @property
    def num_arrays(self) -> int:
        return self.arrays_in_row * self.arrays_in_col

    def layer_cost(self, *, ifm_h: int, ifm_w: int, ifm_c: int, k_h: int, k_w: int, c_out: int,
                   input_bits: int) -> Phase:
        """PEAK WG latency and energy of one image of one layer (V2, Sec. III-B)."""
        rows = (ifm_h - k_h + 1) * (ifm_w - k_w + 1)
        cols = ifm_c * input_bits
        need_row = max(1, math.ceil(rows / self.sub_rows))
        need_col = max(1, math.ceil(cols / self.sub_cols))
        if rows != 1:
            speed_row = max(1, self.arrays_in_row // need_row)
            speed_col = max(1, self.arrays_in_col // need_col)
        else:
            speed_row = self.arrays_in_row
            speed_col = max(1, cols // self.sub_cols)
        used = rows * cols / (self.num_arrays * self.sub_rows * self.sub_cols)
        read_latency, accumulate = self.read.latency, 0.0
        if self.tree is not None:
            reduce = self.tree.cost("reduce")
            read_latency += reduce.latency_s * self.num_col_muxed
            # one reduction per output channel in each of the unit's adder trees
            trees = math.ceil(self.arrays_in_col * self.sub_cols / self.num_row_muxed)
            accumulate = reduce.energy_j * trees * c_out
        latency = (read_latency * c_out / (speed_row * speed_col) + self.write.latency) * k_h * k_w
        energy = (self.read.energy * self.num_arrays * c_out + accumulate
                  + self.write.energy * self.num_arrays) * used * k_h * k_w
        return Phase(latency, energy)


@lru_cache(maxsize=8)
def _wg_subarray(hw: HardwareConfig, tc: TrainingConfig):
    """The unit's SRAM sub-array and its per-active-row-count read table (independent of the layer)."""
    sub_rows, sub_cols = tc.num_row_subarray_wg, tc.num_col_subarray_wg
    cfg = hw.replace(mem_cell="sram", cell_bit=1, synapse_bits=1, num_row_subarray=sub_rows,
                     num_col_subarray=sub_cols, num_col_muxed=tc.num_row_muxed_wg, level_output=tc.level_output_wg,
                     operation_mode="conventional_parallel" if tc.parallel_bp else "conventional_sequential",
                     num_row_parallel=None)
    p = resolve(cfg, source="weight-gradient unit")
    tech = technology(p.technode, p.roadmap, compat=p.compat)
    cell = make_cell(p, tech)
    sa = build_subarray(p, tech, cell)
    table = read_table(sa, sub_cols, False, sub_rows, p.clk_freq_hz)
    mlsa = None
    main = resolve(hw, source="weight-gradient unit")
    if tc.wg_sense_amp == "mlsa_v21":
        mlsa = build_mlsa_v21(spec=MlsaV21Spec(
            num_adc=sub_cols // tc.num_row_muxed_wg, level_output=tc.level_output_wg, current_mode=hw.current_mode,
            resistance_on_ohm=hw.resistance_on_ohm, resistance_off_ohm=hw.resistance_off_ohm,
            ladder_rows=hw.num_row_subarray, read_voltage_v=main.read_voltage, node_nm=p.technode,
            roadmap=hw.roadmap, temperature_k=hw.temperature_k), tech=tech, compat=tc.compat)
    return p, tech, cell, float(sa.area), float(sa.area_adc), float(sa.res_cell_access), table, mlsa, \
        float(main.wire_resistance_col)


def _composed_read_write(hw: HardwareConfig, tc: TrainingConfig, activity: float, wg_arrays_in_row: int,
                         wg_arrays_in_col: int = 1):
    """V2.1's parallel WG sub-array, component by component (V2 Sec. III-B; V2.1 WeightGradientUnit).

    Returns (read Phase of one output channel through one sub-array, write Phase of one sub-array's
    activations, per-sub-array area, accumulation (latency, energy per read, area)).

    Read, per output channel: the row switch matrix drives ``num_row_muxed_wg x input_bits`` error
    pulses (a transmission gate onto the row RC, plus its shift register's half clock each); the
    bit lines are precharged and discharged that often; the ``level_output_wg``-level sense amps
    (V2.1 fits, on a column of ``ceil(rows x activity)`` cells in parallel) and their encoders
    convert each; a shift-add merges the input bits; an adder tree sums the sub-arrays of a column
    of the unit (``num_col_muxed`` reductions).  Write, per sub-array: ``rows x activity`` rows
    written (switch matrix: two pulses per row), through the precharger and write drivers; each
    written cell flips Q and Q-bar.
    """
    p, tech, cell, _, _, res_access, _, mlsa, wire_res_col = _wg_subarray(hw, tc)
    env = CircuitEnv.of(p, tech)
    f = tech.feature_size
    temp = p.temperature_k
    rows, cols = tc.num_row_subarray_wg, tc.num_col_subarray_wg
    n_read = tc.num_row_muxed_wg * hw.input_bits
    # V2.1 sizes the WG array with the transistor node (tech featureSize), 0.2 fF/um wires
    length_row = cols * cell.width_in_feature_size * f
    length_col = rows * cell.height_in_feature_size * f
    cap_row, cap_col = length_row * 0.2e-15 / 1e-6, length_col * 0.2e-15 / 1e-6
    res_row, res_col = length_row * p.unit_length_wire_resistance, length_col * p.unit_length_wire_resistance
    cap_access = formula.drain_cap(cell.width_access_cmos * f, NMOS, cell.width_in_feature_size * f, tech)
    t_half = 1.0 / p.clk_freq_hz / 2

    # row switch matrix (V2.1 SwitchMatrix: the TG, at the target resistance itself, onto the line RC;
    # no repeaters), its scan chain shifting at half a clock per pulse; energies: the core builder's
    sm = switch_matrix(SwitchMatrixSpec(
        num_output=rows, res_target_ohm=res_access, read_voltage_v=float(p.read_voltage),
        write_voltage_v=float(hw.write_voltage_v), cmos_access=True, mode=ROW_MODE,
        size_ratio=p.switch_matrix_size_ratio, neuro=True, write_cells_memory=cols, write_cells_neuro=cols,
        fit_height_m=length_col), env)
    tg_n, tg_p = size_tg(res_access * p.switch_matrix_size_ratio, True, temp, tech)
    h_tg = formula.gate_area(INV, 1, tg_n, tg_p, f * MAX_TRANSISTOR_HEIGHT, tech)[1]
    cap_tg_drain = formula.gate_capacitance(INV, 1, tg_n, tg_p, h_tg, tech)[1]
    res_tg = res_access * IR_DROP_TOLERANCE
    t_tg, _ = formula.horowitz(res_tg * (3 * cap_tg_drain + cap_row) + res_row * cap_row / 2, 0.0, 1e20)
    n_write_rows = 2 * rows * activity
    sw_read = (t_tg + t_half) * n_read
    sw_write = t_tg * n_write_rows + t_half * n_read
    scan = sm.cost("scan").energy_j
    sw_read_e = sm.cost("read", activity_row_read=activity).energy_j * n_read + scan * n_read
    sw_write_e = sm.cost("write", activity_col_write=activity).energy_j * n_write_rows + scan * n_read

    # precharger and write drivers: the core builders' layout; V2.1's delays use their unenlarged
    # sizes (6F / minimum pMOS, minimum inverters)
    pre = precharger(PrechargerSpec(num_col=cols, bitline_cap_f=cap_col, bitline_res_ohm=res_col,
                                    read_cols=cols, write_cols=cols, write_activity=activity,
                                    fit_width_m=length_row), env)
    wd = sram_write_driver(SramWriteDriverSpec(num_col=cols, bitline_cap_f=cap_col, bitline_res_ohm=res_col,
                                               write_cols=cols, write_activity=activity, fit_width_m=length_row), env)
    t_pre = _v21_precharge_delay(cap_col, res_col, env)
    t_wd, wd_caps = _v21_write_driver_delay(cap_col, res_col, env)
    # bit line and its complement precharged per read; V2.1 charges no write energy to the
    # precharger and write drivers (their column activity is read before it is set)
    pre_read_e = cap_col * tech.vdd ** 2 * cols * 2 * n_read
    write_activity = 0.0 if quirks.applies("v21_wg_write_activity_uninitialised", tc.compat) else activity
    pre_write_e = cap_col * tech.vdd ** 2 * cols * write_activity * rows * activity
    wd_write_e = wd_caps * tech.vdd ** 2 * cols * write_activity * rows * activity

    # bit-line discharge through the access and pull-down transistors (V2 Sec. III-B, SRAM read)
    r_down = formula.on_resistance(cell.width_sram_cell_nmos * f, NMOS, temp, tech)
    tau = (res_access + r_down) * (cap_access + cap_col) + res_col * cap_col / 2
    tau *= math.log(tech.vdd / (tech.vdd - cell.min_sense_voltage / 2))
    beta = 1 / (r_down * formula.transconductance(cell.width_access_cmos * f, NMOS, tech))
    col_delay = formula.horowitz(tau, beta, 1e20)[0] * hw.input_bits

    num_sa = cols // tc.num_row_muxed_wg
    n_active = math.ceil(rows * activity)
    column_r = np.full(cols, (res_access + wire_res_col) / max(n_active, 1))
    t_sense, e_sense = mlsa.convert(column_r, n_read)
    enc_area = encoder_model(levels=tc.level_output_wg, num_encoder=num_sa, fit_width_m=length_row, p=p,
                             env=env).area_m2
    t_enc = mlsa_encoder(MlsaEncoderSpec(levels=tc.level_output_wg, num_encoder=num_sa), env).cost("encode").latency_s
    sa_bits = int(math.log2(tc.level_output_wg)) + hw.input_bits + 1
    shift = shift_add(ShiftAddSpec(num_unit=num_sa, num_adder_bit=sa_bits, num_read_pulse=hw.input_bits,
                                   fit_width_m=length_row), env)
    sa_cost = shift.cost("shift_add")
    col_mux = mux(MuxSpec(num_input=num_sa, num_selection=tc.num_row_muxed_wg, read_voltage_v=float(p.read_voltage),
                          res_target_ohm=res_access, fit_width_m=length_row), env)
    mux_decoder = row_decoder(RowDecoderSpec(num_addr_bits=math.ceil(math.log2(tc.num_row_muxed_wg)), mux=True), env)

    # the partial sums of a column of the unit's sub-arrays meet in an adder tree (V2.1 "accumulation")
    read = Phase(sw_read + t_pre * n_read + col_delay + t_sense + t_enc * n_read + sa_cost.latency_s,
                 sw_read_e + pre_read_e + e_sense + sa_cost.energy_j * n_read)
    f_sram = formula.on_resistance(cell.width_sram_cell_nmos * f, NMOS, temp, tech)
    r_pull = (f_sram + formula.on_resistance(cell.width_sram_cell_pmos * f, PMOS, temp, tech)) / 2
    gm = (formula.transconductance(cell.width_sram_cell_nmos * f, NMOS, tech)
          + formula.transconductance(cell.width_sram_cell_pmos * f, PMOS, tech)) / 2
    flip = formula.horowitz(r_pull * cell.cap_sram_cell, 1 / (r_pull * gm), 1e20)[0]
    write = Phase(flip * rows * activity + sw_write + (t_pre + t_wd) * rows * activity,
                  sw_write_e + pre_write_e + wd_write_e
                  + cell.cap_sram_cell * tech.vdd ** 2 * 2 * cols * activity * rows * activity)
    area = (length_row * length_col + sm.area_m2 + pre.area_m2 + wd.area_m2 + mlsa.area_m2 + enc_area
            + shift.area_m2 + col_mux.area_m2 + mux_decoder.area_m2)
    tree = _accumulation_tree(num_inputs=wg_arrays_in_row, bits=sa_bits,
                              num_trees=math.ceil(wg_arrays_in_col * cols / tc.num_row_muxed_wg),
                              fit_width_m=math.sqrt(area), env=env)
    return read, write, area, tree


def _v21_precharge_delay(cap_bl: float, res_bl: float, env) -> float:
    """Bit-line precharge time with V2.1's 6F pMOS (not enlarged): Horowitz of its RC on the bit line."""
    tech, f = env.tech, env.tech.feature_size
    h = f * MAX_TRANSISTOR_HEIGHT
    w_pre, w_eq = 6 * f, MIN_NMOS_SIZE * f
    h_pre = formula.gate_area(INV, 1, 0.0, w_pre, h, tech)[1]
    h_eq = formula.gate_area(INV, 1, 0.0, w_eq, h, tech)[1]
    cap_out = formula.drain_cap(w_pre, PMOS, h_pre, tech) + formula.drain_cap(w_eq, PMOS, h_eq, tech)
    res = formula.on_resistance(w_pre, PMOS, env.temperature_k, tech)
    tau = res * (cap_bl + cap_out) + res_bl * cap_bl / 2
    return formula.horowitz(tau, 1 / (res * formula.transconductance(w_pre, PMOS, tech)), 1e20)[0]


def _v21_write_driver_delay(cap_bl: float, res_bl: float, env) -> tuple[float, float]:
    """(delay, switched capacitance per written column) of V2.1's minimum-size write driver:
    an inverter into the next, the next pulling the bit line down."""
    tech, f, temp = env.tech, env.tech.feature_size, env.temperature_k
    w_n, w_p = MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f
    h_inv = formula.gate_area(INV, 1, w_n, w_p, f * MAX_TRANSISTOR_HEIGHT, tech)[1]
    cap_in, cap_out = formula.gate_capacitance(INV, 1, w_n, w_p, h_inv, tech)
    res_up = formula.on_resistance(w_p, PMOS, temp, tech)
    first, ramp = formula.horowitz(res_up * (cap_out + cap_in), 1 / (res_up * formula.transconductance(w_p, PMOS, tech)),
                                   1e20)
    res_down = formula.on_resistance(w_n, NMOS, temp, tech)
    second, _ = formula.horowitz(res_down * (cap_bl + cap_out) + res_bl * cap_bl / 2,
                                 1 / (res_down * formula.transconductance(w_n, NMOS, tech)), ramp)
    return first + second, cap_out + cap_in


def _accumulation_tree(*, num_inputs: int, bits: int, num_trees: int, fit_width_m: float, env) -> ComponentModel:
    """The WG unit's adder trees summing a column of sub-arrays (V2.1 AdderTree).

    V2.1 times each of the ``ceil(log2 n)`` stages as a full ripple of its width (``bits + stage``
    bits, no overlap of the carry chains); area and energy: the core adder-tree model.
    """
    core = adder_tree(AdderTreeSpec(num_rows=num_inputs, num_adder_bit=bits, num_trees=num_trees,
                                    fit_width_m=fit_width_m), env)
    latency, j = 0.0, num_inputs
    for stage in range(math.ceil(math.log2(num_inputs)) if num_inputs > 1 else 0):
        latency += adder_bank(AdderBankSpec(num_bit=bits + stage, num_adder=max(j // 2, 1)), env).cost("add").latency_s
        j //= 2
    reduce = core.cost("reduce")
    return ComponentModel(kind="wg_accumulation", area_m2=core.area_m2, height_m=core.height_m, width_m=core.width_m,
                          leakage_w=core.leakage_w,
                          actions={"reduce": ActionCost(latency_s=latency, energy_j=reduce.energy_j / num_trees)})


def build_wg_unit(*, spec: WGUnitSpec, hw: HardwareConfig, tc: TrainingConfig) -> WGUnitModel:
    sub_rows, sub_cols = tc.num_row_subarray_wg, tc.num_col_subarray_wg
    arrays_in_row = max(1, spec.mem_rows // sub_rows)
    arrays_in_col = max(1, spec.mem_cols // sub_cols)
    composed = None
    if tc.parallel_bp and tc.wg_sense_amp == "mlsa_v21":
        try:
            composed = _composed_read_write(hw, tc, spec.activity, arrays_in_row, arrays_in_col)
        except ValueError:  # e.g. a FinFET node whose WG cell is too short to fold the switch-matrix gates
            composed = None
    if composed is not None:
        read, write, area_sub, tree = composed
        p, tech = _wg_subarray(hw, tc)[:2]
        n = arrays_in_row * arrays_in_col
        table = _wg_subarray(hw, tc)[6]
        return WGUnitModel(sub_rows=sub_rows, sub_cols=sub_cols, arrays_in_row=arrays_in_row,
                           arrays_in_col=arrays_in_col, area_m2=area_sub * n + tree.area_m2,
                           leakage_w=float(table.leakage) * n,
                           read=read, write=write, tree=tree, num_col_muxed=hw.num_col_muxed,
                           num_row_muxed=tc.num_row_muxed_wg, composed=True)
    p, tech, cell, sa_area, sa_area_adc, res_access, table, mlsa, wire_res_col = _wg_subarray(hw, tc)
    n_active = min(sub_rows, math.ceil(sub_rows * spec.activity))
    read = Phase(float(table.latency[0][n_active]), float(table.energy[0][n_active]))
    area_subarray = sa_area
    if mlsa is not None:
        # model option wg_sense_amp="mlsa_v21": V2.1's multilevel sense-amp fits (V2 paper Sec. III-A): swap the
        # ADC part of the sub-array's read and area; column = the active cells' access paths in parallel
        column_r = (res_access + wire_res_col) / max(n_active, 1)
        adc_latency, adc_energy = mlsa.convert(np.full(sub_cols, column_r), tc.num_row_muxed_wg * hw.input_bits)
        read = Phase(read.latency - float(table.latency[1][n_active]) + adc_latency,
                     read.energy - float(table.energy[1][n_active]) + adc_energy)
        area_subarray = sa_area - sa_area_adc + mlsa.area_m2

    # write: flip Q and Q-bar of every written cell; one RC-limited row write after another
    f = tech.feature_size
    temp = p.temperature_k
    r_pull = (formula.on_resistance(cell.width_sram_cell_nmos * f, NMOS, temp, tech)
              + formula.on_resistance(cell.width_sram_cell_pmos * f, PMOS, temp, tech)) / 2
    gm = (formula.transconductance(cell.width_sram_cell_nmos * f, NMOS, tech)
          + formula.transconductance(cell.width_sram_cell_pmos * f, PMOS, tech)) / 2
    delay, _ = formula.horowitz(r_pull * cell.cap_sram_cell, 1 / (r_pull * gm), 1e20)
    rows_written = sub_rows * spec.activity
    write = Phase(delay * rows_written,
                  cell.cap_sram_cell * tech.vdd ** 2 * 2 * sub_cols * spec.activity * rows_written)
    n = arrays_in_row * arrays_in_col
    return WGUnitModel(sub_rows=sub_rows, sub_cols=sub_cols, arrays_in_row=arrays_in_row,
                       arrays_in_col=arrays_in_col, area_m2=area_subarray * n, leakage_w=float(table.leakage) * n,
                       read=read, write=write)
