"""Tile: a group of processing elements with the tile input/output buffers, the accumulation
adder tree across PEs, an optional in-tile activation unit and the H-tree that links the PEs.

Model: NeuroSim V1.4 Tile.cpp (``TileInitialize``, ``TileCalculateArea``,
``TileCalculatePerformance``; DNN+NeuroSim V1.4 manual, "Tile"), with the same parameter
semantics in snake_case.  Differences in form:

* The model keeps the tile's circuits in file-level globals; here they live in a `Tile` object,
  with one set for novel-mapping tiles (``nm``) and one for conventional-mapping tiles (``cm``),
  and one `pe.PE` shared by both, as in the model::

      tile = Tile(p, tech, cell)
      tile.initialize(num_pe_nm, pe_size_nm, num_pe_cm, pe_size_cm)
      area_results, height, width = tile.calculate_area(num_pe, pe_size, nm_tile)
      perf = tile.calculate_performance(new_memory, input_vector, novel_map, num_pe, pe_size,
                                        speed_up_row, speed_up_col, weight_matrix_row,
                                        weight_matrix_col, num_in_vector, calculate_clk_freq,
                                        clk_period=..., clk_freq=...)

* ``area_results`` = [area, area_htree, area_adc, area_accum, area_other, area_array] (m^2), the
  model's returned vector (its index 5 is the array area).
* ``new_memory``: the tile's uint8 cell-code matrix, ``input_vector``: its uint8 0/1 input-bit
  matrix (rows, bit-vectors), ``num_in_vector``: the number of input bit-vectors
  (windows x input bits), all exactly as Chip.cpp passes them; ``num_pe`` is the PEs per side for a
  conventional tile (``ceil(tile/pe)``) and the PE count for a novel tile.  The model's unused
  ``oldMemory`` and its ``cell`` argument are not parameters.
* `calculate_performance` returns a `pe.Performance` named tuple (the model's pointer outputs
  plus ``clk_period``, the running maximum sensing latency); with ``calculate_clk_freq`` only
  ``clk_period`` is meaningful.  Without it, the tile's circuits run at ``clk_freq``
  (``None``: ``p.clk_freq_hz``), the model's updated ``param->clkFreq``.
* Reproduced model quirks (``neurosim_core.quirks``, off with ``compat="corrected"``): the tile
  buffers use the *PE* buffer type (``tile_buffer_uses_pe_buffer_type``); in a conventional tile
  without duplication the loop over the PE grid also adds, for grid positions outside the weights,
  the previous PE's results again (``tile_remerges_previous_pe``); a conventional tile that runs
  no accumulation still adds the leakage of the last accumulation run anywhere
  (``tile_stale_accumulation_leakage``).  The tile leakage counts every PE of the grid (empty ones
  leak too).
* ``sync_data_transfer`` is not supported (the chip model refuses it too).
"""
from __future__ import annotations

import math

import numpy as np

from . import quirks
from .circuits.arithmetic import AdderTree, BitShifter
from .circuits.buffer import Buffer
from .circuits.functional import Sigmoid
from .circuits.interconnect import HTree
from .constants import AreaModify
from .pe import PE, Performance, num_bit_subarray_output
from .plugins import BUILT_IN, ComponentLibrary

__all__ = ["Tile"]

#: Param.cpp ``Activationtype`` (true: SRAM-based sigmoid look-up table); not a user option
SIGMOID_SRAM = True


class _TilePeriphery:
    """One set of tile circuits (the model's ``...NM`` or ``...CM`` globals)."""

    def __init__(self, p, tech, cell):
        self.input_buffer = Buffer(p, tech, cell)
        self.output_buffer = Buffer(p, tech, cell)
        self.htree = HTree(p, tech, cell)
        self.accumulation = AdderTree(p, tech, cell)
        self.sigmoid = Sigmoid(p, tech, cell)
        self.relu = BitShifter(p, tech, cell)
        self.num_in_buffer_core = 0
        self.num_out_buffer_core = 0

    def circuits(self):
        return (self.input_buffer, self.output_buffer, self.htree, self.accumulation, self.relu, self.sigmoid)


class Tile:
    """A tile (NeuroSim V1.4 Tile.cpp model); see the module docstring."""

    def __init__(self, p, tech, cell, library: ComponentLibrary = BUILT_IN):
        self.p = p
        self.tech = tech
        self.cell = cell
        self.pe = PE(p, tech, cell, library)
        self.nm = _TilePeriphery(p, tech, cell)
        self.cm = _TilePeriphery(p, tech, cell)

    # --- TileInitialize ---------------------------------------------------------------------
    def _init_buffers(self, unit: _TilePeriphery, num_pe: float, out_bits: float) -> None:
        """Tile output/input buffers: one core of the tile-buffer size, or smaller if that suffices."""
        p = self.p
        core_bits = p.tile_buffer_core_rows * p.tile_buffer_core_cols
        buffer_type = p.pe_buffer if quirks.applies("tile_buffer_uses_pe_buffer_type", p.compat) else p.tile_buffer
        wire_res, clk, sram = p.unit_length_wire_resistance, p.clk_freq_hz, buffer_type == "sram"
        out_total = out_bits * num_pe * p.num_col_subarray / p.num_col_muxed
        unit.num_out_buffer_core = math.ceil(out_total / core_bits)
        if out_total < core_bits:
            unit.output_buffer.initialize(int(out_total), int(out_bits * num_pe), 1, wire_res, clk, sram)
        else:
            unit.output_buffer.initialize(core_bits, p.tile_buffer_core_cols, 1, wire_res, clk, sram)
        in_total = num_pe * p.input_bits * p.num_row_subarray
        unit.num_in_buffer_core = math.ceil(in_total / core_bits)
        if in_total < core_bits:
            unit.input_buffer.initialize(int(in_total), int(num_pe * p.num_row_subarray), 1, wire_res, clk, sram)
        else:
            unit.input_buffer.initialize(core_bits, p.tile_buffer_core_cols, 1, wire_res, clk, sram)

    def initialize(self, num_pe_nm: float, pe_size_nm: float, num_pe_cm: float, pe_size_cm: float) -> None:
        p = self.p
        if p.sync_data_transfer:
            raise ValueError("Tile: sync_data_transfer is not supported")
        nrs, ncs, ncm, clk = p.num_row_subarray, p.num_col_subarray, p.num_col_muxed, p.clk_freq_hz
        num_subarray_nm = math.ceil(pe_size_nm / nrs) * math.ceil(pe_size_nm / ncs)
        num_subarray_cm = math.ceil(pe_size_cm / nrs) * math.ceil(pe_size_cm / ncs)
        side_nm, side_cm = math.ceil(math.sqrt(num_subarray_nm)), math.ceil(math.sqrt(num_subarray_cm))
        self.pe.initialize(side_nm, side_nm, side_cm, side_cm)
        out_bits = num_bit_subarray_output(p)

        sets = [(self.cm, num_pe_cm, pe_size_cm, side_cm)]
        if p.novel_mapping:
            sets.insert(0, (self.nm, num_pe_nm, pe_size_nm, side_nm))
        for unit, num_pe, pe_size, side in sets:
            pe_out_bits = out_bits + side
            if unit is self.nm:
                unit.accumulation.initialize(num_pe, pe_out_bits, math.ceil(pe_size / ncm), clk)
            else:
                unit.accumulation.initialize(num_pe, pe_out_bits, math.ceil(num_pe * pe_size / ncm), clk)
            if p.chip_activation:
                self._init_buffers(unit, num_pe, pe_out_bits + math.ceil(math.log2(num_pe)))
            else:
                if p.relu:
                    unit.relu.initialize(math.ceil(pe_size * ncs / ncm), p.input_bits, clk)
                else:
                    unit.sigmoid.initialize(SIGMOID_SRAM, p.input_bits, pe_out_bits + math.ceil(math.log2(num_pe)),
                                            math.ceil(num_pe * ncs / ncm), clk)
                self._init_buffers(unit, num_pe, p.input_bits)
            if unit is self.nm:
                side_pe = math.ceil(math.sqrt(num_pe))
                unit.htree.initialize(side_pe, side_pe, p.local_bus_delay_tolerance, num_pe * pe_size, clk)
            else:
                unit.htree.initialize(int(num_pe), int(num_pe), p.local_bus_delay_tolerance, num_pe * pe_size, clk)

    # --- TileCalculateArea ------------------------------------------------------------------
    def _pe_outline(self, pe_size: float, nm_tile: bool):
        p = self.p
        num_subarray = math.ceil(pe_size / p.num_row_subarray) * math.ceil(pe_size / p.num_col_subarray)
        side = math.ceil(math.sqrt(num_subarray))
        return self.pe.calculate_area(side, side, nm_tile)

    def calculate_area(self, num_pe: float, pe_size: float, nm_tile: bool) -> tuple[list[float], float, float]:
        """(area_results, height, width); area_results as in the module docstring."""
        p = self.p
        unit = self.nm if nm_tile else self.cm
        pe_results, pe_height, pe_width, _ = self._pe_outline(pe_size, nm_tile)
        pe_area, pe_adc, pe_accum, pe_other, pe_array = pe_results
        side = math.ceil(math.sqrt(num_pe))
        area = 0.0
        activation_area = 0.0
        unit.accumulation.calculate_area(0.0, side * pe_width, AreaModify.NONE)
        if not p.chip_activation:
            if p.relu:
                unit.relu.calculate_area(0.0, side * pe_width, AreaModify.NONE)
                activation_area = unit.relu.area
            else:
                unit.sigmoid.calculate_unit_area(AreaModify.NONE)
                unit.sigmoid.calculate_area(0.0, side * pe_width, AreaModify.NONE)
                activation_area = unit.sigmoid.area
            area += activation_area
        unit.input_buffer.calculate_area(side * pe_height, 0.0, AreaModify.NONE)
        unit.output_buffer.calculate_area(0.0, side * pe_width, AreaModify.NONE)
        unit.input_buffer.area *= unit.num_in_buffer_core
        unit.output_buffer.area *= unit.num_out_buffer_core
        unit.htree.calculate_area(pe_height, pe_width, 16)
        area += (pe_area * num_pe + unit.accumulation.area + unit.input_buffer.area + unit.output_buffer.area
                 + unit.htree.area)
        height = math.sqrt(area)
        width = area / height
        results = [
            area,
            unit.htree.area,
            pe_adc * num_pe,
            pe_accum * num_pe + unit.accumulation.area,
            pe_other * num_pe + unit.input_buffer.area + unit.output_buffer.area + activation_area,
            pe_array * num_pe,
        ]
        return results, height, width

    # --- TileCalculatePerformance -----------------------------------------------------------
    def calculate_performance(self, new_memory: np.ndarray, input_vector: np.ndarray, novel_map: bool,
                              num_pe: float, pe_size: float, speed_up_row: int, speed_up_col: int,
                              weight_matrix_row: int, weight_matrix_col: int, num_in_vector: int,
                              calculate_clk_freq: bool, clk_period: float = 0.0,
                              clk_freq: float | None = None, input_rows: dict | None = None) -> Performance:
        """``input_rows``: this tile slice's memo of its input rows' activity (`PE.input_rows`),
        kept by the caller across the clock and performance passes; None: no memo."""
        self.pe.input_rows = input_rows
        if not calculate_clk_freq:
            clk = self.p.clk_freq_hz if clk_freq is None else clk_freq
            for unit in (self.nm, self.cm):
                for circuit in unit.circuits():
                    circuit.clk_freq = clk
        else:
            clk = None
        if novel_map:
            return self._novel(new_memory, input_vector, num_pe, pe_size, speed_up_row, speed_up_col,
                               weight_matrix_row, weight_matrix_col, num_in_vector, calculate_clk_freq,
                               clk_period, clk)
        return self._conventional(new_memory, input_vector, num_pe, pe_size, speed_up_row, speed_up_col,
                                  weight_matrix_row, weight_matrix_col, num_in_vector, calculate_clk_freq,
                                  clk_period, clk)

    def _pe_run(self, memory, inputs, dup_row, dup_col, wmr, wmc, num_in_vector, nm, pe_size,
                calculate_clk_freq, clk_period, clk, row_offset: int = 0) -> Performance:
        """``row_offset``: the tile input row where the PE's ``inputs`` start."""
        p = self.p
        n_sub_row = math.ceil(pe_size / p.num_row_subarray)
        n_sub_col = math.ceil(pe_size / p.num_col_subarray)
        return self.pe.calculate_performance(memory, inputs, dup_row, dup_col, n_sub_row, n_sub_col, wmr, wmc,
                                             num_in_vector, nm, calculate_clk_freq, clk_period, clk,
                                             row_offset=row_offset)

    def _activation_and_buffers(self, unit: _TilePeriphery, acc: _Acc, num_in_vector: int,
                                weight_matrix_col: int, bits_to_load_out: float, in_divisor: float,
                                pe_size: float, nm: bool, htree_end: int) -> None:
        """In-tile activation, tile buffers and H-tree (the part after the PEs, non-clock pass)."""
        p = self.p
        reads = (num_in_vector // p.input_bits) * p.synapses_per_mux
        outputs = weight_matrix_col // p.num_col_per_synapse
        if not p.chip_activation:
            if p.relu:
                unit.relu.calculate_latency(reads / unit.relu.num_unit)
                unit.relu.calculate_power(reads / unit.relu.num_unit)
                acc.latency(unit.relu.read_latency, "other")
                acc.energy(unit.relu.read_dynamic_energy, "other")
                bits_to_load_in = max(outputs * (1 + unit.relu.num_bit) * num_in_vector / p.input_bits
                                      / in_divisor, 0)
            else:
                unit.sigmoid.calculate_latency(reads / unit.sigmoid.num_entry)
                unit.sigmoid.calculate_power(reads / unit.sigmoid.num_entry)
                acc.latency(unit.sigmoid.read_latency, "other")
                acc.energy(unit.sigmoid.read_dynamic_energy, "other")
                bits_to_load_in = max(outputs * (1 + unit.sigmoid.num_ybit) * num_in_vector / p.input_bits
                                      / in_divisor, 0)
        else:
            stages = unit.accumulation.num_stage + unit.accumulation.num_adder_bit
            bits_to_load_in = max(outputs * stages * num_in_vector / p.input_bits, 0)

        in_buf, out_buf, tree = unit.input_buffer, unit.output_buffer, unit.htree
        for buf, bits in ((in_buf, bits_to_load_out), (out_buf, bits_to_load_in)):
            w = buf.interface_width
            buf.calculate_latency(w, bits / w / 2.0, w, bits / w / 2.0)
            buf.calculate_power(w, bits / w / 2.0, w, bits / w / 2.0)
        # the buffer cores work in parallel, as far as the H-tree width allows
        in_par = min(unit.num_in_buffer_core, math.ceil(tree.bus_width / in_buf.interface_width))
        out_par = min(unit.num_out_buffer_core, math.ceil(tree.bus_width / out_buf.interface_width))
        in_buf.read_latency /= in_par
        in_buf.write_latency /= in_par
        out_buf.read_latency /= out_par
        out_buf.write_latency /= out_par
        in_lat = in_buf.read_latency + in_buf.write_latency
        out_lat = out_buf.read_latency + out_buf.write_latency
        acc.read_latency += in_lat
        acc.read_latency += out_lat
        acc.read_energy += in_buf.read_dynamic_energy + in_buf.write_dynamic_energy
        acc.read_energy += out_buf.read_dynamic_energy + out_buf.write_dynamic_energy

        (_, pe_height, pe_width, _) = self._pe_outline(pe_size, nm)
        tree.calculate_latency(0, 0, htree_end, htree_end, pe_height, pe_width,
                               (bits_to_load_out + bits_to_load_in) / tree.bus_width)
        tree.calculate_power(0, 0, htree_end, htree_end, pe_height, pe_width, tree.bus_width,
                             (bits_to_load_out * p.input_toggle + bits_to_load_in * p.output_toggle) / tree.bus_width)
        acc.read_latency += tree.read_latency
        acc.buffer_latency += (in_buf.read_latency + out_buf.read_latency + in_buf.write_latency
                               + out_buf.write_latency)
        acc.ic_latency += tree.read_latency
        acc.lat_other += (in_buf.read_latency + in_buf.write_latency + out_buf.read_latency + out_buf.write_latency
                          + tree.read_latency)
        acc.read_energy += tree.read_dynamic_energy
        buffer_energy = (in_buf.read_dynamic_energy + out_buf.read_dynamic_energy + in_buf.write_dynamic_energy
                         + out_buf.write_dynamic_energy)
        acc.buffer_energy += buffer_energy
        acc.ic_energy += tree.read_dynamic_energy
        acc.e_other += (in_buf.read_dynamic_energy + in_buf.write_dynamic_energy + out_buf.read_dynamic_energy
                        + out_buf.write_dynamic_energy + tree.read_dynamic_energy)

    def _conventional(self, memory, inputs, num_pe, pe_size, speed_up_row, speed_up_col, wmr, wmc,
                      num_in_vector, calculate_clk_freq, clk_period, clk) -> Performance:
        p = self.p
        unit = self.cm
        acc = _Acc(clk_period)
        accumulation = unit.accumulation
        acc_reads = (num_in_vector // p.input_bits) * math.ceil(p.num_col_muxed / p.num_col_per_synapse)
        pe_perf = None
        # the model also runs the tile accumulation in the clock pass and reads its leakage back
        # whether or not this tile accumulates: a tile without accumulation adds the last one run
        # (any tile, any pass); corrected: only this tile's own accumulation leaks
        stale = quirks.applies("tile_stale_accumulation_leakage", p.compat)
        acc_leakage = 0.0
        if speed_up_row * speed_up_col > 1:
            if speed_up_row >= num_pe and speed_up_col >= num_pe:
                # full duplication: every PE holds the whole assigned weight
                pe_perf = self._pe_run(memory[:wmr, :wmc], inputs[:wmr], math.ceil(speed_up_row / num_pe),
                                       math.ceil(speed_up_col / num_pe), wmr, wmc, num_in_vector, False, pe_size,
                                       calculate_clk_freq, acc.clk_period, clk)
                acc.clk_period = pe_perf.clk_period
                acc.set_from_pe(pe_perf, num_pe * num_pe)
            else:
                # a group of PEs holds the weights, partly duplicated
                for i in range(math.ceil(wmr / pe_size)):
                    for j in range(math.ceil(wmc / pe_size)):
                        if i * pe_size < wmr and j * pe_size < wmc:
                            pe_perf = self._pe_block(memory, inputs, i, j, pe_size, wmr, wmc, num_in_vector,
                                                     calculate_clk_freq, acc, clk)
                            acc.merge_pe(pe_perf)
                acc.divide_latencies(speed_up_row * speed_up_col)
                if math.ceil(wmr / pe_size) > 1 and (stale or not calculate_clk_freq):
                    units = math.ceil(wmr / pe_size)
                    accumulation.calculate_latency(acc_reads, units, 0)
                    accumulation.calculate_power(acc_reads, units)
                    if not calculate_clk_freq:
                        acc.latency(accumulation.read_latency, "accum")
                        acc.energy(accumulation.read_dynamic_energy, "accum")
                        acc_leakage = accumulation.leakage
        else:
            # no duplication: the weights are partitioned among the PE grid
            for i in range(int(math.ceil(num_pe))):
                for j in range(int(math.ceil(num_pe))):
                    if i * pe_size < wmr and j * pe_size < wmc:
                        pe_perf = self._pe_block(memory, inputs, i, j, pe_size, wmr, wmc, num_in_vector,
                                                 calculate_clk_freq, acc, clk)
                    elif not quirks.applies("tile_remerges_previous_pe", p.compat):
                        continue  # an empty grid position computes nothing
                    acc.merge_pe(pe_perf)
            if stale or not calculate_clk_freq:
                accumulation.calculate_latency(acc_reads, int(num_pe), 0)
                accumulation.calculate_power(acc_reads, int(num_pe))
            if not calculate_clk_freq:
                acc.latency(accumulation.read_latency, "accum")
                acc.energy(accumulation.read_dynamic_energy, "accum")
                acc_leakage = accumulation.leakage
        if calculate_clk_freq:
            return Performance(clk_period=acc.clk_period)
        self._activation_and_buffers(unit, acc, num_in_vector, wmc, float(max(wmr * num_in_vector, 0)), 1.0,
                                     pe_size, False, 0)
        if stale:
            acc_leakage = accumulation.leakage
        acc.leakage = (pe_perf.leakage * num_pe * num_pe + acc_leakage + unit.input_buffer.leakage
                       + unit.output_buffer.leakage + unit.htree.leakage)
        acc.leakage_sram = pe_perf.leakage_sram_in_use * num_pe * num_pe
        return acc.result()

    def _pe_block(self, memory, inputs, i, j, pe_size, wmr, wmc, num_in_vector, calculate_clk_freq, acc, clk):
        """One PE of a conventional tile: block (i, j) of ``pe_size`` rows/columns."""
        r0, c0 = int(i * pe_size), int(j * pe_size)
        rows = int(min(pe_size, wmr - i * pe_size))
        cols = int(min(pe_size, wmc - j * pe_size))
        perf = self._pe_run(memory[r0:r0 + rows, c0:c0 + cols], inputs[r0:r0 + rows], 1, 1, rows, cols,
                            num_in_vector, False, pe_size, calculate_clk_freq, acc.clk_period, clk, row_offset=r0)
        acc.clk_period = perf.clk_period
        return perf

    def _novel(self, memory, inputs, num_pe, pe_size, speed_up_row, speed_up_col, wmr, wmc, num_in_vector,
               calculate_clk_freq, clk_period, clk) -> Performance:
        p = self.p
        unit = self.nm
        acc = _Acc(clk_period)
        rows_per_pe = int(wmr / num_pe)
        pe_perf = None
        for i in range(int(math.ceil(num_pe))):
            location = int(i * min(pe_size, wmr / num_pe))
            pe_perf = self._pe_run(memory[location:location + rows_per_pe, :wmc],
                                   inputs[location:location + rows_per_pe], 1, 1, rows_per_pe, wmc,
                                   num_in_vector, True, pe_size, calculate_clk_freq, acc.clk_period, clk,
                                   row_offset=location)
            acc.clk_period = pe_perf.clk_period
            acc.merge_pe(pe_perf)
        if calculate_clk_freq:
            return Performance(clk_period=acc.clk_period)
        acc.divide_latencies(speed_up_row * speed_up_col)
        accumulation = unit.accumulation
        acc_reads = (num_in_vector // p.input_bits) * p.synapses_per_mux
        accumulation.calculate_latency(acc_reads, int(num_pe), 0)
        accumulation.calculate_power(acc_reads, int(num_pe))
        acc.latency(accumulation.read_latency, "accum")
        acc.energy(accumulation.read_dynamic_energy, "accum")
        self._activation_and_buffers(unit, acc, num_in_vector, wmc,
                                     max(wmr * num_in_vector / math.sqrt(num_pe), 0), num_pe, pe_size, True, 1)
        acc.leakage = (pe_perf.leakage * num_pe + accumulation.leakage + unit.input_buffer.leakage
                       + unit.output_buffer.leakage + unit.htree.leakage)
        acc.leakage_sram = pe_perf.leakage_sram_in_use * num_pe
        return acc.result()


class _Acc:
    """Running tile totals: PEs in parallel (latency max, energy sum), then serial steps."""

    def __init__(self, clk_period: float):
        self.clk_period = clk_period
        self.read_latency = self.read_energy = 0.0
        self.buffer_latency = self.buffer_energy = 0.0
        self.ic_latency = self.ic_energy = 0.0
        self.lat_adc = self.lat_accum = self.lat_other = 0.0
        self.e_adc = self.e_accum = self.e_other = 0.0
        self.leakage = self.leakage_sram = 0.0

    def merge_pe(self, pe: Performance) -> None:
        self.read_latency = max(pe.read_latency, self.read_latency)
        self.read_energy += pe.read_dynamic_energy
        self.buffer_latency = max(pe.buffer_latency, self.buffer_latency)
        self.buffer_energy += pe.buffer_dynamic_energy
        self.ic_latency = max(pe.ic_latency, self.ic_latency)
        self.ic_energy += pe.ic_dynamic_energy
        self.lat_adc = max(pe.core_latency_adc, self.lat_adc)
        self.lat_accum = max(pe.core_latency_accum, self.lat_accum)
        self.lat_other = max(pe.core_latency_other, self.lat_other)
        self.e_adc += pe.core_energy_adc
        self.e_accum += pe.core_energy_accum
        self.e_other += pe.core_energy_other

    def set_from_pe(self, pe: Performance, speed_up: float) -> None:
        """Fully duplicated PEs: latencies shrink by ``speed_up``, energies are the PE's."""
        self.read_latency = pe.read_latency / speed_up
        self.read_energy = pe.read_dynamic_energy
        self.buffer_latency = pe.buffer_latency / speed_up
        self.buffer_energy = pe.buffer_dynamic_energy
        self.ic_latency = pe.ic_latency / speed_up
        self.ic_energy = pe.ic_dynamic_energy
        self.lat_adc = pe.core_latency_adc / speed_up
        self.lat_accum = pe.core_latency_accum / speed_up
        self.lat_other = pe.core_latency_other / speed_up
        self.e_adc = pe.core_energy_adc
        self.e_accum = pe.core_energy_accum
        self.e_other = pe.core_energy_other

    def divide_latencies(self, speed_up: float) -> None:
        self.read_latency /= speed_up
        self.lat_adc /= speed_up
        self.lat_accum /= speed_up
        self.lat_other /= speed_up
        self.buffer_latency /= speed_up
        self.ic_latency /= speed_up

    def latency(self, value: float, part: str) -> None:
        """A step in series with the PEs: add to the total and to one breakdown part."""
        self.read_latency += value
        setattr(self, f"lat_{part}", getattr(self, f"lat_{part}") + value)

    def energy(self, value: float, part: str) -> None:
        self.read_energy += value
        setattr(self, f"e_{part}", getattr(self, f"e_{part}") + value)

    def result(self) -> Performance:
        return Performance(*(float(v) for v in (
            self.read_latency, self.read_energy, self.leakage, self.leakage_sram, self.buffer_latency,
            self.buffer_energy, self.ic_latency, self.ic_energy, self.lat_adc, self.lat_accum, self.lat_other,
            self.e_adc, self.e_accum, self.e_other, self.clk_period)))
