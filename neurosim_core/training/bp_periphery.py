"""The transposed-read (BP) periphery of an on-chip-training sub-array, and V2.1's column ADC, on the arch layer.

DNN+NeuroSim V2 (Peng et al., IEEE TCAD 2021, Sec. III-A, Fig. 4) computes the activation
gradient by reading the *same* synaptic array in the transposed direction: the errors drive the
columns and the rows are sensed.  Each sub-array therefore carries a second read path along its
side (laid out against the array's height):

* ``sense_amp``: ``rows / num_row_muxed_ag`` multilevel sense amps of ``level_output_ag`` levels
  (V2.1's fits, `mlsa_v21`), in the "adc" bucket;
* ``encoder``: their thermometer-to-binary encoders (same circuit as the forward path's), "adc";
* ``shift_add_input``: one shift-and-add per sense amp accumulating the ``error_bits`` error
  pulses (``log2(level_output_ag) + cells per synapse`` bit adders), "accumulation";
* ``shift_add_weight``: with several cells per synapse, the shift-add merging them, "accumulation".
  With ``parallel_bp = False`` the rows are read one at a time (V2.1 sequential BP): the sense
  amps resolve one cell, and an adder + register per sense amp (``ceil(log2(cols)) + cell bits``
  wide) accumulate the row reads ("accumulation").

`transposed_read_macro` returns that periphery as an `arch.Macro` (area per bucket through
`Macro.area_m2`, leakage through `Macro.leakage_w`).  `forward_adc_model` is V2.1's forward column
ADC (its multilevel sense amp + encoder) priced the same way, so the training estimate can report
V2.1's ADC area.  Not modelled: the BP column mux and its decoder (V2.1 books them under "other").
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..arch import ActionCost, ComponentModel, Macro, Part
from ..circuits.arithmetic import AdderBankSpec, ShiftAddSpec, adder_bank, shift_add
from ..circuits.dff import DffBankSpec, dff_bank
from ..circuits.env import CircuitEnv
from ..circuits.mlsa import MlsaEncoderSpec, mlsa_encoder
from ..circuits.switching import size_tg
from .. import formula
from ..constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NAND
from .mlsa_v21 import MlsaV21Spec, build_mlsa_v21

__all__ = ["TransposedReadSpec", "transposed_read_macro", "forward_adc_model", "sense_amp_model", "encoder_model"]


@dataclass(frozen=True, kw_only=True)
class TransposedReadSpec:
    """One sub-array's BP read path (SI units)."""

    rows: int  # sub-array rows (sensed in the transposed read)
    cols: int  # sub-array columns (driven by the errors)
    height_m: float  # the array's height (the periphery is laid out along it)
    level_output_ag: int
    num_row_muxed_ag: int
    error_bits: int  # V2.1 numReadPulseBP
    cells_per_synapse: int
    cell_bits: int  # bits per cell (1 for SRAM)
    parallel_bp: bool
    current_mode: bool
    resistance_on_ohm: float
    resistance_off_ohm: float
    read_voltage_v: float
    node_nm: int
    roadmap: str = "lstp"


def sense_amp_model(*, num_adc: int, levels: int, spec: TransposedReadSpec, env: CircuitEnv) -> ComponentModel:
    """V2.1's multilevel sense amps as a ComponentModel (area and leakage; see `mlsa_v21`)."""
    mlsa = build_mlsa_v21(spec=MlsaV21Spec(
        num_adc=num_adc, level_output=levels, current_mode=spec.current_mode,
        resistance_on_ohm=spec.resistance_on_ohm, resistance_off_ohm=spec.resistance_off_ohm,
        ladder_rows=spec.rows, read_voltage_v=spec.read_voltage_v, node_nm=spec.node_nm, roadmap=spec.roadmap,
        temperature_k=env.temperature_k), tech=env.tech, compat=env.compat)
    return ComponentModel(kind=f"mlsa_v21_{levels}", area_m2=mlsa.area_m2, height_m=0.0, width_m=0.0,
                          leakage_w=mlsa.leakage_w)


def encoder_model(*, levels: int, num_encoder: int, fit_height_m: float = 0.0, fit_width_m: float = 0.0,
                  p, env: CircuitEnv) -> ComponentModel:
    """The sense amps' thermometer-to-binary encoders (V2.1 geometry), folded along the given side.

    One encoder: a column of ``levels - 1`` INV + NAND2 cells (its height is ``levels - 1`` gate
    heights) beside ``log2(levels)`` NANDs of ``levels / 2`` inputs; its width is two INVs, a
    NAND2 and the large NAND.  Encoders fill rows of ``fit_width_m`` (or columns of
    ``fit_height_m``); a row (column) is at least that long.  NAND2: 2x minimum nMOS, minimum-ratio
    pMOS (V2.1 MultilevelSAEncoder).
    """
    tech = env.tech
    f = tech.feature_size
    h_region = f * MAX_TRANSISTOR_HEIGHT
    w_inv_n, w_inv_p = MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f
    w_nand_n, w_nand_p = 2 * MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f
    _, h_nand, w_nand = formula.gate_area(NAND, 2, w_nand_n, w_nand_p, h_region, tech)
    _, h_inv, w_inv = formula.gate_area(INV, 1, w_inv_n, w_inv_p, h_region, tech)
    _, _, w_nand_lg = formula.gate_area(NAND, math.ceil(levels / 2), w_nand_n, w_nand_p, h_region, tech)
    w_enc = 2 * w_inv + w_nand + w_nand_lg
    h_enc = (levels - 1) * max(h_inv, h_nand)
    if fit_width_m:
        per_row = min(math.ceil(fit_width_m / w_enc), num_encoder)
        width, height = max(fit_width_m, w_enc), h_enc * math.ceil(num_encoder / per_row)
    else:
        per_col = min(math.ceil(fit_height_m / h_enc), num_encoder) if fit_height_m else num_encoder
        height, width = max(fit_height_m, h_enc), w_enc * math.ceil(num_encoder / per_col)
    return ComponentModel(kind=f"encoder_{levels}", area_m2=height * width, height_m=height, width_m=width)


def transposed_read_macro(spec: TransposedReadSpec, *, p, env: CircuitEnv) -> Macro:
    """The BP periphery of one sub-array (V2 Sec. III-A; V2.1 SubArray transpose peripherals)."""
    num_sa = max(1, spec.rows // spec.num_row_muxed_ag)
    h = spec.height_m
    parts = []
    if spec.parallel_bp:
        levels = spec.level_output_ag
        sum_bits = int(math.log2(levels))
    else:  # one row at a time: each sense amp resolves one cell's levels
        levels = 2 ** spec.cell_bits
        sum_bits = math.ceil(math.log2(spec.cols)) + spec.cell_bits
    parts.append(Part("sense_amp", sense_amp_model(num_adc=num_sa, levels=levels, spec=spec, env=env), "adc"))
    if spec.parallel_bp or spec.cell_bits > 1:
        parts.append(Part("encoder", encoder_model(levels=levels, num_encoder=num_sa, fit_height_m=h, p=p, env=env),
                          "adc"))
    if not spec.parallel_bp:
        # sequential rows: an adder and its register per sense amp accumulate the row reads
        parts.append(Part("adder", adder_bank(AdderBankSpec(num_bit=sum_bits, num_adder=num_sa, fit_height_m=h), env),
                          "accumulation"))
        parts.append(Part("register", dff_bank(DffBankSpec(num_dff=(sum_bits + 1) * num_sa, fit_height_m=h), env),
                          "accumulation"))
    if spec.error_bits > 1:
        parts.append(Part("shift_add_input", shift_add(ShiftAddSpec(
            num_unit=num_sa, num_adder_bit=sum_bits + spec.cells_per_synapse, num_read_pulse=spec.error_bits,
            fit_height_m=h), env), "accumulation"))
    if spec.cells_per_synapse > 1:
        parts.append(Part("shift_add_weight", shift_add(ShiftAddSpec(
            num_unit=num_sa, num_adder_bit=sum_bits, num_read_pulse=spec.cells_per_synapse, fit_height_m=h), env),
            "accumulation"))
    return Macro("transposed_read", tuple(parts))


def forward_adc_model(*, num_adc: int, levels: int, width_m: float, spec: TransposedReadSpec, p,
                      env: CircuitEnv) -> ComponentModel:
    """V2.1's forward column ADC of one sub-array: its multilevel sense amps and encoders (area only)."""
    mlsa = sense_amp_model(num_adc=num_adc, levels=levels, spec=spec, env=env)
    enc = encoder_model(levels=levels, num_encoder=num_adc, fit_width_m=width_m, p=p, env=env)
    return ComponentModel(kind="forward_adc_v21", area_m2=mlsa.area_m2 + enc.area_m2, height_m=0.0, width_m=width_m,
                          leakage_w=mlsa.leakage_w + enc.leakage_w,
                          actions={"convert": ActionCost()})


#: V2.1 sequential BP: the share of a sub-array's columns one transposed row read is charged for
#: (``activityBPColRead``, hard-coded 0.5 in V2.1 ProcessingUnit.cpp, independent of the errors)
SEQUENTIAL_BP_COLUMN_ACTIVITY = 0.5


def sequential_bp_step(spec: TransposedReadSpec, *, sub, column_resistance, p, env: CircuitEnv) -> ComponentModel:
    """One conversion of the sequential (row-by-row) transposed read of one sub-array (V2 Sec. III-A).

    With ``parallel_bp = False`` every row is sensed on its own: each conversion drives the
    source-line switch matrix (a transmission gate onto the column RC plus its shift register's
    clock), resolves one cell in each sense amp (V2.1's fit on the ``R_on .. R_off`` ladder; V2.1
    senses the *forward* column resistances, see the training README), and adds the result into an
    adder + register per sense amp.  ``sub``: the chip's sub-array model (switch-matrix gate, column
    RC); ``column_resistance``: a typical forward column (ohm).

    Actions: ``"sense"`` -- the sense amps' sensing time and their column power over it (every
    column given); ``"step"`` -- switch matrix, encoders, adders and registers of one conversion.
    V2.1 charges ``rows_muxed x cols x activity`` steps and sense latencies per read but only
    ``cols x activity`` sense energies.
    """
    num_sa = max(1, spec.rows // spec.num_row_muxed_ag)
    tech = env.tech
    res_tg = sub.macro.part("sl_switch_matrix").model.port("res_tg_ohm")
    tg_n, tg_p = size_tg(res_tg, True, env.temperature_k, tech)
    h_tg = formula.gate_area(INV, 1, tg_n, tg_p, tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)[1]
    cap_tg_drain = formula.gate_capacitance(INV, 1, tg_n, tg_p, h_tg, tech)[1]
    cap_col, res_col = sub.wires.cap_col, sub.wires.res_col
    tau = res_tg * (3 * cap_tg_drain + cap_col) + res_col * cap_col / 2
    t_switch, _ = formula.horowitz(tau, 0.0, 1e20)
    sum_bits = math.ceil(math.log2(spec.cols)) + spec.cell_bits
    adder = adder_bank(AdderBankSpec(num_bit=sum_bits, num_adder=num_sa), env)
    register = dff_bank(DffBankSpec(num_dff=(sum_bits + 1) * num_sa), env)
    mlsa = build_mlsa_v21(spec=MlsaV21Spec(
        num_adc=num_sa, level_output=2 ** spec.cell_bits, current_mode=spec.current_mode,
        resistance_on_ohm=spec.resistance_on_ohm, resistance_off_ohm=spec.resistance_off_ohm, ladder_rows=1,
        read_voltage_v=spec.read_voltage_v, node_nm=spec.node_nm, roadmap=spec.roadmap,
        temperature_k=env.temperature_k), tech=env.tech, compat=env.compat)
    t_sense, e_sense = mlsa.convert(column_resistance, 1.0)
    t_encode = e_encode = 0.0
    if spec.cell_bits > 1:  # multi-bit cells: the sense amps' levels go through their encoders
        encode = mlsa_encoder(MlsaEncoderSpec(levels=2 ** spec.cell_bits, num_encoder=num_sa), env).cost("encode")
        t_encode, e_encode = float(encode.latency_s), float(encode.energy_j)
    clock = register.cost("clock")
    step = ActionCost(latency_s=t_switch + clock.latency_s + t_encode + adder.cost("add").latency_s + clock.latency_s,
                      energy_j=(e_encode + adder.cost("add").energy_j * num_sa + clock.energy_j
                                + register.cost("capture").energy_j * (sum_bits + 1) * num_sa))
    return ComponentModel(kind="sequential_bp_read", area_m2=0.0, height_m=0.0, width_m=0.0,
                          actions={"sense": ActionCost(latency_s=t_sense, energy_j=e_sense), "step": step})
