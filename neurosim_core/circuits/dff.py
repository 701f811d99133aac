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


# Charge drawn per event, as multiples of each node capacitance (V1.4 manual, "Peripheral circuits",
# DFF): a clock edge toggles, in every DFF, four clock inverters and the gates of the clocked
# transmission gates; a DFF capturing a new bit also charges its D->Q path (TG drains, latch
# inverter inputs and outputs).
_CLOCK_CHARGE = {"inv_in": 4, "inv_out": 4, "tg_gate_n": 2, "tg_gate_p": 2}
_CAPTURE_CHARGE = {"tg_drain": 4, "inv_in": 2, "inv_out": 2}


def _pack(count: int, unit_h: float, unit_w: float, fit_height: float, fit_width: float) -> tuple[float, float]:
    """(height, width) of ``count`` whole cells on a grid whose height (else width) is given; one row if neither."""
    if fit_height:
        per_line = min(int(fit_height / unit_h), count)
        if per_line == 0:
            raise ValueError("DFF: the assigned height is smaller than a single DFF")
        return fit_height, unit_w * math.ceil(count / per_line)
    if fit_width:
        per_line = min(int(fit_width / unit_w), count)
        if per_line == 0:
            raise ValueError("DFF: the assigned width is smaller than a single DFF")
        return unit_h * math.ceil(count / per_line), fit_width
    return unit_h, unit_w * count


def dff_bank(spec: DffBankSpec, env: CircuitEnv) -> ComponentModel:
    tech = env.tech
    f = tech.feature_size
    n = int(spec.num_dff)
    w_n, w_p = MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f
    _, h_inv, w_inv = formula.gate_area(INV, 1, w_n, w_p, f * MAX_TRANSISTOR_HEIGHT, tech)
    h_dff, w_dff = h_inv, w_inv * _INVERTERS_PER_DFF
    height, width = _pack(n, h_dff, w_dff, spec.fit_height_m, spec.fit_width_m)

    # node capacitances of one minimum inverter / transmission gate (GAA: tuned minimum devices)
    special = GAA_INV.get(tech.feature_size_in_nano)
    gate_factor = 1.0 if special is None else special[0]
    if special is None:
        cap_in, cap_out = formula.gate_capacitance(INV, 1, w_n, w_p, h_inv, tech)
    else:
        cap_in, cap_out = formula.gate_capacitance_gaa(INV, 1, w_n, w_n, h_inv, tech, *special)
    cap = {"inv_in": cap_in, "inv_out": cap_out, "tg_drain": cap_out,
           "tg_gate_n": formula.gate_cap(w_n, tech) * gate_factor,
           "tg_gate_p": formula.gate_cap(w_p, tech) * gate_factor}
    vdd2 = tech.vdd * tech.vdd
    clock = sum(k * cap[node] for node, k in _CLOCK_CHARGE.items()) * vdd2 * n
    capture = sum(k * cap[node] for node, k in _CAPTURE_CHARGE.items()) * vdd2

    leakage = (formula.gate_leakage(INV, 1, w_n, w_p, env.temperature_k, tech) * tech.vdd
               * _LEAKING_INVERTERS_PER_DFF * n * gate_factor)
    cycle = 1.0 / env.clk_freq_hz if env.synchronous else 1.0 / env.clk_freq_hz / 2.0
    return ComponentModel(
        kind="dff_bank",
        area_m2=height * width,
        height_m=height,
        width_m=width,
        leakage_w=leakage,
        actions={"clock": ActionCost(latency_s=cycle, energy_j=clock * spec.gamma),
                 "capture": ActionCost(energy_j=capture * spec.gamma)},
        ports={"cap_tg_drain": cap["tg_drain"], "cap_inv_input": cap_in, "cap_inv_output": cap_out,
               "cap_tg_gate_n": cap["tg_gate_n"], "cap_tg_gate_p": cap["tg_gate_p"], "num_dff": float(n),
               "dff_height_m": h_dff, "dff_width_m": w_dff},
    )
