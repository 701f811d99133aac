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
(one sub-array's activations).  The read reuses the inference SRAM sub-array model (switch
matrix, mux, sense amps, shift-add, precharger) at the unit's size, with the layer's activity
setting the active rows; the write is the SRAM cell flip (``2 C_cell Vdd^2`` per written cell) and
its RC delay per written row.  Not modelled yet: the write drivers' and precharger's write costs,
and the adder tree that accumulates the sub-arrays' partial sums (V2.1 includes both).

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
        latency = (self.read.latency * c_out / (speed_row * speed_col) + self.write.latency) * k_h * k_w
        energy = (self.read.energy * self.num_arrays * c_out + self.write.energy * self.num_arrays) * used * k_h * k_w
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


def build_wg_unit(*, spec: WGUnitSpec, hw: HardwareConfig, tc: TrainingConfig) -> WGUnitModel:
    sub_rows, sub_cols = tc.num_row_subarray_wg, tc.num_col_subarray_wg
    arrays_in_row = max(1, spec.mem_rows // sub_rows)
    arrays_in_col = max(1, spec.mem_cols // sub_cols)
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
