"""D flip-flop bank (scan chains, input/output registers of shift-add and accumulators).

Model: NeuroSim V1.4 DFF model (manual, "Peripheral circuits").  One DFF is taken as 12
minimum-size inverters side by side (master/slave latches with clocked transmission gates).  Its
energy per clock cycle counts the clock inverters and clock transmission gates of every DFF, plus
the D->Q path of the DFFs that actually capture data; leakage is that of 8 minimum inverters per
DFF.  At the 2 nm and 1 nm gate-all-around nodes the model's special standard-cell layout applies
(reduced gate capacitance and leakage factors; NeuroSim's ``speciallayout`` option, on by default
and not a user option here).

`dff_bank(spec, env)` builds the immutable model (`neurosim_core.arch.ComponentModel`):

* actions ``"clock"`` (every DFF of the bank clocked once) and ``"capture"`` (one DFF captures a
  new bit: its D->Q path), each with its energy (J) and latency (s: one clock cycle when
  synchronous, half a period otherwise);
* ports ``cap_tg_drain`` (the load an adder driving the bank sees), ``cap_inv_input``,
  ``cap_inv_output``, ``cap_tg_gate_n``, ``cap_tg_gate_p`` (F), ``dff_height_m``/``dff_width_m``
  (one flip-flop).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .. import formula
from ..arch import ActionCost, ComponentModel
from ..constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE
from .env import CircuitEnv
from .gaa import GAA_INV

__all__ = ["DffBankSpec", "dff_bank"]

_INVERTERS_PER_DFF = 12
_LEAKING_INVERTERS_PER_DFF = 8


@dataclass(frozen=True, kw_only=True)
class DffBankSpec:
    """``num_dff`` flip-flops; laid out in one row, or in columns of ``fit_height_m``, or in rows of
    ``fit_width_m``.  ``gamma``: switching-activity factor of the energy (the silicon calibration
    of shift-add/accumulator registers; 1 when not validated)."""

    num_dff: int
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    gamma: float = 1.0


def dff_bank(spec: DffBankSpec, env: CircuitEnv) -> ComponentModel:
    tech = env.tech
    f = tech.feature_size
    n = int(spec.num_dff)
    w_n, w_p = MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f
    _, h_inv, w_inv = formula.gate_area(INV, 1, w_n, w_p, f * MAX_TRANSISTOR_HEIGHT, tech)
    h_dff, w_dff = h_inv, w_inv * _INVERTERS_PER_DFF
    if spec.fit_height_m:  # stack the DFFs in columns of the given height
        per_col = min(int(spec.fit_height_m / h_dff), n)
        if per_col == 0:
            raise ValueError("DFF: the assigned height is smaller than a single DFF")
        height, width = spec.fit_height_m, w_dff * math.ceil(n / per_col)
    elif spec.fit_width_m:  # stack the DFFs in rows of the given width
        per_row = min(int(spec.fit_width_m / w_dff), n)
        if per_row == 0:
            raise ValueError("DFF: the assigned width is smaller than a single DFF")
        height, width = h_dff * math.ceil(n / per_row), spec.fit_width_m
    else:  # one row of DFFs
        height, width = h_dff, w_dff * n

    special = GAA_INV.get(tech.feature_size_in_nano)  # GAA special layout (2 nm, 1 nm)
    if special is not None:
        gate_factor, n_factor, p_factor = special
        cap_in, cap_out = formula.gate_capacitance_gaa(INV, 1, w_n, w_n, h_inv, tech, gate_factor, n_factor,
                                                       p_factor)
        cap_gate_n = formula.gate_cap(w_n, tech) * gate_factor
        cap_gate_p = formula.gate_cap(w_p, tech) * gate_factor
        cap_drain = cap_out
    else:
        gate_factor = 1.0
        cap_in, cap_out = formula.gate_capacitance(INV, 1, w_n, w_p, h_inv, tech)
        cap_gate_n, cap_gate_p = formula.gate_cap(w_n, tech), formula.gate_cap(w_p, tech)
        _, cap_drain = formula.gate_capacitance(INV, 1, w_n, w_p, h_inv, tech)

    leakage = formula.gate_leakage(INV, 1, w_n, w_p, env.temperature_k, tech) * tech.vdd
    leakage = leakage * _LEAKING_INVERTERS_PER_DFF * n
    if special is not None:
        leakage *= gate_factor

    vdd2 = tech.vdd * tech.vdd
    # clock inverters and clock transmission gates of every DFF, one clock cycle
    clock = (cap_in + cap_out) * vdd2 * 4 * n + cap_gate_n * vdd2 * 2 * n + cap_gate_p * vdd2 * 2 * n
    # D -> Q path of one DFF that captures data (input side, feedback side, output side)
    capture = ((cap_drain * 3 + cap_in) * vdd2 + (cap_drain + cap_out) * vdd2 + (cap_in + cap_out) * vdd2)
    cycle = 1.0 / env.clk_freq_hz if env.synchronous else 1.0 / env.clk_freq_hz / 2.0
    return ComponentModel(
        kind="dff_bank",
        area_m2=height * width,
        height_m=height,
        width_m=width,
        leakage_w=leakage,
        actions={"clock": ActionCost(latency_s=cycle, energy_j=clock * spec.gamma),
                 "capture": ActionCost(energy_j=capture * spec.gamma)},
        ports={"cap_tg_drain": cap_drain, "cap_inv_input": cap_in, "cap_inv_output": cap_out,
               "cap_tg_gate_n": cap_gate_n, "cap_tg_gate_p": cap_gate_p, "num_dff": float(n),
               "dff_height_m": h_dff, "dff_width_m": w_dff},
    )
