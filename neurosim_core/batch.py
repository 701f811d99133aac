"""Estimate many design points over one set of traces, sharing what does not change between them.

`estimate_many(network, traces, params)` gives exactly ``[estimate(network, traces, p) for p in
params]`` (bit-identical figures; ``tests/core/test_batch.py``), with work shared between points:

* decoding -- a layer's weight cell codes per (synapse bits, cell bits) and its input bit matrix per
  (input bits, windows) are decoded once (`traces.shared_decoding`);
* tile carving -- a layer's tile slices are cut once per carving (the slice sizes of the floorplan,
  novel or conventional mapping, the bits per synapse), and with them each slice's memo of its input
  rows' activity (the active-row counts and histograms of every subarray row range that the PEs
  read, `chip.TileSlice.input_rows`): points that differ in circuit parameters only (technology node,
  ADC, device, clock, buffers) reuse the histograms of every subarray;
* technology tables are shared already (`tech.technology` is cached per node, roadmap and compat).

Everything that depends on a point's circuit parameters (the subarray tables, the clock, every
latency and energy) is evaluated per point by the same code `estimate` runs.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from . import quirks
from .chip import Chip
from .network import Network
from .params import Params
from .plugins import BUILT_IN, ComponentLibrary
from .results import ChipResult
from .traces import LayerTrace, input_bit_matrix, shared_decoding, weight_cell_codes

__all__ = ["SharedWork", "estimate_many", "iter_estimates"]


class SharedWork:
    """What the design points of a batch share (see the module docstring).  Pass one to
    ``estimate(..., shared=...)``; it keeps the traces it has seen alive while it lives."""

    def __init__(self, max_layers: int = 256):
        self._slices: dict = {}
        self._max = max_layers

    def chip(self, p: Params, tech, cell, network: Network, fp, library: ComponentLibrary) -> Chip:
        return _SharingChip(self, p, tech, cell, network, fp, library)

    def _carving_key(self, chip: Chip, index: int, trace: LayerTrace) -> tuple:
        """Everything `Chip.layer_slices` reads: the layer and its trace, the mapping bits, the
        windows, the floorplan's slice sizes and the row-order quirk."""
        p, fp = chip.p, chip.fp
        layer = chip.network.layers[index]
        novel = fp.mark_nm[index]
        sizes = ((fp.desired_pe_size_nm, fp.num_pe_nm, quirks.applies("novel_mapping_row_order", p.compat))
                 if novel else (fp.desired_tile_size_cm,))
        return (index, id(trace), layer, trace.wbits, p.num_row_per_synapse, p.num_col_per_synapse,
                p.synapse_bits, p.cell_bit, p.algo_weight_max, p.algo_weight_min, p.input_bits,
                layer.windows(p.compat), novel, sizes)


class _SharingChip(Chip):
    """A `Chip` whose layer slices (and their input-row memos) come from the batch's `SharedWork`."""

    def __init__(self, shared: SharedWork, *args):
        super().__init__(*args)
        self._shared = shared

    def layer_slices(self, index: int, trace: LayerTrace):
        store = self._shared._slices
        key = self._shared._carving_key(self, index, trace)
        hit = store.get(key)
        if hit is not None and hit[0] is trace:
            slices = hit[1]
            p = self.p
            # the activity model depends on the point (mode, device): from the shared decoded matrices
            codes = weight_cell_codes(trace.weight_q, trace.wbits, p.synapse_bits, p.cell_bit, p.algo_weight_max,
                                      p.algo_weight_min)
            bits = input_bit_matrix(trace.input_q, p.input_bits, self.network.layers[index].windows(p.compat))
            self._activity[index] = self._activity_model(codes, bits)
            return slices
        slices = super().layer_slices(index, trace)
        if len(store) >= self._shared._max:
            store.clear()
        store[key] = (trace, slices)  # holding the trace: its id is not reused while the entry lives
        return slices


def iter_estimates(network: Network, traces: Sequence[LayerTrace], params: Iterable[Params], *,
                   library: ComponentLibrary = BUILT_IN, shared: SharedWork | None = None) -> Iterator[ChipResult]:
    """The `ChipResult` of each of ``params`` in turn (a generator: the caller can time each point)."""
    from .estimate import estimate

    shared = shared if shared is not None else SharedWork()
    with shared_decoding():
        for p in params:
            yield estimate(network, traces, p, library=library, shared=shared)


def estimate_many(network: Network, traces: Sequence[LayerTrace], params: Iterable[Params], *,
                  library: ComponentLibrary = BUILT_IN) -> list[ChipResult]:
    """``[estimate(network, traces, p, library=library) for p in params]``, sharing work between points."""
    return list(iter_estimates(network, traces, params, library=library))
