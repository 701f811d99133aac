"""Tile: processing elements, the adder tree accumulating their outputs, an optional in-tile
activation unit, the tile input/output buffers and the H-tree linking them (DNN+NeuroSim V1.4
manual, "Tile"; Peng et al., IEDM 2019, Fig. 2).

Described as data (`levels`): the tile's own parts are a `Macro` of builder models --

==================  ==============================================  ==============
role                model                                           bucket
==================  ==============================================  ==============
``accumulation``    `adder_tree` summing the PEs' partial sums        accumulation
``activation``      `bit_shifter` (ReLU) or `sigmoid` look-up tables  other
                    (only without chip-level activation)
``input_buffer``    `buffer` cores holding the tile's inputs          buffer
``output_buffer``   `buffer` cores holding its outputs                buffer
``htree``           `htree` from the buffers to the PEs               interconnect
==================  ==============================================  ==============

-- and its children are its PEs (`pe.PE`).  A tile comes in two kinds (`TileKind`): novel mapping
(``num_pe`` PEs, each holding a group of kernel rows of every column) and conventional mapping
(``num_pe`` x ``num_pe`` PEs cutting the weight block into ``pe_size`` squares).

Overlap rule (stated once, `Tile.read`): the PEs run in parallel and the slowest counts; a tile
whose weights are duplicated (speed-up > 1) splits the input vectors over its copies (latency /
speed-up); the accumulation adder tree then sums the PE outputs (unless one PE, or one row of
PEs, holds the whole weight block); then, in series, the activation unit, the input and output
buffers -- each split over as many cores as the H-tree is wide -- and the H-tree.

Reproduced reference behaviour (``neurosim_core.quirks``, off with ``compat="corrected"``): the
tile buffers take the PE buffer type (``tile_buffer_uses_pe_buffer_type``); in a conventional
tile without duplication, grid positions outside the weights add the previous PE's results
again (``tile_remerges_previous_pe``); a conventional tile that runs no accumulation still
leaks like the last accumulation run (``tile_stale_accumulation_leakage``); the activation unit
does not leak (``tile_leakage_omits_activation``) and a buffer of several cores leaks like one
(``buffer_leakage_one_core``); a duplicated PE without adder-tree run leaks like the last one run
(``pe_stale_adder_tree_leakage``, `pe.PE.read`).  Every PE of the grid leaks like the last one read.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import quirks
from .arch import Macro, Part, Use
from .circuits.arithmetic import AdderTreeSpec, BitShifterSpec, adder_tree, bit_shifter
from .circuits.env import CircuitEnv
from .circuits.buffer import BufferSpec, SramCellSpec, buffer
from .circuits.functional import SigmoidSpec, sigmoid
from .circuits.interconnect import HTreeSpec, WireSpec, htree
from .levels import Area, Clock, LevelCost, Timing, add_breakdowns, steps
from .pe import PE, PEJob, PEShape, num_bit_subarray_output
from .plugins import BUILT_IN, ComponentLibrary

__all__ = ["Tile", "TileJob", "TileKind", "part_leakage_w"]


@dataclass(frozen=True)
class TileKind:
    """``novel``: novel mapping, ``num_pe`` PEs; conventional: ``num_pe`` x ``num_pe`` PEs; PEs of
    ``pe_size`` x ``pe_size`` cells."""

    novel: bool
    num_pe: int
    pe_size: int

    @property
    def pe_count(self) -> int:
        return self.num_pe if self.novel else self.num_pe * self.num_pe

    @property
    def side(self) -> int:
        """PEs along a side of the (square) tile layout."""
        return math.ceil(math.sqrt(self.pe_count))


@dataclass(frozen=True)
class TileJob:
    """One tile's slice of a layer: ``weights`` (uint8 cell codes), ``inputs`` (uint8 0/1 input
    bits, rows x bit-vectors), ``num_vectors`` read, the weight extent ``matrix_rows`` x
    ``matrix_cols``, the layer's ``speedup`` (rows, cols) and the slice's input-row memo
    (`PE.input_rows`, kept across the clock and performance passes; None: no memo)."""

    weights: np.ndarray
    inputs: np.ndarray
    num_vectors: int
    matrix_rows: int
    matrix_cols: int
    speedup: tuple[int, int] = (1, 1)
    input_rows: dict | None = None


def part_leakage_w(macro: Macro, compat: str, *, silent: tuple[str, ...] = ()) -> float:
    """Leakage of a level's own parts: every instance of every part, except as the reference counts
    it -- ``silent`` roles left out (``tile_leakage_omits_activation``) and a buffer's cores
    counted once (``buffer_leakage_one_core``)."""
    one_core = quirks.applies("buffer_leakage_one_core", compat)
    return sum(part.model.leakage_w * (1 if one_core and part.bucket == "buffer" else part.count)
               for part in macro.parts if part.role not in silent)


class Tile:
    """A tile; see the module docstring.  Holds its PE and, for the reference's stale accumulation
    leakage, the leakage of the last conventional accumulation run."""

    def __init__(self, p, tech, cell, library: ComponentLibrary = BUILT_IN):
        if p.sync_data_transfer:
            raise ValueError("Tile: sync_data_transfer is not supported")
        self.p, self.tech, self.cell = p, tech, cell
        self.pe = PE(p, tech, cell, library)
        self._macros: dict = {}
        self._last_accumulation_leakage_w = 0.0  # quirk tile_stale_accumulation_leakage

    # --- parts ---------------------------------------------------------------------------------
    def _pe_out_bits(self, kind: TileKind) -> int:
        return num_bit_subarray_output(self.p) + PEShape.of(self.p, kind.pe_size).side

    def macro(self, kind: TileKind, accumulated: int, clk_freq: float) -> Macro:
        """The tile's own parts; the accumulation adds ``accumulated`` PE outputs (0: all)."""
        key = (kind, accumulated, clk_freq)
        if key not in self._macros:
            self._macros[key] = self._build_macro(kind, accumulated, clk_freq)
        return self._macros[key]

    def _build_macro(self, kind: TileKind, accumulated: int, clk_freq: float) -> Macro:
        p, tech, cell = self.p, self.tech, self.cell
        env = CircuitEnv.of(p, tech, clk_freq)
        pe_area = self.pe.area(PEShape.of(p, kind.pe_size).side)
        width, height = kind.side * pe_area.width_m, kind.side * pe_area.height_m
        out_bits = self._pe_out_bits(kind)
        columns = kind.pe_size if kind.novel else kind.num_pe * kind.pe_size
        tree = adder_tree(AdderTreeSpec(num_rows=kind.num_pe, num_adder_bit=out_bits,
                                        num_trees=math.ceil(columns / p.num_col_muxed), num_inputs=accumulated,
                                        fit_width_m=width, delta=p.delta if p.validated else 1.0), env)
        parts = [Part("accumulation", tree, "accumulation")]
        stored_bits = out_bits + math.ceil(math.log2(kind.num_pe))
        if not p.chip_activation:
            if p.relu:
                unit = bit_shifter(BitShifterSpec(num_unit=math.ceil(kind.pe_size * p.num_col_subarray / p.num_col_muxed),
                                                  num_bit=p.input_bits, fit_width_m=width), env)
            else:
                unit = sigmoid(SigmoidSpec(num_ybit=p.input_bits, num_entry=stored_bits,
                                           num_function=math.ceil(kind.num_pe * p.num_col_subarray / p.num_col_muxed),
                                           cell=SramCellSpec.of(p, cell, footprint="memory_cell"), fit_width_m=width,
                                           decoder_sizing=p.sizing_factor_wl_decoder,
                                           control_activity=p.epsilon if p.validated else 1.0), env)
            parts.append(Part("activation", unit, "other"))
            stored_bits = p.input_bits
        buffer_type = p.pe_buffer if quirks.applies("tile_buffer_uses_pe_buffer_type", p.compat) else p.tile_buffer
        core_bits = p.tile_buffer_core_rows * p.tile_buffer_core_cols
        for role, total, line, fit in (
                ("input_buffer", kind.num_pe * p.input_bits * p.num_row_subarray, kind.num_pe * p.num_row_subarray,
                 {"fit_height_m": height}),
                ("output_buffer", stored_bits * kind.num_pe * p.num_col_subarray / p.num_col_muxed,
                 stored_bits * kind.num_pe, {"fit_width_m": width})):
            # one core of the tile-buffer size, or a smaller one if that suffices
            bits, interface = (int(total), int(line)) if total < core_bits else (core_bits, p.tile_buffer_core_cols)
            model = buffer(BufferSpec.of(p, cell, num_bit=bits, interface_width=interface, sram=buffer_type == "sram",
                                         **fit), env)
            parts.append(Part(role, model, "buffer", count=math.ceil(total / core_bits)))
        tree_side = kind.side if kind.novel else kind.num_pe
        parts.append(Part("htree", htree(HTreeSpec(num_row=tree_side, num_col=tree_side, unit_height_m=pe_area.height_m,
                                                   unit_width_m=pe_area.width_m, bus_width=kind.num_pe * kind.pe_size,
                                                   delay_tolerance=p.local_bus_delay_tolerance, folded_ratio=16,
                                                   wire=WireSpec.of(p)), env), "interconnect"))
        return Macro("tile", tuple(parts))

    # --- area ----------------------------------------------------------------------------------
    def area(self, kind: TileKind) -> Area:
        """Area of a tile of ``kind`` (square outline)."""
        pe_area = self.pe.area(PEShape.of(self.p, kind.pe_size).side)
        total, parts = Area.of(self.macro(kind, 0, self.p.clk_freq_hz), [(pe_area, kind.pe_count)])
        return Area.square(total, parts)

    # --- one operation -------------------------------------------------------------------------
    def _pe_jobs(self, kind: TileKind, job: TileJob) -> tuple[list[PEJob], int, int]:
        """(the PEs' jobs in read order, how many ways they share the vectors, how many PE outputs
        the accumulation adds: 0 = no accumulation)."""
        p, size = self.p, kind.pe_size
        shape = PEShape.of(p, size)
        wmr, wmc, n = job.matrix_rows, job.matrix_cols, job.num_vectors
        novel = kind.novel
        su_r, su_c = job.speedup

        def block(i: int, j: int) -> PEJob:
            r0, c0 = int(i * size), int(j * size)
            rows, cols = int(min(size, wmr - i * size)), int(min(size, wmc - j * size))
            return PEJob(job.weights[r0:r0 + rows, c0:c0 + cols], job.inputs[r0:r0 + rows], n, rows, cols, shape,
                         row_offset=r0, novel=novel)

        if kind.novel:  # each PE holds a group of rows of every column
            rows = int(wmr / kind.num_pe)
            starts = [int(i * min(size, wmr / kind.num_pe)) for i in range(kind.num_pe)]
            jobs = [PEJob(job.weights[r:r + rows, :wmc], job.inputs[r:r + rows], n, rows, wmc, shape, row_offset=r,
                          novel=novel) for r in starts]
            return jobs, su_r * su_c, kind.num_pe
        if su_r * su_c > 1 and su_r >= kind.num_pe and su_c >= kind.num_pe:
            # every PE holds the whole block: one PE's read, shared by all the PEs
            copies = (math.ceil(su_r / kind.num_pe), math.ceil(su_c / kind.num_pe))
            whole = PEJob(job.weights[:wmr, :wmc], job.inputs[:wmr], n, wmr, wmc, shape, copies=copies, novel=novel)
            return [whole], kind.pe_count, 0
        row_blocks = math.ceil(wmr / size)
        if su_r * su_c > 1:  # a group of PEs holds the block, the rest duplicate it
            jobs = [block(i, j) for i in range(row_blocks) for j in range(math.ceil(wmc / size))]
            return jobs, su_r * su_c, row_blocks if row_blocks > 1 else 0
        jobs = []
        for i in range(kind.num_pe):
            for j in range(kind.num_pe):
                if i * size < wmr and j * size < wmc:
                    jobs.append(block(i, j))
                elif quirks.applies("tile_remerges_previous_pe", p.compat):
                    jobs.append(jobs[-1])  # an empty grid position adds the previous PE again
        return jobs, 1, kind.num_pe

    def sensing_period(self, kind: TileKind, job: TileJob) -> float:
        """The longest subarray sensing delay of the tile's PEs over the job's vectors (s)."""
        self.pe.input_rows = job.input_rows
        jobs, _, accumulated = self._pe_jobs(kind, job)
        if not kind.novel and accumulated and quirks.applies("tile_stale_accumulation_leakage", self.p.compat):
            # the reference runs the accumulation in this pass too, leaving its leakage behind
            macro = self.macro(kind, accumulated, self.p.clk_freq_hz)
            self._last_accumulation_leakage_w = macro.part("accumulation").model.leakage_w
        return max((self.pe.sensing_period(j) for j in {id(j): j for j in jobs}.values()), default=0.0)

    def read(self, kind: TileKind, job: TileJob, clk_freq: float | None = None) -> LevelCost:
        """Latency, energy and leakage of the tile reading ``job`` at ``clk_freq`` (None:
        ``p.clk_freq_hz``; cycles when synchronous); the overlap rule is the module docstring's."""
        p = self.p
        clock = Clock(bool(p.synchronous), p.clk_freq_hz if clk_freq is None else clk_freq)
        self.pe.input_rows = job.input_rows
        jobs, ways, accumulated = self._pe_jobs(kind, job)
        pe_costs: list[LevelCost] = []
        for pe_job in jobs:
            if pe_costs and pe_job is jobs[len(pe_costs) - 1]:
                pe_costs.append(pe_costs[-1])
            else:
                pe_costs.append(self.pe.read(pe_job, clock.freq_hz))
        macro = self.macro(kind, accumulated, clock.freq_hz)
        cost = LevelCost(Timing.slowest(c.timing for c in pe_costs).shared(ways),
                         add_breakdowns(c.energy for c in pe_costs))
        reads = (job.num_vectors // p.input_bits)
        if accumulated:
            per_read = p.synapses_per_mux if kind.novel else math.ceil(p.num_col_muxed / p.num_col_per_synapse)
            cost = cost.then(steps(macro, [Use("accumulation", "reduce", reads * per_read)], clock))
        cost = cost.then(self._tail(kind, job, macro, clock))
        return cost._replace(leakage_w=self._leakage(kind, macro, pe_costs[-1], accumulated),
                             leakage_in_use_w=pe_costs[-1].leakage_in_use_w * kind.pe_count)

    def _leakage(self, kind: TileKind, macro: Macro, last_pe: LevelCost, accumulated: int) -> float:
        """Every PE, the buffers, the H-tree and the accumulation (quirks: module docstring)."""
        p = self.p
        silent = ("activation",) if quirks.applies("tile_leakage_omits_activation", p.compat) else ()
        own = part_leakage_w(macro, p.compat, silent=("accumulation", *silent))
        accumulation = macro.part("accumulation").model.leakage_w if accumulated else 0.0
        if not kind.novel and quirks.applies("tile_stale_accumulation_leakage", p.compat):
            if accumulated:
                self._last_accumulation_leakage_w = accumulation
            accumulation = self._last_accumulation_leakage_w
        return last_pe.leakage_w * kind.pe_count + accumulation + own

    def _tail(self, kind: TileKind, job: TileJob, macro: Macro, clock: Clock) -> LevelCost:
        """After the PEs: activation, the buffers (cores in parallel up to the H-tree width), the H-tree."""
        p = self.p
        n = job.num_vectors
        outputs = job.matrix_cols // p.num_col_per_synapse
        to_pes = max(job.matrix_rows * n / (math.sqrt(kind.num_pe) if kind.novel else 1), 0)
        uses = []
        if macro.has("activation"):
            action, per = (("shift", math.ceil(kind.pe_size * p.num_col_subarray / p.num_col_muxed)) if p.relu
                           else ("lookup", self._pe_out_bits(kind) + math.ceil(math.log2(kind.num_pe))))
            uses.append(Use("activation", action, (n // p.input_bits) * p.synapses_per_mux / per))
            from_pes = max(outputs * (1 + p.input_bits) * n / p.input_bits / (kind.num_pe if kind.novel else 1), 0)
        else:
            stages = math.ceil(math.log2(kind.num_pe)) + self._pe_out_bits(kind)
            from_pes = max(outputs * stages * n / p.input_bits, 0)
        cost = steps(macro, uses, clock)
        tree = macro.part("htree").model
        for role, bits in (("input_buffer", to_pes), ("output_buffer", from_pes)):
            part = macro.part(role)
            width = part.model.port("interface_width")
            lines = bits / width / 2.0
            cores = min(part.count, math.ceil(tree.port("bus_width") / width))
            moved = steps(macro, [Use(role, "read", lines), Use(role, "write", lines)], clock)
            cost = cost.then(moved._replace(timing=moved.timing.shared(cores)))
        pe_area = self.pe.area(PEShape.of(p, kind.pe_size).side)
        unit = {"unit_height_m": pe_area.height_m, "unit_width_m": pe_area.width_m}
        bus_width = tree.port("bus_width")
        return cost.then(steps(macro, [
            Use("htree", "transfer", (to_pes + from_pes) / bus_width, unit),
            Use("htree", "bit", to_pes * p.input_toggle + from_pes * p.output_toggle, unit)], clock))
