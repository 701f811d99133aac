"""What the PE, tile and chip levels share: their typed results and the one way they price steps.

A level (`pe.PE`, `tile.Tile`, `chip.Chip`) is described as data (DESIGN.md, "Architecture"):

* its own parts, an `arch.Macro` of builder models (adder trees, registers, buffers, buses, ...),
  each tagged with its breakdown bucket;
* what one operation of the level does with them (one layer slice: every input bit-vector), as
  `arch.Use`\\ s, priced here by `steps` (energy through `arch.energy`, latency per action);
* the results of its children (subarrays of a PE, PEs of a tile, tiles of a layer), combined by
  the level's overlap rule, stated once in the level's module with `Timing.slowest` (children in
  parallel), `Timing.then` (in series) and `Timing.shared` (duplicated copies share the work).

Latency breakdown (`Timing`): NeuroSim reports a level's latency with an ADC / accumulation /
other split and, inside "other", the buffer and interconnect shares (DNN+NeuroSim V1.4 manual,
"Outputs").  Each field is the latency of the level's critical path *for that field*: children in
parallel take the maximum of each field independently, so the fields need not add up to the
total.  Energies simply add (`arch.Breakdown`).

Clocking (NeuroSim V1.4 manual, "Synchronous mode"): in a synchronous design every action takes
whole cycles of the level's clock, ``ceil(delay x f)`` (a register or a buffer line, whose delay is
one period, takes one), and latencies are counted in cycles -- the estimate multiplies them by the
chip clock period at the end; asynchronous designs count seconds.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

from .arch import BUCKETS, Breakdown, Macro, Use, energy

__all__ = ["Area", "Clock", "LevelCost", "Timing", "add_breakdowns", "scale_breakdown", "steps"]

#: latency fields each bucket's time counts in (buffer and interconnect are shares of "other")
_TIMING_FIELDS = {
    "adc": ("adc",),
    "accumulation": ("accumulation",),
    "array": ("other",),
    "other": ("other",),
    "buffer": ("other", "buffer"),
    "interconnect": ("other", "interconnect"),
}
assert set(_TIMING_FIELDS) == set(BUCKETS)
#: float rounding slack of ceil(delay x f): a delay of exactly one period is one cycle
_CYCLE_SLACK = 1e-9


class Timing(NamedTuple):
    """Latency of one operation (s, or clock cycles when synchronous) and its breakdown (module doc)."""

    total: float = 0.0
    adc: float = 0.0
    accumulation: float = 0.0
    other: float = 0.0  # everything but ADC and accumulation, buffers and interconnect included
    buffer: float = 0.0  # share of `other`
    interconnect: float = 0.0  # share of `other`

    def then(self, later: "Timing") -> "Timing":
        """This, then ``later`` (in series)."""
        return Timing(*(a + b for a, b in zip(self, later)))

    def shared(self, ways: float) -> "Timing":
        """The work split over ``ways`` identical copies running at once."""
        return Timing(*(a / ways for a in self))

    @staticmethod
    def slowest(timings: Iterable["Timing"]) -> "Timing":
        """Children running in parallel: the slowest counts, field by field."""
        result = Timing()
        for t in timings:
            result = Timing(*(max(a, b) for a, b in zip(result, t)))
        return result


def add_breakdowns(items: Iterable[Breakdown]) -> Breakdown:
    total = Breakdown()
    for b in items:
        total = Breakdown(*(x + y for x, y in zip(total, b)))
    return total


def scale_breakdown(b: Breakdown, factor: float) -> Breakdown:
    return Breakdown(*(x * factor for x in b))


class LevelCost(NamedTuple):
    """One operation of a level: latency, dynamic energy per bucket (J), leakage (W).

    ``leakage_in_use_w``: what the SRAM arrays leak while they compute (NeuroSim's
    "leakage SRAM in use"; 0 for eNVM), counted separately by the pipelined chip.
    """

    timing: Timing = Timing()
    energy: Breakdown = Breakdown()
    leakage_w: float = 0.0
    leakage_in_use_w: float = 0.0

    def then(self, later: "LevelCost") -> "LevelCost":
        """Steps in series: latencies and energies add (leakage: this level's, unchanged)."""
        return self._replace(timing=self.timing.then(later.timing),
                             energy=add_breakdowns((self.energy, later.energy)))

    def columns(self) -> dict[str, float]:
        """The figures of the reports (`results.LayerResult` field names): latency and energy,
        each with its ADC / accumulation / other split, buffer and interconnect shown apart (they
        are also in "other", as the synaptic array is)."""
        t, e = self.timing, self.energy
        return {
            "read_latency": t.total, "read_dynamic_energy": e.total,
            "buffer_latency": t.buffer, "buffer_read_dynamic_energy": e.buffer,
            "ic_latency": t.interconnect, "ic_read_dynamic_energy": e.interconnect,
            "adc_read_latency": t.adc, "accum_read_latency": t.accumulation, "other_read_latency": t.other,
            "adc_read_dynamic_energy": e.adc, "accum_read_dynamic_energy": e.accumulation,
            "other_read_dynamic_energy": e.array + e.buffer + e.interconnect + e.other,
        }


class Area(NamedTuple):
    """Area of a level (m^2): the total (layout slack included) and the parts per bucket; outline (m)."""

    total_m2: float
    parts: Breakdown
    height_m: float
    width_m: float

    @classmethod
    def square(cls, total_m2: float, parts: Breakdown) -> "Area":
        """A level laid out as a square (NeuroSim's PE, tile and chip outlines)."""
        side = math.sqrt(total_m2)
        return cls(total_m2, parts, side, total_m2 / side)

    @classmethod
    def of(cls, macro: Macro, children: Sequence[tuple["Area", float]] = ()) -> tuple[float, Breakdown]:
        """(total, parts) of a macro's own parts plus ``children`` (area, count)."""
        own = macro.area_m2()
        total = own.total + sum(a.total_m2 * n for a, n in children)
        parts = add_breakdowns([own, *(scale_breakdown(a.parts, n) for a, n in children)])
        return total, parts


@dataclass(frozen=True)
class Clock:
    """The clock a level runs at: ``synchronous`` designs count cycles of ``freq_hz``."""

    synchronous: bool
    freq_hz: float

    def time(self, delay_s: float, times: float = 1.0) -> float:
        """Latency of ``times`` actions of ``delay_s`` each (cycles or s; module doc)."""
        if self.synchronous:
            return math.ceil(delay_s * self.freq_hz - _CYCLE_SLACK) * times
        return delay_s * times


def steps(macro: Macro, uses: Sequence[Use], clock: Clock, *, untimed: Sequence[str] = ()) -> LevelCost:
    """Uses performed one after another: latencies add, per bucket field, and energies add.

    ``untimed``: roles whose latency is hidden behind the others (their energy still counts).
    Leakage: every part of ``macro``.
    """
    fields = dict.fromkeys(Timing._fields, 0.0)
    for use in uses:
        if use.role in untimed:
            continue
        part = macro.part(use.role)
        latency = clock.time(part.model.cost(use.action, **use.data).latency_s, use.times)
        fields["total"] += latency
        for name in _TIMING_FIELDS[part.bucket]:
            fields[name] += latency
    return LevelCost(Timing(**fields), energy(macro, uses), macro.leakage_w())
