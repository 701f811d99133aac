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

import math

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
    counts = np.zeros(n_vectors, dtype=np.int32)  # branch-free int32 sums vectorise (exact: rows < 2^31)
    for i in range(rows):
        row = input_bits[i]
        for k in range(n_vectors):
            counts[k] += np.int32(row[k] != 0)
    return counts.astype(np.float64) / float(num_row_subarray)


@njit(cache=True)
def active_row_counts(input_bits):
    """(n_vectors,) int64 number of rows each input bit-vector activates (entries equal to 1)."""
    rows, n_vectors = input_bits.shape
    counts = np.zeros(n_vectors, dtype=np.int32)  # branch-free int32 sums vectorise (exact: rows < 2^31)
    for i in range(rows):
        row = input_bits[i]
        for k in range(n_vectors):
            counts[k] += np.int32(row[k] == 1)
    return counts.astype(np.int64)


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


# --- fused eNVM column energy ------------------------------------------------------------------
# The ADC energy fits are piecewise in x = R * x_scale (R = divisor / G, G: column conductance).  On a
# linear segment a column's energy is time * (alpha x + beta), on a logarithmic one time * (alpha ln x +
# beta), clipped at 0 beyond the segment's clip point.  So the columns of one vector that fall on
# segment s, clear of its ends and clip point, add time * (alpha_s * S_s + n_s beta_s) with S_s the sum
# of their x (linear) or of ln x, taken as the log of products of 16 (logarithmic): a few logarithms per
# vector instead of one per column.  Columns within a relative _BAND of a segment end or clip point,
# open columns, and power-law segments are evaluated one by one with `conversion_energy`.  The result
# equals the column-by-column sum to rounding (~1e-15 relative; tests/core/test_kernels.py).
_SEG_EXACT, _SEG_LOG, _SEG_LIN = 0, 1, 2
_BAND = 1e-9
_X_LO, _X_HI = 2.0 ** -60, 2.0 ** 60  # the product of 16 such values stays a normal double
_G_LO, _G_HI = 2.0 ** -30, 2.0 ** 30  # ... and of 32 such conductances


@njit(cache=True)
def _affine_segments(breaks, kinds, ca, cb, mult, temp_factor, add, clip):
    """Per fit segment: (form, lo, hi, alpha, beta, clip_lo, clip_hi, clipped_low): energy / time =
    alpha * u + beta with u = ln x (form _SEG_LOG) or x (_SEG_LIN) for x safely inside (lo, hi);
    _SEG_EXACT: column by column.  With ``clip``, x in [clip_lo, clip_hi] is too close to the clip
    point to classify, and the clipped side (energy 0) is below clip_lo when ``clipped_low``, else
    above clip_hi."""
    n = kinds.shape[0]
    form = np.zeros(n, dtype=np.int64)
    lo = np.empty(n)
    hi = np.empty(n)
    alpha = np.zeros(n)
    beta = np.zeros(n)
    clip_lo = np.full(n, np.inf)  # no clip point: nothing is near it, nothing is clipped
    clip_hi = np.full(n, np.inf)
    clipped_low = np.zeros(n, dtype=np.bool_)
    for s in range(n):
        lo[s] = max(breaks[s - 1] if s > 0 else 0.0, _X_LO) * (1.0 + _BAND)
        hi[s] = min(breaks[s] if s < breaks.shape[0] else np.inf, _X_HI) * (1.0 - _BAND)
        a = ca[s] * mult * temp_factor
        b = cb[s] * mult * temp_factor + add
        if kinds[s] == 0:
            f = _SEG_LOG
        elif kinds[s] == 1:
            f = _SEG_LIN
        else:
            continue
        if a == 0.0 or not np.isfinite(a) or not np.isfinite(b):
            continue  # flat or degenerate: column by column
        form[s] = f
        alpha[s] = a
        beta[s] = b
        if clip:  # alpha u + beta = 0 at u = -beta / alpha; energy < 0 on the side where alpha u < -beta
            u0 = -b / a
            x0 = math.exp(u0) if f == _SEG_LOG else u0
            if x0 > 0.0:  # (x0 = inf: never reached)
                clip_lo[s] = x0 * (1.0 - _BAND)
                clip_hi[s] = x0 * (1.0 + _BAND)
            else:  # at or below 0: no column is near it (x >= lo > _X_LO)
                clip_lo[s] = x0 * (1.0 + _BAND) - _X_LO
                clip_hi[s] = x0 * (1.0 - _BAND) + _X_LO
            clipped_low[s] = a > 0.0
    return form, lo, hi, alpha, beta, clip_lo, clip_hi, clipped_low


@njit(cache=True, fastmath={"nnan", "ninf", "nsz", "reassoc"})
def _min_max(values):
    """(min, max) of finite, non-NaN values (column conductances), in SIMD lanes."""
    lo = values[0]
    hi = values[0]
    for j in range(1, values.shape[0]):
        v = values[j]
        lo = min(lo, v)
        hi = max(hi, v)
    return lo, hi


@njit(cache=True)
def _segment_of(x, breaks):
    s = 0
    while s < breaks.shape[0] and breaks[s] <= x:
        s += 1
    return s


@njit(cache=True)
def _clear_of_clip(x_min, x_max, s, clip_lo, clip_hi, clipped_low):
    """[x_min, x_max] lies wholly on the unclipped side of segment s's clip point (and off its band)."""
    return x_max < clip_lo[s] if not clipped_low[s] else x_min > clip_hi[s]


@njit(cache=True, error_model="numpy")
def _columns_energy_each(column_g, divisor, x_scale, breaks, kinds, ca, cb, cc, mult, temp_factor, open_power,
                         add, time, clip, seg):
    """Sum over the columns of `conversion_energy` for one vector whose columns are not all on one or
    two adjacent affine segments: each column classified; those safely on an affine segment are
    aggregated per segment, the others evaluated one by one."""
    form, lo, hi, alpha, beta, clip_lo, clip_hi, clipped_low = seg
    n_seg = form.shape[0]
    sums = np.zeros(n_seg)
    prods = np.ones(n_seg)
    counts = np.zeros(n_seg, dtype=np.int64)
    c = x_scale * divisor
    total = 0.0
    for j in range(column_g.shape[0]):
        gj = column_g[j]
        x = c / gj
        s = _segment_of(x, breaks)
        f = form[s]
        if f != _SEG_EXACT and lo[s] < x < hi[s] and not clip_lo[s] <= x <= clip_hi[s]:
            if (x < clip_lo[s]) == clipped_low[s]:
                continue  # clipped: the column adds exactly 0
            counts[s] += 1
            if f == _SEG_LIN:
                sums[s] += x
            else:
                prods[s] *= x
                if counts[s] % 16 == 0:
                    sums[s] += math.log(prods[s])
                    prods[s] = 1.0
            continue
        total += conversion_energy(1.0 / (gj / divisor), x_scale, breaks, kinds, ca, cb, cc, mult, temp_factor,
                                   open_power, add, time, clip)
    for s in range(n_seg):
        if counts[s]:
            if form[s] == _SEG_LOG:
                sums[s] += math.log(prods[s])
            total += time * (alpha[s] * sums[s] + counts[s] * beta[s])
    return total


@njit(cache=True, error_model="numpy", fastmath={"reassoc", "nsz"})
def _envm_energy_sums(bits_t, g, parallel_read, num_add, x_scale, breaks, kinds, ca, cb, cc, mult, temp_factor,
                      open_power, add, time, clip):
    """(n_vectors,) sum over the columns of `conversion_energy` of every input vector (rows of
    ``bits_t``) of a subarray with cell conductances ``g``.  ``fastmath`` reassociation: the column
    sums add active rows four at a time, the per-segment sums and products run in SIMD lanes; the
    rounding differs from the row-by-row, column-by-column order by ~1e-15 relative."""
    n_vectors, rows = bits_t.shape
    cols = g.shape[1]
    out = np.zeros(n_vectors, dtype=np.float64)
    open_total = 0.0  # a vector with no active row: every column open (1/(0/n) = inf in both modes)
    for j in range(cols):
        open_total += conversion_energy(np.inf, x_scale, breaks, kinds, ca, cb, cc, mult, temp_factor, open_power,
                                        add, time, clip)
    seg = _affine_segments(breaks, kinds, ca, cb, mult, temp_factor, add, clip)
    form, lo, hi, alpha, beta, clip_lo, clip_hi, clipped_low = seg
    aggregate = x_scale > 0.0 and time > 0.0 and x_scale < np.inf and time < np.inf
    column_g = np.empty(cols, dtype=np.float64)
    active = np.empty(rows, dtype=np.int64)
    for k in range(n_vectors):
        # column conductances: the active rows (gathered branch-free: input bits are near random),
        # added four at a time
        n_active = 0
        for i in range(rows):
            active[n_active] = i
            n_active += bits_t[k, i] == 1
        if n_active == 0:
            out[k] = open_total
            continue
        column_g[:] = 0.0
        t = 0
        while t + 4 <= n_active:
            r1 = g[active[t]]
            r2 = g[active[t + 1]]
            r3 = g[active[t + 2]]
            r4 = g[active[t + 3]]
            for j in range(cols):
                column_g[j] += (r1[j] + r2[j]) + (r3[j] + r4[j])
            t += 4
        while t < n_active:
            r1 = g[active[t]]
            for j in range(cols):
                column_g[j] += r1[j]
            t += 1
        divisor = float(num_add) if parallel_read else float(n_active)
        if not aggregate:
            total = 0.0
            for j in range(cols):
                total += conversion_energy(1.0 / (column_g[j] / divisor), x_scale, breaks, kinds, ca, cb, cc, mult,
                                           temp_factor, open_power, add, time, clip)
            out[k] = total
            continue
        # common case: the columns span one affine segment or two adjacent ones, clear of the
        # segments' outer ends and clip points (columns near the break between them: checked below)
        c = x_scale * divisor
        g_min, g_max = _min_max(column_g)
        if _G_LO < g_min and g_max < _G_HI:
            x_min = c / g_max
            x_max = c / g_min
            s_lo = _segment_of(x_min, breaks)
            s_hi = _segment_of(x_max, breaks)
            if (s_hi - s_lo <= 1 and form[s_lo] != _SEG_EXACT and form[s_hi] != _SEG_EXACT
                    and lo[s_lo] < x_min and x_max < hi[s_hi]
                    and _clear_of_clip(x_min, x_max, s_lo, clip_lo, clip_hi, clipped_low)
                    and _clear_of_clip(x_min, x_max, s_hi, clip_lo, clip_hi, clipped_low)):
                two = s_hi != s_lo
                g_break = c / breaks[s_lo] if two else 0.0  # G <= g_break: x >= the break, segment s_hi
                g_band = _BAND * g_break if two else -1.0
                log_all = 0.0
                log_hi = 0.0
                n_hi = 0.0
                near = 0.0
                for j0 in range(0, cols, 32):  # products of 32 values in [2^-30, 2^30]
                    j1 = min(j0 + 32, cols)
                    p_all = 1.0
                    if two:
                        p_hi = 1.0
                        for j in range(j0, j1):
                            gj = column_g[j]
                            up = 1.0 if gj <= g_break else 0.0
                            p_all *= gj
                            p_hi *= gj * up + (1.0 - up)  # exact: gj or 1
                            n_hi += up
                            near += 1.0 if abs(gj - g_break) <= g_band else 0.0
                        log_hi += math.log(p_hi)
                    else:
                        for j in range(j0, j1):
                            p_all *= column_g[j]
                    log_all += math.log(p_all)
                if near == 0.0:
                    inv_lo = 0.0
                    inv_hi = 0.0
                    if form[s_lo] == _SEG_LIN or form[s_hi] == _SEG_LIN:  # sum of x = c * sum 1/G
                        for j in range(cols):
                            gj = column_g[j]
                            up = 1.0 if gj <= g_break else 0.0
                            inv_hi += up / gj
                            inv_lo += (1.0 - up) / gj
                    n_hi_i = int(n_hi)
                    n_lo_i = cols - n_hi_i
                    log_c = math.log(c)
                    total = 0.0
                    if n_lo_i:  # energy / time = alpha * sum of u + n beta, u = ln x (log) or x (lin)
                        u = n_lo_i * log_c - (log_all - log_hi) if form[s_lo] == _SEG_LOG else c * inv_lo
                        total += time * (alpha[s_lo] * u + n_lo_i * beta[s_lo])
                    if n_hi_i:
                        u = n_hi_i * log_c - log_hi if form[s_hi] == _SEG_LOG else c * inv_hi
                        total += time * (alpha[s_hi] * u + n_hi_i * beta[s_hi])
                    out[k] = total
                    continue
        out[k] = _columns_energy_each(column_g, divisor, x_scale, breaks, kinds, ca, cb, cc, mult, temp_factor,
                                      open_power, add, time, clip, seg)
    return out


@njit(cache=True)
def _cell_conductance_table(conductance, rows, cols, wire_resistance_row, wire_resistance_col, resistance_access):
    """(levels, rows, cols): `_envm_cell_conductance` of a cell of every level at every position (the
    same arithmetic), so that a subarray's cell conductances are a gather."""
    table = np.empty((conductance.shape[0], rows, cols), dtype=np.float64)
    for level in range(conductance.shape[0]):
        for i in range(rows):
            for j in range(cols):
                total = (1.0 / conductance[level] + (j + 1) * wire_resistance_row
                         + float(rows - i) * wire_resistance_col + resistance_access)
                table[level, i, j] = 1.0 / total
    return table


@njit(cache=True)
def _gather_conductance(cell_codes, table):
    rows, cols = cell_codes.shape
    g = np.empty((rows, cols), dtype=np.float64)
    for i in range(rows):
        for j in range(cols):
            g[i, j] = table[cell_codes[i, j], i, j]
    return g


_TABLE_MAX_LEVELS = 16  # cell_bit <= 4: tabulate (a table of 16 x 128 x 128 doubles is 2 MB)
_TABLES: dict = {}


def _cell_conductance(codes: np.ndarray, p, access: float) -> np.ndarray:
    """`_envm_cell_conductance` of a subarray's cells; for cell_bit <= 4 gathered from a table
    cached per (levels, shape, wire and access resistances): thousands of subarrays share it."""
    key = (p.cell_bit, p.max_conductance, p.min_conductance, codes.shape, p.wire_resistance_row,
           p.wire_resistance_col, access)
    table = _TABLES.get(key)
    if table is None:
        lut = conductance_lut(p.cell_bit, p.max_conductance, p.min_conductance)
        wrr, wrc = float(p.wire_resistance_row), float(p.wire_resistance_col)
        if lut.shape[0] > _TABLE_MAX_LEVELS:
            return _envm_cell_conductance(codes, lut, wrr, wrc, access)
        if len(_TABLES) >= 32:
            _TABLES.clear()
        table = _TABLES[key] = _cell_conductance_table(lut, codes.shape[0], codes.shape[1], wrr, wrc, access)
    return _gather_conductance(codes, table)


def envm_column_energy_sums(input_bits: np.ndarray, cell_codes: np.ndarray, p, cell, energy_args: tuple) -> np.ndarray:
    """(n_vectors,) the ADC's column-energy sum of every input vector of an eNVM subarray, fused:
    `column_resistance` and `circuits.adc.conversion_energy` (``energy_args``: the ADC's
    `SubArray.adc_energy_kernel_args`) without the (n_vectors, n_columns) resistance array; equal
    to that column-by-column sum to rounding (~1e-15 relative).  (Numba ``parallel`` was tried: on a
    shared 2-core machine its threads oversubscribe and it is several times slower.)"""
    bits_t = np.asarray(input_bits, dtype=np.uint8).T
    if not bits_t.flags.c_contiguous:
        bits_t = np.ascontiguousarray(bits_t)
    codes = np.ascontiguousarray(cell_codes, dtype=np.uint8)
    access = (float(cell.resistance_access) if cell.mem_cell_type == MemCellType.RRAM
              and cell.access_type == CellAccessType.CMOS_access else 0.0)
    g = _cell_conductance(codes, p, access)
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
