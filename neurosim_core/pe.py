"""Processing element (PE): a grid of CIM subarrays, its adder tree, input/output DFF buffers and
the buses that feed them.

Model: NeuroSim V1.4 ProcessingUnit.cpp (``ProcessingUnitInitialize``,
``ProcessingUnitCalculateArea``, ``ProcessingUnitCalculatePerformance``; DNN+NeuroSim V1.4 manual,
"Processing element"), with the same parameter semantics in snake_case.  Differences in form:

* The model keeps the PE's circuits in file-level globals; here they live in a `PE` object.  As in
  the model there are two sets, one for novel-mapping PEs (``nm``) and one for conventional-mapping
  PEs (``cm``), sharing one subarray model (`subarray.build_subarray`)::

      pe = PE(p, tech, cell)
      pe.initialize(num_subarray_row_nm, num_subarray_col_nm, num_subarray_row_cm, num_subarray_col_cm)
      area_results, height, width, buffer_area = pe.calculate_area(num_subarray_row, num_subarray_col, nm_pe)
      perf = pe.calculate_performance(new_memory, input_vector, array_dup_row, array_dup_col,
                                      num_subarray_row, num_subarray_col, weight_matrix_row,
                                      weight_matrix_col, num_in_vector, nm_pe, calculate_clk_freq,
                                      clk_period=..., clk_freq=...)

* ``new_memory`` is the PE's slice of the layer's mapped weights as uint8 cell codes (rows,
  columns incl. ``num_col_per_synapse``; `traces.weight_cell_codes`) and ``input_vector`` the
  matching uint8 0/1 input-bit matrix (rows, bit-vectors; `traces.input_bit_matrix`).  The model's
  unused ``oldMemory`` and its ``cell`` argument (the PE's own cell) are not parameters.
* ``area_results`` = [area, area_adc, area_accum, area_other, area_array] (m^2), as the model's
  returned vector.  `calculate_performance` returns a `Performance` named tuple holding what the
  model returns through its pointer arguments (latencies in clock cycles when synchronous, else
  s; energies J; leakage W) plus ``clk_period``, the running maximum sensing latency (the model's
  in/out ``clkPeriod``).
* The model calls the subarray once per input bit-vector.  Here every per-vector latency, and
  every energy except the ADC's column term, depends on the vector only through its number of
  active rows, so each subarray position takes a histogram of those counts
  (`kernels.active_row_counts`) and a table of per-count results (`subarray.read_table`, cached per slice shape and clock); eNVM
  vectors add their columns' ADC energy from a fused Numba kernel
  (`kernels.envm_column_energy_sums`).  Sums over vectors (latency, energy) and maxima
  (``clk_period``) are those of the model's loop, to float rounding; the input histograms are
  shared by the clock and performance passes and by the column subarrays of a row range.
* With ``calculate_clk_freq`` (the model's first pass, which only finds the clock period) only
  ``clk_period`` is meaningful; the other fields are 0 (the model computes throw-away values).
* Without ``calculate_clk_freq`` the PE's circuits run at ``clk_freq`` (the model sets every
  circuit's ``clkFreq`` to the global ``param->clkFreq``, which the chip lowers after the first
  pass); ``None`` means ``p.clk_freq_hz``.
* ``sync_data_transfer`` is not supported (the chip model refuses it too).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .circuits.arithmetic import AdderTree
from .circuits.dff import DFF
from .circuits.interconnect import Bus
from .constants import AreaModify, BusMode
from .kernels import active_row_counts, average_column_resistance, envm_column_energy_sums, subarray_read_inputs
from .plugins import BUILT_IN, ComponentLibrary
from .subarray import build_subarray, read_table

__all__ = [
    "ActivityModel",
    "PE",
    "Performance",
    "num_bit_subarray_output",
]


class Performance(NamedTuple):
    """Outputs of a PE / tile performance evaluation (the model's pointer arguments)."""

    read_latency: float = 0.0
    read_dynamic_energy: float = 0.0
    leakage: float = 0.0
    leakage_sram_in_use: float = 0.0
    buffer_latency: float = 0.0
    buffer_dynamic_energy: float = 0.0
    ic_latency: float = 0.0
    ic_dynamic_energy: float = 0.0
    core_latency_adc: float = 0.0
    core_latency_accum: float = 0.0
    core_latency_other: float = 0.0
    core_energy_adc: float = 0.0
    core_energy_accum: float = 0.0
    core_energy_other: float = 0.0
    clk_period: float = 0.0


def num_bit_subarray_output(p) -> int:
    """Bits of a subarray's (shift-added) output, as the model sizes the PE adder tree."""
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


class _Periphery:
    """One set of PE periphery circuits (the model's ``...NM`` or ``...CM`` globals)."""

    def __init__(self, p, tech, cell):
        self.adder_tree = AdderTree(p, tech, cell)
        self.bus_input = Bus(p, tech, cell)
        self.bus_output = Bus(p, tech, cell)
        self.buffer_input = DFF(p, tech, cell)
        self.buffer_output = DFF(p, tech, cell)

    def circuits(self):
        return (self.adder_tree, self.bus_input, self.bus_output, self.buffer_input, self.buffer_output)


class _SubArrayTotals:
    """Sums over the input vectors of one subarray position (one batched SubArray evaluation)."""

    __slots__ = ("read_latency", "latency_adc", "latency_accum", "latency_other", "energy",
                 "energy_adc", "energy_accum", "energy_other", "leakage", "leakage_sram_in_use")


class PE:
    """A processing element (NeuroSim V1.4 ProcessingUnit.cpp model); see the module docstring."""

    def __init__(self, p, tech, cell, library: ComponentLibrary = BUILT_IN):
        self.p = p
        self.tech = tech
        self.cell = cell
        self.subarray = build_subarray(p, tech, cell, adc=library.adc)  # immutable model
        self._subarray_clk = p.clk_freq_hz  # the clock the subarray's synchronous reads count
        self.nm = _Periphery(p, tech, cell)
        self.cm = _Periphery(p, tech, cell)
        self._tables: dict = {}
        # memo of the current tile slice's input rows: (first row, rows, vectors) -> activity; the
        # caller owns it (one per tile slice, kept across the clock and performance passes)
        self.input_rows: dict | None = None
        # eNVM sequential read: input bit-vectors with no active row seen by the performance pass
        # (the reference's sensing delay is 0/0 for them; see estimate.py)
        self.idle_sequential_vectors = 0
        # None: real traces; an ActivityModel: pseudo-trace / average mode (set per layer by the chip)
        self.activity: ActivityModel | None = None

    # --- ProcessingUnitInitialize -----------------------------------------------------------
    def initialize(self, num_subarray_row_nm: int, num_subarray_col_nm: int, num_subarray_row_cm: int,
                   num_subarray_col_cm: int) -> None:
        p = self.p
        if p.sync_data_transfer:
            raise ValueError("PE: sync_data_transfer is not supported")
        num_row, num_col = p.num_row_subarray, p.num_col_subarray
        clk = p.clk_freq_hz
        self._tables.clear()
        out_bits = num_bit_subarray_output(p)
        sets = [(self.cm, num_subarray_row_cm, num_subarray_col_cm)]
        if p.novel_mapping:
            sets.insert(0, (self.nm, num_subarray_row_nm, num_subarray_col_nm))
        for unit, n_row, n_col in sets:
            unit.adder_tree.initialize(n_row, out_bits, math.ceil(n_col * num_col / p.num_col_muxed), clk)
            unit.buffer_input.initialize(p.input_bits * num_row, clk)
            unit.buffer_output.initialize((num_col // p.num_col_muxed) * (out_bits + unit.adder_tree.num_stage), clk)
            unit.bus_input.initialize(BusMode.HORIZONTAL, n_row, n_col, 0, num_row,
                                      self.subarray.height, self.subarray.width, clk)
            unit.bus_output.initialize(BusMode.VERTICAL, n_row, n_col, 0, num_col,
                                       self.subarray.height, self.subarray.width, clk)

    # --- ProcessingUnitCalculateArea --------------------------------------------------------
    def calculate_area(self, num_subarray_row: int, num_subarray_col: int,
                       nm_pe: bool) -> tuple[list[float], float, float, float]:
        """(area_results, height, width, buffer_area); area_results as in the module docstring."""
        sa = self.subarray
        unit = self.nm if nm_pe else self.cm
        unit.adder_tree.calculate_area(0.0, sa.width, AreaModify.NONE)
        unit.buffer_input.calculate_area(num_subarray_row * sa.height, 0.0, AreaModify.NONE)
        unit.buffer_output.calculate_area(0.0, num_subarray_col * sa.width, AreaModify.NONE)
        unit.bus_input.calculate_area(1, True)
        unit.bus_output.calculate_area(1, True)
        n = num_subarray_row * num_subarray_col
        area = sa.area * n + unit.adder_tree.area + unit.buffer_input.area + unit.buffer_output.area
        height = math.sqrt(area)
        width = area / height
        results = [
            area,
            sa.area_adc * n,
            sa.area_accum * n + unit.adder_tree.area,
            sa.area_other * n + unit.buffer_input.area + unit.buffer_output.area,
            sa.area_array * n,
        ]
        return results, height, width, 0.0

    # --- ProcessingUnitCalculatePerformance -------------------------------------------------
    def _read_table(self, num_rows: int, num_cols: int, calculate_clk_freq: bool):
        """The subarray's per-active-row-count table for a ``num_rows`` x ``num_cols`` slice (cached
        per shape, pass and clock: a layer has a few slice shapes and thousands of slices)."""
        sa = self.subarray
        max_rows = max(num_rows, self.p.num_row_subarray)
        key = (max_rows, num_cols, calculate_clk_freq, self._subarray_clk)
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = read_table(sa, num_cols, calculate_clk_freq, max_rows, self._subarray_clk)
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

    def _evaluate_subarray(self, weights: np.ndarray, inputs: np.ndarray, calculate_clk_freq: bool,
                           first_row: int = 0):
        """Run the subarray over all input vectors: (max read latency, totals or None).

        Each vector's results depend on its active-row count (a table lookup, `subarray.read_table`)
        and, for eNVM, on its column resistances through the ADC energy (added per vector here).
        """
        p, sa = self.p, self.subarray
        table = self._read_table(weights.shape[0], weights.shape[1], calculate_clk_freq)
        count_rows = self._active_rows if self.activity is None else self._uniform_rows
        bits, counts, hist, present = count_rows(inputs, table.latency.shape[1], first_row)
        max_latency = float(table.latency[0][present].max()) if present.size else 0.0
        if calculate_clk_freq:
            return max_latency, None
        if not sa.is_sram and not p.parallel_read:
            self.idle_sequential_vectors += int(hist[0])
        weight = hist.astype(float)
        latency = table.latency @ weight
        energy = table.energy @ weight
        if not sa.is_sram:
            extra = self._envm_column_energy(table, weights, bits, counts)
            energy[0] += extra  # total
            energy[1] += extra  # ADC part
        t = _SubArrayTotals()
        t.read_latency, t.latency_adc, t.latency_accum, t.latency_other = (float(v) for v in latency)
        t.energy, t.energy_adc, t.energy_accum, t.energy_other = (float(v) for v in energy)
        t.leakage = table.leakage
        t.leakage_sram_in_use = table.leakage_sram_in_use
        return max_latency, t

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

    def calculate_performance(self, new_memory: np.ndarray, input_vector: np.ndarray, array_dup_row: int,
                              array_dup_col: int, num_subarray_row: int, num_subarray_col: int,
                              weight_matrix_row: int, weight_matrix_col: int, num_in_vector: int,
                              nm_pe: bool, calculate_clk_freq: bool, clk_period: float = 0.0,
                              clk_freq: float | None = None, row_offset: int = 0) -> Performance:
        p = self.p
        unit = self.nm if nm_pe else self.cm
        if not calculate_clk_freq:
            clk = p.clk_freq_hz if clk_freq is None else clk_freq
            self._subarray_clk = clk
            for periphery in (self.nm, self.cm):
                for circuit in periphery.circuits():
                    circuit.clk_freq = clk
        nrs, ncs = p.num_row_subarray, p.num_col_subarray
        inputs = input_vector[:, :num_in_vector]
        wmr, wmc = weight_matrix_row, weight_matrix_col
        adder = unit.adder_tree
        adder_reads = (num_in_vector // p.input_bits) * p.synapses_per_mux
        adder_units = math.ceil(wmr / nrs)

        read_latency = read_energy = 0.0
        lat_adc = lat_accum = lat_other = 0.0
        e_adc = e_accum = e_other = 0.0
        leak = leak_sram = 0.0

        def run(r0: int, c0: int, n_rows: int, n_cols: int):
            nonlocal clk_period, read_energy, e_adc, e_accum, e_other, leak, leak_sram
            max_latency, t = self._evaluate_subarray(new_memory[r0:r0 + n_rows, c0:c0 + n_cols],
                                                     inputs[r0:r0 + n_rows], calculate_clk_freq, row_offset + r0)
            if calculate_clk_freq:
                if clk_period < max_latency:
                    clk_period = max_latency
                return None
            read_energy += t.energy
            e_adc += t.energy_adc
            e_accum += t.energy_accum
            e_other += t.energy_other
            # last-wins is exact, not a quirk: a subarray's leakage comes from its full-size circuits,
            # the same for every slice (one value per configuration, measured on 6 configurations)
            leak, leak_sram = t.leakage, t.leakage_sram_in_use
            return t

        if array_dup_row * array_dup_col > 1:
            dup = array_dup_row * array_dup_col
            if array_dup_row < num_subarray_row or array_dup_col < num_subarray_col:
                # the weights fill a few subarrays, each duplicated
                for i in range(math.ceil(wmr / nrs)):
                    for j in range(math.ceil(wmc / ncs)):
                        t = run(i * nrs, j * ncs, min(nrs, wmr - i * nrs), min(ncs, wmc - j * ncs))
                        if t is None:
                            continue
                        adder.calculate_latency(adder_reads, adder_units, 0)
                        adder.calculate_power(adder_reads, adder_units)
                        read_latency = max(t.read_latency + adder.read_latency, read_latency)
                        read_energy += adder.read_dynamic_energy
                        lat_adc = max(t.latency_adc, lat_adc)
                        lat_accum = max(t.latency_accum + adder.read_latency, lat_accum)
                        lat_other = max(t.latency_other, lat_other)
                        e_accum += adder.read_dynamic_energy
                read_latency /= dup
                lat_adc /= dup
                lat_accum /= dup
                lat_other /= dup
            else:
                # the whole weight matrix fits one subarray (no adder tree in this case)
                t = run(0, 0, wmr, wmc)
                if t is not None:
                    read_latency = t.read_latency / dup
                    lat_adc = t.latency_adc / dup
                    lat_accum = t.latency_accum / dup
                    lat_other = t.latency_other / dup
        else:
            # the weights are partitioned among the subarrays, no duplication
            for i in range(num_subarray_row):
                for j in range(num_subarray_col):
                    if i * nrs < wmr and j * ncs < wmc:
                        t = run(i * nrs, j * ncs, min(nrs, wmr - i * nrs), min(ncs, wmc - j * ncs))
                        if t is None:
                            continue
                        read_latency = max(t.read_latency, read_latency)
                        lat_adc = max(t.latency_adc, lat_adc)
                        lat_accum = max(t.latency_accum, lat_accum)
                        lat_other = max(t.latency_other, lat_other)
            if not calculate_clk_freq:
                adder.calculate_latency(adder_reads, adder_units, 0)
                adder.calculate_power(adder_reads, adder_units)
                read_latency += adder.read_latency
                lat_accum += adder.read_latency
                read_energy += adder.read_dynamic_energy
                e_accum += adder.read_dynamic_energy

        if calculate_clk_freq:
            return Performance(clk_period=clk_period)

        # buffers and buses: the total data moved is fixed whatever the speed-up
        bits_in = wmr // p.num_row_per_synapse * num_in_vector
        buf_in, buf_out = unit.buffer_input, unit.buffer_output
        n_read_in = bits_in // buf_in.num_dff
        n_read_out = (wmc // p.num_col_per_synapse * adder.num_adder_bit * num_in_vector
                      // p.input_bits // buf_out.num_dff)
        buf_in.calculate_latency(0, n_read_in)
        buf_out.calculate_latency(0, n_read_out)
        buf_in.calculate_power(n_read_in, buf_in.num_dff, False)
        buf_out.calculate_power(n_read_out, buf_out.num_dff, False)

        bus_in, bus_out = unit.bus_input, unit.bus_output
        bus_in.calculate_latency(bits_in / bus_in.bus_width)
        bus_in.calculate_power(bus_in.bus_width, bits_in / bus_in.bus_width, True)
        out_lanes = bus_out.num_row * bus_out.bus_width
        bits_out = (wmc // p.num_col_per_synapse * (adder.num_stage + adder.num_adder_bit) * num_in_vector
                    // p.input_bits)
        bus_out.calculate_latency(bits_out / out_lanes)
        bus_out.calculate_power(out_lanes, bits_out / out_lanes, False)

        buffer_latency = buf_in.read_latency + buf_out.read_latency
        ic_latency = 0.0 if p.synchronous else bus_in.read_latency + bus_out.read_latency
        buffer_energy = buf_in.read_dynamic_energy + buf_out.read_dynamic_energy
        ic_energy = bus_in.read_dynamic_energy + bus_out.read_dynamic_energy
        leakage = (leak * num_subarray_row * num_subarray_col + adder.leakage + buf_in.leakage + buf_out.leakage
                   + bus_in.leakage + bus_out.leakage)
        read_latency += buffer_latency + ic_latency
        lat_other += buffer_latency + ic_latency
        read_energy += buffer_energy + ic_energy
        e_other += buffer_energy + ic_energy
        values = (read_latency, read_energy, leakage, leak_sram * num_subarray_row * num_subarray_col,
                  buffer_latency, buffer_energy, ic_latency, ic_energy, lat_adc, lat_accum, lat_other,
                  e_adc, e_accum, e_other, clk_period)
        return Performance(*(float(v) for v in values))
