"""TRANSITIONAL: component models of periphery families that are not converted yet.

The buffer, sigmoid and max-pooling builders compose a row decoder, bit-line prechargers, SRAM
write drivers, latch sense amplifiers and comparators.  Until those families' builders
(`decoders.row_decoder`, `sram_periphery.precharger` / `sram_write_driver` / `sense_amp`,
`sensing.comparator`) are on main, these functions return the same kind of `ComponentModel`
(same keyword arguments as those builders' specs, same action names), computed with the old
stateful classes.  Delete this module when every function here has been replaced by its builder.
"""
from __future__ import annotations

from types import SimpleNamespace

from ..arch import ActionCost, ComponentModel
from ..constants import AreaModify, DecoderMode
from .env import CircuitEnv

_STEP_RAMP = 1e20


def _p(env: CircuitEnv, *, sizing: float = 1.0, activity: float = 1.0) -> SimpleNamespace:
    """The few parameters the old classes read (activity 1.0 leaves the energy unscaled)."""
    return SimpleNamespace(temperature_k=env.temperature_k, sizing_factor_wl_decoder=sizing, sizing_factor_mux=sizing,
                           validated=True, epsilon=activity, synchronous=env.synchronous)


def row_decoder(env: CircuitEnv, *, num_addr_bits: int, driver_sizing: float = 1.0, fit_height_m: float = 0.0,
                load_cap_f: float = 0.0, load_cap_p_f: float = 0.0, line_res_ohm: float = 0.0,
                line_cells: int = 0, read_activity: float = 1.0) -> ComponentModel:
    """A regular word-line decoder: actions ``read`` (energy x ``read_activity``) and ``write``."""
    from .decoders import RowDecoder

    d = RowDecoder(_p(env, sizing=driver_sizing, activity=read_activity), env.tech)
    d.initialize(DecoderMode.REGULAR_ROW, num_addr_bits, False, False)
    d.calculate_area(fit_height_m, 0.0, AreaModify.NONE)
    d.calculate_latency(_STEP_RAMP, load_cap_f, load_cap_p_f, line_res_ohm, line_cells, 1, 1)
    d.calculate_power(1, 1)
    return ComponentModel(kind="row_decoder", area_m2=d.area, height_m=d.height, width_m=d.width, leakage_w=d.leakage,
                          actions={"read": ActionCost(d.read_latency, d.read_dynamic_energy),
                                   "write": ActionCost(d.write_latency, d.write_dynamic_energy)})


def precharger(env: CircuitEnv, *, num_col: int, bitline_cap_f: float, bitline_res_ohm: float, read_cols: int,
               write_cols: int, fit_width_m: float = 0.0) -> ComponentModel:
    """Bit-line prechargers: actions ``precharge`` (one read) and ``write`` (one write)."""
    from .sram_periphery import Precharger

    c = Precharger(_p(env), env.tech)
    c.initialize(num_col, bitline_res_ohm, 1, read_cols, write_cols)
    c.calculate_area(0.0, fit_width_m, AreaModify.NONE)
    c.calculate_latency(_STEP_RAMP, bitline_cap_f, 1, 1)
    c.calculate_power(1, 1)
    return ComponentModel(kind="precharger", area_m2=c.area, height_m=c.height, width_m=c.width, leakage_w=c.leakage,
                          actions={"precharge": ActionCost(c.read_latency, c.read_dynamic_energy),
                                   "write": ActionCost(c.write_latency, c.write_dynamic_energy)})


def sram_write_driver(env: CircuitEnv, *, num_col: int, bitline_cap_f: float, bitline_res_ohm: float,
                      write_cols: int, fit_width_m: float = 0.0) -> ComponentModel:
    """SRAM write drivers: action ``write``."""
    from .sram_periphery import SRAMWriteDriver

    c = SRAMWriteDriver(_p(env), env.tech)
    c.initialize(num_col, 1, write_cols)
    c.calculate_area(0.0, fit_width_m, AreaModify.NONE)
    c.calculate_latency(_STEP_RAMP, bitline_cap_f, bitline_res_ohm, 1)
    c.calculate_power(1)
    return ComponentModel(kind="sram_write_driver", area_m2=c.area, height_m=c.height, width_m=c.width,
                          leakage_w=c.leakage, actions={"write": ActionCost(c.write_latency, c.write_dynamic_energy)})


def sense_amp(env: CircuitEnv, *, num_col: int, sense_voltage_v: float, pitch_m: float,
              read_cols: int) -> ComponentModel:
    """Latch sense amplifiers: action ``sense``; port ``cap_load_f``."""
    from .sram_periphery import SenseAmp

    c = SenseAmp(_p(env), env.tech)
    c.initialize(num_col, False, sense_voltage_v, pitch_m, env.clk_freq_hz, read_cols)
    c.calculate_area(0.0, 0.0, AreaModify.NONE)
    c.calculate_latency(1)
    c.calculate_power(1)
    return ComponentModel(kind="sense_amp", area_m2=c.area, height_m=c.height, width_m=c.width, leakage_w=c.leakage,
                          actions={"sense": ActionCost(c.read_latency, c.read_dynamic_energy)},
                          ports={"cap_load_f": c.cap_load})


def comparator(env: CircuitEnv, *, num_bit: int, num_comparator: int, cap_load_f: float = 0.0,
               activity: float = 1.0) -> ComponentModel:
    """Magnitude comparators: action ``compare``; port ``area_unit_m2``."""
    from .sensing import Comparator

    c = Comparator(_p(env, activity=activity), env.tech)
    c.initialize(num_bit, num_comparator)
    c.calculate_unit_area(AreaModify.NONE)
    c.calculate_latency(_STEP_RAMP, cap_load_f, 1)
    c.calculate_power(1, num_comparator)
    return ComponentModel(kind="comparator", area_m2=c.area_unit * num_comparator, height_m=0.0, width_m=0.0,
                          leakage_w=c.leakage, actions={"compare": ActionCost(c.read_latency, c.read_dynamic_energy)},
                          ports={"area_unit_m2": c.area_unit})
