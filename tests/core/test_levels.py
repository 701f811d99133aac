"""The shared level machinery (neurosim_core.levels): overlap combinators, the synchronous cycle
rule and the pricing of uses into the report's latency/energy breakdown."""
import math

import pytest

from neurosim_core.arch import ActionCost, Breakdown, ComponentModel, Macro, Part, Use
from neurosim_core.levels import Area, Clock, LevelCost, Timing, steps


def _model(kind, latency, energy, leakage=0.0, area=0.0):
    return ComponentModel(kind=kind, area_m2=area, height_m=0.0, width_m=0.0, leakage_w=leakage,
                          actions={"go": ActionCost(latency_s=latency, energy_j=energy)})


MACRO = Macro("m", (
    Part("tree", _model("tree", 3e-9, 2e-12, 1e-6, 4e-10), "accumulation"),
    Part("reg", _model("reg", 1e-9, 1e-12, 2e-6, 1e-10), "buffer", count=3),
    Part("wire", _model("wire", 0.5e-9, 5e-13), "interconnect"),
))


def test_children_in_parallel_take_the_slowest_field_by_field():
    a = Timing(total=10, adc=8, accumulation=1, other=1)
    b = Timing(total=9, adc=2, accumulation=5, other=2, buffer=2)
    assert Timing.slowest([a, b]) == Timing(total=10, adc=8, accumulation=5, other=2, buffer=2)
    assert Timing.slowest([]) == Timing()


def test_series_adds_and_copies_share():
    a = Timing(total=4, adc=2, other=2)
    assert a.then(a) == Timing(total=8, adc=4, other=4)
    assert a.shared(4) == Timing(total=1, adc=0.5, other=0.5)


def test_synchronous_actions_take_whole_cycles():
    clock = Clock(True, 1e9)
    assert clock.time(3.2e-9, 10) == 40  # ceil(3.2) cycles per action
    assert Clock(True, 7e8).time(1 / 7e8, 5) == 5  # one period: one cycle
    assert Clock(False, 1e9).time(3.2e-9, 10) == pytest.approx(3.2e-8)


@pytest.mark.parametrize("freq", [1e8, 3.1e8, 5.891346273808343e8, 7e8, 1e9, 2.5e9])
def test_one_period_is_one_cycle_despite_rounding(freq):
    assert Clock(True, freq).time(1.0 / freq) == 1


def test_steps_price_uses_into_the_breakdown():
    uses = [Use("tree", "go", 2), Use("reg", "go", 4), Use("wire", "go", 10)]
    cost = steps(MACRO, uses, Clock(False, 1e9))
    t = cost.timing
    assert t.accumulation == pytest.approx(6e-9)
    assert t.buffer == pytest.approx(4e-9) and t.interconnect == pytest.approx(5e-9)
    assert t.other == pytest.approx(t.buffer + t.interconnect)  # buffer and interconnect are shares of other
    assert t.total == pytest.approx(15e-9)
    assert cost.energy == Breakdown(accumulation=4e-12, buffer=4e-12, interconnect=5e-12)
    assert cost.leakage_w == pytest.approx(1e-6 + 3 * 2e-6)  # every instance leaks
    hidden = steps(MACRO, uses, Clock(False, 1e9), untimed=("wire",))
    assert hidden.timing.total == pytest.approx(10e-9) and hidden.energy == cost.energy


def test_columns_report_other_with_its_shares():
    cost = LevelCost(Timing(total=5, adc=3, other=2, buffer=1), Breakdown(adc=1.0, array=2.0, buffer=3.0, other=4.0))
    c = cost.columns()
    assert c["other_read_dynamic_energy"] == 9.0 and c["buffer_read_dynamic_energy"] == 3.0
    assert c["read_dynamic_energy"] == 10.0 and c["other_read_latency"] == 2 and c["buffer_latency"] == 1


def test_area_adds_children_and_own_parts():
    child = Area(10.0, Breakdown(adc=2.0, array=5.0), 1.0, 10.0)
    total, parts = Area.of(MACRO, [(child, 4)])
    assert total == pytest.approx(40.0 + 4e-10 + 3e-10)
    assert parts.adc == 8.0 and parts.array == 20.0 and parts.accumulation == pytest.approx(4e-10)
    square = Area.square(16.0, parts)
    assert square.height_m == square.width_m == 4.0 and math.isclose(square.total_m2, 16.0)
