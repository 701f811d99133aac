"""What one read of an input bit-vector does in a CIM subarray, as `arch.Use`\\ s, and its energy.

DNN+NeuroSim V1.4 manual, "SubArray" (read modes) and "Peripheral circuits"; per input
bit-vector with ``a`` = fraction of the subarray's rows it activates (one number per vector):

parallel read (``n_mux`` column groups share the ADCs, ``n_add`` row groups per column)
    the row driver opens the active rows of each column group (``read`` with the row activity,
    and one ``scan`` of its selection chain) ``n_mux`` times; every active row's word line (and
    its repeaters) charges once per column group; the mux and its decoder switch ``n_mux``
    times; the ADCs convert ``n_add`` times (per converted column: the switching energy, plus
    the column-resistance-dependent energy); ``n_mux (n_add - 1)`` partial-sum additions;
    ``(cells per synapse - 1) x synapses per mux`` weight shift-adds and ``synapses per mux``
    input shift-adds.
sequential read, eNVM
    one row at a time: ``num_row a n_mux`` row decodes, row drives and word-line charges (the
    selected bit lines swing to the read voltage); the mux switches ``n_mux`` times; the ADCs
    convert ``num_row a`` times; one addition per conversion and column group; shift-adds as above.
sequential read, SRAM
    ``num_row a`` row decodes and word-line charges; a precharge and a latch sense per row read;
    one addition per row read into every column's accumulator; ``cells per synapse - 1`` weight
    shift-adds and one input shift-add.

The energies (J) are `arch.energy` of these uses, per bucket; NeuroSim's "ADC" figure is the ADC
bucket plus the synaptic array's (`read_energy`).
"""
from __future__ import annotations

import math

import numpy as np

from .arch import Use, energy
from .subarray_parts import WIRE_CAP_PER_M

__all__ = ["row_energy", "read_uses", "read_energy"]



def row_energy(p, tech, cell, w, rep) -> float:
    """Energy (J) of one active row in one read: its word line (and row repeaters) charged to Vdd;
    in the sequential eNVM read also the selected bit lines swinging to the read voltage (the SRAM
    bit-line discharge is the precharger's)."""
    vdd2 = tech.vdd * tech.vdd
    repeaters = (rep.cap_in_f + rep.cap_out_f) * vdd2 * rep.stages * 2
    if cell.is_sram:
        return w.cap_row1 * vdd2 + (0.0 if p.conventional_sequential else repeaters)
    if p.conventional_sequential:
        bit_lines = math.ceil(p.num_col_subarray / min(p.num_col_muxed, p.num_col_subarray))
        return w.length_col * WIRE_CAP_PER_M * cell.read_voltage * cell.read_voltage * bit_lines + w.cap_row2 * vdd2
    return w.cap_row2 * vdd2 + repeaters


def _accumulation(macro, reads, adders_per_read, bits_per_read) -> list[Use]:
    """``reads`` additions into the partial-sum register: the register clocked once per read,
    ``bits_per_read`` of its flip-flops capturing, ``adders_per_read`` adders adding."""
    if not macro.has("accumulation_adder"):
        return []
    register = macro.part("accumulation_register").model
    adder = macro.part("accumulation_adder").model
    return [Use("accumulation_register", "clock", reads),
            Use("accumulation_register", "capture", reads * np.minimum(bits_per_read, register.port("num_dff"))),
            Use("accumulation_adder", "add", reads * np.minimum(adders_per_read, adder.port("num_adder")))]


def _shift_adds(macro, weight_times, input_times) -> list[Use]:
    uses = []
    if macro.has("shift_add_weight"):
        uses.append(Use("shift_add_weight", "shift_add", weight_times))
    if macro.has("shift_add_input"):
        uses.append(Use("shift_add_input", "shift_add", input_times))
    return uses


def _conversions(macro, times, column_resistance) -> list[Use]:
    """``times`` conversions of the ADCs on columns of resistance R (n_vectors, n_columns)."""
    n_cols = column_resistance.shape[1]
    return [Use("adc", "convert", times), Use("adc", "switch_column", times * n_cols),
            Use("adc", "column_energy", times, data={"column_resistance": column_resistance})]


def read_uses(model, activity, column_resistance) -> list[Use]:
    """The uses of one read per input vector (``activity``: (n,) fraction of rows active;
    ``column_resistance``: (n, n_columns) ohm); see the module docstring."""
    spec, macro = model.spec, model.macro
    act = np.asarray(activity, dtype=float)
    res = np.atleast_2d(np.asarray(column_resistance, dtype=float))
    rows, n_mux, ncps = spec.num_row, spec.num_col_muxed, spec.cells_per_synapse
    groups = spec.synapses_per_mux
    active = rows * act
    uses: list[Use] = []
    if spec.sram and not spec.parallel:
        reads = active  # one read of every column per active row
        per_read = spec.num_col // ncps
        uses += [Use("wl_decoder", "read", active), Use("array", "activate_row", active),
                 Use("precharger", "precharge", reads), Use("sense_amp", "sense", reads)]
        uses += _accumulation(macro, reads, per_read, per_read * (math.ceil(math.log2(rows)) / 2 + 1))
        return uses + _shift_adds(macro, ncps - 1, 1)

    if n_mux > 1:
        uses += [Use("column_mux", "read", n_mux), Use("column_mux_decoder", "read", n_mux)]
    groups_shift = _shift_adds(macro, (ncps - 1) * groups, groups)
    if spec.parallel:
        n_add, num_adc = spec.num_add, spec.num_adc
        driver = "wl_new_switch_matrix" if macro.has("wl_new_switch_matrix") else "wl_switch_matrix"
        uses += [Use(driver, "read", n_mux, data={"activity_row_read": act}), Use(driver, "scan", n_mux),
                 Use("array", "activate_row", active * n_mux)]
        uses += _conversions(macro, n_add, res)
        bits = num_adc * (math.log2(spec.level_output) + math.ceil(math.log2(n_add)) / 2)
        uses += _accumulation(macro, n_mux * (n_add - 1), num_adc, bits)
        return uses + groups_shift

    # eNVM, one row at a time
    row_reads = active * n_mux
    driver = "wl_new_decoder_driver" if macro.has("wl_new_decoder_driver") else "wl_decoder_driver"
    uses += [Use("wl_decoder", "read", row_reads), Use(driver, "read", row_reads),
             Use("array", "activate_row", row_reads)]
    idle = active == 0  # no conversion at all (the reference's 0/0 column would give NaN)
    uses += _conversions(macro, active, np.where(idle[:, np.newaxis], np.inf, res) if idle.any() else res)
    per_group = math.ceil(spec.num_col / n_mux)
    uses += _accumulation(macro, n_mux * active, per_group,
                          per_group * (math.ceil(math.log2(rows)) / 2 + spec.cell_bit))
    return uses + groups_shift


def read_energy(model, column_resistance, activity):
    """(total, adc, accumulation, other, array) read energy per vector (J), NeuroSim's split:
    its "ADC" energy is the ADC bucket plus the synaptic array's."""
    res = np.atleast_2d(np.asarray(column_resistance, dtype=float))
    act = np.broadcast_to(np.asarray(activity, dtype=float), (res.shape[0],))
    e = energy(model.macro, read_uses(model, act, res))
    n = res.shape[0]

    def vec(x):
        return np.broadcast_to(np.asarray(x, dtype=float), (n,)).copy()
    return vec(e.total), vec(e.adc + e.array), vec(e.accumulation), vec(e.other), vec(e.array)
