"""Numba kernels for the per-input-vector read model of one subarray, batched over all vectors.

Model: NeuroSim V1.4 ProcessingUnit.cpp ``GetInputVector`` (row activity of one input
bit-vector) and ``GetColumnResistance`` (equivalent resistance of every column for that
vector).  The reference calls them once per input bit-vector; here one call evaluates every
vector of a subarray, with the same arithmetic in the same order (so results are bit-identical
to the reference's), returning arrays with a leading vector axis.

Inputs are plain arrays:

* ``input_bits``: uint8 (rows, n_vectors), 1 = row activated by that input bit-vector
  (a row slice of `traces.input_bit_matrix`); an entry counts as activated when it equals 1
  (``GetColumnResistance``) / is non-zero (``GetInputVector``), as in the model.
* ``cell_codes``: uint8 (rows, n_columns) cell codes (`traces.weight_cell_codes` slice) and
  ``conductance``: float64 look-up table code -> conductance (`traces.conductance_lut`).

Column model (per column j, over the subarray's rows i = 0..rows-1 activated by the vector):

* RRAM: ``g_ij = 1/(1/G_ij + (j+1)*R_wire_row + (rows-i)*R_wire_col + R_access)`` (R_access
  only with a CMOS access transistor); FeFET: the same without R_access;
* SRAM: ``g = 1/(res_cell_access + R_wire_col)`` for every activated cell (weights do not matter);
* column conductance ``G_j = sum of g over activated rows``; eNVM divides it by ``num_add``
  (parallel read: ``ceil(numRowSubArray/numRowParallel)`` in C integer division) or by the
  number of activated rows (sequential read); resistance = 1/G_j.

A column with no activated row has conductance 0 and resistance ``inf`` (as the reference
gives in parallel read and for SRAM).  Deviation, documented: the reference divides 0 by 0 for
eNVM sequential read on an all-zero vector (NaN, later an infinite clock period); we return
``inf`` there too (an open column), a finite-safe value for the periphery models.
"""
from __future__ import annotations

import numpy as np
from numba import njit


from .circuits.adc import conversion_energy
from .constants import CellAccessType, MemCellType
from .traces import conductance_lut

__all__ = [
    "active_row_counts",
    "activity_row_read",
    "average_column_resistance",
    "column_resistance",
    "envm_column_energy_sums",
    "num_add_parallel",
    "sram_resistance_by_count",
    "subarray_read_inputs",
]

_SRAM = int(MemCellType.SRAM)
_RRAM = int(MemCellType.RRAM)
_FEFET = int(MemCellType.FeFET)


@njit(cache=True)
def activity_row_read(input_bits, num_row_subarray):
    """(n_vectors,) fraction of activated rows: #non-zero entries / num_row_subarray.

    The denominator is the subarray's row count (``param->numRowSubArray``), not the number of
    rows of the slice, as in the model.
    """
    rows, n_vectors = input_bits.shape
    counts = np.zeros(n_vectors, dtype=np.float64)
    for i in range(rows):
        for k in range(n_vectors):
            if input_bits[i, k] != 0:
                counts[k] += 1.0
    return counts / float(num_row_subarray)


@njit(cache=True)
def active_row_counts(input_bits):
    """(n_vectors,) int64 number of rows each input bit-vector activates (entries equal to 1)."""
    rows, n_vectors = input_bits.shape
    counts = np.zeros(n_vectors, dtype=np.int64)
    for i in range(rows):
        for k in range(n_vectors):
            if input_bits[i, k] == 1:
                counts[k] += 1
    return counts


@njit(cache=True, error_model="numpy")
def sram_resistance_by_count(num_rows, res_cell_access, wire_resistance_col):
    """(num_rows + 1,) SRAM column resistance (ohm) with n = 0..num_rows active rows.

    The model adds the cell conductance once per active row (in that order, so the sums are
    bit-identical to its loop); no active row gives an open column (``inf``).
    """
    g_cell = 1.0 / (res_cell_access + wire_resistance_col)
    running = np.zeros(num_rows + 1, dtype=np.float64)
    for n in range(1, num_rows + 1):
        running[n] = running[n - 1] + g_cell
    return 1.0 / running


@njit(cache=True)
def _envm_cell_conductance(cell_codes, conductance, wire_resistance_row, wire_resistance_col,
                           resistance_access):
    """g_ij of every cell including its wire (and access) resistance, in the model's order."""
    rows, cols = cell_codes.shape
    g = np.empty((rows, cols), dtype=np.float64)
    for i in range(rows):
        for j in range(cols):
            total = (1.0 / conductance[cell_codes[i, j]] + (j + 1) * wire_resistance_row
                     + float(rows - i) * wire_resistance_col + resistance_access)
            g[i, j] = 1.0 / total
    return g


@njit(cache=True)
def _column_conductance(bits, g, column_g):
    """Sum into ``column_g`` the cell conductances ``g[i, :]`` of the rows i that ``bits`` (one input
    bit-vector, length rows) activates, row by row as the model adds them; returns the active-row count."""
    column_g[:] = 0.0
    n_active = 0
    for i in range(bits.shape[0]):
        if bits[i] == 1:
            n_active += 1
            for j in range(column_g.shape[0]):
                column_g[j] += g[i, j]
    return n_active


@njit(cache=True, error_model="numpy")
def column_resistance(input_bits, cell_codes, conductance, mem_cell_type, parallel_read,
                      res_cell_access, wire_resistance_row, wire_resistance_col,
                      resistance_access, num_add):
    """(n_vectors, n_columns) column resistance (ohm) for every input vector of a subarray.

    ``mem_cell_type``: int(MemCellType); ``resistance_access``: the 1T1R access resistance for
    RRAM with CMOS access, else 0.0 (FeFET never adds it); ``res_cell_access``: the SRAM cell's
    access resistance (``SubArray.resCellAccess``); ``num_add``: see `num_add_parallel`.
    """
    rows, n_vectors = input_bits.shape
    cols = cell_codes.shape[1]
    out = np.empty((n_vectors, cols), dtype=np.float64)
    if mem_cell_type == _SRAM:
        by_count = sram_resistance_by_count(rows, res_cell_access, wire_resistance_col)
        counts = active_row_counts(input_bits)
        for k in range(n_vectors):
            r = by_count[counts[k]]
            for j in range(cols):
                out[k, j] = r
        return out

    access = resistance_access if mem_cell_type == _RRAM else 0.0
    g = _envm_cell_conductance(cell_codes, conductance, wire_resistance_row, wire_resistance_col, access)
    column_g = np.empty(cols, dtype=np.float64)
    for k in range(n_vectors):
        n_active = _column_conductance(input_bits[:, k], g, column_g)
        if parallel_read:
            for j in range(cols):
                out[k, j] = 1.0 / (column_g[j] / float(num_add))
        elif n_active == 0:
            for j in range(cols):
                out[k, j] = np.inf
        else:
            for j in range(cols):
                out[k, j] = 1.0 / (column_g[j] / float(n_active))
    return out


@njit(cache=True, error_model="numpy")
def _envm_energy_sums(bits_t, g, parallel_read, num_add, x_scale, breaks, kinds, ca, cb, cc, mult, temp_factor,
                      open_power, add, time, clip):
    n_vectors = bits_t.shape[0]
    cols = g.shape[1]
    out = np.zeros(n_vectors, dtype=np.float64)
    open_total = 0.0  # a vector with no active row: every column open (1/(0/n) = inf in both modes)
    for j in range(cols):
        open_total += conversion_energy(np.inf, x_scale, breaks, kinds, ca, cb, cc, mult, temp_factor, open_power,
                                        add, time, clip)
    column_g = np.empty(cols, dtype=np.float64)
    for k in range(n_vectors):
        n_active = _column_conductance(bits_t[k], g, column_g)
        if n_active == 0:
            out[k] = open_total
            continue
        total = 0.0
        divisor = float(num_add) if parallel_read else float(n_active)
        for j in range(cols):
            total += conversion_energy(1.0 / (column_g[j] / divisor), x_scale, breaks, kinds, ca, cb, cc, mult,
                                       temp_factor, open_power, add, time, clip)
        out[k] = total
    return out


def envm_column_energy_sums(input_bits: np.ndarray, cell_codes: np.ndarray, p, cell, energy_args: tuple) -> np.ndarray:
    """(n_vectors,) the ADC's column-energy sum of every input vector of an eNVM subarray, fused:
    `column_resistance` and `circuits.adc.conversion_energy` (``energy_args``: the ADC's
    `SubArray.adc_energy_kernel_args`) without the (n_vectors, n_columns) resistance array.  Same
    arithmetic, in the same order, as the two-step form.  (Numba ``parallel`` was tried: on a
    shared 2-core machine its threads oversubscribe and it is several times slower.)"""
    bits_t = np.ascontiguousarray(np.asarray(input_bits, dtype=np.uint8).T)
    codes = np.ascontiguousarray(cell_codes, dtype=np.uint8)
    lut = conductance_lut(p.cell_bit, p.max_conductance, p.min_conductance)
    access = (float(cell.resistance_access) if cell.mem_cell_type == MemCellType.RRAM
              and cell.access_type == CellAccessType.CMOS_access else 0.0)
    g = _envm_cell_conductance(codes, lut, float(p.wire_resistance_row), float(p.wire_resistance_col), access)
    return _envm_energy_sums(bits_t, g, bool(p.parallel_read), num_add_parallel(p.num_row_subarray, p.num_row_parallel),
                             *energy_args)


def num_add_parallel(num_row_subarray: int, num_row_parallel: int) -> int:
    """``ceil(numRowSubArray/numRowParallel)`` as the model evaluates it (C int division first)."""
    return num_row_subarray // num_row_parallel


def subarray_read_inputs(input_bits: np.ndarray, cell_codes: np.ndarray, p, cell,
                         res_cell_access: float) -> tuple[np.ndarray, np.ndarray]:
    """(activity_row_read (n_vectors,), column_resistance (n_vectors, n_columns)) of one subarray.

    ``p``: Params, ``cell``: MemCell, ``res_cell_access``: the subarray's ``res_cell_access``.
    """
    bits = np.ascontiguousarray(input_bits, dtype=np.uint8)
    codes = np.ascontiguousarray(cell_codes, dtype=np.uint8)
    activity = activity_row_read(bits, p.num_row_subarray)
    lut = conductance_lut(p.cell_bit, p.max_conductance, p.min_conductance)
    cmos = cell.access_type == CellAccessType.CMOS_access
    resistance = column_resistance(
        bits, codes, lut, int(cell.mem_cell_type), bool(p.parallel_read), float(res_cell_access),
        float(p.wire_resistance_row), float(p.wire_resistance_col),
        float(cell.resistance_access) if cmos else 0.0,
        num_add_parallel(p.num_row_subarray, p.num_row_parallel))
    return activity, resistance



def average_column_resistance(n_active: int, num_cols: int, cell_level: float, p, cell) -> np.ndarray:
    """(1, num_cols) eNVM column resistance (ohm) of an input vector with ``n_active`` active rows
    when every cell sits at the mean conductance level ``cell_level`` (0 = G_min .. 1 = G_max):
    the pseudo-trace / average activity modes (DNN+NeuroSim, IEDM'19 Fig. 7).  As the real-trace
    model, with the cell's access resistance (1T1R RRAM) but without the per-position wire
    resistance (the modes assume no particular placement); no active row is an open column.
    """
    g_cell = p.min_conductance + cell_level * (p.max_conductance - p.min_conductance)
    series = 1.0 / g_cell
    if cell.mem_cell_type == MemCellType.RRAM and cell.access_type == CellAccessType.CMOS_access:
        series += float(cell.resistance_access)
    g = 1.0 / series
    if n_active == 0:
        r = np.inf
    elif p.parallel_read:
        r = 1.0 / (n_active * g / float(num_add_parallel(p.num_row_subarray, p.num_row_parallel)))
    else:
        r = 1.0 / g
    return np.full((1, num_cols), r)
