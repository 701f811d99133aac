"""Processing element (PE): a grid of CIM subarrays, the adder tree merging their partial sums, the
input/output registers and the buses that feed them (DNN+NeuroSim V1.4 manual, "Processing
element"; Peng et al., IEDM 2019, Fig. 2).

Described as data (`levels`): the PE's own parts are a `Macro` of builder models --

====================  =========================================  ==============
role                  model                                      bucket
====================  =========================================  ==============
``adder_tree``        `adder_tree`: one tree per output column     accumulation
``input_register``    `dff_bank` of one input bit per row          buffer
``output_register``   `dff_bank` of the output column sums         buffer
``input_bus``         `bus` along a row of subarrays               interconnect
``output_bus``        `bus` along each column of subarrays         interconnect
====================  =========================================  ==============

-- and its children are the subarray reads (`subarray.build_subarray`, one per block of the PE's
weight slice).  One operation (`PE.read`) is a layer slice: every input bit-vector of the slice.

Overlap rule (stated once, `PE.read`): the subarrays read in parallel and the slowest counts;
the adder tree merges the row blocks' partial sums after them; a PE whose weights are duplicated
(``copies`` > 1) splits the input vectors over its copies (latency / copies) and, when its
weights span several subarrays, runs the adder tree behind each block; the registers and buses
then move the slice's inputs in and its outputs out, in series (in a synchronous design the
buses are hidden behind the registers' cycles: no latency of their own).

Subarray reads: every per-vector latency, and every energy except the ADC's column term, depends
on the vector only through its number of active rows, so each block takes a histogram of those
counts (`kernels.active_row_counts`) and a table of per-count results (`subarray.read_table`,
cached per slice shape and clock); eNVM vectors add their columns' ADC energy from a fused Numba
kernel (`kernels.envm_column_energy_sums`).  The sums equal the per-vector evaluation to float
rounding (`tests/core/test_pe.py`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import quirks
from .arch import Breakdown, ComponentModel, Macro, Part, Use
from .circuits.arithmetic import AdderTreeSpec, adder_tree
from .circuits.dff import DffBankSpec, dff_bank
from .circuits.env import CircuitEnv
from .circuits.interconnect import BusSpec, WireSpec, bus
from .kernels import active_row_counts, average_column_resistance, envm_column_energy_sums, subarray_read_inputs
from .levels import Area, Clock, LevelCost, Timing, add_breakdowns, scale_breakdown, steps
from .plugins import BUILT_IN, ComponentLibrary
from .subarray import build_subarray, read_table

__all__ = ["ActivityModel", "PE", "PEJob", "PEShape", "num_bit_subarray_output"]


def num_bit_subarray_output(p) -> int:
    """Bits of a subarray's (shift-added) output, which sizes the PE adder tree."""
    extra_weight_bits = (p.num_col_per_synapse - 1) * p.cell_bit
    if p.parallel_read:
        num_add = p.num_row_subarray // p.num_row_parallel  # ceil() of a C int division
        bits = (math.log2(p.level_output) + math.ceil(math.log2(num_add)) + p.input_bits
                + extra_weight_bits + 1)
    else:
        bits = math.ceil(math.log2(p.num_row_subarray)) + p.cell_bit + p.input_bits + extra_weight_bits + 1
    return int(bits)


class ActivityModel(NamedTuple):
    """The input activity the pseudo-trace and average modes assume for every input bit-vector of a
    layer (DNN+NeuroSim, IEDM'19 Fig. 7): ``row_activity`` = fraction of a slice's rows it
    activates, ``cell_level`` = mean cell conductance level (0 = G_min .. 1 = G_max)."""

    row_activity: float
    cell_level: float


@dataclass(frozen=True)
class PEShape:
    """A PE of ``pe_size`` x ``pe_size`` cells: ``rows`` x ``cols`` subarrays hold its weights; its
    periphery is laid out for a square of ``side`` x ``side`` subarray slots."""

    rows: int
    cols: int

    @classmethod
    def of(cls, p, pe_size: float) -> "PEShape":
        return cls(math.ceil(pe_size / p.num_row_subarray), math.ceil(pe_size / p.num_col_subarray))

    @property
    def side(self) -> int:
        return math.ceil(math.sqrt(self.rows * self.cols))


@dataclass(frozen=True)
class PEJob:
    """One PE's share of a layer slice.

    ``weights``: uint8 cell codes (rows, columns incl. ``num_col_per_synapse``;
    `traces.weight_cell_codes`); ``inputs``: uint8 0/1 input bits (rows, bit-vectors;
    `traces.input_bit_matrix`), of which the first ``num_vectors`` are read; ``matrix_rows`` /
    ``matrix_cols``: the weight extent the PE holds; ``copies``: duplication of the weights
    inside the PE (rows, cols); ``row_offset``: the tile input row where ``inputs`` start (the key
    of the shared input-row memo).
    """

    weights: np.ndarray
    inputs: np.ndarray
    num_vectors: int
    matrix_rows: int
    matrix_cols: int
    shape: PEShape
    copies: tuple[int, int] = (1, 1)
    row_offset: int = 0
    novel: bool = False  # a PE of a novel-mapping tile (the chip's other PE design)


class _Block(NamedTuple):
    row: int
    col: int
    rows: int
    cols: int


class PE:
    """A processing element; see the module docstring.  Holds the subarray model and the read
    caches (slice tables, the tile slice's input-row memo)."""

    def __init__(self, p, tech, cell, library: ComponentLibrary = BUILT_IN):
        if p.sync_data_transfer:
            raise ValueError("PE: sync_data_transfer is not supported")
        self.p, self.tech, self.cell = p, tech, cell
        self.subarray = build_subarray(p, tech, cell, adc=library.adc)  # immutable model
        self._subarray_clk = p.clk_freq_hz  # the clock the subarray's synchronous reads count
        self._tables: dict = {}
        self._macros: dict = {}
        self._last_tree_leakage_w = {True: 0.0, False: 0.0}  # per PE design, quirk pe_stale_adder_tree_leakage
        # memo of the current tile slice's input rows: (first row, rows, vectors) -> activity; the
        # caller owns it (one per tile slice, kept across the clock and performance passes)
        self._input_rows: dict | None = None
        # SRAM reads of the current tile slice: a digital subarray's read depends only on the
        # slice's input rows and shape, not on its weights, so the column subarrays of a row range
        # are evaluated once ((first row, rows, cols, vectors, pass, clock) -> result); cleared
        # whenever the tile slice (its `input_rows` memo) changes
        self._sram_reads: dict = {}
        # eNVM sequential read: input bit-vectors with no active row seen by the performance pass
        # (the reference's sensing delay is 0/0 for them; see estimate.py)
        self.idle_sequential_vectors = 0
        # None: real traces; an ActivityModel: pseudo-trace / average mode (set per layer by the chip)
        self.activity: ActivityModel | None = None

    @property
    def input_rows(self) -> dict | None:
        return self._input_rows

    @input_rows.setter
    def input_rows(self, memo: dict | None) -> None:
        if memo is not self._input_rows:
            self._sram_reads = {}
        self._input_rows = memo

    # --- parts ---------------------------------------------------------------------------------
    def macro(self, side: int, tree_inputs: int, clk_freq: float) -> Macro:
        """The PE's own parts for a ``side`` x ``side`` layout, an adder tree summing
        ``tree_inputs`` partial sums (0: all), at ``clk_freq``."""
        key = (side, tree_inputs, clk_freq)
        macro = self._macros.get(key)
        if macro is None:
            macro = self._macros[key] = self._build_macro(side, tree_inputs, clk_freq)
        return macro

    def _build_macro(self, side: int, tree_inputs: int, clk_freq: float) -> Macro:
        p, sa = self.p, self.subarray
        env = CircuitEnv.of(p, self.tech, clk_freq)
        out_bits = num_bit_subarray_output(p)
        tree = adder_tree(AdderTreeSpec(num_rows=side, num_adder_bit=out_bits,
                                        num_trees=math.ceil(side * p.num_col_subarray / p.num_col_muxed),
                                        num_inputs=tree_inputs, fit_width_m=sa.width,
                                        delta=p.delta if p.validated else 1.0), env)
        sum_bits = out_bits + int(tree.port("num_stage"))
        inputs = dff_bank(DffBankSpec(num_dff=p.input_bits * p.num_row_subarray, fit_height_m=side * sa.height), env)
        outputs = dff_bank(DffBankSpec(num_dff=(p.num_col_subarray // p.num_col_muxed) * sum_bits,
                                       fit_width_m=side * sa.width), env)
        return Macro("pe", (
            Part("adder_tree", tree, "accumulation"),
            Part("input_register", inputs, "buffer"),
            Part("output_register", outputs, "buffer"),
            Part("input_bus", self._bus(side, env, horizontal=True), "interconnect"),
            Part("output_bus", self._bus(side, env, horizontal=False), "interconnect"),
        ))

    def _bus(self, side: int, env: CircuitEnv, horizontal: bool) -> ComponentModel:
        """A bus over the PE's subarrays, routed over them (no area of its own): the input bus
        carries one bit per subarray row along a row of subarrays, the output bus one bit per
        column along every column of subarrays (its wires: ``side`` x columns)."""
        p, sa = self.p, self.subarray
        width = p.num_row_subarray if horizontal else side * p.num_col_subarray
        return bus(BusSpec(orientation="horizontal" if horizontal else "vertical", num_row=side, num_col=side,
                           unit_height_m=sa.height, unit_width_m=sa.width, bus_width=width, wire=WireSpec.of(p)), env)

    # --- area ----------------------------------------------------------------------------------
    def area(self, side: int) -> Area:
        """Area of a PE laid out as ``side`` x ``side`` subarrays (square outline); the buses
        run over the subarrays."""
        sa = self.subarray
        sub = Area(sa.area, Breakdown(adc=sa.area_adc, accumulation=sa.area_accum, other=sa.area_other,
                                      array=sa.area_array), sa.height, sa.width)
        total, parts = Area.of(self.macro(side, 0, self.p.clk_freq_hz), [(sub, side * side)])
        return Area.square(total, parts)

    # --- one operation -------------------------------------------------------------------------
    def _blocks(self, job: PEJob, grid: bool) -> list[_Block]:
        """The subarray-sized blocks of the job's weight extent (row-major); ``grid``: only those
        on the PE's subarray grid (a duplicated PE's extent may be larger than the PE)."""
        nrs, ncs = self.p.num_row_subarray, self.p.num_col_subarray
        wmr, wmc = job.matrix_rows, job.matrix_cols
        rows, cols = math.ceil(wmr / nrs), math.ceil(wmc / ncs)
        if grid:
            rows, cols = min(rows, job.shape.rows), min(cols, job.shape.cols)
        return [_Block(i * nrs, j * ncs, min(nrs, wmr - i * nrs), min(ncs, wmc - j * ncs))
                for i in range(rows) for j in range(cols)]

    def _placement(self, job: PEJob) -> tuple[list[_Block], bool]:
        """(blocks read, whether the adder tree runs behind every block): without duplication the
        blocks partition the weights; duplicated weights that fill the whole subarray grid are
        one (larger) slice read by one subarray."""
        copies = job.copies[0] * job.copies[1]
        if copies > 1 and job.copies[0] >= job.shape.rows and job.copies[1] >= job.shape.cols:
            return [_Block(0, 0, job.matrix_rows, job.matrix_cols)], False
        return self._blocks(job, grid=copies == 1), copies > 1

    def sensing_period(self, job: PEJob) -> float:
        """The longest subarray sensing delay over the job's vectors (the clock pass; s)."""
        self._subarray_clk = self.p.clk_freq_hz
        blocks, _ = self._placement(job)
        return max((self._sense_block(job, b)[0] for b in blocks), default=0.0)

    def read(self, job: PEJob, clk_freq: float | None = None) -> LevelCost:
        """Latency, energy and leakage of the PE reading ``job`` at ``clk_freq`` (None:
        ``p.clk_freq_hz``; latencies in cycles when synchronous).  The overlap rule is the module
        docstring's."""
        p = self.p
        clock = Clock(bool(p.synchronous), p.clk_freq_hz if clk_freq is None else clk_freq)
        self._subarray_clk = clock.freq_hz
        blocks, tree_per_block = self._placement(job)
        tree_inputs = math.ceil(job.matrix_rows / p.num_row_subarray)
        macro = self.macro(job.shape.side, tree_inputs, clock.freq_hz)
        reads = [self._sense_block(job, b, clock)[1] for b in blocks]
        copies = job.copies[0] * job.copies[1]
        tree = steps(macro, [Use("adder_tree", "reduce", (job.num_vectors // p.input_bits) * p.synapses_per_mux)],
                     clock)
        if copies == 1:
            timing = Timing.slowest(r.timing for r in reads).then(tree.timing)
            energy = add_breakdowns([*(r.energy for r in reads), tree.energy])
        elif tree_per_block:
            timing = Timing.slowest(r.timing.then(tree.timing) for r in reads).shared(copies)
            energy = add_breakdowns([*(r.energy for r in reads), scale_breakdown(tree.energy, len(reads))])
        else:
            timing = reads[0].timing.shared(copies)
            energy = reads[0].energy
        io = steps(macro, self._io_uses(job, macro), clock,
                   untimed=("input_bus", "output_bus") if clock.synchronous else ())
        # every subarray of the grid leaks (a subarray's leakage is that of its full-size circuits)
        n_sub = job.shape.rows * job.shape.cols
        leakage = reads[-1].leakage_w * n_sub + macro.leakage_w()
        tree_leakage = macro.part("adder_tree").model.leakage_w
        if quirks.applies("pe_stale_adder_tree_leakage", p.compat):
            if copies == 1 or tree_per_block:
                self._last_tree_leakage_w[job.novel] = tree_leakage
            leakage += self._last_tree_leakage_w[job.novel] - tree_leakage
        return LevelCost(timing.then(io.timing), add_breakdowns([energy, io.energy]), leakage,
                         reads[-1].leakage_in_use_w * n_sub)

    def _io_uses(self, job: PEJob, macro: Macro) -> list[Use]:
        """The slice's input bits into the input register over the input bus, its output sums out
        of the output register over the output bus (the data moved is fixed whatever the copies)."""
        p = self.p
        n_in, n_out = (int(macro.part(r).model.port("num_dff")) for r in ("input_register", "output_register"))
        sum_bits = num_bit_subarray_output(p)
        stages = int(macro.part("adder_tree").model.port("num_stage"))
        outputs = job.matrix_cols // p.num_col_per_synapse
        bits_in = job.matrix_rows // p.num_row_per_synapse * job.num_vectors
        lines_in = bits_in // n_in
        lines_out = outputs * sum_bits * job.num_vectors // p.input_bits // n_out
        bits_out = outputs * (stages + sum_bits) * job.num_vectors // p.input_bits
        return [
            Use("input_register", "clock", lines_in), Use("input_register", "capture", lines_in * n_in),
            Use("output_register", "clock", lines_out), Use("output_register", "capture", lines_out * n_out),
            Use("input_bus", "transfer", bits_in / macro.part("input_bus").model.port("bus_width")),
            Use("input_bus", "bit", bits_in * p.input_toggle),
            Use("output_bus", "transfer", bits_out / macro.part("output_bus").model.port("bus_width")),
            Use("output_bus", "bit", bits_out * p.output_toggle),
        ]

    # --- subarray reads ------------------------------------------------------------------------
    def _read_table(self, num_rows: int, num_cols: int, clock_pass: bool):
        """The subarray's per-active-row-count table for a ``num_rows`` x ``num_cols`` slice (cached
        per shape, pass and clock: a layer has a few slice shapes and thousands of slices)."""
        sa = self.subarray
        max_rows = max(num_rows, self.p.num_row_subarray)
        key = (max_rows, num_cols, clock_pass, self._subarray_clk)
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = read_table(sa, num_cols, clock_pass, max_rows, self._subarray_clk)
        return table

    def _uniform_rows(self, inputs: np.ndarray, num_counts: int, first_row: int = 0):
        """`_active_rows` under an `ActivityModel`: every vector activates the same number of rows."""
        rows, n_vectors = inputs.shape
        n = min(int(round(self.activity.row_activity * rows)), rows)
        counts = np.full(n_vectors, n, dtype=np.int64)
        hist = np.zeros(num_counts, dtype=np.int64)
        hist[n] = n_vectors
        return None, counts, hist, np.flatnonzero(hist)

    def _active_rows(self, inputs: np.ndarray, num_counts: int, first_row: int):
        """(bits, per-vector active-row counts, histogram of the counts, counts present) of an
        input slice starting at row ``first_row`` of the tile slice.  Memoised in `input_rows`:
        the column subarrays of a row range, and the clock and performance passes, read the same
        rows."""
        memo = self.input_rows
        key = (first_row, inputs.shape[0], inputs.shape[1], num_counts)
        hit = memo.get(key) if memo is not None else None
        if hit is not None:
            return hit
        bits = np.ascontiguousarray(inputs, dtype=np.uint8)
        counts = active_row_counts(bits)
        if not self.subarray.is_sram:
            bits = np.ascontiguousarray(bits.T).T  # vector-major memory, the eNVM kernel's order
        hist = np.bincount(counts, minlength=num_counts)
        present = np.flatnonzero(hist)
        if memo is not None:
            memo[key] = (bits, counts, hist, present)
        return bits, counts, hist, present

    def _sense_block(self, job: PEJob, block: _Block, clock: Clock | None = None):
        """(longest sensing delay, cost of reading every vector or None in the clock pass) of one
        block: each vector's results are a table lookup by its active-row count, plus, for eNVM,
        its columns' ADC energy."""
        weights = job.weights[block.row:block.row + block.rows, block.col:block.col + block.cols]
        inputs = job.inputs[block.row:block.row + block.rows, :job.num_vectors]
        return self._evaluate_subarray(weights, inputs, clock is None, job.row_offset + block.row)

    def _evaluate_subarray(self, weights: np.ndarray, inputs: np.ndarray, clock_pass: bool, first_row: int = 0):
        """Run the subarray over all input vectors: (max read latency, `LevelCost` or None)."""
        p, sa = self.p, self.subarray
        cacheable = sa.is_sram and self.activity is None and self._input_rows is not None
        if cacheable:
            key = (first_row, *inputs.shape, weights.shape[1], clock_pass, self._subarray_clk)
            hit = self._sram_reads.get(key)
            if hit is None:
                hit = self._sram_reads[key] = self._evaluate_uncached(weights, inputs, clock_pass, first_row)
            return hit
        return self._evaluate_uncached(weights, inputs, clock_pass, first_row)

    def _evaluate_uncached(self, weights: np.ndarray, inputs: np.ndarray, clock_pass: bool, first_row: int):
        p, sa = self.p, self.subarray
        table = self._read_table(weights.shape[0], weights.shape[1], clock_pass)
        count_rows = self._active_rows if self.activity is None else self._uniform_rows
        bits, counts, hist, present = count_rows(inputs, table.latency.shape[1], first_row)
        max_latency = float(table.latency[0][present].max()) if present.size else 0.0
        if clock_pass:
            return max_latency, None
        if not sa.is_sram and not p.parallel_read:
            self.idle_sequential_vectors += int(hist[0])
        weight = hist.astype(float)
        latency = table.latency @ weight
        total, adc, accum, other = (float(v) for v in table.energy @ weight)
        if not sa.is_sram:
            adc += self._envm_column_energy(table, weights, bits, counts)
        timing = Timing(total=float(latency[0]), adc=float(latency[1]), accumulation=float(latency[2]),
                        other=float(latency[3]))
        return max_latency, LevelCost(timing, Breakdown(adc=adc, accumulation=accum, other=other),
                                      table.leakage, table.leakage_sram_in_use)

    def _envm_column_energy(self, table, weights: np.ndarray, bits, counts: np.ndarray) -> float:
        """ADC energy (J) the real eNVM columns add over the table's open columns, summed over the
        vectors: (column-energy sum - open-column sum) x conversions, per vector."""
        p, sa = self.p, self.subarray
        if self.activity is not None:  # every vector alike: one synthetic column set
            if not counts.size:
                return 0.0
            n = int(counts[0])
            resistance = average_column_resistance(n, weights.shape[1], self.activity.cell_level, p, self.cell)
            column_sum = sa.adc_column_energy_sum(resistance)[0] - table.open_column_sum
            return float(column_sum * table.adc_num_read[n] * counts.size)
        args = sa.adc_energy_kernel_args()
        if args is None:  # a plug-in ADC prices the column resistances itself
            _, resistance = subarray_read_inputs(bits, weights, p, self.cell, sa.res_cell_access)
            column_sum = sa.adc_column_energy_sum(resistance)
        else:
            column_sum = envm_column_energy_sums(bits, weights, p, self.cell, args)
        return float(np.dot(column_sum - table.open_column_sum, table.adc_num_read[counts]))
