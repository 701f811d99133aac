"""Interim: the tile and chip blocks (buffer, H-tree, X-Y bus, sigmoid, max pooling) as component
models, computed with their still stateful circuit classes.

The `blocks` conversion turns these families into builders (`circuits.buffer.buffer`,
`circuits.interconnect.htree` / `xy_bus`, `circuits.functional.sigmoid` / `max_pooling`) with the
same action names; each function here is replaced by the builder call, then this module goes.
Latencies are seconds (a synchronous design's whole cycles, as cycles / f).
"""
from __future__ import annotations


from .arch import ActionCost, ComponentModel
from .circuits.buffer import Buffer
from .circuits.functional import MaxPooling, Sigmoid
from .circuits.interconnect import Bus, HTree, XYBus
from .constants import AreaModify, BusMode

__all__ = ["buffer_model", "bus_model", "htree_model", "max_pooling_model", "sigmoid_model", "xy_bus_model"]


def _seconds(p, latency: float, clk_freq: float) -> float:
    return latency / clk_freq if p.synchronous else latency


def buffer_model(p, tech, cell, *, num_bit: int, interface_width: int, sram: bool, clk_freq: float,
                 fit_height_m: float = 0.0, fit_width_m: float = 0.0) -> ComponentModel:
    """Actions ``read`` / ``write``: one line of ``interface_width`` bits."""
    b = Buffer(p, tech, cell)
    b.initialize(num_bit, interface_width, 1, p.unit_length_wire_resistance, clk_freq, sram)
    b.calculate_area(fit_height_m, fit_width_m, AreaModify.NONE)
    w = b.interface_width
    b.calculate_latency(w, 1, w, 1)
    b.calculate_power(w, 1, w, 1)
    return ComponentModel(
        kind="buffer", area_m2=b.area, height_m=b.height, width_m=b.width, leakage_w=b.leakage,
        actions={"read": ActionCost(_seconds(p, b.read_latency, clk_freq), b.read_dynamic_energy),
                 "write": ActionCost(_seconds(p, b.write_latency, clk_freq), b.write_dynamic_energy)},
        ports={"interface_width": float(w)})


def bus_model(p, tech, cell, *, horizontal: bool, num_row: int, num_col: int, unit_height_m: float,
              unit_width_m: float, bus_width: float, clk_freq: float) -> ComponentModel:
    """A bus routed over its units (no area): actions ``transfer`` (all wires once; latency) and
    ``bit`` (one bit over one wire; energy).  Leakage: the ``bus_width`` wires."""
    b = Bus(p, tech, cell)
    b.initialize(BusMode.HORIZONTAL if horizontal else BusMode.VERTICAL, num_row, num_col, 0, bus_width,
                 unit_height_m, unit_width_m, clk_freq)
    b.calculate_area(1, True)
    b.calculate_latency(1)
    toggle = p.input_toggle if horizontal else p.output_toggle
    b.calculate_power(1, 1, horizontal)
    bit = b.read_dynamic_energy / toggle if toggle else 0.0
    b.calculate_power(bus_width, 1, horizontal)
    return ComponentModel(kind="bus", area_m2=0.0, height_m=0.0, width_m=0.0, leakage_w=b.leakage,
                          actions={"transfer": ActionCost(latency_s=_seconds(p, b.read_latency, clk_freq)),
                                   "bit": ActionCost(energy_j=bit)},
                          ports={"bus_width": float(bus_width)})


def htree_model(p, tech, cell, *, num_row: int, num_col: int, delay_tolerance: float, bus_width: float,
                clk_freq: float, unit_height_m: float, unit_width_m: float, folded_ratio: float) -> ComponentModel:
    """Dynamic actions ``transfer`` (all wires root -> leaf once; latency) and ``bit`` (one bit
    root -> leaf on one wire; energy), data ``unit_height_m`` / ``unit_width_m`` (default the
    spec's).  Leakage: every wire."""
    t = HTree(p, tech, cell)
    t.initialize(num_row, num_col, delay_tolerance, bus_width, clk_freq)
    t.calculate_area(unit_height_m, unit_width_m, folded_ratio)
    t.calculate_power(0, 0, 0, 0, unit_height_m, unit_width_m, bus_width, 1)
    leakage = t.leakage

    def transfer(*, unit_height_m=unit_height_m, unit_width_m=unit_width_m) -> ActionCost:
        t.calculate_latency(0, 0, 0, 0, unit_height_m, unit_width_m, 1)
        return ActionCost(latency_s=_seconds(p, t.read_latency, clk_freq))

    def bit(*, unit_height_m=unit_height_m, unit_width_m=unit_width_m) -> ActionCost:
        t.calculate_power(0, 0, 0, 0, unit_height_m, unit_width_m, 1, 1)
        return ActionCost(energy_j=t.read_dynamic_energy)

    return ComponentModel(kind="htree", area_m2=t.area, height_m=0.0, width_m=0.0, leakage_w=leakage,
                          dynamic={"transfer": transfer, "bit": bit}, ports={"bus_width": float(bus_width)})


def xy_bus_model(p, tech, cell, *, num_row: int, num_col: int, delay_tolerance: float, bus_width: float,
                 clk_freq: float, unit_height_m: float, unit_width_m: float, folded_ratio: float) -> ComponentModel:
    """Dynamic actions ``transfer_x`` / ``bit_x`` (data ``x_end``) and ``transfer_y`` / ``bit_y``
    (data ``y_init``), each with optional ``unit_width_m`` / ``unit_height_m``."""
    b = XYBus(p, tech, cell)
    b.initialize(num_row, num_col, delay_tolerance, bus_width, clk_freq)
    b.calculate_area(unit_height_m, unit_width_m, folded_ratio)

    def transfer_x(*, x_end, unit_width_m=unit_width_m) -> ActionCost:
        b.calculate_latency(x_end, num_row - 1, 0.0, unit_width_m, 1, 0)
        return ActionCost(latency_s=_seconds(p, b.read_latency, clk_freq))

    def transfer_y(*, y_init, unit_height_m=unit_height_m) -> ActionCost:
        b.calculate_latency(0, y_init, unit_height_m, 0.0, 0, 1)
        return ActionCost(latency_s=_seconds(p, b.read_latency, clk_freq))

    def bit_x(*, x_end, unit_width_m=unit_width_m) -> ActionCost:
        b.calculate_power(x_end, num_row - 1, 0.0, unit_width_m, 1, 0)
        return ActionCost(energy_j=b.read_dynamic_energy)

    def bit_y(*, y_init, unit_height_m=unit_height_m) -> ActionCost:
        b.calculate_power(0, y_init, unit_height_m, 0.0, 0, 1)
        return ActionCost(energy_j=b.read_dynamic_energy)

    return ComponentModel(kind="xy_bus", area_m2=b.area, height_m=0.0, width_m=0.0, leakage_w=0.0,
                          dynamic={"transfer_x": transfer_x, "bit_x": bit_x, "transfer_y": transfer_y,
                                   "bit_y": bit_y}, ports={"bus_width": float(bus_width)})


def sigmoid_model(p, tech, cell, *, num_ybit: int, num_entry: int, num_function: int, clk_freq: float,
                  fit_width_m: float) -> ComponentModel:
    """Action ``lookup``: one look-up in every table."""
    s = Sigmoid(p, tech, cell)
    s.initialize(True, num_ybit, num_entry, num_function, clk_freq)
    s.calculate_unit_area(AreaModify.NONE)
    s.calculate_area(0.0, fit_width_m, AreaModify.NONE)
    s.calculate_latency(1)
    s.calculate_power(1)
    return ComponentModel(kind="sigmoid", area_m2=s.area, height_m=s.height, width_m=s.width, leakage_w=s.leakage,
                          actions={"lookup": ActionCost(_seconds(p, s.read_latency, clk_freq), s.read_dynamic_energy)})


def max_pooling_model(p, tech, cell, *, num_bit: int, window: int, num_units: int, clk_freq: float,
                      fit_width_m: float) -> ComponentModel:
    """Action ``pool``: one pooling of every unit."""
    m = MaxPooling(p, tech, cell)
    m.initialize(num_bit, window, num_units, clk_freq)
    m.calculate_unit_area(AreaModify.NONE)
    m.calculate_area(fit_width_m)
    m.calculate_latency(1e20, 0.0, 1)
    m.calculate_power(1)
    return ComponentModel(kind="max_pooling", area_m2=m.area, height_m=m.height, width_m=m.width,
                          leakage_w=m.leakage,
                          actions={"pool": ActionCost(_seconds(p, m.read_latency, clk_freq), m.read_dynamic_energy)},
                          ports={"window": float(m.window), "num_units": float(m.num_max_pooling)})
