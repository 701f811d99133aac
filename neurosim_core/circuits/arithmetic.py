"""Digital accumulation: ripple-carry adders, adder trees, shift-and-add units and bit shifters.

Models: NeuroSim V1.4 ``Adder.cpp``, ``AdderTree.cpp``, ``ShiftAdd.cpp`` and ``BitShifter.cpp``
(DNN+NeuroSim V1.4 user manual, "Peripheral circuits: adder, adder tree, shift-add").

* `adder_bank`: ``num_adder`` ripple-carry adders of ``num_bit`` bits; each full adder is 9 NAND2
  gates.  The delay follows the critical carry path (A=111..., B=100..., Cin=1) through a
  chain of NAND2 stages solved with Horowitz's model; the energy counts the 0->1 transitions
  of that pattern, scaled by the calibrated switching activity ``delta`` when ``validated``.
* `adder_tree`: ``num_trees`` binary trees adding ``num_rows`` partial sums; a stage of the tree
  halves the operand count (integer halving, as the model does) and widens the sum by one bit.
* `shift_add`: the non-spiking (binary) shift-and-add of bit-serial partial sums: one adder and
  one shift register per unit.  (The model's spike-counting mode is unused by V1.4 and dropped.)
* `bit_shifter`: a bank of DFFs shifting activations out (used as the ReLU of the chip/tile).

Action latencies are in seconds; a synchronous design counts them in whole clock cycles where the
caller prices them (`levels.Clock`, the subarray's overlap rules).

At the 2 nm and 1 nm gate-all-around nodes the model's special standard-cell layout applies
(minimum-width devices, GAA gate-capacitance tuning factors, 1.5x on-resistance); NeuroSim's
``speciallayout`` switch is always on in V1.4 and is not a user option here.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

from .. import formula, quirks
from ..constants import (
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MAX_TRANSISTOR_HEIGHT_1NM,
    MAX_TRANSISTOR_HEIGHT_2NM,
    MAX_TRANSISTOR_HEIGHT_3NM,
    MAX_TRANSISTOR_HEIGHT_5NM,
    MAX_TRANSISTOR_HEIGHT_7NM,
    MAX_TRANSISTOR_HEIGHT_10NM,
    MAX_TRANSISTOR_HEIGHT_14NM,
    MIN_NMOS_SIZE,
    NAND,
    NMOS,
    PMOS,
)
from ..arch import ActionCost, ComponentModel
from .dff import DffBankSpec, dff_bank
from .env import CircuitEnv
from .gaa import GAA_NAND2

__all__ = ["AdderBankSpec", "AdderTreeSpec", "adder_tree", "ShiftAddSpec", "BitShifterSpec", "bit_shifter",
           "adder_bank", "shift_add"]

_GAA_RESISTANCE_FACTOR = 1.5
_NAND_PER_FULL_ADDER = 9
# standard-cell height (in F) of the FinFET/GAA nodes, for the INV+NAND row of the shift-add
_CELL_HEIGHT_BY_NODE = {14: MAX_TRANSISTOR_HEIGHT_14NM, 10: MAX_TRANSISTOR_HEIGHT_10NM,
                        7: MAX_TRANSISTOR_HEIGHT_7NM, 5: MAX_TRANSISTOR_HEIGHT_5NM,
                        3: MAX_TRANSISTOR_HEIGHT_3NM, 2: MAX_TRANSISTOR_HEIGHT_2NM,
                        1: MAX_TRANSISTOR_HEIGHT_1NM}
# the model drives internal stages with an ideal step input
_STEP_RAMP = 1e20


def _special_layout(tech) -> bool:
    return tech.feature_size_in_nano <= 2


def _tree_stages(num_inputs: int, compat: str):
    """Number of adders in each stage of a binary tree over ``num_inputs`` operands.

    The stage count is ceil(log2(n)); each stage has floor(j/2) adders and passes ceil(j/2)
    operands on (an odd one is carried).  V1.4 passes floor(j/2), dropping the odd operand
    (quirk ``adder_tree_drops_odd_operand``).
    """
    drop_odd = quirks.applies("adder_tree_drops_odd_operand", compat)
    j = num_inputs
    for _ in range(math.ceil(math.log2(num_inputs))):
        yield j // 2
        j = j // 2 if drop_odd else j - j // 2


def _stage_delay(res: float, gm: float, cap: float, ramp_input: float) -> tuple[float, float]:
    """Horowitz delay of one gate with pull resistance ``res`` driving ``cap``."""
    return formula.horowitz(res * cap, 1.0 / (res * gm), ramp_input)


@dataclass(frozen=True, kw_only=True)
class AdderBankSpec:
    """``num_adder`` ripple-carry adders of ``num_bit`` bits driving ``cap_load_f``; laid out in one
    row, or in columns of ``fit_height_m``, or in rows of ``fit_width_m``.  ``delta``: calibrated
    switching activity (1 when not validated)."""

    num_bit: int
    num_adder: int
    cap_load_f: float = 0.0
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    delta: float = 1.0
    ramp_input_s: float = _STEP_RAMP  # input ramp of the carry path (the model's callers use a step)


# Critical carry path of one ripple-carry adder (manual "Adder"; Horowitz gate-delay model): each
# stage is a NAND2 switching through its pull-down ("n", two nMOS in series) or pull-up ("p")
# network into its own output plus ``fanout`` NAND2 inputs; ``per_middle_bit`` stages repeat for
# each of the num_bit-2 inner bits (their ramp is propagated even when there are none).  The last
# stage (fanout None) drives the adder's external load.
_CARRY_PATH = (  # (pull network, NAND2 inputs loaded, repeats per middle bit)
    ("n", 3, False), ("p", 2, False),   # bit 0: carry generate
    ("n", 3, True), ("p", 2, True),     # each inner bit: carry propagate
    ("n", 3, False), ("p", 1, False),   # last bit: carry into the sum gate
    ("n", None, False),                 # sum output onto the load
)
# Charge drawn per addition, as multiples of (NAND2 input cap, NAND2 output cap), for the
# A=111.., B=100.., Cin=1 pattern: visible plus glitch ("hidden") 0->1 transitions of the
# first bit and of every later bit.
_FIRST_BIT_CHARGE = (14, 7)
_LATER_BIT_CHARGE = (13, 7)


def _fold_layout(unit_h: float, unit_w: float, count: int, fit_height: float, fit_width: float, what: str):
    """(height, width) of ``count`` equal blocks packed into the given height or width (one row
    if neither); 0 area with a warning when one block does not fit."""
    if fit_height:
        if unit_h > fit_height:
            warnings.warn(f"{what}: a single adder is taller than the assigned height; area set to 0")
            return 0.0, 0.0
        return fit_height, unit_w * unit_h * count / fit_height
    if fit_width:
        if unit_w > fit_width:
            warnings.warn(f"{what}: a single adder is wider than the assigned width; area set to 0")
            return 0.0, 0.0
        return unit_w * unit_h * count / fit_width, fit_width
    return unit_h, unit_w * count


def adder_bank(spec: AdderBankSpec, env: CircuitEnv) -> ComponentModel:
    """Ripple-carry adders, 9 NAND2 per full adder (NeuroSim V1.4 adder model; manual "Adder").

    Action ``"add"``: one addition of one adder -- latency of the carry path onto the load (step
    input), energy of the visible and hidden 0->1 transitions of every bit.  Ports: ``cap_input``
    and ``cap_output`` of a NAND2 (F), ``adder_height_m``/``adder_width_m`` (one adder).
    """
    tech, temp = env.tech, env.temperature_k
    f = tech.feature_size
    num_bit, num_adder = int(spec.num_bit), int(spec.num_adder)
    gaa = _special_layout(tech)
    w_n, w_p = formula.enlarge_size(2 * MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f,
                                    f * MAX_TRANSISTOR_HEIGHT, tech)
    # GAA standard cells use minimum devices for area, capacitance and leakage (not for drive)
    cell_n, cell_p = (MIN_NMOS_SIZE * f, MIN_NMOS_SIZE * f) if gaa else (w_n, w_p)
    _, h_nand, w_nand = formula.gate_area(NAND, 2, cell_n, cell_p, f * MAX_TRANSISTOR_HEIGHT, tech)
    if gaa:
        c_in, c_out = formula.gate_capacitance_gaa(NAND, 2, cell_n, cell_p, h_nand, tech,
                                                   *GAA_NAND2[tech.feature_size_in_nano])
    else:
        c_in, c_out = formula.gate_capacitance(NAND, 2, cell_n, cell_p, h_nand, tech)

    # one adder is a row of 9*num_bit NAND2, or (when packed into a width) one NAND row per bit
    nands_per_bit = _NAND_PER_FULL_ADDER
    if spec.fit_width_m and not spec.fit_height_m:
        h_adder, w_adder = h_nand * num_bit, w_nand * nands_per_bit
    else:
        h_adder, w_adder = h_nand, w_nand * nands_per_bit * num_bit
    height, width = _fold_layout(h_adder, w_adder, num_adder, spec.fit_height_m, spec.fit_width_m, "Adder")

    gaa_res = _GAA_RESISTANCE_FACTOR if gaa else 1.0
    drive = {"n": (formula.on_resistance(w_n, NMOS, temp, tech) * 2 * gaa_res, formula.transconductance(w_n, NMOS, tech)),
             "p": (formula.on_resistance(w_p, PMOS, temp, tech) * gaa_res, formula.transconductance(w_p, PMOS, tech))}
    middle_bits = max(num_bit - 2, 0)
    latency, ramp = 0.0, spec.ramp_input_s
    for pull, fanout, per_middle_bit in _CARRY_PATH:
        load = c_out + (spec.cap_load_f if fanout is None else c_in * fanout)
        delay, ramp = _stage_delay(*drive[pull], load, ramp)
        latency += delay * (middle_bits if per_middle_bit else 1)

    charge = [first + later * (num_bit - 1) for first, later in zip(_FIRST_BIT_CHARGE, _LATER_BIT_CHARGE)]
    energy = (charge[0] * c_in + charge[1] * c_out) * tech.vdd * tech.vdd
    leak = formula.gate_leakage(NAND, 2, cell_n, cell_p, temp, tech)
    return ComponentModel(
        kind="adder_bank", area_m2=height * width, height_m=height, width_m=width,
        leakage_w=leak * tech.vdd * _NAND_PER_FULL_ADDER * num_bit * num_adder,
        actions={"add": ActionCost(latency_s=latency, energy_j=energy * spec.delta)},
        ports={"cap_input": c_in, "cap_output": c_out, "adder_height_m": h_adder, "adder_width_m": w_adder,
               "ramp_output": ramp, "num_adder": float(num_adder)},
    )


@dataclass(frozen=True, kw_only=True)
class AdderTreeSpec:
    """``num_trees`` binary adder trees of ``num_rows`` ``num_adder_bit``-bit inputs (the area),
    of which ``num_inputs`` (0: all rows) are summed per reduction, driving ``cap_load_f``; laid
    out to ``fit_width_m`` (else ``fit_height_m``).  ``delta``: the adders' calibrated activity."""

    num_rows: int
    num_adder_bit: int
    num_trees: int
    num_inputs: int = 0
    cap_load_f: float = 0.0
    fit_width_m: float = 0.0
    fit_height_m: float = 0.0
    delta: float = 1.0


def adder_tree(spec: AdderTreeSpec, env: CircuitEnv) -> ComponentModel:
    """Binary adder trees (NeuroSim V1.4 adder-tree model), composed of `adder_bank` stages.

    Area: all full adders of one tree laid out as one wide adder per tree.  Action ``"reduce"``:
    one sum of ``num_inputs`` operands in every tree -- latency of the first stage's ripple over
    ``num_adder_bit`` bits plus a 2-bit ripple per later stage (carry chains overlap), energy of
    every stage's adders.  Leakage: the stages that ``num_inputs`` operands use.
    """
    stages = list(_tree_stages(spec.num_rows, env.compat))
    full_adders = sum((spec.num_adder_bit + k) * adders for k, adders in enumerate(stages))
    if spec.fit_width_m:
        area_model = adder_bank(AdderBankSpec(num_bit=full_adders, num_adder=spec.num_trees,
                                              fit_width_m=spec.fit_width_m), env)
        width, height = spec.fit_width_m, area_model.area_m2 / spec.fit_width_m
    elif spec.fit_height_m:
        area_model = adder_bank(AdderBankSpec(num_bit=full_adders, num_adder=spec.num_trees,
                                              fit_height_m=spec.fit_height_m), env)
        width, height = area_model.area_m2 / spec.fit_height_m, spec.fit_height_m
    else:
        width = height = 0.0  # a tree is laid out to its neighbour's width or height only
    n = int(spec.num_inputs) if spec.num_inputs else int(spec.num_rows)
    latency, j = 0.0, n
    num_stages = math.ceil(math.log2(n))
    if num_stages == 0 and quirks.applies("adder_tree_single_operand_latency", env.compat):
        num_stages = 1  # V1.4 always counts the first stage's ripple
    for stage in range(num_stages):
        bits = spec.num_adder_bit if stage == 0 else 2
        latency += adder_bank(AdderBankSpec(num_bit=bits, num_adder=j // 2, cap_load_f=spec.cap_load_f),
                              env).cost("add").latency_s
        j //= 2
    energy = leakage = 0.0
    for k, adders in enumerate(_tree_stages(n, env.compat)):
        bank = adder_bank(AdderBankSpec(num_bit=spec.num_adder_bit + k, num_adder=adders, delta=spec.delta), env)
        energy += bank.cost("add").energy_j * adders
        leakage += bank.leakage_w
    return ComponentModel(
        kind="adder_tree", area_m2=height * width, height_m=height, width_m=width,
        leakage_w=leakage * spec.num_trees,
        actions={"reduce": ActionCost(latency_s=latency, energy_j=energy * spec.num_trees)},
        ports={"num_stage": float(math.ceil(math.log2(spec.num_rows)))},
    )


@dataclass(frozen=True, kw_only=True)
class ShiftAddSpec:
    """``num_unit`` shift-and-add units (non-spiking) of ``num_adder_bit``-bit adders accumulating
    ``num_read_pulse`` input bits; laid out in rows of ``fit_width_m`` (else columns of
    ``fit_height_m``).  ``gamma``/``delta``: calibrated switching activity of register/adder."""

    num_unit: int
    num_adder_bit: int
    num_read_pulse: int = 1
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    gamma: float = 1.0
    delta: float = 1.0


def shift_add(spec: ShiftAddSpec, env: CircuitEnv) -> ComponentModel:
    """Shift-and-add units: an adder plus a shift register each (NeuroSim V1.4 shift-add model).

    Composed of `adder_bank` and `dff_bank`.  Action ``"shift_add"``: one shift-and-add of every
    unit -- energy of all adders adding and every register bit captured, latency of one adder
    onto the register plus the register (one clock cycle when synchronous).  A PISO control
    INV + NAND2 row counts in the area only.
    """
    tech = env.tech
    f = tech.feature_size
    n = int(spec.num_unit)
    # the adder output has one extra bit; num_read_pulse-1 more bits for the shift extension
    num_dff = (spec.num_adder_bit + 1 + spec.num_read_pulse - 1) * n
    fit_w = spec.fit_width_m
    fit_h = 0.0 if fit_w else spec.fit_height_m
    register = dff_bank(DffBankSpec(num_dff=num_dff, fit_width_m=fit_w, fit_height_m=fit_h, gamma=spec.gamma), env)
    probe = dff_bank(DffBankSpec(num_dff=num_dff), env)
    adder = adder_bank(AdderBankSpec(num_bit=spec.num_adder_bit, num_adder=n, cap_load_f=probe.port("cap_tg_drain"),
                                     fit_width_m=fit_w, fit_height_m=fit_h, delta=spec.delta), env)
    h_region = f * MAX_TRANSISTOR_HEIGHT
    w_inv_n, w_p = MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f
    _, _, w_inv = formula.gate_area(INV, 1, w_inv_n, w_p, h_region, tech)
    nand_n = MIN_NMOS_SIZE * f if _special_layout(tech) else 2 * MIN_NMOS_SIZE * f
    _, _, w_nand = formula.gate_area(NAND, 2, nand_n, w_p, h_region, tech)
    if fit_w:  # the INV and NAND2 share one standard-cell row
        cell_height = _CELL_HEIGHT_BY_NODE.get(tech.feature_size_in_nano, MAX_TRANSISTOR_HEIGHT)
        height, width = adder.height_m + f * cell_height + register.height_m, fit_w
    else:
        height, width = fit_h, adder.width_m + w_inv + w_nand + register.width_m
    add, clock, capture = adder.cost("add"), register.cost("clock"), register.cost("capture")
    if env.synchronous:
        latency = 1.0 / env.clk_freq_hz
    else:
        latency = add.latency_s + clock.latency_s
    return ComponentModel(
        kind="shift_add", area_m2=height * width, height_m=height, width_m=width,
        leakage_w=adder.leakage_w + register.leakage_w,
        actions={"shift_add": ActionCost(latency_s=latency,
                                         energy_j=add.energy_j * n + clock.energy_j + capture.energy_j * num_dff)},
        ports={"adder_latency_s": add.latency_s, "register_latency_s": clock.latency_s},
    )


@dataclass(frozen=True, kw_only=True)
class BitShifterSpec:
    """``num_unit`` registers of ``num_bit`` flip-flops, laid out to ``fit_width_m`` (else
    ``fit_height_m``; neither: one row)."""

    num_unit: int
    num_bit: int
    fit_width_m: float = 0.0
    fit_height_m: float = 0.0


def bit_shifter(spec: BitShifterSpec, env: CircuitEnv) -> ComponentModel:
    """Registers read out in parallel (NeuroSim V1.4 bit-shifter model; the ReLU unit): a
    `dff_bank` of ``num_unit * num_bit`` flip-flops.  Action ``"shift"``: every register clocked
    and every bit captured once (no switching-activity calibration)."""
    num_dff = spec.num_bit * spec.num_unit
    bank = dff_bank(DffBankSpec(num_dff=num_dff), env)
    area = bank.area_m2
    if spec.fit_width_m:
        width, height = spec.fit_width_m, area / spec.fit_width_m
    elif spec.fit_height_m:
        width, height = area / spec.fit_height_m, spec.fit_height_m
    else:
        width, height = bank.width_m, bank.height_m
    clock, capture = bank.cost("clock"), bank.cost("capture")
    return ComponentModel(kind="bit_shifter", area_m2=area, height_m=height, width_m=width, leakage_w=bank.leakage_w,
                          actions={"shift": ActionCost(latency_s=clock.latency_s,
                                                       energy_j=clock.energy_j + capture.energy_j * num_dff)})
