"""Function units of the chip and the tiles: max pooling and the sigmoid look-up table.

Model: DNN+NeuroSim V1.4 user manual, "Max pooling and activation units".

* `max_pooling`: ``num_units`` max-pooling units over a window of ``window`` ``num_bit``-bit
  values.  A unit is a tree of N-bit comparators (``window // 2`` per stage, one stage per
  halving, plus one comparator and one stage for an odd window); an N-bit comparator is N 1-bit
  magnitude comparators (`sensing` comparator) with four transmission gates and an enable
  inverter each, plus three TGs, three inverters, an AND, a NOR and an N-input NOR collecting the
  bit results.  A comparison stops half way through the bits on average; its result then passes
  the N-input NOR, an inverter and a TG.
* `sigmoid`: ``num_function`` SRAM look-up tables of ``num_entry`` entries of ``num_ybit`` bits,
  each with a word-line decoder and sense amplifiers; a look-up decodes the entry and senses it
  (the table's bit-line delay is not modelled, as in the reference; V1.4 also leaves its word
  line unloaded, quirk ``sigmoid_word_line_unloaded``).  (V1.4 always builds the
  table in SRAM; the reference's RRAM variant is unused and not modelled.)

Latencies in seconds; in a synchronous design (``env.synchronous``) whole clock periods of
``env.clk_freq_hz`` (a pooling stage, a look-up), so ``round(latency_s * f)`` is the cycle count.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from .. import formula, quirks
from ..arch import ActionCost, ComponentModel
from ..constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NAND, NMOS, NOR, PMOS
from .buffer import WIRE_CAP_PER_M, SramCellSpec, drawn_width
from .decoders import RowDecoderSpec, row_decoder
from .env import CircuitEnv
from .sensing import ComparatorSpec, comparator
from .sram_periphery import SenseAmpSpec, sense_amp

__all__ = ["MaxPoolingSpec", "max_pooling", "SigmoidSpec", "sigmoid"]

_STEP_RAMP = 1e20


def _clocked(delay: float, env: CircuitEnv) -> float:
    return math.ceil(delay * env.clk_freq_hz) / env.clk_freq_hz if env.synchronous else delay


class ComparatorTree(NamedTuple):
    """N-bit comparators of one pooling unit and the stages a comparison passes."""

    comparators: int
    stages: int


def comparator_tree(window: int) -> ComparatorTree:
    """The comparator tree of a ``window``-input pooling unit (``window // 2`` per halving; an odd
    window adds one comparator and one stage)."""
    comparators = stages = 0
    n = int(window)
    while n:
        comparators += n // 2
        stages += 1
        n //= 2
    odd = int(window) % 2
    return ComparatorTree(comparators + odd, stages + odd)


class _Gate(NamedTuple):
    width_n: float
    width_p: float
    height: float
    width: float
    cap_input: float
    cap_output: float


def _gate(kind: int, inputs: int, n_size: float, tech) -> _Gate:
    """A gate of ``n_size`` minimum nMOS (and a minimum pMOS x pn ratio), widened to the cell height."""
    f, h_region = tech.feature_size, tech.feature_size * MAX_TRANSISTOR_HEIGHT
    w_n, w_p = formula.enlarge_size(n_size * MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, h_region, tech)
    _, h, w = formula.gate_area(kind, inputs, w_n, w_p, h_region, tech)
    c_in, c_out = formula.gate_capacitance(kind, inputs, w_n, w_p, h, tech)
    return _Gate(w_n, w_p, h, w, c_in, c_out)


@dataclass(frozen=True, kw_only=True)
class MaxPoolingSpec:
    """``num_units`` pooling units over ``window`` ``num_bit``-bit inputs, laid out ``fit_width_m``
    wide (0: area only); the result drives ``cap_load_f``.  ``control_activity``: calibrated
    switching activity of the control gates and comparators (epsilon when validated, else 1)."""

    num_bit: int
    window: int
    num_units: int
    fit_width_m: float = 0.0
    cap_load_f: float = 0.0
    control_activity: float = 1.0


def max_pooling(spec: MaxPoolingSpec, env: CircuitEnv) -> ComponentModel:
    """Max-pooling units (module docstring).

    Action ``pool``: one pooling of every unit (all comparator stages in sequence; energy of every
    comparator of every unit).  Leakage: one minimum inverter per comparator.  Ports
    ``area_unit_m2`` (one unit), ``num_comparator`` and ``num_stage`` (one unit's tree), ``window``,
    ``num_units``.
    """
    tech, temp = env.tech, env.temperature_k
    vdd2 = tech.vdd * tech.vdd
    n_bit = int(spec.num_bit)
    tree = comparator_tree(spec.window)
    inv, nand, nor = _gate(INV, 1, 1, tech), _gate(NAND, 2, 2, tech), _gate(NOR, 2, 4, tech)
    nor_n = _gate(NOR, n_bit, 2 * n_bit, tech)  # the N-input NOR collecting the bit comparisons
    bit_cmp = comparator(ComparatorSpec(num_bit=1, num_comparator=1, cap_load_f=inv.cap_output * 2,
                                        activity=spec.control_activity), env)

    inv_area = inv.height * inv.width
    per_comparator = ((bit_cmp.port("area_unit_m2") + inv_area * 5) * n_bit  # 4 TG + enable INV per bit
                      + inv_area * 6 + (nand.height * nand.width + inv_area) + nor.height * nor.width
                      + nor_n.height * nor_n.width)
    area_unit = per_comparator * tree.comparators
    area = area_unit * spec.num_units
    width = spec.fit_width_m
    height = area / width if width else 0.0

    # one stage: half the bit comparators on average, then N-input NOR -> INV -> TG into the load
    compare = bit_cmp.cost("compare")
    delay = compare.latency_s * n_bit / 2
    res_nor = formula.on_resistance(nor_n.width_n, NMOS, temp, tech) * 2
    gm_nor = formula.transconductance(nor_n.width_n, NMOS, tech)
    delay += formula.horowitz(res_nor * (inv.cap_input * 2 + n_bit * inv.cap_output), 1 / (res_nor * gm_nor),
                              _STEP_RAMP)[0]
    res_inv = formula.on_resistance(inv.width_n, NMOS, temp, tech) * 2
    gm_inv = formula.transconductance(inv.width_n, NMOS, tech)
    d_inv, ramp = formula.horowitz(res_inv * (inv.cap_input + nor_n.cap_output), 1 / (res_inv * gm_inv), _STEP_RAMP)
    delay += d_inv
    # the TG is sized as the inverter's nMOS
    delay += formula.horowitz(res_inv * (inv.cap_input * 2 + spec.cap_load_f), 1 / (res_inv * gm_inv), ramp)[0]

    # energy of one N-bit comparison: AND, NOR, 2 INV and the N-input NOR switch once, plus half
    # the bit comparators
    control = ((nand.cap_input + inv.cap_output) * vdd2 + (nor.cap_input + inv.cap_output) * vdd2
               + (inv.cap_input + inv.cap_output) * vdd2 * 2 + (nor_n.cap_input + inv.cap_output) * vdd2)
    energy = control * spec.control_activity + compare.energy_j * n_bit / 2
    leak = formula.gate_leakage(INV, 1, inv.width_n, inv.width_p, temp, tech) * tech.vdd
    return ComponentModel(
        kind="max_pooling", area_m2=area, height_m=height, width_m=width,
        leakage_w=leak * tree.comparators * spec.num_units,
        actions={"pool": ActionCost(latency_s=_clocked(delay, env) * tree.stages,
                                    energy_j=energy * tree.comparators * spec.num_units)},
        ports={"area_unit_m2": area_unit, "num_comparator": float(tree.comparators),
               "num_stage": float(tree.stages), "window": float(spec.window), "num_units": float(spec.num_units)},
    )


@dataclass(frozen=True, kw_only=True)
class SigmoidSpec:
    """``num_function`` SRAM look-up tables of ``num_entry`` entries x ``num_ybit`` bits, on cells
    ``cell`` (footprint and transistor widths); laid out to ``fit_width_m`` (else ``fit_height_m``;
    neither: area only).  ``decoder_sizing`` / ``control_activity``: the word-line decoder's driver
    sizing and calibrated read activity (epsilon when validated, else 1)."""

    num_ybit: int
    num_entry: int
    num_function: int
    cell: SramCellSpec
    fit_width_m: float = 0.0
    fit_height_m: float = 0.0
    decoder_sizing: float = 1.0
    control_activity: float = 1.0


def sigmoid(spec: SigmoidSpec, env: CircuitEnv) -> ComponentModel:
    """Sigmoid look-up tables (module docstring).

    A table entry is a row of ``num_ybit`` cells over a row of inverters (each bit as wide as three
    minimum inverters or the cell, whichever is wider); the decoder and the sense amplifiers add
    their own area.  Action ``lookup``: one look-up in every table (decode + sense; energy of all
    ``num_function`` tables).  Leakage: every table (two inverters per cell, decoder, sense
    amplifiers).  Ports ``area_unit_m2`` and ``table_leakage_w`` (one table), ``num_entry``,
    ``num_ybit``.
    """
    tech, c = env.tech, spec.cell
    f, temp = tech.feature_size, env.temperature_k
    n_y, n_entry = int(spec.num_ybit), int(spec.num_entry)
    inv_n, inv_p = MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f
    _, h_inv, w_inv = formula.gate_area(INV, 1, inv_n, inv_p, f * MAX_TRANSISTOR_HEIGHT, tech)
    h_unit = h_inv + c.height_f * f
    w_unit = max(w_inv * 3, c.width_f * f) * n_y

    # V1.4's cell load (drains of the three cell devices, gates of the latch)
    h_region = MAX_TRANSISTOR_HEIGHT * f
    w_acc, w_pd, w_pu = (drawn_width(w, tech) for w in (c.access_width_f, c.pull_down_width_f, c.pull_up_width_f))
    cap_cell = (formula.drain_cap(w_acc, NMOS, h_region, tech) + formula.drain_cap(w_pd, NMOS, h_region, tech)
                + formula.drain_cap(w_pu, PMOS, h_region, tech) + formula.gate_cap(w_pd, tech)
                + formula.gate_cap(w_pu, tech))
    if quirks.applies("sigmoid_word_line_unloaded", env.compat):
        loads = dict(load_cap_p_f=cap_cell)  # the decoder's mux-only load: the word line charges nothing
    else:  # the word-line wire and two access gates per cell
        loads = dict(load_cap_f=w_unit * WIRE_CAP_PER_M + 2 * formula.gate_cap(w_acc, tech) * n_y)
    decoder = row_decoder(RowDecoderSpec(num_addr_bits=int(math.ceil(math.log2(n_entry))),
                                         driver_sizing=spec.decoder_sizing, **loads,
                                         line_res_ohm=w_unit * c.word_line_res_per_m, line_cells=n_y,
                                         read_activity=spec.control_activity), env)
    sense = sense_amp(SenseAmpSpec(num_col=n_y, sense_voltage_v=c.sense_voltage_v, pitch_m=w_unit / n_y, read_cols=1),
                      env)

    area_unit = h_unit * w_unit * n_entry + decoder.area_m2 + sense.area_m2
    area = area_unit * spec.num_function
    if spec.fit_width_m:
        width, height = spec.fit_width_m, area / spec.fit_width_m
    elif spec.fit_height_m:
        width, height = area / spec.fit_height_m, spec.fit_height_m
    else:
        width = height = 0.0

    dec, sa = decoder.cost("read"), sense.cost("sense")
    w_pd_inv, w_pu_inv = drawn_width(c.pull_down_width_f, tech), drawn_width(c.pull_up_width_f, tech)
    cell_leak = formula.gate_leakage(INV, 1, w_pd_inv, w_pu_inv, temp, tech) * tech.vdd * 2  # two inverters
    table_leak = cell_leak * (n_y * n_entry) + decoder.leakage_w + sense.leakage_w
    return ComponentModel(
        kind="sigmoid", area_m2=area, height_m=height, width_m=width, leakage_w=table_leak * spec.num_function,
        actions={"lookup": ActionCost(latency_s=_clocked(dec.latency_s + sa.latency_s, env),
                                      energy_j=(dec.energy_j + sa.energy_j) * spec.num_function)},
        ports={"area_unit_m2": area_unit, "table_leakage_w": table_leak, "num_entry": float(n_entry),
               "num_ybit": float(n_y)},
    )
