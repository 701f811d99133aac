"""The built-in multilevel sense amp (+ encoder) as a builder of the subarray's ``adc`` role.

(The SAR ADC's builder is `adc.sar_adc`; the role's contract is in `neurosim_core.plugins`; the
sense amp and encoder models are `circuits.mlsa.multilevel_sense_amp` / `mlsa_encoder`.)
"""
from __future__ import annotations

from typing import Callable

from ..arch import ActionCost, ComponentModel
from ..constants import MemCellType
from .env import AdcSpec, CircuitEnv
from .mlsa import MlsaEncoderSpec, MlsaSpec, mlsa_encoder, multilevel_sense_amp

__all__ = ["mlsa_adc_builder", "mlsa_spec"]


def mlsa_spec(p, cell, spec: AdcSpec, *, parallel: bool, res_cell_access: float, array_height: float,
              array_width_unit: float, reference_energy_peri: float) -> MlsaSpec:
    """The sense amps a subarray of parameters ``p`` and cell ``cell`` needs for the ADC request ``spec``:
    a parallel SRAM read ladders from the read-access transistor ``res_cell_access``, eNVM from its
    on-state; the reference columns are ``array_height`` x ``array_width_unit``, shared by
    ``p.dumcolshared`` columns."""
    sram_parallel = parallel and cell.mem_cell_type == MemCellType.SRAM
    return MlsaSpec(num_col=spec.num_adc, levels=spec.levels, current_mode=bool(p.current_mode), parallel=parallel,
                    on_resistance_ohm=res_cell_access if sram_parallel else p.resistance_on_ohm,
                    off_resistance_ohm=p.resistance_off_ohm, rows_parallel=p.num_row_parallel,
                    ref_columns_shared=p.dumcolshared, column_cap_f=spec.column_cap_f,
                    read_voltage_v=spec.read_voltage_v, reference_energy_peri_j=reference_energy_peri,
                    ref_column_height_m=array_height, ref_column_width_m=array_width_unit, fit_width_m=spec.width_m)


def mlsa_adc_builder(p, cell, *, parallel: bool, res_cell_access: float, array_height: float,
                     array_width_unit: float, reference_energy_peri: Callable[[], float]):
    """The built-in multilevel sense amp (+ its encoder) as a builder of the subarray's ``adc`` role.

    Returns ``build(spec, env) -> ComponentModel`` (the `neurosim_core.plugins` contract), composed of
    `multilevel_sense_amp` and, when the output is a multi-bit code (parallel read or multi-bit
    cells), `mlsa_encoder`: action ``"convert"`` (the sense amps' sensing time, then the encoder's
    path; its energy is per column, port ``energy_per_column_j``), dynamic action
    ``"column_energy"`` (the sense amps' mirror power; compiled form kept), area and height of both,
    leakage of the encoder; ports ``sense_latency_s`` and ``encoder_latency_s`` (the latency parts).
    ``reference_energy_peri``: read when built (the subarray's reference-column row interface).
    """
    def build(spec: AdcSpec, env: CircuitEnv) -> ComponentModel:
        sa = multilevel_sense_amp(
            mlsa_spec(p, cell, spec, parallel=parallel, res_cell_access=res_cell_access, array_height=array_height,
                      array_width_unit=array_width_unit, reference_energy_peri=reference_energy_peri()), env)
        sense = sa.actions["convert"].latency_s
        area, height, leakage, encode = sa.area_m2, sa.height_m, sa.leakage_w, 0.0
        if parallel or p.cell_bit > 1:  # the encoder: thermometer code -> binary
            enc = mlsa_encoder(MlsaEncoderSpec(levels=spec.levels, num_encoder=spec.num_adc, fit_width_m=spec.width_m),
                               env)
            encode = enc.actions["encode"].latency_s
            area, height, leakage = area + enc.area_m2, height + enc.height_m, enc.leakage_w
        return ComponentModel(
            kind=f"mlsa_{spec.bits}b", area_m2=area, height_m=height, width_m=spec.width_m, leakage_w=leakage,
            actions={"convert": ActionCost(latency_s=sense + encode, energy_j=0.0)},
            dynamic={"column_energy": sa.dynamic["column_energy"]}, compiled={"column_energy": sa.compiled["column_energy"]},
            ports={"energy_per_column_j": sa.port("switching_energy_per_column_j"), "sense_latency_s": sense,
                   "encoder_latency_s": encode})
    return build
