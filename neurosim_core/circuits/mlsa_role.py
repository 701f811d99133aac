"""The built-in multilevel sense amp (+ encoder) as a builder of the subarray's ``adc`` role.

(The SAR ADC's builder is `adc.sar_adc`; the role's contract is in `neurosim_core.plugins`.)
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..arch import ActionCost, ComponentModel
from ..constants import AreaModify
from .adc import MultilevelSAEncoder, MultilevelSenseAmp, _column_energy_sum_kernel
from .env import AdcSpec, CircuitEnv

__all__ = ["mlsa_adc_builder"]


def mlsa_adc_builder(p, cell, *, parallel: bool, res_cell_access: float, array_height: float,
                     array_width_unit: float, reference_energy_peri: Callable[[], float]):
    """The built-in multilevel sense amp (+ its encoder) as a builder of the subarray's ``adc`` role.

    Returns ``build(spec, env) -> ComponentModel`` (the `neurosim_core.plugins` contract): action
    ``"convert"`` (sensing time of the reference ladder, 1 ns in voltage mode, plus the encoder's
    INV -> NAND path; no input-independent energy besides the per-column switching energy, port
    ``energy_per_column_j``), dynamic action ``"column_energy"`` (mirror power of every column and
    the shared reference columns over the sensing time) with its compiled form, area of the sense
    amps, their share of the reference columns and the encoders, leakage of the encoders.  The
    sense amp and encoder models are still the stateful `MultilevelSenseAmp` / `MultilevelSAEncoder`
    inside (``p``/``cell``: their parameters; ``reference_energy_peri``: read when built).
    """
    def build(spec: AdcSpec, env: CircuitEnv) -> ComponentModel:
        tech = env.tech
        mlsa = MultilevelSenseAmp(p, tech, cell)
        mlsa.initialize(spec.num_adc, spec.levels, env.clk_freq_hz, 0, parallel, bool(p.current_mode),
                        res_cell_access=res_cell_access)
        mlsa.calculate_area(0.0, spec.width_m, AreaModify.NONE, array_height=array_height,
                            array_width_unit=array_width_unit)
        sense = mlsa.calculate_latency(None, 1, 1, column_cap=spec.column_cap_f)
        area, height, leakage, latency, encoder_latency = mlsa.area, mlsa.height, 0.0, sense, 0.0
        if parallel or p.cell_bit > 1:  # the encoder: thermometer code -> binary
            encoder = MultilevelSAEncoder(p, tech, cell)
            encoder.initialize(spec.levels, spec.num_adc)
            encoder.calculate_area(0.0, spec.width_m, AreaModify.NONE)
            encoder.calculate_power(1)
            encoder_latency = encoder.calculate_latency(1e20, 1)
            latency = sense + encoder_latency
            area, height, leakage = area + encoder.area, height + encoder.height, encoder.leakage
        compiled = mlsa.energy_kernel_args(spec.column_cap_f)
        per_column = mlsa.switching_energy(spec.column_cap_f, reference_energy_peri()) * (spec.levels - 1)

        def column_energy(*, column_resistance) -> ActionCost:
            r = np.ascontiguousarray(np.atleast_2d(column_resistance), dtype=float)
            return ActionCost(energy_j=_column_energy_sum_kernel(r, *compiled))

        return ComponentModel(
            kind=f"mlsa_{spec.bits}b", area_m2=area, height_m=height, width_m=spec.width_m, leakage_w=leakage,
            actions={"convert": ActionCost(latency_s=latency, energy_j=0.0)},
            dynamic={"column_energy": column_energy}, compiled={"column_energy": compiled},
            ports={"energy_per_column_j": per_column, "sense_latency_s": sense, "encoder_latency_s": encoder_latency})
    return build
