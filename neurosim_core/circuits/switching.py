"""Transmission-gate switching circuits of the CIM subarray periphery, as pure builders.

Each family is a builder ``family(spec, env) -> ComponentModel`` (`neurosim_core.arch`).  Equations:
NeuroSim V1.4 manual, "Peripheral circuits" (switch matrix, multiplexers, level shifter) and the
DNN+NeuroSim paper (Peng et al., IEDM 2019 / TCAD 2020): a transmission gate (TG) is an nMOS and a
pMOS in parallel, sized so that its on-resistance is a fraction of the resistance it passes; its
delay is an RC (Elmore) product, its energy the gate and drain capacitances switched.

* `switch_matrix` -- a TG pair per row (column) and a DFF scan chain selecting the lines.  Line
  delay: the distributed RC of the driven line in ``repeaters + 1`` sections (0.69 RC + 0.38 r c
  L^2, Bakoglu).  Actions ``read`` / ``write`` (data-dependent) and ``scan``.
* `new_switch_matrix` -- 3 TGs per row of the parallel-read 1T1R array + scan chain; ``read``,
  ``scan``.
* `mux` -- column multiplexer: analog (TGs sized for ``IR_DROP_TOLERANCE`` of the resistance they
  pass) or digital (minimum TGs); delay 2.3 RC (0 -> 90 %).  Action ``read``.
* `new_mux` -- 3 TGs per column of the 1T1R array.  Action ``read`` (data-dependent).
* `demux` -- TG demultiplexer with one enable inverter.  Action ``read``.
* `level_shifter` -- low-to-high level shifters (one per line) for write voltages; ``read``
  (data-dependent) and ``write``.

Data-dependent actions take per-vector NumPy arrays (``activity_row_read``, ``activity_col_write``)
and return arrays of the same shape.  Write actions exist only where a caller prices writes (the
switch matrix: the training estimator's weight update; the level shifter, a write-path circuit).

Reference defects reproduced under ``compat`` neurosim_v14/v21 (`neurosim_core.quirks`):
``new_switch_matrix_pmos_as_nmos``, ``demux_fold_width_whole_metres``.  Reference defect fixed:
the reference 1T1R mux never sets its TG resistance; ours is that of its minimum TG unless the
spec gives one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .. import formula, quirks
from ..arch import ActionCost, ComponentModel
from ..constants import (
    INV, IR_DROP_TOLERANCE, LINEAR_REGION_RATIO, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NMOS, PMOS, ROW_MODE,
    AreaModify,
)
from .decoders import (
    STEP_RAMP, fit_height, fit_width, fold_count, min_cell_height, min_cell_width, reshape, tg_reference_width,
    tg_resistance,
)
from .dff import DffBankSpec, dff_bank
from .env import CircuitEnv

__all__ = [
    "SwitchMatrixSpec", "switch_matrix", "NewSwitchMatrixSpec", "new_switch_matrix", "MuxSpec", "mux",
    "NewMuxSpec", "new_mux", "DemuxSpec", "demux", "LevelShifterSpec", "level_shifter",
]


def size_tg(res_target: float, linear_region: bool, temperature: int, tech) -> tuple[float, float]:
    """TG widths (nMOS, pMOS) whose devices each have 2x ``res_target`` on-resistance.

    Widths are rounded up to whole fin pairs below 22 nm and kept at least 1 F above.
    """
    f = tech.feature_size
    w_ref = tg_reference_width(tech)
    widths = []
    for device in (NMOS, PMOS):
        r_unit = formula.on_resistance_normal(w_ref, device, temperature, tech) * f
        if linear_region:
            r_unit *= LINEAR_REGION_RATIO
        width = r_unit / (res_target * 2)
        widths.append(2 * math.ceil(width / f) * f if tech.feature_size_in_nano <= 14 else max(width, f))
    return widths[0], widths[1]


def _min_tg(tech) -> tuple[float, float]:
    f = tech.feature_size
    return formula.enlarge_size(MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, f * MAX_TRANSISTOR_HEIGHT,
                                tech)


def _tg_caps(tg_n: float, tg_p: float, h_tg: float, tech) -> tuple[float, float, float]:
    """(nMOS gate, pMOS gate, drain) capacitance of a TG laid out at height ``h_tg``."""
    return (formula.gate_cap(tg_n, tech), formula.gate_cap(tg_p, tech),
            formula.gate_capacitance(INV, 1, tg_n, tg_p, h_tg, tech)[1])


def _folded_pass_gates(size: float, count: int, per_unit: int, tg_n: float, tg_p: float, tech, what: str):
    """TGs folded into rows of width ``size``, ``per_unit`` TGs side by side per cell: (rows, h_tg, w_tg)."""
    cell_w = min_cell_width(tech)
    rows = fold_count(size, cell_w * per_unit, count, what)
    tg_width = size / math.ceil(count / rows) / per_unit
    _, h_tg, w_tg = formula.pass_gate_area(tg_n, tg_p, tech, int(tg_width / (0.5 * cell_w)) - 1)
    return rows, h_tg, w_tg


def _column_tgs(spec, height: float, tg_n: float, tg_p: float, n: int, tech, what: str):
    """TGs stacked in columns of ``height`` (from the spec's fit height when given): (columns, h_tg, w_tg)."""
    cell_h = min_cell_height(tech)
    if fit_height(spec):
        cols = fold_count(height, cell_h, n, what)
        _, h_tg, w_tg = formula.gate_area(INV, 1, tg_n, tg_p, height / math.ceil(n / cols), tech)
        return cols, h_tg, w_tg
    _, h_tg, w_tg = formula.gate_area(INV, 1, tg_n, tg_p, cell_h, tech)
    return 1, h_tg, w_tg


def _scan_chain(num: int, fit_h: float, fit_w: float, env: CircuitEnv) -> ComponentModel:
    return dff_bank(DffBankSpec(num_dff=num, fit_height_m=fit_h, fit_width_m=fit_w), env)


def _scan_action(chain: ComponentModel, num: int) -> ActionCost:
    """One shift of the selection pattern: the chain clocked, every DFF capturing a bit."""
    return ActionCost(latency_s=chain.cost("clock").latency_s,
                      energy_j=chain.cost("clock").energy_j + chain.cost("capture").energy_j * num)


# ---- switch matrices ----------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class SwitchMatrixSpec:
    """``num_output`` lines (rows in ROW_MODE: WL/BL; columns in COL_MODE: SL).

    TG sizing: on-resistance ``res_target_ohm x size_ratio`` (linear region).  Cell voltages
    ``read_voltage_v`` / ``write_voltage_v``; ``cmos_access`` (1T1R) or crossbar.  ``neuro``: all
    lines used by a parallel read/update (else memory mode: one line).  Write: ``parallel_write``,
    cells written per operation in memory/neuro mode, ``write_pulses``.  Line delay:
    ``unit_cap_f``/``unit_res_ohm`` per cell over ``cells_per_line`` cells, ``repeaters`` repeaters of
    input capacitance ``repeater_cap_in_f``; ``ramp_input``.
    """

    num_output: int
    res_target_ohm: float
    read_voltage_v: float
    write_voltage_v: float
    cmos_access: bool
    mode: int = ROW_MODE
    size_ratio: float = 1.0
    neuro: bool = True
    parallel_write: bool = False
    write_cells_memory: int = 0
    write_cells_neuro: int = 0
    write_pulses: float = 1.0
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    area_modify: AreaModify = AreaModify.NONE
    unit_cap_f: float = 0.0
    unit_res_ohm: float = 0.0
    cells_per_line: int = 0
    repeaters: int = 0
    repeater_cap_in_f: float = 0.0
    ramp_input: float = STEP_RAMP


def switch_matrix(spec: SwitchMatrixSpec, env: CircuitEnv) -> ComponentModel:
    """TG pair per line + DFF scan chain.

    Actions: ``scan`` (the chain shifts one selection pattern: one clock, every DFF captures);
    dynamic ``read(activity_row_read)`` (lines passing the read voltage in one read: every active
    row in neuro row mode, one line in memory mode, none for columns in neuro mode; latency: the
    line's distributed RC); dynamic ``write(activity_col_write)`` (one write step: 2-step write,
    half SET and half RESET; latency: Horowitz delay of the line RC).  Ports: ``res_tg_ohm``,
    ``ramp_output``.  The scan chain is the only leakage.
    """
    tech, n = env.tech, int(spec.num_output)
    tg_n, tg_p = size_tg(spec.res_target_ohm * spec.size_ratio, True, env.temperature_k, tech)
    if spec.mode == ROW_MODE:
        cols, h_tg, w_tg = _column_tgs(spec, spec.fit_height_m, tg_n, tg_p, n, tech, "switch matrix")
        height = spec.fit_height_m if fit_height(spec) else h_tg * n
        chain = _scan_chain(n, height, 0.0, env)
        width = w_tg * 2 * cols + chain.width_m
    else:
        if fit_width(spec):
            rows, h_tg, w_tg = _folded_pass_gates(spec.fit_width_m, n, 2, tg_n, tg_p, tech, "switch matrix")
            width = spec.fit_width_m
        else:
            (_, h_tg, w_tg), rows = formula.pass_gate_area(tg_n, tg_p, tech, 1), 1
            width = w_tg * 2 * n
        chain = _scan_chain(n, 0.0, width, env)
        height = h_tg * rows + chain.height_m
    height, width, area = reshape(height, width, spec)

    g_n, g_p, drain = _tg_caps(tg_n, tg_p, h_tg, tech)
    res_tg = tg_resistance(tg_n, tg_p, env.temperature_k, tech)
    sections = spec.cells_per_line / (spec.repeaters + 1)
    wire_c = spec.unit_cap_f * sections
    tau = (res_tg * (drain * 2 + g_n * 0.5 + g_p * 0.5) * 0.69
           + wire_c * (0.69 * res_tg + 0.38 * spec.unit_res_ohm * sections))
    if spec.repeaters:
        tau += (wire_c * 0.69 + 0.69 * res_tg) * spec.repeater_cap_in_f
    write_delay, ramp = formula.horowitz(tau, 0.0, spec.ramp_input)

    vdd2, vr2 = tech.vdd ** 2, spec.read_voltage_v ** 2
    vw2, half_vw2 = spec.write_voltage_v ** 2, (spec.write_voltage_v / 2) ** 2
    drain3, gates = drain * 3, g_n + g_p
    per_line_read = drain3 * vr2 + gates * vdd2

    def read(*, activity_row_read) -> ActionCost:
        if not spec.neuro:
            lines = 1.0
        elif spec.mode == ROW_MODE:
            lines = n * activity_row_read
        else:
            lines = 0.0
        return ActionCost(latency_s=tau, energy_j=per_line_read * lines)

    def write(*, activity_col_write) -> ActionCost:
        mem = min(spec.write_cells_memory, n)
        neuro = np.minimum(spec.write_cells_neuro, n * activity_col_write)
        pulses = spec.write_pulses
        if spec.cmos_access:  # 1T1R
            if spec.mode == ROW_MODE:
                energy = gates * vdd2 * 2  # the selected row, switching from one row to the next
            elif not spec.neuro:
                energy = drain3 * vw2 * (n - mem // 2) + drain3 * vw2 * mem / 2 + gates * vdd2 * n
            else:  # LTP and LTD on the selected columns, the write voltage on the unselected ones
                energy = drain3 * vw2 * pulses * neuro + drain3 * vw2 * (n - neuro / 2) + gates * vdd2 * n
        elif spec.mode == ROW_MODE:  # crossbar rows
            if spec.neuro and spec.parallel_write:
                energy = drain3 * vw2 * n + gates * vdd2 * n
            else:  # selected row at Vw, unselected rows at Vw/2
                energy = drain3 * vw2 + drain3 * half_vw2 * (n - 1) + gates * vdd2 * n
        elif not spec.neuro:
            energy = drain3 * vw2 * mem / 2 + drain3 * half_vw2 * n + gates * vdd2 * n
        elif spec.parallel_write:
            energy = drain3 * vw2 * pulses * n * activity_col_write + gates * vdd2 * n
        else:
            energy = drain3 * vw2 * pulses * neuro + drain3 * half_vw2 * n + gates * vdd2 * n
        return ActionCost(latency_s=write_delay, energy_j=energy)

    return ComponentModel(
        kind="switch_matrix", area_m2=area, height_m=height, width_m=width, leakage_w=chain.leakage_w,
        actions={"scan": _scan_action(chain, n)}, dynamic={"read": read, "write": write},
        ports={"res_tg_ohm": res_tg, "ramp_output": ramp})


@dataclass(frozen=True, kw_only=True)
class NewSwitchMatrixSpec:
    """``num_output`` word lines of the parallel-read 1T1R array; TGs ``size_ratio`` x minimum;
    voltages passed: ``access_voltage_v`` (access gate), ``read_voltage_v``; loads ``load_cap_f``,
    ``line_res_ohm``, ``ramp_input``."""

    num_output: int
    read_voltage_v: float
    access_voltage_v: float
    size_ratio: float = 1.0
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    area_modify: AreaModify = AreaModify.NONE
    load_cap_f: float = 0.0
    line_res_ohm: float = 0.0
    ramp_input: float = STEP_RAMP


def new_switch_matrix(spec: NewSwitchMatrixSpec, env: CircuitEnv) -> ComponentModel:
    """3 TGs per word line (access voltage, read voltage x2) + DFF scan chain.

    Actions: ``scan`` (as `switch_matrix`); dynamic ``read(activity_row_read)`` (every active row's
    TGs switched; latency: Elmore delay of TG + line).  Ports: ``res_tg_ohm``, ``ramp_output``.
    """
    tech, n, f = env.tech, int(spec.num_output), env.tech.feature_size
    tg_n = MIN_NMOS_SIZE * f * spec.size_ratio
    tg_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f * spec.size_ratio
    cols, h_tg, w_tg = _column_tgs(spec, spec.fit_height_m, tg_n, tg_p, n, tech, "new switch matrix")
    height = spec.fit_height_m if fit_height(spec) else h_tg * n
    chain = _scan_chain(n, height, 0.0, env)
    height, width, area = reshape(height, w_tg * 4 * cols + chain.width_m, spec)
    g_n, g_p, drain = _tg_caps(tg_n, tg_p, h_tg, tech)
    p_device = NMOS if quirks.applies("new_switch_matrix_pmos_as_nmos", env.compat) else PMOS
    res_tg = 1.0 / (1.0 / formula.on_resistance_normal(tg_n, NMOS, env.temperature_k, tech)
                    + 1.0 / formula.on_resistance_normal(tg_p, p_device, env.temperature_k, tech))
    tau = (res_tg * (drain * 2 + g_n * 0.5 + g_p * 0.5 + spec.load_cap_f)
           + spec.line_res_ohm * spec.load_cap_f / 2)
    delay, ramp = formula.horowitz(tau, 0.0, spec.ramp_input)
    per_row = (drain * 2 * spec.access_voltage_v ** 2 + drain * 3 * spec.read_voltage_v ** 2
               + (g_n + g_p) * 3 * tech.vdd ** 2)

    def read(*, activity_row_read) -> ActionCost:
        return ActionCost(latency_s=delay, energy_j=per_row * (n * activity_row_read))

    return ComponentModel(
        kind="new_switch_matrix", area_m2=area, height_m=height, width_m=width, leakage_w=chain.leakage_w,
        actions={"scan": _scan_action(chain, n)}, dynamic={"read": read},
        ports={"res_tg_ohm": res_tg, "ramp_output": ramp})


# ---- multiplexers -------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class MuxSpec:
    """``num_input`` outputs, each selecting 1 of ``num_selection`` columns.  ``digital``: minimum
    TGs; else analog TGs sized for ``IR_DROP_TOLERANCE`` of ``res_target_ohm``.  ``load_cap_f``:
    what the output drives; ``read_voltage_v``: the passed column voltage."""

    num_input: int
    num_selection: int
    read_voltage_v: float
    res_target_ohm: float = 0.0
    digital: bool = False
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    area_modify: AreaModify = AreaModify.NONE
    load_cap_f: float = 0.0


def mux(spec: MuxSpec, env: CircuitEnv) -> ComponentModel:
    """Column multiplexer.

    Action ``read``: the ``num_input`` selected TGs turn on and pass the column voltage (latency
    2.3 RC into ``load_cap_f``).  Ports: ``cap_tg_gate_n``, ``cap_tg_gate_p`` (F, one TG: what the
    mux decoder drives per output), ``res_tg_ohm``.  No leakage (pass gates only).
    """
    tech = env.tech
    num_tg = int(spec.num_input) * int(spec.num_selection)
    if spec.digital:
        tg_n, tg_p = _min_tg(tech)
        _, h_tg, w_tg = formula.gate_area(INV, 1, tg_n, tg_p, tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)
        if fit_width(spec):
            if spec.fit_width_m < w_tg:
                raise ValueError("mux: the assigned width is smaller than one transmission gate")
            per_row = min(int(spec.fit_width_m / w_tg), num_tg)
            height, width = h_tg * math.ceil(num_tg / per_row), spec.fit_width_m
        else:
            height, width = h_tg, w_tg * num_tg
    else:
        tg_n, tg_p = size_tg(spec.res_target_ohm * IR_DROP_TOLERANCE, False, env.temperature_k, tech)
        if fit_width(spec):
            rows, h_tg, w_tg = _folded_pass_gates(spec.fit_width_m, num_tg, 1, tg_n, tg_p, tech, "mux")
            height, width = h_tg * rows, spec.fit_width_m
        else:
            _, h_tg, w_tg = formula.pass_gate_area(tg_n, tg_p, tech, 1)
            height, width = h_tg, w_tg * num_tg
    height, width, area = reshape(height, width, spec)
    g_n, g_p, drain = _tg_caps(tg_n, tg_p, h_tg, tech)
    res_tg = tg_resistance(tg_n, tg_p, env.temperature_k, tech)
    latency = 2.3 * res_tg * (drain + 0.5 * g_n + 0.5 * g_p + spec.load_cap_f)
    energy = (g_n * tech.vdd ** 2 + drain * 2 * spec.read_voltage_v ** 2) * spec.num_input
    return ComponentModel(
        kind="mux", area_m2=area, height_m=height, width_m=width, leakage_w=0.0,
        actions={"read": ActionCost(latency_s=latency, energy_j=energy)},
        ports={"cap_tg_gate_n": g_n, "cap_tg_gate_p": g_p, "res_tg_ohm": res_tg})


@dataclass(frozen=True, kw_only=True)
class NewMuxSpec:
    """``num_input`` columns of the 1T1R array, 3 minimum TGs each (read / LTP / LTD voltages).
    ``res_tg_ohm``: TG resistance (default: that of the minimum TG)."""

    num_input: int
    read_voltage_v: float
    res_tg_ohm: float | None = None
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    area_modify: AreaModify = AreaModify.NONE
    load_cap_f: float = 0.0


def new_mux(spec: NewMuxSpec, env: CircuitEnv) -> ComponentModel:
    """3-TG column multiplexer.

    Dynamic action ``read(activity_row_read)``: two TGs per column open and pass the read voltage,
    the energy scaled by the activity; latency 2.3 RC.  Port ``res_tg_ohm``.  No leakage.
    """
    tech, n = env.tech, int(spec.num_input)
    tg_n, tg_p = _min_tg(tech)
    if fit_width(spec):
        rows, h_tg, w_tg = _folded_pass_gates(spec.fit_width_m, n * 3, 2, tg_n, tg_p, tech, "new mux")
        height, width = h_tg * rows, spec.fit_width_m
    else:
        _, h_tg, w_tg = formula.pass_gate_area(tg_n, tg_p, tech, 1)
        height, width = h_tg, w_tg * 2 * n * 3
    height, width, area = reshape(height, width, spec)
    g_n, g_p, drain = _tg_caps(tg_n, tg_p, h_tg, tech)
    res_tg = spec.res_tg_ohm if spec.res_tg_ohm is not None else tg_resistance(tg_n, tg_p, env.temperature_k, tech)
    latency = 2.3 * res_tg * (drain + 0.5 * g_n + 0.5 * g_p + spec.load_cap_f)
    energy = (drain * 3 * spec.read_voltage_v ** 2 + (g_n + g_p) * 2 * tech.vdd ** 2) * n

    def read(*, activity_row_read) -> ActionCost:
        return ActionCost(latency_s=latency, energy_j=energy * activity_row_read)

    return ComponentModel(kind="new_mux", area_m2=area, height_m=height, width_m=width, leakage_w=0.0,
                          dynamic={"read": read}, ports={"res_tg_ohm": res_tg})


@dataclass(frozen=True, kw_only=True)
class DemuxSpec:
    """``num_input`` TG outputs, each sized for ``IR_DROP_TOLERANCE`` of ``num_row`` cells of
    on-resistance ``res_cell_on_ohm`` in parallel; ``read_voltage_v`` passed."""

    num_input: int
    num_row: int
    res_cell_on_ohm: float
    read_voltage_v: float
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    area_modify: AreaModify = AreaModify.NONE


def demux(spec: DemuxSpec, env: CircuitEnv) -> ComponentModel:
    """TG demultiplexer with one enable inverter.

    Action ``read``: the enable inverter and every TG switch, the TG drains pass the read voltage
    (latency 2.3 RC of one TG).  Port ``res_tg_ohm``.
    """
    tech, n, f, temp = env.tech, int(spec.num_input), env.tech.feature_size, env.temperature_k
    inv_n, inv_p = _min_tg(tech)
    res_tg = spec.res_cell_on_ohm / spec.num_row * IR_DROP_TOLERANCE
    tg_n = formula.on_resistance(f, NMOS, temp, tech) * f / (res_tg * 2)
    tg_p = formula.on_resistance(f, PMOS, temp, tech) * f / (res_tg * 2)
    _, h_inv, w_inv = formula.gate_area(INV, 1, inv_n, inv_p, f * MAX_TRANSISTOR_HEIGHT, tech)
    if fit_width(spec):
        cell_w = min_cell_width(tech)
        rows = fold_count(spec.fit_width_m, cell_w * 2, n, "demux")
        tg_width = spec.fit_width_m / math.ceil(n / rows) / 2
        if quirks.applies("demux_fold_width_whole_metres", env.compat):
            num_fold = int(int(tg_width) / (0.5 * cell_w)) - 1
        else:
            num_fold = max(int(tg_width / (0.5 * cell_w)) - 1, 1)
        _, h_tg, w_tg = formula.pass_gate_area(tg_n, tg_p, tech, num_fold)
        height, width = max(h_tg * rows, h_inv), spec.fit_width_m
    else:
        _, h_tg, w_tg = formula.pass_gate_area(tg_n, tg_p, tech, 1)
        height, width = max(h_tg, h_inv), w_tg * 2 * n + w_inv
    height, width, area = reshape(height, width, spec)
    cap_inv_in, _ = formula.gate_capacitance(INV, 1, inv_n, inv_p, h_inv, tech)
    g_n, g_p, drain = _tg_caps(tg_n, tg_p, h_tg, tech)
    vdd2, vr2 = tech.vdd ** 2, spec.read_voltage_v ** 2
    energy = cap_inv_in * vdd2 + (g_n + g_p) * vdd2 * n + drain * 3 * vr2 * n  # TG drains: 2 input, 1 output side
    return ComponentModel(
        kind="demux", area_m2=area, height_m=height, width_m=width,
        leakage_w=formula.gate_leakage(INV, 1, inv_n, inv_p, temp, tech) * tech.vdd,
        actions={"read": ActionCost(latency_s=2.3 * res_tg * drain, energy_j=energy)}, ports={"res_tg_ohm": res_tg})


# ---- level shifter ------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class LevelShifterSpec:
    """``num_output`` level shifters driving ``write_voltage_v`` onto lines of ``load_cap_f``.
    ``io_transistors``: thick-oxide IO devices (2x width, 2.5x height; the silicon-calibrated
    layout) with ``wiring_overhead`` on the area (NeuroSim's alpha).  The block is laid out along
    ``fit_width_m`` or ``fit_height_m`` (one is required)."""

    num_output: int
    write_voltage_v: float
    io_transistors: bool = False
    wiring_overhead: float = 1.0
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    area_modify: AreaModify = AreaModify.NONE
    load_cap_f: float = 0.0


class _Multiple(NamedTuple):
    """Transistor widths of a level-shifter stage in multiples of the minimum nMOS / pMOS."""

    n: int
    p: int


#: input inverter, cross-coupled latch, high-voltage pull-up (NeuroSim manual, level shifter)
_LS_LOW, _LS_LATCH, _LS_HIGH = _Multiple(n=15, p=20), _Multiple(n=32, p=10), _Multiple(n=64, p=82)


def level_shifter(spec: LevelShifterSpec, env: CircuitEnv) -> ComponentModel:
    """Low-to-high voltage level shifters.

    Dynamic action ``read(activity_row_read)``: only the low-voltage side of the active lines'
    shifters switches.  Action ``write``: both sides switch, the high side charging the load to
    the write voltage.  Latency (both): the low-voltage-triggered pull-up, then the high-voltage
    pull-up driving the load.  Port ``ramp_output``.  No leakage.
    """
    tech = env.tech
    f, temp = tech.feature_size, env.temperature_k
    wn, wp = MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f
    cell_h = f * MAX_TRANSISTOR_HEIGHT
    io = 2.5 if spec.io_transistors else 1.0  # IO devices: 2x wider, 2.5x taller, latch/pull-up 2.5x longer
    size = 2 if spec.io_transistors else 1
    (_, h_low, w_low), (_, h_latch, w_latch), (_, h_high, w_high) = (
        formula.gate_area(INV, 1, wn * m.n * size, wp * m.p * size, cell_h * io, tech)
        for m in (_LS_LOW, _LS_LATCH, _LS_HIGH))
    area = max(h_low, h_latch, h_high) * (w_low + (2 * w_latch + w_high) * io) * spec.num_output
    if spec.io_transistors:
        area *= spec.wiring_overhead
    if fit_width(spec):
        height, width = area / spec.fit_width_m, spec.fit_width_m
    elif fit_height(spec):
        height, width = spec.fit_height_m, area / spec.fit_height_m
    else:
        raise ValueError("level shifter: give the width or the height of the level-shifter block")
    cap_mid_gate_n = formula.gate_cap(wn * _LS_LATCH.n, tech)
    _, cap_low_drain = formula.gate_capacitance(INV, 1, wn * _LS_LOW.n, wp * _LS_LOW.p, h_low, tech)
    _, cap_high_drain = formula.gate_capacitance(INV, 1, wn * _LS_HIGH.n, wp * _LS_HIGH.p, h_high, tech)
    delay = ramp = 0.0
    for width_p, cap in ((wp * _LS_LOW.p, cap_low_drain + cap_mid_gate_n * 2),
                         (wp * _LS_HIGH.p, spec.load_cap_f + cap_high_drain)):
        d, ramp = formula.horowitz(formula.on_resistance(width_p, PMOS, temp, tech) * cap, 0.0, STEP_RAMP)
        delay += d
    low_side = (cap_low_drain + cap_mid_gate_n * 2) * tech.vdd ** 2
    high_side = (spec.load_cap_f + cap_high_drain) * 2 * spec.write_voltage_v ** 2

    def read(*, activity_row_read) -> ActionCost:
        return ActionCost(latency_s=delay, energy_j=low_side * spec.num_output * activity_row_read)

    return ComponentModel(
        kind="level_shifter", area_m2=area, height_m=height, width_m=width, leakage_w=0.0,
        actions={"write": ActionCost(latency_s=delay, energy_j=low_side + high_side)}, dynamic={"read": read},
        ports={"ramp_output": ramp})
