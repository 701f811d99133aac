"""The architecture layer (`neurosim_core.arch`): component models, macros as data, one evaluator."""
from dataclasses import FrozenInstanceError

import numpy as np
import pytest

from neurosim_core.arch import (ActionCost, Breakdown, ComponentModel, Macro, Part, UnknownAction, Use, energy,
                                latency_terms)
from neurosim_core.circuits.dff import DffBankSpec, dff_bank
from neurosim_core.circuits.env import CircuitEnv
from neurosim_core.tech import technology


def _adc(scale=1.0):
    def convert(*, column_resistance):
        r = np.asarray(column_resistance, dtype=float)
        return ActionCost(latency_s=1e-9, energy_j=scale * 1e-3 / r)
    return ComponentModel(kind="toy_adc", area_m2=4e-12, height_m=2e-6, width_m=2e-6, leakage_w=1e-6,
                          actions={"reset": ActionCost(latency_s=0.5e-9, energy_j=1e-15)}, dynamic={"convert": convert})


def _macro():
    reg = ComponentModel(kind="reg", area_m2=1e-12, height_m=1e-6, width_m=1e-6, leakage_w=2e-7,
                         actions={"clock": ActionCost(latency_s=1e-9, energy_j=3e-15)})
    return Macro("toy", (Part("adc", _adc(), "adc", count=4), Part("reg", reg, "accumulation", count=2)))


def test_energy_is_counts_times_costs_by_bucket():
    r = np.array([1e6, 2e6, 4e6])
    uses = [Use("adc", "convert", times=np.array([1.0, 2.0, 3.0]), data={"column_resistance": r}),
            Use("adc", "reset", times=5), Use("reg", "clock", times=np.array([0.0, 1.0, 2.0]))]
    e = energy(_macro(), uses)
    assert isinstance(e, Breakdown)
    np.testing.assert_allclose(e.adc, np.array([1, 2, 3]) * 1e-3 / r + 5e-15)
    np.testing.assert_allclose(e.accumulation, [0.0, 3e-15, 6e-15])
    np.testing.assert_allclose(e.total, e.adc + e.accumulation)
    assert e.array == e.buffer == e.interconnect == e.other == 0.0
    t = latency_terms(_macro(), uses)
    np.testing.assert_allclose(t["adc"], [1e-9 + 2.5e-9, 2e-9 + 2.5e-9, 3e-9 + 2.5e-9])


def test_static_figures_count_every_instance():
    m = _macro()
    assert m.leakage_w() == pytest.approx(4 * 1e-6 + 2 * 2e-7)
    area = m.area_m2()
    assert area.adc == pytest.approx(16e-12) and area.accumulation == pytest.approx(2e-12)


def test_models_are_immutable_and_errors_name_the_action():
    m = _adc()
    with pytest.raises(FrozenInstanceError):
        m.area_m2 = 0.0
    with pytest.raises(TypeError):
        m.actions["reset"] = ActionCost()
    with pytest.raises(UnknownAction, match="toy_adc has no action 'write'; its actions: convert, reset"):
        m.cost("write")
    with pytest.raises(ValueError, match="bucket 'adcs'"):
        Part("x", m, "adcs")
    with pytest.raises(ValueError, match="duplicate roles"):
        Macro("m", (Part("x", m, "adc"), Part("x", m, "other")))
    with pytest.raises(KeyError, match="no part 'sar'"):
        energy(_macro(), [Use("sar", "convert")])


def test_dff_bank_is_a_pure_function_of_spec_and_env():
    env = CircuitEnv(tech=technology(22, "lstp"), temperature_k=300, clk_freq_hz=1e9)
    a = dff_bank(DffBankSpec(num_dff=64), env)
    b = dff_bank(DffBankSpec(num_dff=64), env)
    assert a == b
    # 64 DFFs in one row; clocking scales with the bank, capturing is per flip-flop
    half = dff_bank(DffBankSpec(num_dff=32), env)
    assert a.width_m == pytest.approx(2 * half.width_m) and a.height_m == half.height_m
    assert a.cost("clock").energy_j == pytest.approx(2 * half.cost("clock").energy_j)
    assert a.cost("capture").energy_j == half.cost("capture").energy_j > 0
    assert a.leakage_w == pytest.approx(2 * half.leakage_w)
    assert a.cost("clock").latency_s == pytest.approx(1e-9)
    folded = dff_bank(DffBankSpec(num_dff=64, fit_width_m=a.width_m / 4), env)
    assert folded.height_m == pytest.approx(4 * a.height_m)
    gamma = dff_bank(DffBankSpec(num_dff=64, gamma=0.5), env)
    assert gamma.cost("clock").energy_j == pytest.approx(0.5 * a.cost("clock").energy_j)


def test_adder_bank_costs_scale_with_bits_and_not_with_bank_size():
    from neurosim_core.circuits.arithmetic import AdderBankSpec, adder_bank
    env = CircuitEnv(tech=technology(22, "lstp"))
    a8 = adder_bank(AdderBankSpec(num_bit=8, num_adder=16), env)
    a16 = adder_bank(AdderBankSpec(num_bit=16, num_adder=16), env)
    a8x2 = adder_bank(AdderBankSpec(num_bit=8, num_adder=32), env)
    # one addition: longer carry chain and more transitions with more bits; the bank size only adds area/leakage
    assert a16.cost("add").latency_s > a8.cost("add").latency_s
    assert a16.cost("add").energy_j > a8.cost("add").energy_j
    assert a8x2.cost("add") == a8.cost("add")
    assert a8x2.area_m2 == pytest.approx(2 * a8.area_m2) and a8x2.leakage_w == pytest.approx(2 * a8.leakage_w)
    loaded = adder_bank(AdderBankSpec(num_bit=8, num_adder=16, cap_load_f=50e-15), env)
    assert loaded.cost("add").latency_s > a8.cost("add").latency_s
