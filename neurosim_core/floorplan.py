"""Chip floorplan: tile/PE sizes, tiles per layer, weight duplication, pipeline speed-up.

Follows the NeuroSim V1.4 Chip.cpp floorplan model (``ChipDesignInitialize``, ``ChipFloorPlan``,
``TileDesignCM``/``TileDesignNM``, ``PEDesign``, ``SubArrayDup``, ``OverallEachLayer``; DNN+NeuroSim
V1.4 manual, "Chip floorplan"; Peng et al., IEDM 2019).  Two mappings exist:

* *novel mapping* (NM): a K_H x K_W convolution is spread over K_H*K_W processing elements (PEs) of a
  tile, one per kernel position, each holding a C_in x C_out slice of the weights;
* *conventional mapping* (CM): the unrolled (C_in*K_H*K_W) x C_out matrix is cut into square tiles.

Tile and PE sizes are powers of two chosen to maximise memory utilisation.  In a pipelined chip
each layer is duplicated so that the layers finish their images at a similar rate
(``speedUpDegree``, capped at the ratio of the largest to the smallest convolution input).

The model's numeric quirks are kept because they change the numbers: the PE-size search of the
conventional mapping starts from the *tile*-level best utilisation; the pipeline speed-up uses
floating-point ``(IFM_H / bound)^2``; the tile location of layer *i* (used by the H-tree global
bus) is a running count that adds the tiles of layers 2..i (not 1..i-1).  The reference never
initialises that count: main.cpp calls ChipFloorPlan four times and the value left on the stack by
each call is where the next one starts, so the locations it uses (the fourth call) start at three
times the tiles of layers 2..N.  That is what a driver linking the reference's own Chip.o prints
(e.g. default VGG-8: layer 2 at row 28, column 3), and ``compat="neurosim_v14"`` reproduces it
(quirks ``floorplan_location_from_second_layer`` and ``floorplan_location_carry_over``);
``compat="corrected"`` places layer i after the tiles of layers 1..i-1, from the origin.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from . import quirks
from .network import LayerSpec, Network
from .params import Params

__all__ = ["Floorplan", "FloorplanError", "floorplan"]


#: main.cpp's three ChipFloorPlan calls before the one whose tile locations it uses
_LOCATION_CARRY_OVER = 3


class FloorplanError(ValueError):
    """The network cannot be mapped with this subarray size (one-line message)."""


@dataclass(frozen=True)
class Floorplan:
    """Result of the chip floorplan.  Sizes are in memory cells (rows = columns of a square).

    Per-layer tuples are indexed by layer.  ``num_tile_rows``/``num_tile_cols`` are the tiles a
    layer occupies along the weight rows (including pipeline duplication) and columns;
    ``speedup_rows``/``speedup_cols`` are the weight duplications along rows/columns
    (NeuroSim ``speedUpEachLayer[0]``/``[1]``).
    """

    mark_nm: tuple[bool, ...]  # layer uses novel mapping
    num_pe_nm: int  # PEs per novel-mapped tile (= most common kernel area)
    pipeline_speedup: tuple[int, ...]  # target speed-up per layer (empty when not pipelined)
    speedup_degree: int  # effective speedUpDegree after the auto-cap
    desired_pe_size_nm: int
    desired_num_tile_nm: int
    desired_tile_size_cm: int
    desired_num_tile_cm: int
    desired_pe_size_cm: int
    num_tile_row: int  # chip tile grid
    num_tile_col: int
    pe_dup_rows: tuple[int, ...]
    pe_dup_cols: tuple[int, ...]
    subarray_dup_rows: tuple[int, ...]
    subarray_dup_cols: tuple[int, ...]
    num_tile_rows: tuple[int, ...]
    num_tile_cols: tuple[int, ...]
    utilization: tuple[float, ...]
    speedup_rows: tuple[int, ...]
    speedup_cols: tuple[int, ...]
    tile_location_row: tuple[int, ...]
    tile_location_col: tuple[int, ...]

    @property
    def num_layers(self) -> int:
        return len(self.mark_nm)

    @property
    def num_tiles(self) -> tuple[int, ...]:
        """Tiles used by each layer."""
        return tuple(r * c for r, c in zip(self.num_tile_rows, self.num_tile_cols))

    @property
    def total_tiles(self) -> int:
        """Sum of the tiles of all layers (NeuroSim's printed total)."""
        return sum(self.num_tiles)

    @property
    def speedup(self) -> tuple[int, ...]:
        """Weight duplication of each layer (NeuroSim's printed "Speed-up of each layer")."""
        return tuple(r * c for r, c in zip(self.speedup_rows, self.speedup_cols))

    @property
    def memory_utilization(self) -> float:
        """Mapped weights / total memory on chip, as a fraction."""
        mapped = sum(n * u for n, u in zip(self.num_tiles, self.utilization))
        return mapped / self.total_tiles

    @property
    def num_pe_cm(self) -> int:
        """PEs along one side of a conventional-mapped tile (the tile has its square)."""
        return math.ceil(self.desired_tile_size_cm / self.desired_pe_size_cm)


# --- helpers -------------------------------------------------------------------------------

def _ratio(numerator: float, denominator: float) -> float:
    """numerator/denominator with IEEE semantics (0/0 = NaN, x/0 = inf), as the model computes it."""
    if denominator == 0:
        if numerator == 0:
            return math.nan
        return math.copysign(math.inf, numerator)
    return numerator / denominator


def _pow2_ceil(value: float) -> int:
    """Smallest power of two >= value (value >= 1)."""
    return int(2 ** math.ceil(math.log2(value)))


def _dup(capacity: int, needed: int) -> int:
    """How many copies of a matrix needing ``needed`` blocks fit in ``capacity`` blocks (at least 1)."""
    return max(capacity // needed, 1)


def _halving_sizes(start: float, stop: float):
    """start, start/2, ... while the size stays strictly above ``stop``."""
    size = start
    while size > stop:
        yield size
        size /= 2


def _num_pe_nm(layers: tuple[LayerSpec, ...]) -> int:
    """The kernel area (K_H*K_W, ignoring 1x1) shared by the most layers; ties go to the earliest."""
    best_count, best_area = 0, 0
    areas = [layer.k_h * layer.k_w for layer in layers]
    for area in areas:
        count = 1 + (sum(1 for other in areas if other == area) if area != 1 else 0)
        if count > best_count:
            best_count, best_area = count, area
    return best_area


# --- model steps ---------------------------------------------------------------------------

def _tile_design_cm(tile_size: float, layers, mark_nm, rps: int, cps: int) -> tuple[int, float]:
    """(tiles needed, utilisation) of the conventional-mapped layers for a square tile size."""
    num_tiles = 0
    matrix = 0
    for layer, nm in zip(layers, mark_nm):
        if not nm:
            num_tiles += math.ceil(layer.weight_rows * rps / tile_size) * math.ceil(layer.c_out * cps / tile_size)
            matrix += layer.weight_rows * rps * layer.c_out * cps
    return num_tiles, _ratio(matrix, num_tiles * tile_size * tile_size)


def _tile_design_nm(pe_size: float, layers, mark_nm, rps: int, cps: int, num_pe: int) -> tuple[int, float]:
    """(tiles needed, utilisation) of the novel-mapped layers for a square PE size."""
    num_tiles = 0
    matrix = 0
    for layer, nm in zip(layers, mark_nm):
        if nm:
            num_tiles += math.ceil(layer.ifm_c * rps / pe_size) * math.ceil(layer.c_out * cps / pe_size)
            matrix += layer.weight_rows * rps * layer.c_out * cps
    return num_tiles, _ratio(matrix, num_tiles * pe_size * pe_size * num_pe)


def _pe_design(pe_size: float, tile_size: float, num_tiles_cm: float, layers, mark_nm, rps: int,
               cps: int) -> tuple[list[int], list[int], float]:
    """PE-level duplication of conventional-mapped layers inside a tile, and the utilisation."""
    dup_rows, dup_cols = [], []
    matrix = 0
    for layer, nm in zip(layers, mark_nm):
        dup_r = dup_c = 1
        if not nm:
            rows, cols = layer.weight_rows * rps, layer.c_out * cps
            if rows <= tile_size or cols <= tile_size:
                pe_per_side = math.ceil(tile_size / pe_size)
                dup_r = _dup(pe_per_side, math.ceil(rows / pe_size))
                dup_c = _dup(pe_per_side, math.ceil(cols / pe_size))
            matrix += dup_r * dup_c * rows * cols
        dup_rows.append(dup_r)
        dup_cols.append(dup_c)
    return dup_rows, dup_cols, _ratio(matrix, num_tiles_cm * tile_size * tile_size)


def _subarray_dup(pe_size_cm: float, pe_size_nm: float, layers, mark_nm, rps: int, cps: int,
                  sub_rows: int, sub_cols: int) -> tuple[list[int], list[int]]:
    """Subarray-level duplication of each layer inside a PE."""
    dup_rows, dup_cols = [], []
    for layer, nm in zip(layers, mark_nm):
        rows = (layer.ifm_c if nm else layer.weight_rows) * rps
        cols = layer.c_out * cps
        pe_size = pe_size_nm if nm else pe_size_cm
        dup_r = dup_c = 1
        if rows <= pe_size or cols <= pe_size:
            dup_r = _dup(math.ceil(pe_size / sub_rows), math.ceil(rows / sub_rows))
            dup_c = _dup(math.ceil(pe_size / sub_cols), math.ceil(cols / sub_cols))
        dup_rows.append(dup_r)
        dup_cols.append(dup_c)
    return dup_rows, dup_cols


def _pipeline_speedup(layers: tuple[LayerSpec, ...], speedup_degree: int) -> tuple[tuple[int, ...], int]:
    """Target speed-up of each layer and the effective speedUpDegree (auto-capped)."""
    max_ifm = layers[0].ifm_h
    min_ifm = min([max_ifm] + [layer.ifm_h for layer in layers if layer.k_h != 1])
    degree = min(speedup_degree, max_ifm // min_ifm)
    bound = math.ceil(max_ifm / degree)
    return tuple(math.ceil((layer.ifm_h / bound) ** 2) for layer in layers), degree


def floorplan(network: Network, p: Params) -> Floorplan:
    """Floor-plan ``network`` on a chip with parameters ``p`` (NeuroSim V1.4 ChipFloorPlan)."""
    layers = network.layers
    rps, cps = p.num_row_per_synapse, p.num_col_per_synapse
    sub_rows, sub_cols = p.num_row_subarray, p.num_col_subarray

    # ChipDesignInitialize: which layers use novel mapping, and the largest sizes needed
    if p.novel_mapping:
        num_pe_nm = _num_pe_nm(layers)
        mark_nm = tuple(layer.k_h * layer.k_w == num_pe_nm and layer.weight_rows * rps >= sub_rows
                        for layer in layers)
    else:
        num_pe_nm = 0
        mark_nm = (False,) * len(layers)
    max_pe_size_nm = max([0] + [_pow2_ceil(l.c_out * cps) for l, nm in zip(layers, mark_nm) if nm])
    max_tile_size_cm = max([0] + [_pow2_ceil(l.c_out * cps) for l, nm in zip(layers, mark_nm) if not nm])
    if p.pipeline:
        pipeline_speedup, degree = _pipeline_speedup(layers, p.speedup_degree)
    else:
        pipeline_speedup, degree = (), p.speedup_degree

    # ChipFloorPlan: tile size of NM layers, then tile and PE size of CM layers
    pe_size_nm, num_tile_nm = 0.0, 0
    if p.novel_mapping:
        if max_pe_size_nm < 2 * sub_rows:
            raise FloorplanError(
                f"subarray of {sub_rows} rows is too large for the novel-mapped layers (largest PE "
                f"{max_pe_size_nm}); it must be at most half the PE size: decrease num_row_subarray")
        pe_size_nm = float(max(max_pe_size_nm, 2 * sub_rows))
        num_tile_nm = _tile_design_nm(pe_size_nm, layers, mark_nm, rps, cps, num_pe_nm)[0]
        best = 0.0
        for size in _halving_sizes(pe_size_nm, 2 * sub_rows):
            tiles, util = _tile_design_nm(size, layers, mark_nm, rps, cps, num_pe_nm)
            if util > best:
                best, pe_size_nm, num_tile_nm = util, size, tiles
    elif max_tile_size_cm < 4 * sub_rows:
        raise FloorplanError(
            f"subarray of {sub_rows} rows is too large for the network (largest tile {max_tile_size_cm}); "
            "it must be at most a quarter of the tile size: decrease num_row_subarray")

    tile_size_cm = float(max(max_tile_size_cm, 4 * sub_rows))
    num_tile_cm = _tile_design_cm(tile_size_cm, layers, mark_nm, rps, cps)[0]
    best_cm = 0.0
    for size in _halving_sizes(tile_size_cm, 4 * sub_rows):
        tiles, util = _tile_design_cm(size, layers, mark_nm, rps, cps)
        if util > best_cm:
            best_cm, tile_size_cm, num_tile_cm = util, size, tiles
    pe_size_cm = tile_size_cm / 2
    # the PE search continues from the tile-level best utilisation (model behaviour)
    for size in _halving_sizes(tile_size_cm / 2, 2 * sub_rows):
        util = _pe_design(size, tile_size_cm, num_tile_cm, layers, mark_nm, rps, cps)[2]
        if util > best_cm:
            best_cm, pe_size_cm = util, size
    pe_dup_r, pe_dup_c, _ = _pe_design(pe_size_cm, tile_size_cm, num_tile_cm, layers, mark_nm, rps, cps)
    sa_dup_r, sa_dup_c = _subarray_dup(pe_size_cm, pe_size_nm, layers, mark_nm, rps, cps, sub_rows, sub_cols)

    # OverallEachLayer: tiles, utilisation and speed-up of each layer
    tile_rows, tile_cols, utilization, speed_rows, speed_cols = [], [], [], [], []
    for i, (layer, nm) in enumerate(zip(layers, mark_nm)):
        dup = pe_dup_r[i] * pe_dup_c[i] * sa_dup_r[i] * sa_dup_c[i]
        rows = (layer.ifm_c if nm else layer.weight_rows) * rps
        cols = layer.c_out * cps
        size = pe_size_nm if nm else tile_size_cm
        extra = math.ceil(pipeline_speedup[i] / dup) if p.pipeline else 1
        copies = max(pipeline_speedup[i], dup) if p.pipeline else dup
        n_rows = math.ceil(rows / size) * extra
        n_cols = math.ceil(cols / size)
        if nm:
            mapped = copies * layer.ifm_c * num_pe_nm * rps * cols
            util = mapped / (n_rows * n_cols * size * size * num_pe_nm)
        else:
            util = copies * rows * cols / (n_rows * n_cols * size * size)
        tile_rows.append(n_rows)
        tile_cols.append(n_cols)
        utilization.append(util)
        speed_rows.append(pe_dup_r[i] * sa_dup_r[i] * extra)
        speed_cols.append(pe_dup_c[i] * sa_dup_c[i])

    if p.pipeline:
        num_tile_cm = sum(r * c for r, c, nm in zip(tile_rows, tile_cols, mark_nm) if not nm)
        num_tile_nm = sum(r * c for r, c, nm in zip(tile_rows, tile_cols, mark_nm) if nm)
    total = num_tile_cm + num_tile_nm
    num_tile_row = math.ceil(math.sqrt(total))
    num_tile_col = math.ceil(total / num_tile_row)

    # start location of each layer on the tile grid (see the module docstring)
    tiles = [r * c for r, c in zip(tile_rows, tile_cols)]
    compat = p.compat
    # consistent model: layer i starts after the tiles of layers 1..i-1
    steps = tiles[1:] if quirks.applies("floorplan_location_from_second_layer", compat) else tiles[:-1]
    running = 0
    if quirks.applies("floorplan_location_carry_over", compat):
        running = _LOCATION_CARRY_OVER * sum(steps)
    loc_rows, loc_cols = [0], [0]
    for n in steps:
        running += n
        loc_rows.append(running // num_tile_row)
        loc_cols.append(running % num_tile_row)

    return Floorplan(
        mark_nm=mark_nm,
        num_pe_nm=num_pe_nm,
        pipeline_speedup=pipeline_speedup,
        speedup_degree=degree,
        desired_pe_size_nm=int(pe_size_nm),
        desired_num_tile_nm=int(num_tile_nm),
        desired_tile_size_cm=int(tile_size_cm),
        desired_num_tile_cm=int(num_tile_cm),
        desired_pe_size_cm=int(pe_size_cm),
        num_tile_row=num_tile_row,
        num_tile_col=num_tile_col,
        pe_dup_rows=tuple(pe_dup_r),
        pe_dup_cols=tuple(pe_dup_c),
        subarray_dup_rows=tuple(sa_dup_r),
        subarray_dup_cols=tuple(sa_dup_c),
        num_tile_rows=tuple(int(v) for v in tile_rows),
        num_tile_cols=tuple(int(v) for v in tile_cols),
        utilization=tuple(utilization),
        speedup_rows=tuple(int(v) for v in speed_rows),
        speedup_cols=tuple(int(v) for v in speed_cols),
        tile_location_row=tuple(loc_rows),
        tile_location_col=tuple(loc_cols),
    )
