"""Weight update (WU): the write workload of new vs old weights, and the cell/line write energies.

Model (DNN+NeuroSim V2 paper, TCAD 2021, Sec. III-C "weight update"; V2.1 manual): after a
training step every sub-array is rewritten row by row.  A cell whose conductance must move by at
least one device step ``dG_min = (G_max - G_min) / max(maxNumLevelLTP, maxNumLevelLTD)`` receives
``ceil(|dG| / dG_min)`` identical pulses; in one row all potentiating (SET, LTP) cells are pulsed
together and then all depressing (RESET, LTD) cells, so a row costs ``max SET pulses + max RESET
pulses`` pulse slots.  SRAM cells need one write per changed bit.

`write_workload` turns a layer's new and old conductance (or SRAM bit) matrices, cut into
sub-arrays, into per-sub-array counts (vectorised over all sub-arrays at once).  The energy of
those writes is a per-action cost of the cell and of the array's lines:

* RRAM cell: ``Vw^2 / R_avg * t_pulse`` per pulse with ``R_avg = (1/G_new + 1/G_old) / 2``;
* FeFET cell: polarisation switching, ``dPr * Vw * 2F^2`` with the remanent polarisation linear
  in conductance over ``[-Pr, +Pr]`` and erase-before-program (``dPr = |Pr_new + P| + |Pr_old + P|``);
* lines (1T1R): the selected word line at ``Vdd`` per pulse, bit/source lines at ``Vw`` for the
  selected (and, for RRAM, unselected) columns, and for FeFET the selected gates.

Reference defects kept under ``compat="neurosim_v21"`` (entries in ``neurosim_core.quirks``):
``v21_write_row_set_or_reset`` (a row with both SET and RESET cells counts only as a SET row in
the selected-row counts), ``v21_write_avg_cols_int_division`` (selected columns per row averaged
with integer division), ``v21_sram_weight_quotient`` (SRAM cell values are running quotients,
not base-2 digits, so the changed-bit test compares those), ``v21_fefet_pr_midpoint_int_division``
(the FeFET polarisation mid-level ``maxNumLevel/2`` in integer arithmetic).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np
from numba import njit

from .. import quirks

__all__ = ["WriteWorkload", "write_workload", "envm_conductance", "sram_cell_values", "array_write_energy",
           "subarray_blocks"]

CellKind = Literal["sram", "rram", "fefet"]


def envm_conductance(weights: np.ndarray, *, g_max: float, g_min: float) -> np.ndarray:
    """Linear weight -> conductance map of V2.1's training mode: ``(w+1)/2*(Gmax-Gmin)+Gmin``."""
    return (np.asarray(weights, dtype=np.float64) + 1) / 2 * (g_max - g_min) + g_min


def sram_cell_values(weights: np.ndarray, *, synapse_bits: int, compat: str) -> np.ndarray:
    """SRAM cell contents (rows, cols*synapse_bits), most significant cell first.

    ``v = int(2^sb/2*(w-1) + 2^sb +- 0.5)``; the consistent model stores its base-2 digits, V2.1
    stores the running quotients ``v >> (k+1)`` (quirk ``v21_sram_weight_quotient``).
    """
    full = 2.0 ** synapse_bits
    v = full / 2 * (np.asarray(weights, dtype=np.float64) - 1) + full
    v = np.trunc(np.where(v >= 0, v + 0.5, v - 0.5)).astype(np.int64)
    shifts = np.arange(synapse_bits, 0, -1) if quirks.applies("v21_sram_weight_quotient", compat) else \
        np.arange(synapse_bits - 1, -1, -1)
    cells = v[:, :, None] >> shifts
    if not quirks.applies("v21_sram_weight_quotient", compat):
        cells = cells & 1
    return cells.reshape(v.shape[0], -1)


@dataclass(frozen=True)
class WriteWorkload:
    """Per sub-array write counts (1-D arrays, one entry per sub-array, in the given order)."""

    rows: np.ndarray  # mapped rows of the sub-array
    cols: np.ndarray  # mapped columns of the sub-array
    set_pulses: np.ndarray  # sum over rows of the row's max SET pulse count (pulse slots)
    reset_pulses: np.ndarray  # same for RESET
    set_rows: np.ndarray  # rows selected for SET
    reset_rows: np.ndarray  # rows selected for RESET
    set_cols_avg: np.ndarray  # SET cells per selected SET row
    reset_cols_avg: np.ndarray  # RESET cells per selected RESET row
    written_cells: np.ndarray  # cells written at least once
    cell_energy_j: np.ndarray  # energy in the cells themselves (RRAM / FeFET models); 0 for SRAM

    @property
    def total_pulses(self) -> np.ndarray:
        return self.set_pulses + self.reset_pulses

    @property
    def activity_row_write(self) -> np.ndarray:
        return (self.set_rows + self.reset_rows) / 2.0 / self.rows

    @property
    def activity_col_write(self) -> np.ndarray:
        return (self.set_cols_avg + self.reset_cols_avg) / 2.0 / self.cols

    @property
    def pulses_avg(self) -> np.ndarray:
        """Pulses per selected row pair (V2.1 numWritePulseAVG, an int there)."""
        return np.trunc(self.total_pulses / np.maximum(1, (self.set_rows + self.reset_rows) / 2.0))


def subarray_blocks(num_rows: int, num_cols: int, sub_rows: int, sub_cols: int):
    """Plain tiling of a (num_rows, num_cols) matrix: (row order, row-block starts, col-block size)."""
    return np.arange(num_rows), np.arange(0, num_rows, sub_rows), sub_cols


@njit(cache=True, nogil=True)
def _row_stats(new, old, order, sub_cols, n_cb, mode, dg_min, rram_k, mid, scale, pol, fefet_k, mapped, g_range, g_low):
    """Per (row, column block): max SET / RESET pulses, SET / RESET cell counts, written cells, cell energy.

    mode 0: SRAM (a changed value is one write); 1: RRAM (V^2/R_avg*t per pulse); 2: FeFET
    (polarisation switching, erase before program)."""
    n_rows = order.shape[0]
    n_cols = new.shape[1]
    set_max = np.zeros((n_rows, n_cb))
    reset_max = np.zeros((n_rows, n_cb))
    n_set = np.zeros((n_rows, n_cb))
    n_reset = np.zeros((n_rows, n_cb))
    n_written = np.zeros((n_rows, n_cb))
    cell_e = np.zeros((n_rows, n_cb))
    for r in range(n_rows):
        src = order[r]
        for c in range(n_cols):
            gn = new[src, c]
            go = old[src, c]
            if mapped:  # V2.1's linear weight -> conductance map, in its evaluation order
                gn = (gn + 1) / 2 * g_range + g_low
                go = (go + 1) / 2 * g_range + g_low
            d = gn - go
            b = c // sub_cols
            if mode == 0:
                if d == 0.0:
                    continue
                p = 1.0
            else:
                mag = abs(d)
                if mag < dg_min:
                    continue
                p = math.ceil(mag / dg_min)
                if mode == 1:
                    if gn > 0.0 and go > 0.0:  # an open (0 S) cell draws no write current
                        cell_e[r, b] += rram_k / (abs(1.0 / gn + 1.0 / go) / 2.0) * p
                else:
                    pr_new = (gn / dg_min - mid) * scale
                    pr_old = (go / dg_min - mid) * scale
                    cell_e[r, b] += (abs(pr_new + pol) + abs(pr_old + pol)) * fefet_k
            n_written[r, b] += 1.0
            if d > 0:
                n_set[r, b] += 1.0
                if p > set_max[r, b]:
                    set_max[r, b] = p
            else:
                n_reset[r, b] += 1.0
                if p > reset_max[r, b]:
                    reset_max[r, b] = p
    return set_max, reset_max, n_set, n_reset, n_written, cell_e


@njit(cache=True, nogil=True)
def _sram_row_stats(new, old, sub_cols, n_cb, synapse_bits, quotient):
    """`_row_stats` of SRAM straight from the weights: each weight's cell values (`sram_cell_values`,
    most significant cell first, column ``c * synapse_bits + k``) are formed on the fly, so no
    (rows, cols * synapse_bits) matrices are built.  A changed cell is one write (one pulse)."""
    n_rows, n_cols = new.shape
    set_max = np.zeros((n_rows, n_cb))
    reset_max = np.zeros((n_rows, n_cb))
    n_set = np.zeros((n_rows, n_cb))
    n_reset = np.zeros((n_rows, n_cb))
    n_written = np.zeros((n_rows, n_cb))
    full = 2.0 ** synapse_bits
    for r in range(n_rows):
        for c in range(n_cols):
            vn = full / 2 * (new[r, c] - 1) + full
            vo = full / 2 * (old[r, c] - 1) + full
            vn_i = np.int64(math.trunc(vn + 0.5 if vn >= 0 else vn - 0.5))
            vo_i = np.int64(math.trunc(vo + 0.5 if vo >= 0 else vo - 0.5))
            if vn_i == vo_i:
                continue
            for k in range(synapse_bits):
                shift = synapse_bits - k if quotient else synapse_bits - 1 - k
                cn = vn_i >> shift
                co = vo_i >> shift
                if not quotient:
                    cn &= 1
                    co &= 1
                if cn == co:
                    continue
                b = (c * synapse_bits + k) // sub_cols
                n_written[r, b] += 1.0
                if cn > co:
                    n_set[r, b] += 1.0
                    set_max[r, b] = 1.0
                else:
                    n_reset[r, b] += 1.0
                    reset_max[r, b] = 1.0
    return set_max, reset_max, n_set, n_reset, n_written, np.zeros((n_rows, n_cb))


def write_workload(new: np.ndarray, old: np.ndarray, *, cell: CellKind, row_order: np.ndarray,
                   row_block_starts: Sequence[int], sub_cols: int, g_max: float = 0.0, g_min: float = 0.0,
                   max_levels: int = 1, write_voltage: float = 0.0, write_pulse_width: float = 0.0,
                   polarization_uc_cm2: float = 0.0, feature_size_m: float = 0.0,
                   compat: str = "corrected", weights: bool = False, synapse_bits: int = 1) -> WriteWorkload:
    """Write counts of every sub-array of one layer.

    ``new`` / ``old``: conductances (eNVM, S) or SRAM cell values, shape (rows, cols).  The
    sub-arrays are the row blocks of ``new[row_order]`` starting at ``row_block_starts`` times the
    column blocks of width ``sub_cols``; the result is ordered row block major.  ``weights=True``:
    ``new`` / ``old`` are weights in [-1, 1], mapped on the fly (eNVM: `envm_conductance`; SRAM:
    the ``synapse_bits`` cell values of `sram_cell_values`, in natural row order).
    """
    new = np.asarray(new, dtype=np.float64)
    old = np.asarray(old, dtype=np.float64)
    order = np.asarray(row_order, dtype=np.int64)
    sram_weights = weights and cell == "sram"
    n_rows, n_cols = len(order), new.shape[1] * (synapse_bits if sram_weights else 1)
    n_cb = max(1, math.ceil(n_cols / sub_cols))
    mode = {"sram": 0, "rram": 1, "fefet": 2}[cell]
    dg_min = (g_max - g_min) / max_levels if mode else 1.0
    mid = (max_levels // 2 if quirks.applies("v21_fefet_pr_midpoint_int_division", compat) else max_levels / 2)
    scale = polarization_uc_cm2 * 2 / max_levels
    fefet_k = 0.01 * write_voltage * 2 * feature_size_m ** 2  # 1 uC/cm^2 = 0.01 C/m^2, cell area 2F^2
    if sram_weights:
        if not np.array_equal(order, np.arange(new.shape[0])):
            raise ValueError("SRAM weights are evaluated in natural row order only")
        set_max, reset_max, n_set, n_reset, n_written, cell_e = _sram_row_stats(
            new, old, sub_cols, n_cb, synapse_bits, quirks.applies("v21_sram_weight_quotient", compat))
    else:
        set_max, reset_max, n_set, n_reset, n_written, cell_e = _row_stats(
            new, old, order, sub_cols, n_cb, mode, dg_min, write_voltage ** 2 * write_pulse_width, float(mid), scale,
            polarization_uc_cm2, fefet_k, bool(weights and mode), g_max - g_min, g_min)
    row_set = n_set > 0
    row_reset = n_reset > 0
    if quirks.applies("v21_write_row_set_or_reset", compat):
        row_reset = row_reset & ~row_set
    starts = np.asarray(row_block_starts, dtype=np.intp)

    def red(a):  # (rows, col blocks) -> one value per sub-array, row-block major
        return np.add.reduceat(np.asarray(a, dtype=np.float64), starts, axis=0).reshape(-1)

    rows_per_block = np.diff(np.append(starts, n_rows))
    col_sizes = np.minimum(sub_cols, n_cols - sub_cols * np.arange(n_cb))
    rows_arr = np.repeat(rows_per_block, n_cb).astype(np.float64)
    cols_arr = np.tile(col_sizes, len(starts)).astype(np.float64)
    set_rows, reset_rows = red(row_set), red(row_reset)
    set_cells, reset_cells = red(n_set), red(n_reset)
    with np.errstate(divide="ignore", invalid="ignore"):
        if quirks.applies("v21_write_avg_cols_int_division", compat):
            set_avg = np.where(set_rows > 0, np.floor(set_cells / np.maximum(set_rows, 1)), 0.0)
            reset_avg = np.where(reset_rows > 0, np.floor(reset_cells / np.maximum(reset_rows, 1)), 0.0)
        else:
            set_avg = np.where(set_rows > 0, set_cells / np.maximum(set_rows, 1), 0.0)
            reset_avg = np.where(reset_rows > 0, reset_cells / np.maximum(reset_rows, 1), 0.0)
    return WriteWorkload(rows=rows_arr, cols=cols_arr, set_pulses=red(set_max), reset_pulses=red(reset_max),
                         set_rows=set_rows, reset_rows=reset_rows, set_cols_avg=set_avg, reset_cols_avg=reset_avg,
                         written_cells=red(n_written), cell_energy_j=red(cell_e))


def array_write_energy(w: WriteWorkload, *, cell: CellKind, cap_row1: float, cap_row2: float, cap_col: float,
                       vdd: float, write_voltage: float, gate_cap_fefet: float = 0.0) -> np.ndarray:
    """Energy (J) per sub-array of the array writes: cells + word/bit/source-line switching (1T1R)."""
    vw2 = write_voltage ** 2
    e = w.cell_energy_j + cap_row2 * vdd ** 2 * (w.set_pulses + w.reset_pulses)  # selected WL per pulse
    if cell == "fefet":
        e = e + (cap_col + gate_cap_fefet * w.set_rows) * vw2 * w.set_cols_avg * w.set_pulses
        e = e + (cap_col + gate_cap_fefet * w.reset_rows) * vw2 * w.reset_cols_avg * w.reset_pulses
    elif cell == "rram":
        unsel_set = np.where(w.cols >= w.set_cols_avg, w.cols - w.set_cols_avg, w.cols)
        unsel_reset = np.where(w.cols >= w.reset_cols_avg, w.cols - w.reset_cols_avg, w.cols)
        e = e + cap_col * vw2 * unsel_set * w.set_pulses + cap_row1 * vw2 * w.set_cols_avg * w.set_pulses
        e = e + cap_col * vw2 * w.reset_cols_avg * w.reset_pulses + cap_row1 * vw2 * unsel_reset * w.reset_pulses
    else:
        raise ValueError("SRAM write energy is the write driver's and precharger's (see the sub-array model)")
    return e


def line_switch_write_energy(w: WriteWorkload, *, writes: np.ndarray, num_col: int, drain_cap_f: float,
                             gate_cap_f: float, vdd: float, write_voltage: float, pulses) -> np.ndarray:
    """Energy (J) per sub-array of the source-line switch matrix during a weight update (1T1R, neuro mode).

    Each of ``writes`` write steps drives every column's transmission gates (gates at Vdd) and
    charges their drains to the write voltage: the selected columns once per pulse for SET and
    RESET together (``pulses`` per row), the unselected ones once (half of the selected counted
    as unselected during the two-step write); NeuroSim V2 manual, "SwitchMatrix" write energy.
    """
    selected = np.minimum(num_col, num_col * w.activity_col_write)
    drain = 3 * drain_cap_f * write_voltage ** 2
    per_write = drain * pulses * selected + drain * (num_col - selected / 2) + gate_cap_f * vdd ** 2 * num_col
    return per_write * writes
