"""Chip: the tiles, the global buffer, the global bus (H-tree or X-Y bus), chip-level accumulation,
activation and max pooling, and the carving of each layer's weights and inputs into tiles
(DNN+NeuroSim V1.4 manual, "Chip level"; Peng et al., IEDM 2019).

Described as data (`levels`): the chip's own parts are a `Macro` of builder models --

==================  ==============================================  ==============
role                model                                           bucket
==================  ==============================================  ==============
``global_buffer``   `buffer` cores holding a layer's inputs/outputs   buffer
``global_bus``      `htree` or `xy_bus` from the buffer to the tiles  interconnect
``accumulation``    `adder_tree` summing the row tiles of a layer     accumulation
``activation``      `bit_shifter` (ReLU) or `sigmoid` look-up tables  other
                    (with chip-level activation)
``max_pooling``     `max_pooling` units                               other
==================  ==============================================  ==============

-- and its children are the tiles (`tile.Tile`) of each layer.  One operation is one layer
(`Chip.layer_cost`): its tiles run in parallel and the slowest counts; then, in series, the
activation, the accumulation of its row tiles, pooling, the global bus and the global buffer (its
cores in parallel as far as the bus width allows).  How layers combine (pipelined or layer by
layer) is `estimate.py`'s rule.  The chip-level parts' leakage is not counted (the reference
counts the tiles' only).

Layer carving reproduces the model's choices, which change the numbers:

* conventional mapping cuts the unrolled weight matrix (rows ``c_in*K_H*K_W``, columns
  ``c_out*num_col_per_synapse``) into ``tile_size`` x ``tile_size`` blocks;
* novel mapping gives each tile ``num_pe_nm`` groups of rows ``pos + k*C_in + i`` (the model reads
  the rows as kernel-position-major although the traces are c_in-major; see
  `traces.novel_mapping_rows`) and ``c_out*cps // n_col_tiles`` columns;
* only the first ``((H-K_H+1)/s)*((W-K_W+1)/s)`` windows of a layer's trace are evaluated.

Latencies returned by `Chip.layer_cost` are clock cycles when ``synchronous`` (the caller
multiplies by the clock period, as NeuroSim's main does), seconds otherwise.  The
``sync_data_transfer`` mode of the model is not supported (`ChipModelError`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from . import quirks
from .arch import Macro, Part, Use
from .circuits.arithmetic import AdderTreeSpec, BitShifterSpec, adder_tree, bit_shifter
from .circuits.buffer import BufferSpec, SramCellSpec, buffer
from .circuits.functional import MaxPoolingSpec, SigmoidSpec, max_pooling, sigmoid
from .circuits.interconnect import HTreeSpec, WireSpec, XyBusSpec, htree, xy_bus
from .circuits.env import CircuitEnv
from .floorplan import Floorplan
from .levels import Area, Clock, LevelCost, Timing, add_breakdowns, steps
from .network import LayerSpec, Network
from .params import Params
from .pe import ActivityModel, num_bit_subarray_output
from .plugins import BUILT_IN, ComponentLibrary
from .tile import Tile, TileJob, TileKind
from .traces import LayerTrace, input_bit_matrix, novel_mapping_rows, weight_cell_codes

__all__ = ["Chip", "ChipArea", "ChipModelError", "LayerEvaluation", "TileSlice", "layer_tile_slices"]


class ChipModelError(ValueError):
    """A configuration or trace the chip model cannot evaluate (one-line message)."""


class ChipArea(NamedTuple):
    """The chip's area and the outlines of its two tile kinds (``nm_tile`` None without novel mapping)."""

    chip: Area
    cm_tile: Area
    nm_tile: Area | None


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
    """The chip for one network and floorplan; see the module docstring.  Construction sizes every
    part (bus width, buffer cores, accumulation, activation) from the floorplan and computes the
    area (`area`)."""

    def __init__(self, p: Params, tech, cell, network: Network, fp: Floorplan, library: ComponentLibrary = BUILT_IN):
        if p.sync_data_transfer:
            raise ChipModelError("sync_data_transfer is not supported by this chip model; set it to false")
        self.p, self.tech, self.cell = p, tech, cell
        self.network, self.fp = network, fp
        self.tile = Tile(p, tech, cell, library)
        self._activity: dict[int, ActivityModel | None] = {}  # per layer (see _activity_model)
        self._macros: dict = {}
        self.cm_kind = TileKind(False, math.ceil(fp.desired_tile_size_cm / fp.desired_pe_size_cm),
                                fp.desired_pe_size_cm)
        self.nm_kind = TileKind(True, fp.num_pe_nm, fp.desired_pe_size_nm) if p.novel_mapping else None
        self._size()
        self.area = self._area()

    @property
    def global_buffer(self):
        """One core of the global buffer at the configured clock (`circuits.buffer.buffer` model)."""
        return self.macro(self.p.clk_freq_hz).part("global_buffer").model

    # --- sizing ----------------------------------------------------------------------------------
    def _size(self) -> None:
        """Global bus width and buffer cores (the largest layer input, or half of every layer's
        when pipelined), and the width of the chip-level accumulation and activation."""
        p, fp, layers = self.p, self.fp, self.network.layers
        tile_cm, pe_cm, pe_nm = fp.desired_tile_size_cm, fp.desired_pe_size_cm, fp.desired_pe_size_nm
        nm_side = math.ceil(math.sqrt(fp.num_pe_nm)) if fp.num_pe_nm else 0
        per_tile = {False: tile_cm + tile_cm / p.num_col_muxed,
                    True: pe_nm * nm_side + pe_nm * nm_side / p.num_col_muxed}
        max_layer_input = bus_width = 0.0
        for i, layer in enumerate(layers):
            layer_input = layer.ifm_h * layer.ifm_w * layer.ifm_c
            if p.pipeline:  # every layer's tiles hold their half of the data at once
                max_layer_input += layer_input / 2
                bus_width += per_tile[fp.mark_nm[i]] * fp.num_tile_rows[i] * fp.num_tile_cols[i]
            else:
                max_layer_input = max(max_layer_input, layer_input)
                bus_width += per_tile[fp.mark_nm[i]]
        while bus_width > p.max_global_bus_width:  # the bus cannot grow with the tile count
            bus_width /= 2
        self.global_bus_width = bus_width
        self._buffer_core_bits = p.global_buffer_core_rows * p.global_buffer_core_cols
        self.num_buffer_core = math.ceil(int(p.input_bits * max_layer_input) / self._buffer_core_bits)

        if p.novel_mapping:
            throughput = int(max(tile_cm, math.ceil(pe_nm)))
            max_add = int(max(math.ceil(pe_cm / p.num_row_subarray), math.ceil(pe_nm / p.num_row_subarray)))
            max_add *= int(max(math.ceil(tile_cm / pe_cm), math.ceil(math.sqrt(fp.num_pe_nm))))
        else:
            throughput = tile_cm
            max_add = int(math.ceil(pe_cm / p.num_row_subarray)) * int(math.ceil(tile_cm / pe_cm))
        if p.pipeline:
            if p.novel_mapping:
                throughput *= len(layers) + 1
            max_add *= len(layers) + 1
        self._num_units = math.ceil(throughput / p.num_col_muxed)
        self._max_tile_rows = int(max(fp.num_tile_rows))
        sum_bits = num_bit_subarray_output(p) + _ceil_log2(max_add)
        self._accumulation_bits = sum_bits if p.chip_activation else p.input_bits
        self._sigmoid_entries = sum_bits + _ceil_log2(self._max_tile_rows)

    def _tile_areas(self) -> tuple[Area, Area | None]:
        nm = self.tile.area(self.nm_kind) if self.nm_kind else None
        return self.tile.area(self.cm_kind), nm

    def macro(self, clk_freq: float) -> Macro:
        """The chip's own parts at ``clk_freq``."""
        if clk_freq not in self._macros:
            self._macros[clk_freq] = self._build_macro(clk_freq)
        return self._macros[clk_freq]

    def _build_macro(self, clk_freq: float, tree_inputs: int = 0) -> Macro:
        p, fp, tech, cell = self.p, self.fp, self.tech, self.cell
        env = CircuitEnv.of(p, tech, clk_freq)
        cm, nm = self._tile_areas()
        tile_h, tile_w = max(cm.height_m, nm.height_m if nm else 0.0), max(cm.width_m, nm.width_m if nm else 0.0)
        buffer_height = fp.num_tile_row * tile_h
        gb = buffer(BufferSpec.of(p, cell, num_bit=self._buffer_core_bits, interface_width=p.global_buffer_core_cols,
                                  sram=p.global_buffer == "sram", fit_height_m=buffer_height), env)
        buffer_width = gb.area_m2 * self.num_buffer_core / buffer_height
        grid = dict(num_row=fp.num_tile_row, num_col=fp.num_tile_col, unit_height_m=tile_h, unit_width_m=tile_w,
                    bus_width=self.global_bus_width, delay_tolerance=p.global_bus_delay_tolerance,
                    folded_ratio=p.tree_folded_ratio, wire=WireSpec.of(p))
        global_bus = htree(HTreeSpec(**grid), env) if p.global_bus == "htree" else xy_bus(XyBusSpec(**grid), env)
        pool_units = int(max(fp.desired_tile_size_cm / p.num_col_muxed, fp.desired_pe_size_nm / p.num_col_muxed))
        parts = [
            Part("global_buffer", gb, "buffer", count=self.num_buffer_core),
            Part("global_bus", global_bus, "interconnect"),
            Part("max_pooling", max_pooling(MaxPoolingSpec(num_bit=p.input_bits, window=2 * 2, num_units=pool_units,
                                                           fit_width_m=buffer_width,
                                                           control_activity=p.epsilon if p.validated else 1.0), env),
                 "other"),
            Part("accumulation", adder_tree(AdderTreeSpec(
                num_rows=self._max_tile_rows, num_adder_bit=self._accumulation_bits, num_trees=self._num_units,
                num_inputs=tree_inputs, fit_width_m=buffer_height / 3, delta=p.delta if p.validated else 1.0), env),
                "accumulation"),
        ]
        if p.chip_activation:
            if p.relu:
                unit = bit_shifter(BitShifterSpec(num_unit=self._num_units, num_bit=p.input_bits,
                                                  fit_width_m=buffer_width / 3), env)
            else:
                unit = sigmoid(SigmoidSpec(num_ybit=p.input_bits, num_entry=self._sigmoid_entries,
                                           num_function=self._num_units,
                                           cell=SramCellSpec.of(p, cell, footprint="memory_cell"),
                                           fit_width_m=buffer_width / 3, decoder_sizing=p.sizing_factor_wl_decoder,
                                           control_activity=p.epsilon if p.validated else 1.0), env)
            parts.append(Part("activation", unit, "other"))
        return Macro("chip", tuple(parts))

    def _area(self) -> ChipArea:
        """Tiles x their count, plus the chip's own parts (square outline)."""
        fp = self.fp
        cm, nm = self._tile_areas()
        tiles = [(cm, fp.desired_num_tile_cm)] + ([(nm, fp.desired_num_tile_nm)] if nm else [])
        total, parts = Area.of(self.macro(self.p.clk_freq_hz), tiles)
        return ChipArea(Area.square(total, parts), cm, nm)

    # --- one layer -----------------------------------------------------------------------------
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

    def _jobs(self, index: int, slices: list[TileSlice]) -> tuple[TileKind, list[TileJob]]:
        fp = self.fp
        kind = self.nm_kind if fp.mark_nm[index] else self.cm_kind
        n_bits = self.network.layers[index].windows(self.p.compat) * self.p.input_bits
        speedup = (fp.speedup_rows[index], fp.speedup_cols[index])
        self.tile.pe.activity = self._activity.get(index)
        return kind, [TileJob(s.weights, s.inputs, n_bits, s.num_row_matrix, s.num_col_matrix, speedup, s.input_rows)
                      for s in slices]

    def evaluate_layer(self, index: int, trace: LayerTrace) -> LayerEvaluation:
        """Carve layer ``index`` into tiles and find its longest sensing delay (the clock pass)."""
        slices = self.layer_slices(index, trace)
        clock_period = 0.0
        if self.p.synchronous:
            kind, jobs = self._jobs(index, slices)
            clock_period = max((self.tile.sensing_period(kind, job) for job in jobs), default=0.0)
        return LayerEvaluation(index, slices, clock_period)

    def layer_cost(self, index: int, evaluation: LayerEvaluation, clk_freq: float) -> LevelCost:
        """Layer ``index`` at the chip clock ``clk_freq``: its tiles in parallel, then the chip's
        steps (module docstring).  Leakage: of one tile of the layer (W) -- the last tile's
        (quirk ``chip_last_tile_leakage``; corrected: the mean of the layer's tiles)."""
        p = self.p
        kind, jobs = self._jobs(index, evaluation.slices)
        tiles = [self.tile.read(kind, job, clk_freq) for job in jobs]
        if not tiles:
            leak = LevelCost()
        elif quirks.applies("chip_last_tile_leakage", p.compat):
            leak = tiles[-1]
        else:
            leak = LevelCost(leakage_w=sum(t.leakage_w for t in tiles) / len(tiles),
                             leakage_in_use_w=sum(t.leakage_in_use_w for t in tiles) / len(tiles))
        cost = LevelCost(Timing.slowest(t.timing for t in tiles), add_breakdowns(t.energy for t in tiles),
                         leak.leakage_w, leak.leakage_in_use_w)
        return cost.then(self._layer_steps(index, Clock(bool(p.synchronous), clk_freq)))

    def _layer_steps(self, index: int, clock: Clock) -> LevelCost:
        """Activation, accumulation of the row tiles, pooling, global bus and global buffer."""
        p, fp = self.p, self.fp
        layer = self.network.layers[index]
        n_vec = layer.windows(p.compat)
        cps = p.num_col_per_synapse
        weight_cols = layer.c_out * cps
        outputs = weight_cols // cps  # output channels
        tile_rows = fp.num_tile_rows[index]
        macro = self.macro(clock.freq_hz)
        if tile_rows > 1:  # the accumulation adds this layer's row tiles
            key = (clock.freq_hz, tile_rows)
            if key not in self._macros:
                self._macros[key] = self._build_macro(clock.freq_hz, tile_rows)
            macro = self._macros[key]
        uses = []
        if macro.has("activation"):
            per = self._num_units if p.relu else self._sigmoid_entries
            uses.append(Use("activation", "shift" if p.relu else "lookup", math.ceil(n_vec * layer.c_out / per)))
        if tile_rows > 1:
            uses.append(Use("accumulation", "reduce", math.ceil(outputs * (n_vec / self._num_units))))
        if layer.pool:
            pool = macro.part("max_pooling").model
            uses.append(Use("max_pooling", "pool", math.ceil((n_vec * weight_cols // cps) / pool.port("window")
                                                             / pool.port("num_units"))))
        bits_out = float(layer.weight_rows * p.num_row_per_synapse * p.input_bits * n_vec)
        if fp.mark_nm[index]:
            bits_out = bits_out / layer.k_h
        bits_in = math.ceil(outputs) * p.input_bits * n_vec / (4 if layer.pool else 1)
        cost = steps(macro, uses, clock).then(steps(macro, self._bus_uses(index, bits_out, bits_in), clock))
        gb = macro.part("global_buffer")
        width = gb.model.port("interface_width")
        moved = steps(macro, [Use("global_buffer", "read", bits_out / width),
                              Use("global_buffer", "write", bits_in / width)], clock)
        cores = min(gb.count, math.ceil(self.global_bus_width / width))  # cores in parallel up to the bus width
        return cost.then(moved._replace(timing=moved.timing.shared(cores)))

    def _bus_uses(self, index: int, bits_out: float, bits_in: float) -> list[Use]:
        """A layer's inputs and outputs over the global H-tree (to the layer's share of its wires)
        or X-Y bus (to the centre of the tile grid)."""
        p, fp = self.p, self.fp
        tile = self.area.nm_tile if fp.mark_nm[index] else self.area.cm_tile
        if p.global_bus == "htree":
            unit = {"unit_height_m": tile.height_m, "unit_width_m": tile.width_m}
            lanes = math.ceil(self.global_bus_width * (fp.num_tile_rows[index] * fp.num_tile_cols[index]
                                                       / fp.total_tiles))
            return [Use("global_bus", "transfer", math.ceil((bits_out + bits_in) / lanes), unit),
                    Use("global_bus", "bit", lanes * (math.ceil(bits_out * p.input_toggle / lanes)
                                                      + math.ceil(bits_in * p.output_toggle / lanes)), unit)]
        grid_rows = math.ceil(math.sqrt(fp.total_tiles))
        grid_cols = math.ceil(fp.total_tiles / grid_rows)
        x = {"x_end": math.ceil(grid_cols / 2), "unit_width_m": tile.width_m}
        y = {"y_init": math.ceil(grid_rows / 2), "unit_height_m": tile.height_m}
        return [Use("global_bus", "transfer_x",
                    math.ceil(bits_out / self.global_bus_width * grid_rows / fp.num_tile_rows[index]), x),
                Use("global_bus", "transfer_y",
                    math.ceil(bits_in / self.global_bus_width * grid_cols / fp.num_tile_cols[index]), y),
                Use("global_bus", "bit_x", bits_out * p.input_toggle, x),
                Use("global_bus", "bit_y", bits_in * p.output_toggle, y)]
