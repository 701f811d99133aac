"""Chip model: global buffer, global interconnect, chip-level accumulation/activation/pooling and
the carving of each layer's weights and inputs into tiles.

Follows the NeuroSim V1.4 Chip.cpp model (``ChipInitialize``, ``ChipCalculateArea``,
``ChipCalculatePerformance``; DNN+NeuroSim V1.4 manual, "Chip level"; Peng et al., IEDM 2019).
Tiles are evaluated by `neurosim_core.tile.Tile` (NeuroSim V1.4 Tile.cpp model).

Layer carving reproduces the model's choices, which change the numbers:

* conventional mapping cuts the unrolled weight matrix (rows ``c_in*K_H*K_W``, columns
  ``c_out*num_col_per_synapse``) into ``tile_size`` x ``tile_size`` blocks;
* novel mapping gives each tile ``num_pe_nm`` groups of rows ``pos + k*C_in + i`` (the model reads
  the rows as kernel-position-major although the traces are c_in-major; see
  `traces.novel_mapping_rows`) and ``c_out*cps // n_col_tiles`` columns;
* only the first ``((H-K_H+1)/s)*((W-K_W+1)/s)`` windows of a layer's trace are evaluated.

Latencies returned by `Chip.layer_performance` are clock cycles when ``synchronous`` (the caller
multiplies by the clock period, as NeuroSim's main does), seconds otherwise.  The
``sync_data_transfer`` mode of the model is not supported (`ChipModelError`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

import numpy as np

from . import quirks
from .circuits import AdderTree, BitShifter, Buffer, HTree, MaxPooling, Sigmoid, XYBus
from .constants import AreaModify
from .floorplan import Floorplan
from .network import LayerSpec, Network
from .params import Params
from .pe import ActivityModel
from .plugins import BUILT_IN, ComponentLibrary
from .tile import Tile
from .traces import LayerTrace, input_bit_matrix, novel_mapping_rows, weight_cell_codes

__all__ = ["Chip", "ChipArea", "ChipModelError", "LayerEvaluation", "LayerPerformance", "TileSlice",
           "layer_tile_slices"]


class ChipModelError(ValueError):
    """A configuration or trace the chip model cannot evaluate (one-line message)."""


@dataclass(frozen=True)
class ChipArea:
    """Chip area and its breakdown (m^2), chip and tile outlines (m)."""

    area: float
    area_ic: float
    area_adc: float
    area_accum: float
    area_other: float
    area_array: float
    height: float
    width: float
    cm_tile_height: float
    cm_tile_width: float
    nm_tile_height: float
    nm_tile_width: float


@dataclass
class LayerPerformance:
    """One layer's ChipCalculatePerformance outputs.

    Latencies are clock cycles when synchronous, seconds otherwise; energies J.  ``leakage`` and
    ``leakage_sram_in_use`` are per tile (W) -- the model keeps the last tile's values
    (``chip_last_tile_leakage``; corrected: the mean over the layer's tiles).
    """

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

    def merge_tile(self, tile: "LayerPerformance") -> None:
        """Tiles run in parallel: latencies take the maximum, energies add up, leakage is the last tile's."""
        for f in fields(self):
            name = f.name
            ours, theirs = getattr(self, name), getattr(tile, name)
            if name in ("leakage", "leakage_sram_in_use"):
                setattr(self, name, theirs)
            elif "latency" in name:
                setattr(self, name, max(ours, theirs))
            else:
                setattr(self, name, ours + theirs)

    def add_latency(self, latency: float, part: str) -> None:
        """A chip-level step in series with the tiles: add to the total and to one breakdown part."""
        self.read_latency += latency
        setattr(self, f"core_latency_{part}", getattr(self, f"core_latency_{part}") + latency)

    def add_energy(self, energy: float, part: str) -> None:
        self.read_dynamic_energy += energy
        setattr(self, f"core_energy_{part}", getattr(self, f"core_energy_{part}") + energy)


@dataclass(frozen=True)
class LayerEvaluation:
    """A layer carved into tiles, with its longest sensing delay (s; 0 when not synchronous)."""

    index: int
    slices: list
    clock_period: float

    @property
    def has_infinite_sensing(self) -> bool:
        return not math.isfinite(self.clock_period)


@dataclass(frozen=True)
class TileSlice:
    """The weights and inputs one tile of a layer holds.

    ``weights``: uint8 cell codes (rows, cols); ``inputs``: uint8 0/1 input bits (rows, bit vectors);
    ``num_row_matrix``/``num_col_matrix``: the weight-matrix extent the model passes to the tile
    (``weightMatrixRow``/``weightMatrixCol`` of TileCalculatePerformance).
    """

    weights: np.ndarray
    inputs: np.ndarray
    num_row_matrix: int
    num_col_matrix: int
    #: memo of this slice's input-row activity, shared by the clock and performance passes
    input_rows: dict = field(default_factory=dict, compare=False, repr=False)


def layer_tile_slices(layer: LayerSpec, novel: bool, fp: Floorplan, p: Params, cell_codes: np.ndarray,
                      input_bits: np.ndarray) -> list[TileSlice]:
    """Cut a layer's cell-code matrix and input-bit matrix into tiles (ChipCalculatePerformance)."""
    rps, cps = p.num_row_per_synapse, p.num_col_per_synapse
    weight_rows = layer.weight_rows * rps
    weight_cols = layer.c_out * cps
    slices = []
    if not novel:
        size = fp.desired_tile_size_cm
        for i in range(math.ceil(weight_rows / size)):
            for j in range(math.ceil(weight_cols / size)):
                rows = min(size, weight_rows - i * size)
                cols = min(size, weight_cols - j * size)
                r0, c0 = i * size, j * size
                slices.append(TileSlice(cell_codes[r0:r0 + rows, c0:c0 + cols], input_bits[r0:r0 + rows],
                                        rows, cols))
        return slices
    size, num_pe = fp.desired_pe_size_nm, fp.num_pe_nm
    cin_rows = layer.ifm_c * rps
    n_row_tiles = math.ceil(cin_rows / size)
    n_col_tiles = math.ceil(weight_cols / size)
    rows_per_pe = cin_rows // n_row_tiles
    cols_per_tile = weight_cols // n_col_tiles
    for i in range(n_row_tiles):
        index = novel_mapping_rows(i * size, rows_per_pe, num_pe, cin_rows,
                                   kernel_position_major=quirks.applies("novel_mapping_row_order", p.compat))
        for j in range(n_col_tiles):
            rows = min(size * num_pe, weight_rows - i * size * num_pe)
            cols = min(size, weight_cols - j * size)
            c0 = j * size
            slices.append(TileSlice(cell_codes[index, c0:c0 + cols_per_tile], input_bits[index], rows, cols))
    return slices


def _ceil_log2(x: float) -> int:
    return math.ceil(math.log2(x))


class Chip:
    """The chip-level model for one network and floorplan (NeuroSim V1.4 Chip.cpp)."""

    def __init__(self, p: Params, tech, cell, network: Network, fp: Floorplan, library: ComponentLibrary = BUILT_IN):
        if p.sync_data_transfer:
            raise ChipModelError("sync_data_transfer is not supported by this chip model; set it to false")
        self.p, self.tech, self.cell = p, tech, cell
        self.network, self.fp = network, fp
        self.tile = Tile(p, tech, cell, library)
        self._activity: dict[int, ActivityModel | None] = {}  # per layer (see _activity_model)
        self.global_buffer = Buffer(p, tech, cell)
        self.htree = HTree(p, tech, cell)
        self.xy_bus = XYBus(p, tech, cell)
        self.accumulation = AdderTree(p, tech, cell)
        self.sigmoid = Sigmoid(p, tech, cell)
        self.relu = BitShifter(p, tech, cell)
        self.max_pool = MaxPooling(p, tech, cell)
        self.global_bus_width = 0.0
        self.num_buffer_core = 0
        self.area: ChipArea | None = None

    # --- ChipInitialize ------------------------------------------------------------------
    def initialize(self, clk_freq: float) -> None:
        """Size the tile and the chip-level circuits (``clk_freq``: the configured clock, Hz)."""
        p, fp, layers = self.p, self.fp, self.network.layers
        tile_cm, pe_cm, pe_nm = fp.desired_tile_size_cm, fp.desired_pe_size_cm, fp.desired_pe_size_nm
        num_pe_nm = fp.num_pe_nm
        self.tile.initialize(num_pe_nm, pe_nm, math.ceil(tile_cm / pe_cm), pe_cm)

        nm_side = math.ceil(math.sqrt(num_pe_nm)) if num_pe_nm else 0
        bus_cm = tile_cm + tile_cm / p.num_col_muxed
        bus_nm = pe_nm * nm_side + pe_nm * nm_side / p.num_col_muxed
        max_layer_input = 0.0
        bus_width = 0.0
        for i, layer in enumerate(layers):
            layer_input = layer.ifm_h * layer.ifm_w * layer.ifm_c
            per_tile = bus_nm if fp.mark_nm[i] else bus_cm
            if p.pipeline:
                max_layer_input += layer_input / 2
                bus_width += per_tile * fp.num_tile_rows[i] * fp.num_tile_cols[i]
            else:
                max_layer_input = max(max_layer_input, layer_input)
                bus_width += per_tile
        while bus_width > p.max_global_bus_width:  # the bus cannot grow with the tile count
            bus_width /= 2
        self.global_bus_width = bus_width
        max_tile_added = max(fp.num_tile_rows)

        buffer_bits = int(p.input_bits * max_layer_input)
        core_rows, core_cols = p.global_buffer_core_rows, p.global_buffer_core_cols
        self.num_buffer_core = math.ceil(buffer_bits / (core_rows * core_cols))
        self.global_buffer.initialize(core_rows * core_cols, core_cols, 1, p.unit_length_wire_resistance,
                                      clk_freq, p.global_buffer == "sram")
        self.max_pool.initialize(p.input_bits, 2 * 2, int(max(tile_cm / p.num_col_muxed, pe_nm / p.num_col_muxed)),
                                 clk_freq)
        if p.global_bus == "htree":
            self.htree.initialize(fp.num_tile_row, fp.num_tile_col, p.global_bus_delay_tolerance, bus_width, clk_freq)
        else:
            self.xy_bus.initialize(fp.num_tile_row, fp.num_tile_col, p.global_bus_delay_tolerance, bus_width, clk_freq)

        if p.novel_mapping:
            max_throughput = int(max(tile_cm, math.ceil(pe_nm)))
            max_add = int(max(math.ceil(pe_cm / p.num_row_subarray), math.ceil(pe_nm / p.num_row_subarray)))
            max_add *= int(max(math.ceil(tile_cm / pe_cm), math.ceil(math.sqrt(num_pe_nm))))
        else:
            max_throughput = tile_cm
            max_add = int(math.ceil(pe_cm / p.num_row_subarray)) * int(math.ceil(tile_cm / pe_cm))
        if p.pipeline:
            if p.novel_mapping:
                max_throughput *= len(layers) + 1
            max_add *= len(layers) + 1
        num_units = math.ceil(max_throughput / p.num_col_muxed)
        if p.chip_activation:
            out_bits = self._subarray_output_bits()
            self.accumulation.initialize(int(max_tile_added), out_bits + _ceil_log2(max_add), num_units, clk_freq)
            if p.relu:
                self.relu.initialize(num_units, p.input_bits, clk_freq)
            else:
                self.sigmoid.initialize(True, p.input_bits,
                                        out_bits + _ceil_log2(max_add) + _ceil_log2(max_tile_added),
                                        num_units, clk_freq)
        else:
            self.accumulation.initialize(int(max_tile_added), p.input_bits, num_units, clk_freq)

    def _subarray_output_bits(self) -> int:
        """Bits of one subarray's partial sum (numBitSubarrayOutput of ChipInitialize)."""
        p = self.p
        if p.parallel_read:
            return int(math.log2(p.level_output) + _ceil_log2(max(p.num_row_subarray // p.num_row_parallel, 1))
                       + p.input_bits + (p.num_col_per_synapse - 1) * p.cell_bit + 1)
        return int(_ceil_log2(p.num_row_subarray) + p.cell_bit + p.input_bits
                   + (p.num_col_per_synapse - 1) * p.cell_bit + 1)

    # --- ChipCalculateArea ---------------------------------------------------------------
    def calculate_area(self) -> ChipArea:
        """Chip area and breakdown: tiles x count, global buffer, bus, pooling, accumulation, activation."""
        p, fp = self.p, self.fp
        total = np.zeros(6)  # area, IC, ADC, accumulation, other, array
        nm_h = nm_w = 0.0
        if p.novel_mapping:
            nm_parts, nm_h, nm_w = self.tile.calculate_area(fp.num_pe_nm, fp.desired_pe_size_nm, True)
            total += np.asarray(nm_parts, dtype=float) * fp.desired_num_tile_nm
        cm_parts, cm_h, cm_w = self.tile.calculate_area(
            math.ceil(fp.desired_tile_size_cm / fp.desired_pe_size_cm) ** 2, fp.desired_pe_size_cm, False)
        total += np.asarray(cm_parts, dtype=float) * fp.desired_num_tile_cm
        area, area_ic, area_adc, area_accum, area_other, area_array = (float(v) for v in total)

        tile_h, tile_w = max(nm_h, cm_h), max(nm_w, cm_w)
        buffer_height = fp.num_tile_row * tile_h
        self.global_buffer.calculate_area(buffer_height, 0.0, AreaModify.NONE)
        buffer_area = self.global_buffer.area * self.num_buffer_core
        buffer_width = buffer_area / buffer_height
        bus = self.htree if p.global_bus == "htree" else self.xy_bus
        bus.calculate_area(tile_h, tile_w, p.tree_folded_ratio)
        area += bus.area
        area_ic += bus.area
        self.max_pool.calculate_unit_area(AreaModify.NONE)
        self.max_pool.calculate_area(buffer_width)
        self.accumulation.calculate_area(0.0, buffer_height / 3, AreaModify.NONE)
        activation_area = 0.0
        if p.chip_activation:
            if p.relu:
                self.relu.calculate_area(0.0, buffer_width / 3, AreaModify.NONE)
                activation_area = self.relu.area
            else:
                self.sigmoid.calculate_unit_area(AreaModify.NONE)
                self.sigmoid.calculate_area(0.0, buffer_width / 3, AreaModify.NONE)
                activation_area = self.sigmoid.area
        area += activation_area + buffer_area + self.max_pool.area + self.accumulation.area
        height = math.sqrt(area)
        self.area = ChipArea(
            area=area,
            area_ic=area_ic,
            area_adc=area_adc,
            area_accum=area_accum + self.accumulation.area,
            area_other=area_other + buffer_area + self.max_pool.area + activation_area,
            area_array=area_array,
            height=height,
            width=area / height,
            cm_tile_height=cm_h,
            cm_tile_width=cm_w,
            nm_tile_height=nm_h,
            nm_tile_width=nm_w,
        )
        return self.area

    # --- ChipCalculatePerformance --------------------------------------------------------
    def layer_slices(self, index: int, trace: LayerTrace) -> list[TileSlice]:
        """The tiles of layer ``index`` with their weight codes and input bits."""
        p, layer = self.p, self.network.layers[index]
        rows = layer.weight_rows * p.num_row_per_synapse
        if trace.weight_q.shape != (rows, layer.c_out):
            raise ChipModelError(
                f"trace '{trace.name}': weight_q has shape {trace.weight_q.shape}, layer {index + 1} needs "
                f"({rows}, {layer.c_out})")
        n_vectors = layer.windows(p.compat)
        if trace.input_q.shape[0] != rows or trace.input_q.shape[1] < n_vectors:
            raise ChipModelError(
                f"trace '{trace.name}': input_q has shape {trace.input_q.shape}, layer {index + 1} needs "
                f"{rows} rows and at least {n_vectors} windows")
        codes = weight_cell_codes(trace.weight_q, trace.wbits, p.synapse_bits, p.cell_bit,
                                  p.algo_weight_max, p.algo_weight_min)
        bits = input_bit_matrix(trace.input_q, p.input_bits, n_vectors)
        slices = layer_tile_slices(layer, self.fp.mark_nm[index], self.fp, p, codes, bits)
        self._activity[index] = self._activity_model(codes, bits)
        return slices

    def _activity_model(self, codes: np.ndarray, bits: np.ndarray) -> ActivityModel | None:
        """None (real traces) or the activity every input bit-vector of the layer is assumed to have:
        pseudo-trace mode measures it once from the layer's traces (mean input bit, mean cell level),
        average mode takes the user's values (DNN+NeuroSim, IEDM'19 Fig. 7)."""
        p = self.p
        if p.activity_mode == "average":
            return ActivityModel(p.average_row_activity, p.average_cell_level)
        if p.activity_mode == "pseudo":
            levels = 2 ** p.cell_bit - 1 if p.is_envm else 1
            return ActivityModel(float(bits.mean()) if bits.size else 0.0,
                                 float(codes.mean()) / levels if codes.size else 0.0)
        return None

    def _tile_args(self, index: int) -> tuple:
        fp = self.fp
        novel = fp.mark_nm[index]
        if novel:
            num_pe, pe_size = fp.num_pe_nm, fp.desired_pe_size_nm
        else:
            num_pe, pe_size = math.ceil(fp.desired_tile_size_cm / fp.desired_pe_size_cm), fp.desired_pe_size_cm
        return novel, num_pe, pe_size, fp.speedup_rows[index], fp.speedup_cols[index]

    def evaluate_layer(self, index: int, trace: LayerTrace) -> "LayerEvaluation":
        """Carve layer ``index`` into tiles and find its longest sensing delay (the clock pass)."""
        slices = self.layer_slices(index, trace)
        novel, num_pe, pe_size, speed_rows, speed_cols = self._tile_args(index)
        n_bits = self.network.layers[index].windows(self.p.compat) * self.p.input_bits
        clock_period = 0.0
        self.tile.pe.activity = self._activity.get(index)
        if self.p.synchronous:
            for part in slices:
                perf = self.tile.calculate_performance(
                    part.weights, part.inputs, novel, num_pe, pe_size, speed_rows, speed_cols,
                    part.num_row_matrix, part.num_col_matrix, n_bits, True, clk_period=clock_period,
                    input_rows=part.input_rows)
                clock_period = max(clock_period, perf.clk_period)
        return LayerEvaluation(index, slices, clock_period)

    def layer_performance(self, index: int, evaluation: "LayerEvaluation", clk_freq: float) -> LayerPerformance:
        """The tiles of layer ``index`` at the chip clock ``clk_freq`` (tiles in parallel)."""
        novel, num_pe, pe_size, speed_rows, speed_cols = self._tile_args(index)
        n_bits = self.network.layers[index].windows(self.p.compat) * self.p.input_bits
        perf = LayerPerformance()
        self.tile.pe.activity = self._activity.get(index)
        leak = leak_sram = 0.0
        for part in evaluation.slices:
            tile_perf = self.tile.calculate_performance(
                part.weights, part.inputs, novel, num_pe, pe_size, speed_rows, speed_cols,
                part.num_row_matrix, part.num_col_matrix, n_bits, False, clk_freq=clk_freq,
                input_rows=part.input_rows)
            perf.merge_tile(tile_perf)
            leak, leak_sram = leak + tile_perf.leakage, leak_sram + tile_perf.leakage_sram_in_use
        if evaluation.slices and not quirks.applies("chip_last_tile_leakage", self.p.compat):
            # per-tile leakage = the mean of the layer's tiles (the caller multiplies by their count)
            perf.leakage, perf.leakage_sram_in_use = leak / len(evaluation.slices), leak_sram / len(evaluation.slices)
        return perf

    def chip_periphery(self, index: int, perf: LayerPerformance, clk_freq: float) -> LayerPerformance:
        """Add the chip-level steps after the tiles of layer ``index``: activation, accumulation of
        the row tiles, max pooling, global bus and global buffer (ChipCalculatePerformance)."""
        p, fp = self.p, self.fp
        layer = self.network.layers[index]
        novel = fp.mark_nm[index]
        for unit in (self.global_buffer, self.htree, self.xy_bus, self.accumulation, self.sigmoid, self.relu,
                     self.max_pool):
            unit.clk_freq = clk_freq
        n_vec = layer.windows(p.compat)
        cps = p.num_col_per_synapse
        weight_rows = layer.weight_rows * p.num_row_per_synapse
        weight_cols = layer.c_out * cps
        outputs = weight_cols // cps  # output channels

        if p.chip_activation:
            if p.relu:
                n_read = math.ceil(n_vec * layer.c_out / self.relu.num_unit)
                self.relu.calculate_latency(n_read)
                self.relu.calculate_power(n_read)
                perf.add_latency(self.relu.read_latency, "other")
                perf.add_energy(self.relu.read_dynamic_energy, "other")
            else:
                n_read = math.ceil(n_vec * layer.c_out / self.sigmoid.num_entry)
                self.sigmoid.calculate_latency(n_read)
                self.sigmoid.calculate_power(n_read)
                perf.add_latency(self.sigmoid.read_latency, "other")
                perf.add_energy(self.sigmoid.read_dynamic_energy, "other")
        tile_rows = fp.num_tile_rows[index]
        if tile_rows > 1:
            n_read = math.ceil(outputs * (n_vec / self.accumulation.num_adder_tree))
            self.accumulation.calculate_latency(n_read, tile_rows, 0.0)
            self.accumulation.calculate_power(n_read, tile_rows)
            perf.add_latency(self.accumulation.read_latency, "accum")
            perf.add_energy(self.accumulation.read_dynamic_energy, "accum")
        if layer.pool:
            n_read = math.ceil((n_vec * weight_cols // cps) / self.max_pool.window / self.max_pool.num_max_pooling)
            self.max_pool.calculate_latency(1e20, 0.0, n_read)
            self.max_pool.calculate_power(n_read)
            perf.add_latency(self.max_pool.read_latency, "other")
            perf.add_energy(self.max_pool.read_dynamic_energy, "other")

        bits_out = weight_rows * p.input_bits * n_vec
        if novel:
            bits_out = bits_out / layer.k_h
        bits_in = math.ceil(outputs) * p.input_bits * n_vec / (4 if layer.pool else 1)
        ic_latency, ic_energy = self._global_bus(index, float(bits_out), bits_in)

        gb = self.global_buffer
        width = gb.interface_width
        gb.calculate_latency(width, bits_out / width, width, bits_in / width)
        gb.calculate_power(width, bits_out / width, width, bits_in / width)
        parallel_cores = min(self.num_buffer_core, math.ceil(self.global_bus_width / width))
        buffer_latency = (gb.read_latency + gb.write_latency) / parallel_cores
        buffer_energy = gb.read_dynamic_energy + gb.write_dynamic_energy

        perf.buffer_latency += buffer_latency
        perf.ic_latency += ic_latency
        perf.add_latency(buffer_latency + ic_latency, "other")
        perf.buffer_dynamic_energy += buffer_energy
        perf.ic_dynamic_energy += ic_energy
        perf.add_energy(buffer_energy + ic_energy, "other")
        return perf

    def _global_bus(self, index: int, bits_out: float, bits_in: float) -> tuple[float, float]:
        """(latency, energy) of moving a layer's inputs and outputs over the global H-tree / X-Y bus."""
        p, fp = self.p, self.fp
        area = self.area
        if fp.mark_nm[index]:
            unit_h, unit_w = area.nm_tile_height, area.nm_tile_width
        else:
            unit_h, unit_w = area.cm_tile_height, area.cm_tile_width
        total_tiles = fp.total_tiles
        layer_tiles = fp.num_tile_rows[index] * fp.num_tile_cols[index]
        if p.global_bus == "htree":
            tree = self.htree
            x_end, y_end = fp.tile_location_row[index], fp.tile_location_col[index]
            lanes = math.ceil(tree.bus_width * (layer_tiles / total_tiles))
            tree.calculate_latency(0, 0, x_end, y_end, unit_h, unit_w, math.ceil((bits_out + bits_in) / lanes))
            tree.calculate_power(0, 0, x_end, y_end, unit_h, unit_w, lanes,
                                 math.ceil(bits_out * p.input_toggle / lanes)
                                 + math.ceil(bits_in * p.output_toggle / lanes))
            return tree.read_latency, tree.read_dynamic_energy
        bus = self.xy_bus
        grid_rows = math.ceil(math.sqrt(total_tiles))
        grid_cols = math.ceil(total_tiles / grid_rows)
        x_end, y_init = math.ceil(grid_cols / 2), math.ceil(grid_rows / 2)
        bus.calculate_latency(x_end, y_init, unit_h, unit_w,
                              math.ceil(bits_out / bus.bus_width * grid_rows / fp.num_tile_rows[index]),
                              math.ceil(bits_in / bus.bus_width * grid_cols / fp.num_tile_cols[index]))
        bus.calculate_power(x_end, y_init, unit_h, unit_w, bits_out * p.input_toggle, bits_in * p.output_toggle)
        return bus.read_latency, bus.read_dynamic_energy
