"""On-chip interconnect: the H-tree (chip, tile), the PE bus and the chip X-Y bus, all repeated wires.

Model: DNN+NeuroSim V1.4 user manual, "Interconnect" (H-tree / bus with repeaters); repeater
insertion after Bakoglu, "Circuits, Interconnections and Packaging for VLSI" (Elmore delay of an
inverter-repeated RC line, 0.7 lumped / 0.54 distributed coefficients); global-wire resistivity
with size effects from the ITRS interconnect tables.

**Repeated wire.**  Every interconnect is built of minimum-pitch wires (0.2 fF/um) driven by
inverter repeaters.  The delay-optimal repeater (size ``floor(sqrt(R_inv C_w / (C_in R_w)))``
minimum inverters, spacing ``sqrt(2 R_inv (C_in + C_out) / (R_w C_w))``) is the start; with a
delay tolerance the repeater is shrunk (halved for the H-tree and X-Y bus, decremented for the PE
bus) and its spacing reduced by 10 % per step until the delay per metre reaches ``1 + tolerance``
times the optimum, trading delay for energy.  Per metre of wire:

* delay ``0.7 (R_on (C_in + C_out + C_w s) + 0.54 R_w s C_w s + R_w s C_in) / s`` (``s`` the
  spacing; a wire of zero or negative length has no repeater: ``0.7 R_w s C_w s / s``);
* energy of one bit ``(C_in + C_out + C_w s) Vdd^2 / s / 2`` (a wire toggles every other bit);
* leakage of one repeater per spacing.

Long H-tree / X-Y-bus segments are routed on wider wires (2x the node's wire width beyond 1e4 F,
4x beyond 1e5 F), whose resistance per metre follows from the `WIRE_CLASSES` table.

**Builders** (each returns an immutable `arch.ComponentModel`; latencies in seconds -- in a
synchronous design (``env.synchronous``) a transfer takes whole clock periods of
``env.clk_freq_hz``: ``latency_s = ceil(delay * f) / f``, so ``round(latency_s * f)`` is the cycle
count):

* `htree(HTreeSpec, env)`: H-tree from the root (buffer) to every leaf unit of a
  ``num_row x num_col`` array (the chip's tiles, a tile's PEs).
* `bus(BusSpec, env)`: a straight bus along a row (``horizontal``) or column (``vertical``) of
  units (inside a PE, between subarrays).
* `xy_bus(XyBusSpec, env)`: the chip-level X-Y bus (inputs along X, outputs along Y).

Only root-to-leaf H-tree transfers are modelled (the chip and the tile always move data between
the buffer at the root and the leaves); the reference's leaf-to-leaf mode is unused by V1.4.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np

from .. import formula
from ..arch import ActionCost, ComponentModel
from ..constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NMOS, PMOS
from .env import CircuitEnv

__all__ = [
    "WireClass", "WIRE_CLASSES", "WireSpec", "Repeater", "repeater", "wire_res_per_m",
    "HTreeSpec", "htree", "BusSpec", "bus", "XyBusSpec", "xy_bus",
]

WIRE_CAP_PER_M = 0.2e-15 / 1e-6  # F/m
_REPEATER_SHRINK = 0.9  # spacing factor per sizing step
_WIDE_WIRE_F = 1e4  # segments at least this long (in F) use 2x wide wires
_WIDER_WIRE_F = 1e5  # ... and 4x wide ones beyond this
_TEMPERATURE_COEFF = 0.00451  # copper resistivity, 1/K above 300 K


class WireClass(NamedTuple):
    """One row of the interconnect table: wires at least ``min_width_nm`` wide."""

    min_width_nm: float
    aspect_ratio: float
    resistivity_ohm_m: float  # bulk copper
    barrier_m: float  # diffusion-barrier thickness


#: ITRS global-wire classes, widest first (size effects: barrier and resistivity vs width)
WIRE_CLASSES: tuple[WireClass, ...] = (
    WireClass(175, 1.6, 2.01e-8, 10.0e-9), WireClass(110, 1.6, 2.20e-8, 10.0e-9),
    WireClass(105, 1.7, 2.21e-8, 7.0e-9), WireClass(80, 1.7, 2.37e-8, 5.0e-9),
    WireClass(56, 1.8, 2.63e-8, 4.0e-9), WireClass(40, 1.9, 2.97e-8, 3.0e-9),
    WireClass(32, 2.0, 3.25e-8, 2.5e-9), WireClass(22, 2.0, 3.95e-8, 2.5e-9),
    WireClass(20, 2.0, 4.17e-8, 2.5e-9), WireClass(15, 2.0, 4.98e-8, 2.0e-9),
    WireClass(12, 2.0, 5.8e-8, 1.5e-9), WireClass(10, 3.0, 6.65e-8, 0.5e-9),
    WireClass(8, 3.0, 7.87e-8, 0.5e-9),
)


@dataclass(frozen=True, kw_only=True)
class WireSpec:
    """The node's minimum interconnect wire: drawn width (nm) and resistance per metre (ohm/m)."""

    width_nm: float
    res_per_m: float

    @classmethod
    def of(cls, p) -> "WireSpec":
        return cls(width_nm=p.wire_width_nm, res_per_m=p.unit_length_wire_resistance)


def _class_res_per_m(width_nm: float, temperature_k: float) -> float:
    for wc in WIRE_CLASSES:
        if width_nm >= wc.min_width_nm:
            break
    else:
        raise ValueError(f"wire width {width_nm} nm is out of range (the interconnect table starts at 8 nm)")
    w, ar, barrier = width_nm, wc.aspect_ratio, wc.barrier_m
    rho = wc.resistivity_ohm_m / (1 - ((2 * ar * w + w) * barrier / (ar * w ** 2)))
    rho *= 1 + _TEMPERATURE_COEFF * (temperature_k - 300)
    return rho / (w * 1e-9 * w * 1e-9 * ar)


def _wire_res_fn(wire: WireSpec, env: CircuitEnv):
    """``length_m -> ohm/m`` of a global segment of that length (wider when longer); vectorised."""
    r1, r2, r4 = (_class_res_per_m(k * wire.width_nm, env.temperature_k) for k in (1, 2, 4))
    feature = env.tech.feature_size

    def res(length_m):
        if np.ndim(length_m) == 0:
            length_f = length_m / feature
            return r4 if length_f >= _WIDER_WIRE_F else r2 if length_f >= _WIDE_WIRE_F else r1
        length_f = np.asarray(length_m, dtype=float) / feature
        return np.where(length_f >= _WIDER_WIRE_F, r4, np.where(length_f >= _WIDE_WIRE_F, r2, r1))
    return res


def wire_res_per_m(wire: WireSpec, length_m, env: CircuitEnv):
    """Resistance per metre (ohm/m) of a global segment of ``length_m`` (wider when longer);
    vectorised over ``length_m``."""
    return _wire_res_fn(wire, env)(length_m)


class Repeater(NamedTuple):
    """A wire repeater: ``size`` x the minimum inverter every ``spacing_m`` (sizes in m, F, ohm, W)."""

    size: int
    spacing_m: float
    height_m: float
    width_m: float
    cap_input_f: float
    cap_output_f: float
    res_on_ohm: float
    leakage_per_m_w: float  # one wire


def _inverter(size: float, env: CircuitEnv, built: bool = False):
    """(nMOS width, pMOS width, height, width, C_in, C_out, R_on) of ``size`` minimum inverters
    (``built``: the final repeater, whose widths the reference multiplies in another order)."""
    tech, f = env.tech, env.tech.feature_size
    if built:
        wn, wp = size * MIN_NMOS_SIZE * f, size * tech.pn_size_ratio * MIN_NMOS_SIZE * f
    else:
        wn, wp = MIN_NMOS_SIZE * f * size, tech.pn_size_ratio * MIN_NMOS_SIZE * f * size
    _, h, w = formula.gate_area(INV, 1, wn, wp, f * MAX_TRANSISTOR_HEIGHT, tech)
    c_in, c_out = formula.gate_capacitance(INV, 1, wn, wp, h, tech)
    with np.errstate(divide="ignore"):  # a repeater shrunk to nothing has infinite resistance
        r_on = (formula.on_resistance(wn, NMOS, env.temperature_k, tech)
                + formula.on_resistance(wp, PMOS, env.temperature_k, tech)) / 2
    return wn, wp, h, w, c_in, c_out, r_on


def _delay_per_m(r_on, c_in, c_out, res_wire, spacing):
    c_w = WIRE_CAP_PER_M
    return 0.7 * (r_on * (c_in + c_out + c_w * spacing) + 0.54 * res_wire * spacing * c_w * spacing
                  + res_wire * spacing * c_in) / spacing


def repeater(wire: WireSpec, delay_tolerance: float, shrink: Literal["halve", "decrement"],
             env: CircuitEnv) -> Repeater:
    """The repeater of a wire sized for ``delay_tolerance`` (module docstring)."""
    res_w = wire.res_per_m
    _, _, _, _, c_in1, c_out1, r1 = _inverter(1, env)
    size = math.floor(math.sqrt(r1 * WIRE_CAP_PER_M / c_in1 / res_w))
    spacing = math.sqrt(2 * r1 * (c_out1 + c_in1) / (res_w * WIRE_CAP_PER_M))
    if delay_tolerance:
        *_, c_in, c_out, r_on = _inverter(size, env)
        target = _delay_per_m(r_on, c_in, c_out, res_w, spacing) * (1 + delay_tolerance)
        delay = 0.0
        while delay < target and (shrink == "halve" or size >= 1):
            size = size // 2 if shrink == "halve" else size - 1
            spacing *= _REPEATER_SHRINK
            *_, c_in, c_out, r_on = _inverter(size, env)
            delay = _delay_per_m(r_on, c_in, c_out, res_w, spacing)
    wn, wp, h, w, c_in, c_out, r_on = _inverter(max(1, size), env, built=True)  # never smaller than one inverter
    leak = formula.gate_leakage(INV, 1, wn, wp, env.temperature_k, env.tech) * env.tech.vdd / spacing
    return Repeater(size, spacing, h, w, c_in, c_out, r_on, leak)


def _segment_delay(rep: Repeater, length, res_wire):
    """Delay (s) of one segment of ``length`` (repeated if longer than zero); vectorised."""
    repeated = _delay_per_m(rep.res_on_ohm, rep.cap_input_f, rep.cap_output_f, res_wire, rep.spacing_m)
    bare = 0.7 * res_wire * rep.spacing_m * WIRE_CAP_PER_M * rep.spacing_m / rep.spacing_m
    return length * np.where(np.asarray(length) > 0, repeated, bare)


def _bit_energy_per_m(rep: Repeater, env: CircuitEnv, repeated: bool = True) -> float:
    c_seg = WIRE_CAP_PER_M * rep.spacing_m
    c = rep.cap_input_f + rep.cap_output_f + c_seg if repeated else c_seg
    return c * env.tech.vdd ** 2 / rep.spacing_m * 0.5


def _segment_energy(rep: Repeater, length, env: CircuitEnv):
    return length * np.where(np.asarray(length) > 0, _bit_energy_per_m(rep, env), _bit_energy_per_m(rep, env, False))


def _clocked(delay, env: CircuitEnv):
    """A transfer's latency: the delay, or whole clock periods of it in a synchronous design."""
    if env.synchronous:
        delay = np.ceil(np.asarray(delay) * env.clk_freq_hz) / env.clk_freq_hz
    return _scalar(delay)


def _shaped(value, *data):
    """``value`` broadcast to the shape of the data arrays it was computed from."""
    return np.broadcast_to(value, np.broadcast(*data).shape) if any(np.ndim(d) for d in data) else value


def _scalar(x):
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


# --- H-tree ------------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class HTreeSpec:
    """An H-tree over ``num_row`` x ``num_col`` units of ``unit_height_m`` x ``unit_width_m``,
    ``bus_width`` wires, repeaters sized for ``delay_tolerance``, repeater rows folded
    ``folded_ratio`` times (area)."""

    num_row: int
    num_col: int
    unit_height_m: float
    unit_width_m: float
    bus_width: float
    delay_tolerance: float
    folded_ratio: float
    wire: WireSpec


def htree(spec: HTreeSpec, env: CircuitEnv) -> ComponentModel:
    """H-tree from the root to the leaves (manual "Interconnect: H-tree").

    The tree spans a ``2^N x 2^N`` array (``N = ceil(log2(max(num_row, num_col)))``); from the
    root at the array centre a main bus runs to the nearest edge (``2^N / 2`` unit widths).
    A root-to-leaf transfer crosses ``N`` vertical and ``N`` horizontal segments -- for the
    latency of lengths ``2^N/2, 2^N/4, ..., 1`` units, each on its wire class; for the energy of
    half those lengths -- and the main bus (priced with the leaf segment's repeated wire); every
    leaf is the same distance away.  The area counts the repeaters of the ``N - 1`` inner stages
    (the ``k``-th from the root ``k`` bus widths of repeaters wide, folded) and of the main bus;
    the last stage lies over the units.

    Actions (dynamic; optional data ``unit_height_m``/``unit_width_m`` price a transfer to
    units of another size, e.g. another kind of tile, default the spec's; vectorised):

    * ``transfer``: one transfer root -> leaf of all wires in parallel (latency only);
    * ``bit``: one bit moved root -> leaf on one wire (energy only).

    Leakage: every wire of the tree (``bus_width`` x its total length).  Ports: ``num_level``
    (N), ``total_wire_length_m`` (one wire of the tree), ``wire_leakage_w`` (one such wire),
    ``path_delay_s`` (unclocked root -> leaf delay at the spec's unit size), ``repeater_size``,
    ``repeater_spacing_m``, ``bus_width``.
    """
    rep = repeater(spec.wire, spec.delay_tolerance, "halve", env)
    num_level = math.ceil(math.log2(max(int(spec.num_row), int(spec.num_col))))
    span = 2 ** num_level
    main_bus_units = span // 2  # root at the centre column, main bus to the nearest edge
    folded_w = spec.bus_width * rep.width_m / spec.folded_ratio
    folded_h = spec.bus_width * rep.height_m / spec.folded_ratio

    area = total_length = 0.0
    wire_v, wire_h = spec.unit_height_m * span / 2, spec.unit_width_m * span / 2
    for k in range(1, num_level):  # inner stages, from the root outwards
        wire_v, wire_h = wire_v / 2, wire_h / 2
        area += k * folded_w * wire_v / 2 + k * folded_h * wire_h / 2
        total_length += wire_v + wire_h
    main_bus = main_bus_units * spec.unit_width_m
    area += folded_h * main_bus
    total_length += main_bus

    wire_res = _wire_res_fn(spec.wire, env)

    def path_delay(unit_height_m, unit_width_m):
        delay, v, h = 0.0, unit_height_m * span, unit_width_m * span
        res_last = spec.wire.res_per_m
        for _ in range(num_level):
            v, h = v / 2, h / 2
            delay = delay + _segment_delay(rep, v, wire_res(v))
            res_last = wire_res(h)
            delay = delay + _segment_delay(rep, h, res_last)
        if num_level:  # the main bus at the leaf segment's repeated delay per metre
            delay = delay + main_bus_units * unit_width_m * _delay_per_m(
                rep.res_on_ohm, rep.cap_input_f, rep.cap_output_f, res_last, rep.spacing_m)
        return delay

    def transfer(*, unit_height_m=spec.unit_height_m, unit_width_m=spec.unit_width_m) -> ActionCost:
        delay = _shaped(path_delay(unit_height_m, unit_width_m), unit_height_m, unit_width_m)
        return ActionCost(latency_s=_clocked(delay, env))

    def bit(*, unit_height_m=spec.unit_height_m, unit_width_m=spec.unit_width_m) -> ActionCost:
        energy, v, h = 0.0, unit_height_m * span / 2, unit_width_m * span / 2
        for _ in range(num_level):
            v, h = v / 2, h / 2
            energy = energy + _segment_energy(rep, v, env) + _segment_energy(rep, h, env)
        energy = energy + main_bus_units * unit_width_m * _bit_energy_per_m(rep, env)
        return ActionCost(energy_j=_scalar(_shaped(energy, unit_height_m, unit_width_m)))

    wire_leak = rep.leakage_per_m_w * total_length
    return ComponentModel(
        kind="htree", area_m2=area, height_m=0.0, width_m=0.0, leakage_w=wire_leak * spec.bus_width,
        dynamic={"transfer": transfer, "bit": bit},
        ports={"num_level": float(num_level), "total_wire_length_m": total_length, "wire_leakage_w": wire_leak,
               "path_delay_s": float(path_delay(spec.unit_height_m, spec.unit_width_m)),
               "repeater_size": float(rep.size), "repeater_spacing_m": rep.spacing_m,
               "bus_width": float(spec.bus_width)},
    )


# --- PE bus ------------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class BusSpec:
    """A bus of ``bus_width`` wires along a row (``horizontal``: ``num_col - 1`` unit widths) or a
    column (``vertical``: ``num_row - 1`` unit heights) of ``num_row`` x ``num_col`` units;
    ``over_units``: routed over the units (no area of its own)."""

    orientation: Literal["horizontal", "vertical"]
    num_row: int
    num_col: int
    unit_height_m: float
    unit_width_m: float
    bus_width: float
    delay_tolerance: float = 0.0
    folded_ratio: float = 1.0
    over_units: bool = True
    wire: WireSpec


def bus(spec: BusSpec, env: CircuitEnv) -> ComponentModel:
    """A straight repeated bus on the node's minimum wire (manual "Interconnect: bus").

    Actions: ``transfer`` (one transfer over the whole length, all wires in parallel; latency
    only) and ``bit`` (one bit over the whole length on one wire; energy only).  Leakage: the
    ``bus_width`` wires.  Area (unless ``over_units``): one bus per row of units, as wide as its
    folded repeaters.  Ports: ``length_m``, ``wire_leakage_w`` (one wire), ``num_repeater`` (per
    wire), ``bus_width``.
    """
    if spec.orientation not in ("horizontal", "vertical"):
        raise ValueError(f"bus: orientation '{spec.orientation}' is not one of horizontal, vertical")
    rep = repeater(spec.wire, spec.delay_tolerance, "decrement", env)
    if spec.orientation == "horizontal":
        length = spec.unit_width_m * (int(spec.num_col) - 1)
    else:
        length = spec.unit_height_m * (int(spec.num_row) - 1)
    wire_width = spec.bus_width * rep.width_m / spec.folded_ratio
    area = 0.0 if spec.over_units else int(spec.num_row) * length * wire_width
    delay = _segment_delay(rep, length, spec.wire.res_per_m)
    wire_leak = rep.leakage_per_m_w * length
    return ComponentModel(
        kind="bus", area_m2=area, height_m=0.0, width_m=0.0, leakage_w=wire_leak * spec.bus_width,
        actions={"transfer": ActionCost(latency_s=_clocked(delay, env)),
                 "bit": ActionCost(energy_j=_scalar(_segment_energy(rep, length, env)))},
        ports={"length_m": length, "wire_leakage_w": wire_leak, "bus_width": float(spec.bus_width),
               "num_repeater": float(math.ceil(length / rep.spacing_m))},
    )


# --- chip X-Y bus ------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class XyBusSpec:
    """The chip's X-Y bus over ``num_row`` x ``num_col`` tiles of ``unit_height_m`` x
    ``unit_width_m``: ``bus_width`` wires along X (inputs) and along Y (outputs)."""

    num_row: int
    num_col: int
    unit_height_m: float
    unit_width_m: float
    bus_width: float
    delay_tolerance: float
    folded_ratio: float
    wire: WireSpec


def xy_bus(spec: XyBusSpec, env: CircuitEnv) -> ComponentModel:
    """Chip X-Y bus (manual "Interconnect"): an X bus across all tile columns and a Y bus across
    all tile rows, each routed on the wire class of its full length.

    Dynamic actions (vectorised over their data): ``transfer_x`` (data ``x_end``: one transfer
    along X over ``x_end`` tile widths; latency only), ``bit_x`` (one bit over that distance;
    energy only), ``transfer_y`` / ``bit_y`` (data ``y_init``: from tile row ``y_init`` to the
    end of the Y bus, ``num_row - y_init - 1`` tile heights).  Each also takes optional
    ``unit_width_m`` / ``unit_height_m`` (default the spec's).  Leakage: all wires of both buses
    over their full lengths.  Ports: ``wire_leakage_per_m_w`` (one wire, per metre),
    ``length_x_m``, ``length_y_m``, ``bus_width``.
    """
    rep = repeater(spec.wire, spec.delay_tolerance, "halve", env)
    length_y = spec.unit_height_m * int(spec.num_row)
    length_x = spec.unit_width_m * int(spec.num_col)
    wire_res = _wire_res_fn(spec.wire, env)
    res_y, res_x = wire_res(length_y), wire_res(length_x)
    area = (spec.bus_width * rep.width_m / spec.folded_ratio) * length_y \
        + (spec.bus_width * rep.height_m / spec.folded_ratio) * length_x

    def x_length(x_end, unit_width_m):
        return unit_width_m * np.asarray(x_end, dtype=float)

    def y_length(y_init, unit_height_m):
        return unit_height_m * (int(spec.num_row) - np.asarray(y_init, dtype=float) - 1)

    def transfer_x(*, x_end, unit_width_m=spec.unit_width_m) -> ActionCost:
        return ActionCost(latency_s=_clocked(_segment_delay(rep, x_length(x_end, unit_width_m), res_x), env))

    def bit_x(*, x_end, unit_width_m=spec.unit_width_m) -> ActionCost:
        return ActionCost(energy_j=_scalar(_segment_energy(rep, x_length(x_end, unit_width_m), env)))

    def transfer_y(*, y_init, unit_height_m=spec.unit_height_m) -> ActionCost:
        return ActionCost(latency_s=_clocked(_segment_delay(rep, y_length(y_init, unit_height_m), res_y), env))

    def bit_y(*, y_init, unit_height_m=spec.unit_height_m) -> ActionCost:
        return ActionCost(energy_j=_scalar(_segment_energy(rep, y_length(y_init, unit_height_m), env)))

    return ComponentModel(
        kind="xy_bus", area_m2=area, height_m=0.0, width_m=0.0,
        leakage_w=rep.leakage_per_m_w * (length_x + length_y) * spec.bus_width,
        dynamic={"transfer_x": transfer_x, "bit_x": bit_x, "transfer_y": transfer_y, "bit_y": bit_y},
        ports={"wire_leakage_per_m_w": rep.leakage_per_m_w, "length_x_m": length_x, "length_y_m": length_y,
               "bus_width": float(spec.bus_width)},
    )
