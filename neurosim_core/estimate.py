"""Top-level estimate: network + traces + hardware parameters -> `ChipResult`.

Follows the NeuroSim V1.4 main.cpp flow (DNN+NeuroSim V1.4 manual, "Running NeuroSim" and
"Outputs"): floorplan, chip initialisation and area, the chip clock from the longest sensing
delay (synchronous designs), then the per-layer performance, accounted either as a pipeline
(system cycle = slowest layer; each layer's tiles leak at full power while idle and at the
"SRAM in use" power while busy) or layer by layer (latencies add up; the other layers' tiles
leak meanwhile).  TOPS/W divides by the post-layout energy factor zeta when ``validated``.

Difference from the reference's evaluation order: NeuroSim evaluates every layer's traces twice
(once to find the clock period, once for the performance); here the trace-dependent part of each
layer is evaluated once (`Chip.evaluate_layer`) and only the clock-dependent part is recomputed
at the final clock.  The numbers are the same.

Documented deviation: with RRAM/FeFET sequential read, a ReLU trace has input bit-vectors with
no active row, for which the reference's column resistance and sensing delay are 0/0 and its
clock period becomes infinite (every figure is then inf/NaN).  Such vectors read no row: here
their columns are open, their ADC is read 0 times (0 energy) and the sensing delay is the
model's row-read delay, so every figure stays finite; the result carries a note saying how many
such vectors there were.
"""
from __future__ import annotations

import math
from typing import Sequence

from . import quirks
from .cell import make_cell
from .chip import Chip, ChipModelError
from .levels import LevelCost, Timing
from .floorplan import floorplan
from .network import Network
from .params import Params
from .plugins import BUILT_IN, ComponentLibrary
from .results import ChipResult, LayerResult
from .tech import technology
from .traces import LayerTrace

__all__ = ["estimate", "EstimateError"]


class EstimateError(ChipModelError):
    """The inputs of an estimate do not fit together (one-line message)."""


def _check_traces(network: Network, traces: Sequence[LayerTrace]) -> None:
    if len(traces) != len(network):
        raise EstimateError(f"{len(traces)} layer traces given for a network of {len(network)} layers")
    for i, (layer, trace) in enumerate(zip(network.layers, traces)):
        if trace.net_row is not None and tuple(trace.net_row) != layer.as_row():
            raise EstimateError(
                f"trace '{trace.name}' was recorded for layer {trace.net_row}, but network layer {i + 1} is "
                f"{layer.as_row()}")


def _to_seconds(cost: LevelCost, clock_period: float) -> LevelCost:
    """Cycle counts -> seconds (main.cpp multiplies by the clock period found in the first pass)."""
    return cost._replace(timing=Timing(*(t * clock_period for t in cost.timing)))


def estimate(network: Network, traces: Sequence[LayerTrace], p: Params, *, tech=None, cell=None,
             library: ComponentLibrary = BUILT_IN, shared=None) -> ChipResult:
    """Estimate area, latency, energy and throughput of ``network`` running ``traces`` on chip ``p``.

    ``cell``: a `MemCell` replacing the one ``p`` describes; ``library``: component roles replaced
    by user builders (`neurosim_core.plugins`); ``shared``: a `batch.SharedWork` whose trace-dependent
    work (tile carving, input activity) other design points over the same traces reuse -- the same
    result (`batch.estimate_many` runs many points this way).
    """
    _check_traces(network, traces)
    tech = tech if tech is not None else technology(p.technode, p.roadmap, compat=p.compat)
    cell = cell if cell is not None else make_cell(p, tech)
    fp = floorplan(network, p)
    chip = (shared.chip if shared is not None else Chip)(p, tech, cell, network, fp, library)
    area = chip.area.chip

    evaluations = [chip.evaluate_layer(i, trace) for i, trace in enumerate(traces)]
    notes: list[str] = []
    clock_period = 0.0
    clk_freq = p.clk_freq_hz
    if p.synchronous:
        periods = [e.clock_period for e in evaluations]
        finite = [t for t in periods if math.isfinite(t)]
        if len(finite) != len(periods) or any(e.has_infinite_sensing for e in evaluations):
            notes.append("input bit-vectors without any active row (infinite sensing delay in the reference) "
                         "were left out of the clock period")
        clock_period = max(finite, default=0.0)
        if clock_period > 0 and clk_freq > 1 / clock_period:
            clk_freq = 1 / clock_period

    perfs = []
    pe = chip.tile.pe
    pe.idle_sequential_vectors = 0
    for i, evaluation in enumerate(evaluations):
        cost = chip.layer_cost(i, evaluation, clk_freq)
        perfs.append(_to_seconds(cost, clock_period) if p.synchronous else cost)

    if pe.idle_sequential_vectors:
        notes.append(f"{pe.idle_sequential_vectors} input bit-vectors activate no row in sequential read (the "
                     "reference gives an infinite clock period for them; here they read nothing)")
    num_tiles = fp.num_tiles
    layers: list[LayerResult] = []
    if p.pipeline:
        system_clock = 0.0
        leakage_power = []
        running = quirks.applies("pipeline_leakage_running_cycle", p.compat)
        final_clock = max(perf.timing.total for perf in perfs)
        for perf, n in zip(perfs, num_tiles):
            # every layer idles for the rest of the system cycle (the slowest layer); main.cpp uses
            # the running maximum over the layers so far
            system_clock = max(system_clock, perf.timing.total) if running else final_clock
            busy = perf.timing.total
            leakage_power.append(n * (perf.leakage_w * (system_clock - busy) + perf.leakage_in_use_w * busy)
                                 / system_clock)
        leakage_energy = [w * system_clock for w in leakage_power]
        chip_latency = system_clock
        combine = max
    else:
        total_tiles = sum(num_tiles)
        leakage_power = [n * perf.leakage_w for perf, n in zip(perfs, num_tiles)]
        leakage_energy = [((total_tiles - n) * perf.leakage_w + n * perf.leakage_in_use_w) * perf.timing.total
                          for perf, n in zip(perfs, num_tiles)]
        chip_latency = sum(perf.timing.total for perf in perfs)

        def combine(a: float, b: float) -> float:
            return a + b

    for i, perf in enumerate(perfs):
        layers.append(LayerResult(
            index=i, name=network.names[i], num_tiles=num_tiles[i], speedup=fp.speedup[i],
            utilization=fp.utilization[i], leakage_power=leakage_power[i], leakage_energy=leakage_energy[i],
            **perf.columns()))

    def fold(attr: str) -> float:
        value = 0.0
        for layer in layers:
            value = combine(value, getattr(layer, attr))
        return value

    def total(attr: str) -> float:
        return sum(getattr(layer, attr) for layer in layers)

    energy = total("read_dynamic_energy")
    chip_leakage_energy = total("leakage_energy")
    num_computation = network.num_computation
    tops_per_w = num_computation / ((energy + chip_leakage_energy) * 1e12)
    if p.validated:
        tops_per_w /= p.zeta
    tops = num_computation / (chip_latency * 1e12)
    return ChipResult(
        floorplan=fp,
        num_computation=num_computation,
        pipeline=p.pipeline,
        area=area.total_m2,
        area_array=area.parts.array,
        area_ic=area.parts.interconnect,
        area_adc=area.parts.adc,
        area_accum=area.parts.accumulation,
        area_other=area.parts.other + area.parts.buffer,
        clock_period=clock_period,
        read_latency=chip_latency,
        read_dynamic_energy=energy,
        leakage_power=total("leakage_power"),
        leakage_energy=chip_leakage_energy,
        buffer_latency=fold("buffer_latency"),
        buffer_read_dynamic_energy=total("buffer_read_dynamic_energy"),
        ic_latency=fold("ic_latency"),
        ic_read_dynamic_energy=total("ic_read_dynamic_energy"),
        adc_read_latency=fold("adc_read_latency"),
        accum_read_latency=fold("accum_read_latency"),
        other_read_latency=fold("other_read_latency"),
        adc_read_dynamic_energy=total("adc_read_dynamic_energy"),
        accum_read_dynamic_energy=total("accum_read_dynamic_energy"),
        other_read_dynamic_energy=total("other_read_dynamic_energy"),
        tops_per_w=tops_per_w,
        tops=tops,
        fps=1 / chip_latency,
        tops_per_mm2=tops / (area.total_m2 * 1e6),
        layers=tuple(layers),
        notes=tuple(notes),
    )
