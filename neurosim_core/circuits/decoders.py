"""Address decoders and word-line drivers of the CIM subarray, as pure builders.

Each family is a builder ``family(spec, env) -> ComponentModel`` (`neurosim_core.arch`): the
geometry, the leakage, the cost of each action and the electrical ports the next stage needs.
Equations: NeuroSim V1.4 manual, "Peripheral circuits" (decoder, WL driver, transmission-gate
sizing); decoder topology and Horowitz stage delay from CACTI/NVSim (Wilton & Jouppi 1996,
Horowitz 1983).  Layout: standard cells of the node's cell height, folded into columns (rows)
when the caller gives the height (width) the block must fit; ``area_modify`` MAGIC keeps the area
at that height/width, OVERRIDE forces both (NeuroSim's MagicLayout/OverrideLayout).

* `row_decoder` -- N-to-2^N decoder: 2-bit predecoding (INV, NAND2), ceil(N/2)-input NORs, then a
  2-inverter word-line driver, or (``mux=True``) a NAND + 2 INV enable stage driving the
  complementary gates of a column multiplexer.  Actions ``read`` / ``write``: one address decoded.
* `decoder_driver` -- per line an inverter and 2 (crossbar) or 3 (1T1R) transmission gates
  passing the read/write voltages; TGs sized for ``IR_DROP_TOLERANCE`` of the loaded cells.
  Action ``read``: one row (column) driven during a read.
* `wl_new_decoder_driver` -- NAND2-INV-NAND2 selection + TG per word line (1T1R sequential read).
  Action ``read``.
* `wl_decoder_output` -- NOR2 + INV + TG + pull-down nMOS per word line.  Action ``read``.

Write actions are modelled only where a caller prices writes (the row decoder of the buffers and
of the training estimator); the drivers' write paths had no caller and are not modelled.

Reference defect reproduced under ``compat`` neurosim_v14/v21 (`neurosim_core.quirks`):
``row_decoder_folded_inverters_no_width``.  Reference defects fixed: the WL decoder output's
pull-down nMOS is sized with a zero pMOS width (the reference dereferences a null pointer); the regular decoder's word-line RC term is skipped when the line
resistance is 0 (0 x C/0 = NaN in the reference for an empty line).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple, Sequence

from .. import formula, quirks
from ..arch import ActionCost, ComponentModel
from ..constants import (
    CPP_1NM, CPP_2NM, CPP_3NM, CPP_5NM, CPP_7NM, CPP_10NM, CPP_14NM, INV, IR_DROP_TOLERANCE,
    LINEAR_REGION_RATIO, M2_PITCH, M2_PITCH_BY_NODE, M3_PITCH, M3_PITCH_BY_NODE, MAX_TRANSISTOR_HEIGHT,
    MAX_TRANSISTOR_HEIGHT_1NM, MAX_TRANSISTOR_HEIGHT_2NM, MAX_TRANSISTOR_HEIGHT_3NM,
    MAX_TRANSISTOR_HEIGHT_5NM, MAX_TRANSISTOR_HEIGHT_7NM, MAX_TRANSISTOR_HEIGHT_10NM,
    MAX_TRANSISTOR_HEIGHT_14NM, MIN_GAP_BET_GATE_POLY, MIN_NMOS_SIZE, NAND, NMOS, NOR, PMOS, POLY_WIDTH,
    ROW_MODE, AreaModify, DecoderMode,
)
from .env import CircuitEnv

__all__ = [
    "RowDecoderSpec", "row_decoder", "DecoderDriverSpec", "decoder_driver",
    "WlNewDecoderDriverSpec", "wl_new_decoder_driver", "WlDecoderOutputSpec", "wl_decoder_output",
    "min_cell_height", "min_cell_width", "tg_reference_width", "reshape", "fit_height", "fit_width",
]

#: a step input (infinite ramp), what the first stage of a chain and a missing stage hand on
STEP_RAMP = 1e20

_CELL_HEIGHT_F = {14: MAX_TRANSISTOR_HEIGHT_14NM, 10: MAX_TRANSISTOR_HEIGHT_10NM, 7: MAX_TRANSISTOR_HEIGHT_7NM,
                  5: MAX_TRANSISTOR_HEIGHT_5NM, 3: MAX_TRANSISTOR_HEIGHT_3NM, 2: MAX_TRANSISTOR_HEIGHT_2NM,
                  1: MAX_TRANSISTOR_HEIGHT_1NM}
_CPP_F = {14: CPP_14NM, 10: CPP_10NM, 7: CPP_7NM, 5: CPP_5NM, 3: CPP_3NM, 2: CPP_2NM, 1: CPP_1NM}


# ---- layout helpers shared with `switching` -------------------------------------------------

def min_cell_height(tech) -> float:
    """Standard-cell height (m): 28 F at planar nodes, the per-node FinFET/GAA cell height below."""
    height_f = _CELL_HEIGHT_F.get(tech.feature_size_in_nano, MAX_TRANSISTOR_HEIGHT)
    return MAX_TRANSISTOR_HEIGHT * tech.feature_size * (height_f / MAX_TRANSISTOR_HEIGHT)


def min_cell_width(tech) -> float:
    """Width (m) of the smallest cell holding one transmission gate (two poly pitches)."""
    pitch_f = POLY_WIDTH + MIN_GAP_BET_GATE_POLY
    return 2 * pitch_f * tech.feature_size * (_CPP_F.get(tech.feature_size_in_nano, pitch_f) / pitch_f)


def tg_reference_width(tech) -> float:
    """Gate width (m) at which the TG sizing rule evaluates the on-resistance (2 F below 22 nm)."""
    return (2 if tech.feature_size_in_nano <= 14 else 1) * tech.feature_size


def fit_height(spec) -> float:
    """The height the block is folded into (0: none): ``fit_height_m`` with ``area_modify`` NONE."""
    return spec.fit_height_m if spec.area_modify == AreaModify.NONE else 0.0


def fit_width(spec) -> float:
    """The width the block is folded into (0: none): ``fit_width_m`` with ``area_modify`` NONE."""
    return spec.fit_width_m if spec.area_modify == AreaModify.NONE else 0.0


def reshape(height: float, width: float, spec) -> tuple[float, float, float]:
    """(height, width, area) after the spec's area modification of a computed layout.

    MAGIC: the given height (else width), the area kept; OVERRIDE: both forced.
    """
    area = height * width
    if spec.area_modify == AreaModify.MAGIC:
        if spec.fit_height_m:
            return spec.fit_height_m, area / spec.fit_height_m, area
        if spec.fit_width_m:
            return area / spec.fit_width_m, spec.fit_width_m, area
    elif spec.area_modify == AreaModify.OVERRIDE:
        return spec.fit_height_m, spec.fit_width_m, spec.fit_height_m * spec.fit_width_m
    return height, width, area


def fold_count(size: float, unit: float, count: int, what: str) -> int:
    """Lines (columns or rows) of ``unit``-sized cells needed to place ``count`` of them along ``size``."""
    per_line = int(size / unit)
    if per_line <= 0:
        raise ValueError(f"{what}: the assigned size is smaller than one cell")
    return math.ceil(count / per_line)


def tg_resistance(width_n: float, width_p: float, temperature: int, tech) -> float:
    """On-resistance of a transmission gate (nMOS and pMOS in parallel, saturation-region fit)."""
    return 1.0 / (1.0 / formula.on_resistance_normal(width_n, NMOS, temperature, tech)
                  + 1.0 / formula.on_resistance_normal(width_p, PMOS, temperature, tech))


def tg_height_for_rows(height: float, rows: int, cell_h: float, what: str) -> float:
    """Height of one per-row TG when ``rows`` TGs share ``height`` (several columns if too short)."""
    tg_height = height / rows
    if tg_height < cell_h:
        num_col = math.ceil(cell_h / tg_height)
        if num_col > rows:
            raise ValueError(f"{what}: the pass gate is taller than the array")
        tg_height = height / math.ceil(rows / num_col)
    return tg_height


class Gate(NamedTuple):
    """One standard-cell gate: transistor widths, footprint and input/output capacitance (SI)."""

    width_n: float
    width_p: float
    height: float
    width: float
    cap_in: float
    cap_out: float

    @classmethod
    def of(cls, kind: int, inputs: int, width_n: float, width_p: float, cell_h: float, tech) -> "Gate":
        _, h, w = formula.gate_area(kind, inputs, width_n, width_p, cell_h, tech)
        cap_in, cap_out = formula.gate_capacitance(kind, inputs, width_n, width_p, h, tech)
        return cls(width_n, width_p, h, w, cap_in, cap_out)

    def leakage_w(self, kind: int, inputs: int, env: CircuitEnv) -> float:
        leak = formula.gate_leakage(kind, inputs, self.width_n, self.width_p, env.temperature_k, env.tech)
        return leak * env.tech.vdd


class Stage(NamedTuple):
    """One gate of a delay chain: the pull device (width, type, devices in series) and its load (F).

    ``wire_tau_s``: extra distributed-RC time constant of the driven line.  ``present=False``: a
    stage the decoder does not have (it adds no delay and hands a step input on).
    """

    width: float
    device: int
    series: int
    load_f: float
    wire_tau_s: float = 0.0
    present: bool = True


def chain_delay(stages: Sequence[Stage], ramp_input: float, env: CircuitEnv) -> tuple[float, list[float]]:
    """Total Horowitz delay (s) of a gate chain and each stage's output ramp (1/s)."""
    delay, ramps, ramp = 0.0, [], ramp_input
    for s in stages:
        if not s.present:
            ramp = STEP_RAMP
        else:
            res = formula.on_resistance(s.width, s.device, env.temperature_k, env.tech) * s.series
            d, ramp = formula.horowitz(res * s.load_f + s.wire_tau_s, 0.0, ramp)
            delay += d
        ramps.append(ramp)
    return delay, ramps


def _metal_pitches(tech) -> tuple[float, float]:
    """M2 and M3 pitch in F at this node."""
    node = tech.feature_size_in_nano
    return (M2_PITCH * (M2_PITCH_BY_NODE.get(node, M2_PITCH) / M2_PITCH),
            M3_PITCH * (M3_PITCH_BY_NODE.get(node, M3_PITCH) / M3_PITCH))


def _lines(size: float, unit: float, count: int) -> int:
    """Columns (rows) of gates of pitch ``unit`` that hold ``count`` gates within ``size`` (0 if none fits)."""
    per_line = min(int(size / unit), count)
    return math.ceil(count / per_line) if per_line > 0 else 0


# ---- row decoder --------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class RowDecoderSpec:
    """A ``num_addr_bits``-to-2^n decoder.

    ``mode``: REGULAR_ROW (gates stacked along the array's height) or REGULAR_COL (along its
    width).  ``mux``: drives a column mux's TG pair instead of a word line; ``parallel``: the 8x
    mux decoder of the parallel read; ``driver_sizing``: output-driver width factor (NeuroSim's
    sizing factor of the WL decoder or of the mux).  Loads: ``load_cap_f`` (the word line, or the
    mux's nMOS TG gates), ``load_cap_p_f`` (the mux's pMOS TG gates), ``line_res_ohm`` and
    ``line_cells`` (word-line resistance and cells on it: distributed RC), ``ramp_input``.
    ``read_activity``: calibrated switching activity of the read energy (NeuroSim's epsilon
    when validated).
    """

    num_addr_bits: int
    mode: DecoderMode = DecoderMode.REGULAR_ROW
    mux: bool = False
    parallel: bool = False
    driver_sizing: float = 1.0
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    area_modify: AreaModify = AreaModify.NONE
    load_cap_f: float = 0.0
    load_cap_p_f: float = 0.0
    line_res_ohm: float = 0.0
    line_cells: int = 0
    ramp_input: float = STEP_RAMP
    read_activity: float = 1.0


class _DecoderGates(NamedTuple):
    """Gate table of a row decoder and how many of each it has."""

    inv: Gate
    nand: Gate
    nor: Gate
    driver: Gate
    nor_inputs: int
    num_inv: int
    num_nand: int
    num_nor: int
    num_metal: int


def _decoder_gates(spec: RowDecoderSpec, tech) -> _DecoderGates:
    f, pn, n = tech.feature_size, tech.pn_size_ratio, int(spec.num_addr_bits)
    nor_inputs = math.ceil(n / 2)
    h = f * MAX_TRANSISTOR_HEIGHT
    w = MIN_NMOS_SIZE * f
    if spec.parallel:  # every gate 8x minimum
        widths = ((8 * w, 8 * pn * w), (16 * w, 8 * pn * w), (8 * w, 8 * nor_inputs * pn * w), (24 * w, 24 * pn * w))
    else:  # minimum gates widened to the cell height; the driver scaled by the sizing factor
        widths = (formula.enlarge_size(w, pn * w, h, tech), formula.enlarge_size(2 * w, pn * w, h, tech),
                  formula.enlarge_size(w, nor_inputs * pn * w, h, tech),
                  (2 * w * spec.driver_sizing, 2 * pn * w * spec.driver_sizing))
    num_nand = 4 * (n // 2)
    num_nor = 2 ** n if n > 2 else 0
    inv, nand, nor, driver = (Gate.of(kind, k, *wd, h, tech)
                              for kind, k, wd in zip((INV, NAND, NOR, INV), (1, 2, nor_inputs, 1), widths))
    if not num_nand:
        nand = nand._replace(cap_in=0.0, cap_out=0.0)
    if not num_nor:
        nor = nor._replace(cap_in=0.0, cap_out=0.0)
    return _DecoderGates(inv, nand, nor, driver, nor_inputs, n, num_nand, num_nor,
                         num_nand + (n % 2) * 2 if n > 2 else 0)


def _decoder_layout(spec: RowDecoderSpec, g: _DecoderGates, env: CircuitEnv) -> tuple[float, float]:
    tech = env.tech
    f = tech.feature_size
    m2_pitch, m3_pitch = _metal_pitches(tech)
    if spec.mode == DecoderMode.REGULAR_ROW:
        w_out = g.nand.width + g.driver.width * 2 if spec.mux else g.driver.width * 2
        metal = m3_pitch * g.num_metal * f
        if fit_height(spec):
            size = spec.fit_height_m
            cols_nor, cols_nand = _lines(size, g.nor.height, g.num_nor), _lines(size, g.nand.height, g.num_nand)
            cols_inv = 0 if quirks.applies("row_decoder_folded_inverters_no_width", env.compat) \
                else _lines(size, g.inv.height, g.num_inv)
            return size, g.inv.width * cols_inv + g.nand.width * cols_nand + metal + (g.nor.width + w_out) * cols_nor
        return (max(g.nor.height * g.num_nor, g.nand.height * g.num_nand),
                g.inv.width + g.nand.width + metal + g.nor.width + w_out)
    h_out = g.nand.height + g.driver.height * 2 if spec.mux else g.driver.height * 2
    metal = m2_pitch * g.num_metal * f
    if fit_width(spec):
        size = spec.fit_width_m
        per_row_inv = min(int(size / g.inv.width), g.num_inv)
        if per_row_inv <= 0:
            raise ValueError("row decoder: the assigned width is smaller than one inverter")
        rows_nor, rows_nand = _lines(size, g.nor.width, g.num_nor), _lines(size, g.nand.width, g.num_nand)
        height = (g.inv.height * math.ceil(g.num_inv / per_row_inv) + g.nand.height * rows_nand + metal
                  + (g.nor.height + h_out) * rows_nor)
        return height, size
    return (g.inv.height + g.nand.height + metal + g.nor.height + h_out,
            max(g.nor.width * g.num_nor, g.nand.width * g.num_nand))


def row_decoder(spec: RowDecoderSpec, env: CircuitEnv) -> ComponentModel:
    """Row (or column-mux) decoder.

    Actions: ``read`` (one address decoded during a read: delay through the chain and its
    energy, scaled by ``read_activity``), ``write`` (the same decode during a write, unscaled).
    Ports: ``ramp_output`` (1/s, the ramp the next stage sees), ``num_outputs``.
    """
    tech, vdd2 = env.tech, env.tech.vdd * env.tech.vdd
    g = _decoder_gates(spec, tech)
    height, width, area = reshape(*_decoder_layout(spec, g, env), spec)
    inv, nand, nor, drv = g.inv, g.nand, g.nor, g.driver

    # delay chain: predecoder INV -> NAND -> NOR -> output stage (Horowitz per stage)
    load1 = spec.load_cap_f
    stages = [Stage(inv.width_n, NMOS, 1, inv.cap_out + (nand.cap_in * 2 if g.num_nand else load1)),
              Stage(nand.width_n, NMOS, 2, nand.cap_out + (nor.cap_in * g.num_nor / 4 if g.num_nor else load1),
                    present=bool(g.num_nand)),
              Stage(nor.width_p, PMOS, 2, nor.cap_out + (nand.cap_in if spec.mux else inv.cap_in),
                    present=bool(g.num_nor))]
    if spec.mux:  # enable NAND, then an INV per TG polarity
        stages += [Stage(nand.width_n, NMOS, 1, nand.cap_out + inv.cap_in),
                   Stage(drv.width_p, PMOS, 1, drv.cap_out + drv.cap_in + load1),
                   Stage(drv.width_n, NMOS, 1, drv.cap_out + spec.load_cap_p_f)]
    else:  # two inverters, the second also charging the word line's distributed RC
        wire = spec.line_res_ohm * (load1 + load1 / spec.line_cells) / 2 if spec.line_res_ohm else 0.0
        stages += [Stage(drv.width_n, NMOS, 1, drv.cap_out + drv.cap_in),
                   Stage(drv.width_p, PMOS, 1, drv.cap_out + load1, wire_tau_s=wire)]
    delay, ramps = chain_delay(stages, spec.ramp_input, env)

    # energy of one decode: every address bit switches; one NAND per 4 and one NOR output fire
    n, paired = g.num_inv, (g.num_inv // 2) * 2
    energy = (inv.cap_in + nand.cap_in * 2) * paired + (inv.cap_in + nor.cap_in * g.num_nor / 2) * (n - paired)
    energy += (nand.cap_out + nor.cap_in * g.num_nor / 4) * g.num_nand / 4
    energy += nor.cap_out + (nand.cap_in if spec.mux else inv.cap_in)
    if spec.mux:
        energy += (nand.cap_out + drv.cap_in) + (drv.cap_out + drv.cap_in) + drv.cap_out
    else:
        energy += (drv.cap_in + drv.cap_out) * 2
    energy *= vdd2

    leakage = (inv.leakage_w(INV, 1, env) * g.num_inv + nand.leakage_w(NAND, 2, env) * g.num_nand
               + nor.leakage_w(NOR, g.nor_inputs, env) * g.num_nor)
    if spec.mux:
        leakage += (nand.leakage_w(NAND, 2, env) + inv.leakage_w(INV, 1, env) * 2) * g.num_nor
    else:
        leakage += drv.leakage_w(INV, 1, env) * 2 * g.num_nor
    return ComponentModel(
        kind="row_decoder", area_m2=area, height_m=height, width_m=width, leakage_w=leakage,
        actions={"read": ActionCost(latency_s=delay, energy_j=energy * spec.read_activity),
                 "write": ActionCost(latency_s=delay, energy_j=energy)},
        ports={"ramp_output": ramps[-2], "num_outputs": float(2 ** g.num_inv)})


# ---- decoder driver -----------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class DecoderDriverSpec:
    """``num_output`` lines (rows in ROW_MODE, columns in COL_MODE), each TG sized for
    ``IR_DROP_TOLERANCE`` of ``num_load`` cells of on-resistance ``res_cell_on_ohm`` in parallel.

    ``cmos_access``: 1T1R cells (3 TGs per line) or crossbar (2 TGs; unselected lines held at
    the read voltage ``read_voltage_v``).  ``read_cells_per_op``: lines selected per read.  Loads:
    ``load_cap_f`` (the line), ``line_res_ohm``, ``ramp_input`` (from the decoder).
    """

    num_output: int
    num_load: int
    res_cell_on_ohm: float
    cmos_access: bool
    read_voltage_v: float
    mode: int = ROW_MODE
    read_cells_per_op: float = 1.0
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    area_modify: AreaModify = AreaModify.NONE
    load_cap_f: float = 0.0
    line_res_ohm: float = 0.0
    ramp_input: float = STEP_RAMP


def decoder_driver(spec: DecoderDriverSpec, env: CircuitEnv) -> ComponentModel:
    """Per-line inverter + transmission gates passing the line voltages (sequential read).

    Action ``read``: the selected lines switched for one read (Elmore delay of TG + line).
    Ports: ``res_tg_ohm``, ``ramp_output``.
    """
    tech = env.tech
    f, n, vdd2 = tech.feature_size, int(spec.num_output), tech.vdd * tech.vdd
    temp = env.temperature_k
    res_target = spec.res_cell_on_ohm / spec.num_load * IR_DROP_TOLERANCE
    w_ref = tg_reference_width(tech)
    tg_n = formula.on_resistance_normal(w_ref, NMOS, temp, tech) * f / (res_target * 2)
    tg_p = formula.on_resistance_normal(w_ref, PMOS, temp, tech) * f / (res_target * 2)
    cell_h, cell_w = min_cell_height(tech), min_cell_width(tech)
    if fit_height(spec):  # TGs in columns of the given height
        tg_height = spec.fit_height_m / math.ceil(n / fold_count(spec.fit_height_m, cell_h, n, "decoder driver"))
        _, h_tg, w_tg = formula.gate_area(INV, 1, tg_n, tg_p, tg_height, tech)
    elif fit_width(spec):  # TGs folded in rows of the given width
        tg_width = spec.fit_width_m / math.ceil(n / fold_count(spec.fit_width_m, cell_w, n, "decoder driver"))
        _, h_tg, w_tg = formula.pass_gate_area(tg_n, tg_p, tech, int(tg_width / (0.5 * cell_w)) - 1)
    else:
        _, h_tg, w_tg = formula.gate_area(INV, 1, tg_n, tg_p, cell_h, tech)
    inv = Gate.of(INV, 1, *formula.enlarge_size(MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f,
                                                f * MAX_TRANSISTOR_HEIGHT, tech), cell_h, tech)
    num_tg = 3 if spec.cmos_access else 2
    if spec.mode == ROW_MODE:
        h_unit, w_unit = max(inv.height, h_tg), inv.width + w_tg * num_tg
        if fit_height(spec):
            height = spec.fit_height_m
            width = w_unit * min(fold_count(height, h_unit, n, "decoder driver"), n)
        else:
            height, width = h_unit * n, w_unit
    else:
        h_unit, w_unit = inv.height + h_tg * num_tg, max(inv.width, w_tg)
        if fit_width(spec):
            width = spec.fit_width_m
            height = h_unit * min(fold_count(width, w_unit, n, "decoder driver"), n)
        else:
            height, width = h_unit, w_unit * n
    height, width, area = reshape(height, width, spec)

    g_n, g_p = formula.gate_cap(tg_n, tech), formula.gate_cap(tg_p, tech)
    _, drain = formula.gate_capacitance(INV, 1, tg_n, tg_p, h_tg, tech)
    res_tg = tg_resistance(tg_n, tg_p, temp, tech)
    cap_output = drain * 4 + g_n * 0.5 + g_p * 0.5
    tau = res_tg * (cap_output + spec.load_cap_f) + spec.line_res_ohm * spec.load_cap_f / 2
    delay, ramp = formula.horowitz(tau, 0.0, spec.ramp_input)

    k = spec.read_cells_per_op
    if spec.cmos_access:  # 1T1R: inverter + the TG gates of a selected line
        read = (inv.cap_in + g_n * 2 + g_p + inv.cap_out + g_p * 2 + g_n) * vdd2 * k
    else:  # crossbar: unselected lines sit at the read voltage
        read = (inv.cap_in + g_n + g_p + inv.cap_out + g_p + g_n) * vdd2 * k
        read += drain * 2 * spec.read_voltage_v ** 2 * (n - k)
    return ComponentModel(
        kind="decoder_driver", area_m2=area, height_m=height, width_m=width,
        leakage_w=inv.leakage_w(INV, 1, env) * n,
        actions={"read": ActionCost(latency_s=delay, energy_j=read)},
        ports={"res_tg_ohm": res_tg, "ramp_output": ramp})


# ---- word-line drivers of the 1T1R array --------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class WlNewDecoderDriverSpec:
    """``num_rows`` word lines; ``read_voltage_v`` passed by the TG; loads ``load_cap_f``,
    ``line_res_ohm`` (the word line), ``ramp_input``."""

    num_rows: int
    read_voltage_v: float
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    area_modify: AreaModify = AreaModify.NONE
    load_cap_f: float = 0.0
    line_res_ohm: float = 0.0
    ramp_input: float = STEP_RAMP


def _min_gates(tech) -> tuple[tuple[float, float], tuple[float, float]]:
    f, pn = tech.feature_size, tech.pn_size_ratio
    h, w = f * MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE * f
    return formula.enlarge_size(w, pn * w, h, tech), formula.enlarge_size(2 * w, pn * w, h, tech)


def _row_stack(spec, rows: int, row_gates: Sequence[Gate], tg_widths, tg_count: int, tech, what: str):
    """Per-row gates side by side, rows stacked (folded into columns of ``fit_height``): the TG
    footprint and the block's (height, width)."""
    cell_h = min_cell_height(tech)
    tg_h = tg_height_for_rows(fit_height(spec), rows, cell_h, what) if fit_height(spec) else cell_h
    _, h_tg, w_tg = formula.gate_area(INV, 1, *tg_widths, tg_h, tech)
    h_unit = max([g.height for g in row_gates] + [h_tg])
    w_row = sum(g.width for g in row_gates) + tg_count * w_tg
    if fit_height(spec):
        return h_tg, (spec.fit_height_m, w_row * fold_count(spec.fit_height_m, h_unit, rows, what))
    return h_tg, (h_unit * rows, w_row)


def wl_new_decoder_driver(spec: WlNewDecoderDriverSpec, env: CircuitEnv) -> ComponentModel:
    """NAND2-INV-NAND2 row selection + TG per word line (1T1R sequential read).

    Action ``read``: one word line selected and charged to the read voltage.
    Ports: ``res_tg_ohm``, ``ramp_output``.
    """
    tech, temp = env.tech, env.temperature_k
    vdd2, rows = tech.vdd * tech.vdd, int(spec.num_rows)
    inv_w, nand_w = _min_gates(tech)
    cell_h = min_cell_height(tech)
    nand, inv = Gate.of(NAND, 2, *nand_w, cell_h, tech), Gate.of(INV, 1, *inv_w, cell_h, tech)
    h_tg, (height, width) = _row_stack(spec, rows, (nand, nand, nand, inv), inv_w, 2, tech, "WL decoder driver")
    height, width, area = reshape(height, width, spec)
    tg_n, tg_p = inv_w
    res_tg = 1.0 / (1.0 / (formula.on_resistance_normal(tg_n, NMOS, temp, tech) * LINEAR_REGION_RATIO)
                    + 1.0 / (formula.on_resistance_normal(tg_p, PMOS, temp, tech) * LINEAR_REGION_RATIO))
    g_n, g_p = formula.gate_cap(tg_n, tech), formula.gate_cap(tg_p, tech)
    _, drain = formula.gate_capacitance(INV, 1, tg_n, tg_p, h_tg, tech)
    # the three logic stages each see the input ramp (reference), then the TG + word line (Elmore)
    delay = sum(chain_delay([stage], spec.ramp_input, env)[0] for stage in (
        Stage(nand.width_n, NMOS, 2, nand.cap_out + inv.cap_in),
        Stage(inv.width_p, PMOS, 1, inv.cap_out + 2 * nand.cap_in),
        Stage(nand.width_n, NMOS, 2, nand.cap_out + g_p + g_n)))
    d, ramp = formula.horowitz(res_tg * (2 * drain + spec.load_cap_f) + spec.line_res_ohm * spec.load_cap_f / 2,
                               0.0, STEP_RAMP)
    logic = (nand.cap_in + inv.cap_out + g_n + nand.cap_out + g_n + g_p) * vdd2
    leakage = (nand.leakage_w(NAND, 2, env) + inv.leakage_w(INV, 1, env)) * rows * 2
    return ComponentModel(
        kind="wl_new_decoder_driver", area_m2=area, height_m=height, width_m=width, leakage_w=leakage,
        actions={"read": ActionCost(latency_s=delay + d, energy_j=logic + drain * spec.read_voltage_v ** 2)},
        ports={"res_tg_ohm": res_tg, "ramp_output": ramp})


@dataclass(frozen=True, kw_only=True)
class WlDecoderOutputSpec:
    """``num_rows`` word lines driven to ``access_voltage_v``.  ``all_rows_open``: neuro mode
    (every row but one switches per read) or memory mode (one row).  Loads as the other drivers."""

    num_rows: int
    access_voltage_v: float
    all_rows_open: bool = True
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    area_modify: AreaModify = AreaModify.NONE
    load_cap_f: float = 0.0
    line_res_ohm: float = 0.0
    ramp_input: float = STEP_RAMP


def wl_decoder_output(spec: WlDecoderOutputSpec, env: CircuitEnv) -> ComponentModel:
    """NOR2 + INV + TG + pull-down nMOS per word line.

    Action ``read``: the word lines switched for one read.  Ports: ``res_tg_ohm``, ``ramp_output``.
    """
    tech, temp = env.tech, env.temperature_k
    f, pn, vdd2, rows = tech.feature_size, tech.pn_size_ratio, tech.vdd * tech.vdd, int(spec.num_rows)
    h, w = f * MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE * f
    inv_w, _ = _min_gates(tech)
    cell_h = min_cell_height(tech)
    nor = Gate.of(NOR, 2, *formula.enlarge_size(w, 2 * pn * w, h, tech), cell_h, tech)
    inv = Gate.of(INV, 1, *inv_w, cell_h, tech)
    pull_down = Gate.of(INV, 1, formula.enlarge_size(w, 0.0, h, tech)[0], 0.0, cell_h, tech)
    h_tg, (height, width) = _row_stack(spec, rows, (nor, inv, pull_down), inv_w, 1, tech, "WL decoder output")
    height, width, area = reshape(height, width, spec)
    tg_n, tg_p = inv_w
    res_tg = 1.0 / (1.0 / formula.on_resistance(tg_n, NMOS, temp, tech)
                    + 1.0 / formula.on_resistance(tg_p, PMOS, temp, tech))
    g_n, g_p = formula.gate_cap(tg_n, tech), formula.gate_cap(tg_p, tech)
    _, drain = formula.gate_capacitance(INV, 1, tg_n, tg_p, h_tg, tech)
    delay, _ = chain_delay([Stage(nor.width_p, PMOS, 2, nor.cap_out + inv.cap_in + g_p + pull_down.cap_in)],
                           spec.ramp_input, env)
    d, ramp = formula.horowitz(res_tg * (drain + pull_down.cap_out + spec.load_cap_f)
                               + spec.line_res_ohm * spec.load_cap_f / 2, 0.0, STEP_RAMP)
    va2 = spec.access_voltage_v ** 2
    if spec.all_rows_open:  # neuro mode: every NOR input switches, all rows but one are driven
        read = nor.cap_in * vdd2 * rows + ((inv.cap_out + g_n) * vdd2 + drain * va2) * (rows - 1)
    else:  # memory mode: one row
        read = nor.cap_in * vdd2 + (inv.cap_out + g_n) * vdd2 + drain * va2
    leakage = (nor.leakage_w(NOR, 2, env) + inv.leakage_w(INV, 1, env) + pull_down.leakage_w(INV, 1, env)) * rows
    return ComponentModel(
        kind="wl_decoder_output", area_m2=area, height_m=height, width_m=width, leakage_w=leakage,
        actions={"read": ActionCost(latency_s=delay + d, energy_j=read)},
        ports={"res_tg_ohm": res_tg, "ramp_output": ramp})
