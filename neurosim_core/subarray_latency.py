"""How the latencies of a subarray read overlap: the overlap rules of each read mode, stated once.

DNN+NeuroSim V1.4 manual, "SubArray" (read timing) and "Synchronous / asynchronous mode"; the
latency of each circuit is its action's (`arch.latency_terms`), these rules combine them.

Sensing cycle (one conversion; the chip clock period is the longest one, x ``beta``):

* parallel read: the row drive (+ row repeaters) runs while the column mux selects, the slower of
  the two counts; then (SRAM) the bit lines precharge; then the ADC converts;
* sequential eNVM read: row decode + drive, overlapped with the mux; the bit line settles; the
  ADC converts;
* sequential SRAM read: row decode, precharge, bit-line swing, latch sense, one after the other.

Read of one input bit-vector (performance pass):

* synchronous designs count cycles of the chip clock: one per conversion (parallel: ``n_mux``
  column groups x ``n_add`` row groups; sequential: one per active row and column group); the
  partial-sum adder is pipelined behind the conversions and adds only the cycles it needs beyond
  one; each shift-adder is pipelined behind what feeds it and adds only the cycles it needs beyond
  those;
* asynchronous designs add seconds: the sensing of every conversion ("ADC"), the row drive
  overlapped with the mux ("other"), and the accumulation only where the adder and shift-adders,
  run back to back, outlast both.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from . import formula, quirks
from .arch import Use, latency_terms
from .constants import NMOS

__all__ = ["SensingCycle", "column_settling", "half_parallel_rows", "sensing_cycle", "read_latency"]

#: the bit line needs a 15-20 % swing to be sensed (V1.4 manual, "SubArray")
_SENSE_SWING = 0.2


def _cmax(a, b):
    """``a`` where ``a > b``, else ``b`` (a NaN ``a`` gives ``b``), elementwise."""
    return np.where(a > b, a, b)


def half_parallel_rows(value: float, num_row_parallel: int, compat: str) -> float:
    """``value / (num_row_parallel / 2)``: half of the enabled rows assumed on.  V1.4 halves in
    integers (quirk ``integer_half_parallel_rows``: one parallel row gives an infinite value)."""
    if quirks.applies("integer_half_parallel_rows", compat):
        half = num_row_parallel // 2
        return value / half if half else math.inf
    return value / (num_row_parallel / 2)


def column_settling(p, tech, cell, w) -> float:
    """Delay (s) of a column before it can be sensed.

    SRAM: Elmore delay of the bit line through the access and pull-down devices to half the sense
    voltage.  eNVM: 20 % of the RC of the column capacitance and the cells' average resistance
    (half the enabled rows on in the parallel read)."""
    if cell.is_sram:
        fin = 2 if tech.feature_size_in_nano <= 14 else 1
        pull_down = formula.on_resistance(cell.width_sram_cell_nmos * fin * tech.feature_size, NMOS,
                                          p.temperature_k, tech)
        n = p.num_row_subarray
        cap_per_cell = w.cap_col / n + w.cap_cell_access
        elmore = (w.res_cell_access + pull_down) * cap_per_cell * n + cap_per_cell * (w.res_col / n) * n * (n + 1) / 2
        return elmore * math.log(tech.vdd / (tech.vdd - cell.min_sense_voltage / 2))
    res = w.res_mem_cell_avg
    if p.conventional_parallel:
        res = half_parallel_rows(res, p.num_row_parallel, p.compat)
    return w.cap_col * res * _SENSE_SWING


class SensingCycle(NamedTuple):
    """One sensing cycle (s) and its parts: row drive, mux, ADC sensing, column settling."""

    period_s: float
    row_delay_s: float
    mux_delay_s: float
    adc_latency_s: float
    col_delay_s: float


class _Path(NamedTuple):
    rows: float  # row decode + drive (parallel: the driver alone)
    repeaters: float
    mux: float  # column mux + its decoder
    precharge: float
    sense: float  # latch sense amps (sequential SRAM)
    convert: float  # the ADC
    column: float  # bit-line settling
    adder: float  # one partial-sum addition
    shift_weight: float  # one addition of the weight / input shift-adders
    shift_input: float


def _path(model) -> _Path:
    """The latency of one action of every part on the read path (`arch.latency_terms`)."""
    macro = model.macro
    steps = [("wl_switch_matrix", "read", {"activity_row_read": 0.0}),
             ("wl_new_switch_matrix", "read", {"activity_row_read": 0.0}), ("row_repeaters", "propagate", {}),
             ("wl_decoder", "read", {}), ("wl_decoder_driver", "read", {}), ("wl_new_decoder_driver", "read", {}),
             ("column_mux", "read", {}), ("column_mux_decoder", "read", {}), ("precharger", "precharge", {}),
             ("sense_amp", "sense", {}), ("adc", "convert", {}), ("array", "bitline", {}),
             ("accumulation_adder", "add", {})]
    t = latency_terms(macro, [Use(role, action, 1.0, data) for role, action, data in steps if macro.has(role)])
    g = t.get

    def shift(role):
        return macro.part(role).model.port("adder_latency_s") if macro.has(role) else 0.0
    rows = g("wl_switch_matrix", 0.0) + g("wl_new_switch_matrix", 0.0)
    if not model.spec.parallel:
        rows = g("wl_decoder", 0.0) + g("wl_decoder_driver", 0.0) + g("wl_new_decoder_driver", 0.0)
    return _Path(rows, g("row_repeaters", 0.0), g("column_mux", 0.0) + g("column_mux_decoder", 0.0),
                 g("precharger", 0.0), g("sense_amp", 0.0), g("adc", 0.0), g("array", 0.0),
                 g("accumulation_adder", 0.0), shift("shift_add_weight"), shift("shift_add_input"))


def sensing_cycle(model) -> SensingCycle:
    """The sensing cycle of one conversion (the clock pass; s); see the module docstring."""
    spec, t = model.spec, _path(model)
    if spec.parallel:
        cycle = max(t.rows + t.repeaters, t.mux) + t.precharge + t.convert
        adc = model.macro.part("adc").model.ports.get("sense_latency_s", 0.0)
        return SensingCycle(cycle * spec.beta, t.rows + t.repeaters, t.mux, adc, t.column)
    if spec.sram:
        cycle = t.rows + t.precharge + t.column + t.sense
    else:
        cycle = max(t.rows, t.mux) + t.column + t.convert
    return SensingCycle(cycle * spec.beta, 0.0, 0.0, 0.0, t.column)


def read_latency(model, activity, clk_freq_hz: float):
    """(total, adc, accumulation, other) latency of reading each input vector (``activity``: (n,)
    fraction of rows active): clock cycles of ``clk_freq_hz`` when synchronous, else s."""
    spec, t = model.spec, _path(model)
    act = np.asarray(activity, dtype=float)
    n_mux, ncps, groups, beta = spec.num_col_muxed, spec.cells_per_synapse, spec.synapses_per_mux, spec.beta
    if spec.parallel:
        reads, per_group = float(n_mux * spec.num_add), float(spec.num_add)  # conversions; per column group
    else:
        reads = spec.num_row * act * (1 if spec.sram else n_mux)
        per_group = spec.num_row * act
    other = np.zeros_like(act)
    with np.errstate(divide="ignore", invalid="ignore"):
        if spec.synchronous:
            clk = clk_freq_hz
            adc = reads
            accum = 0.0
            if model.macro.has("accumulation_adder"):  # one cycle per addition is hidden by the ADC
                accum = (reads - (1 if spec.sram and not spec.parallel else n_mux)) * (math.ceil(t.adder * clk) - 1)
            if spec.sram and not spec.parallel:  # both shift-adders behind the row-by-row sum
                accum = accum + _cmax(math.ceil((t.shift_weight * (ncps - 1) + t.shift_input) * clk) - (adc + accum), 0)
            else:
                if ncps > 1:  # weight shift-add behind the ADC + adder of one column group
                    accum = accum + (ncps - 1) * groups * _cmax(math.ceil(t.shift_weight * clk)
                                                                - np.float64(adc + accum) / n_mux, 0)
                if spec.input_bits > 1:  # input shift-add behind the synapse's columns
                    accum = accum + groups * _cmax(math.ceil(t.shift_input * clk)
                                                   - np.float64(adc + accum) / np.float64(groups), 0)
        else:
            if spec.sram and not spec.parallel:
                adc = (t.precharge + t.column + t.sense) * reads * beta
                other = t.rows * reads * beta
                shifts = t.shift_weight * (ncps - 1) + t.shift_input
                additions = reads - 1
            else:
                sense = t.precharge + t.column + t.convert if spec.sram else t.convert + t.column
                adc = sense * reads * beta
                other = _cmax(t.rows * per_group, t.mux) * n_mux * beta
                shifts = t.shift_weight * (ncps - 1) * groups + t.shift_input * groups
                additions = n_mux * (per_group - 1)
            accum = _cmax(t.adder * additions + shifts - adc - other, 0)

    def vec(x):
        return np.broadcast_to(np.asarray(x, dtype=float), act.shape).copy()
    return vec(adc + accum + other), vec(adc), vec(accum), vec(other)
