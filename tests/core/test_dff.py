"""DFF bank model (NeuroSim V1.4 DFF model) against reference golden values, plus properties.

This module also holds the small periphery test harness shared by ``test_decoders.py``,
``test_switching.py`` and ``test_sram_periphery.py``: the five reference configurations and the
comparison helper.

Golden values: printed (``%.17g``) by a small C++ driver linked against the reference NeuroSim
V1.4 object files (``DFF.o``, ``RowDecoder.o``, ... with ``formula.o``/``Technology.o``), which
builds ``Technology`` for each configuration below, sets the ``MemCell`` fields listed in
`periphery_setup` and the technology-dependent ``Param`` values (sizing factors, switch-matrix
ratios, buffer number, calibration factors), then calls each module's Initialize /
CalculateArea / CalculateLatency / CalculatePower with exactly the arguments of the scenario
functions in these test modules.
"""
from __future__ import annotations

import functools
import math
import types
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim_core.circuits.dff import DffBankSpec, dff_bank
from neurosim_core.circuits.env import CircuitEnv
from neurosim_core.levels import Clock
from neurosim_core.constants import AreaModify, CellAccessType, MemCellType
from neurosim_core.params import HardwareConfig, resolve
from neurosim_core.tech import technology

NONE, MAGIC, OVERRIDE = AreaModify.NONE, AreaModify.MAGIC, AreaModify.OVERRIDE
BASE_KEYS = ("height", "width", "area", "read_latency", "write_latency", "read_dynamic_energy",
             "write_dynamic_energy", "leakage")
REL_TOL = 1e-6


@dataclass(frozen=True)
class Setup:
    """Params/Technology/MemCell of one configuration and the array loads the scenarios use (SI)."""

    p: object
    tech: object
    cell: object
    h_array: float
    w_array: float
    cap_row: float
    res_row: float
    cap_col: float
    res_col: float
    unit_cap: float
    unit_res: float
    drive_cap_in: float


# name: (node nm, roadmap, mem_cell, access, temperature K, validated, cell read voltage V,
#        array height, array width, row cap, row res, column cap, column res, unit_cap, unit_res, drive_cap_in)
CONFIGS = {
    "sram22": (22, "lstp", "sram", "cmos", 300, True, 0.55,
               5.12e-5, 1.4336e-4, 3.2e-14, 1.2e4, 4.5e-14, 6.0e3, 2.5e-16, 93.75, 1e-15),
    "sram7": (7, "lstp", "sram", "cmos", 300, True, 0.264,
              4.096e-5, 8.81408e-5, 2.1e-14, 3.0e4, 2.8e-14, 1.5e4, 1.6e-16, 234.4, 5e-16),
    "rram22": (22, "lstp", "rram", "cmos", 300, True, 0.55,
               2.048e-5, 6.144e-5, 1.9e-14, 5.1e3, 2.4e-14, 1.7e3, 1.5e-16, 40.0, 0.0),
    "xbar32hp": (32, "hp", "rram", "none", 350, False, 0.51,
                 1.6384e-5, 3.2768e-5, 8e-15, 2.2e3, 8e-15, 2.2e3, 6.25e-17, 17.2, 0.0),
    "sram2": (2, "lstp", "sram", "cmos", 300, True, 0.28,
              5.376e-5, 1.536e-4, 4e-14, 8e4, 5e-14, 3e4, 3.1e-16, 625.0, 2e-16),
}


@functools.cache
def periphery_setup(name: str) -> Setup:
    node, roadmap, mem_cell, access, temperature, validated, read_voltage, *loads = CONFIGS[name]
    cfg = HardwareConfig(tech_node_nm=node, roadmap=roadmap, mem_cell=mem_cell, access=access,
                         temperature_k=temperature, validated=validated)
    # the MemCell fields the periphery models read, pinned to the values the reference driver set
    cell = types.SimpleNamespace(
        mem_cell_type=MemCellType.SRAM if mem_cell == "sram" else MemCellType.RRAM,
        access_type=CellAccessType.CMOS_access if access == "cmos" else CellAccessType.none_access,
        resistance_on=100e3, resistance_off=1.7e6, res_cell_access=100e3 * 0.25, read_voltage=read_voltage,
        write_voltage=2.0, access_voltage=1.1, write_pulse_width=10e-9)
    return Setup(resolve(cfg), technology(node, roadmap), cell, *loads)


def golden_cases(golden: dict) -> list:
    return [pytest.param(config, tag, id=f"{config}-{tag}") for config in golden for tag in golden[config]]


def assert_matches_reference(component, golden_entry) -> None:
    base, extra = golden_entry
    expected = dict(zip(BASE_KEYS, base), **extra)
    for key, ref in expected.items():
        ours = float(getattr(component, key))
        assert ours == pytest.approx(ref, rel=REL_TOL, abs=1e-30), key


# ---- DFF scenarios (same calls as the reference driver) -----------------------------------

def _bank(s: Setup, num_dff: int, *, fit_height=0.0, fit_width=0.0, validated=True, clk=1e9, p=None):
    p = p or s.p
    return dff_bank(DffBankSpec(num_dff=num_dff, fit_height_m=fit_height, fit_width_m=fit_width,
                                gamma=p.gamma if validated else 1.0), CircuitEnv.of(p, s.tech, clk))


def _figures(s: Setup, m, *, reads=0, active=0, clk=1e9, p=None) -> types.SimpleNamespace:
    """The reference's outputs of a bank ``m``: ``reads`` cycles with ``active`` flip-flops
    capturing (at most all), latency in the levels' clock rule (cycles when synchronous)."""
    p = p or s.p
    n = m.port("num_dff")
    energy = (m.cost("clock").energy_j + m.cost("capture").energy_j * np.minimum(active, n)) * reads
    return types.SimpleNamespace(height=m.height_m, width=m.width_m, area=m.area_m2,
                                 read_latency=Clock(bool(p.synchronous), clk).time(m.cost("clock").latency_s, reads),
                                 write_latency=0.0, read_dynamic_energy=energy, write_dynamic_energy=energy,
                                 leakage=m.leakage_w if reads else 0.0)


def _dff_col(s):  # columns of the array height; 5 cycles of 64 capturing
    return _figures(s, _bank(s, 128, fit_height=s.h_array), reads=5, active=64)


def _dff_row(s):  # rows of the array width; uncalibrated; more capturing than exist: capped
    f = _figures(s, _bank(s, 100, fit_width=s.w_array, validated=False), reads=3, active=200)
    f.read_latency = 0.0  # (the reference scenario computes no latency)
    return f


def _dff_default(s):  # one row
    f = _figures(s, _bank(s, 16), reads=1, active=4)
    f.read_latency = 0.0
    return f


def _dff_magic(s):  # one row folded to a quarter of the array height, keeping its area
    m = _bank(s, 16)
    height = s.h_array / 4
    return types.SimpleNamespace(height=height, width=m.area_m2 / height, area=m.area_m2, read_latency=0.0,
                                 write_latency=0.0, read_dynamic_energy=0.0, write_dynamic_energy=0.0, leakage=0.0)


SCENARIOS = {"dff_col": _dff_col, "dff_row": _dff_row, "dff_default": _dff_default, "dff_magic": _dff_magic}

# Reference NeuroSim V1.4 DFF module, run by the golden driver with the scenario inputs above:
# (height, width, area, read_latency, write_latency, read_dynamic_energy, write_dynamic_energy, leakage)
GOLDEN = {
    "sram22": {
        "dff_col": ((5.12e-05, 4.0128e-06, 2.0545536e-10, 5.0, 0.0, 3.632829993946352e-13, 3.632829993946352e-13, 4.441360293235588e-09), {}),
        "dff_row": ((1.232e-06, 0.00014336, 1.7661952000000001e-10, 0.0, 0.0, 4.232852187714209e-13, 4.232852187714209e-13, 3.469812729090303e-09), {}),
        "dff_default": ((6.16e-07, 3.21024e-05, 1.97750784e-11, 0.0, 0.0, 7.979309560346543e-15, 7.979309560346543e-15, 5.551700366544485e-10), {}),
        "dff_magic": ((1.28e-05, 1.5449280000000002e-06, 1.97750784e-11, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
    },
    "sram7": {
        "dff_col": ((4.096e-05, 1.3679904e-06, 5.6032886784e-11, 5.0, 0.0, 2.27983329385728e-13, 2.27983329385728e-13, 9.50872301568e-09), {}),
        "dff_row": ((4.799899999999999e-07, 8.81408e-05, 4.230670259199999e-11, 0.0, 0.0, 2.462425801416e-13, 2.462425801416e-13, 7.4286898559999995e-09), {}),
        "dff_default": ((2.3999499999999995e-07, 2.18878464e-05, 5.252973696767999e-12, 0.0, 0.0, 5.2661404500768e-15, 5.2661404500768e-15, 1.18859037696e-09), {}),
        "dff_magic": ((1.024e-05, 5.129857125749999e-07, 5.252973696767999e-12, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
    },
    "rram22": {
        "dff_col": ((2.048e-05, 8.0256e-06, 1.64364288e-10, 5.0, 0.0, 3.632829993946352e-13, 3.632829993946352e-13, 4.441360293235588e-09), {}),
        "dff_row": ((2.464e-06, 6.144e-05, 1.5138815999999998e-10, 0.0, 0.0, 4.232852187714209e-13, 4.232852187714209e-13, 3.469812729090303e-09), {}),
        "dff_default": ((6.16e-07, 3.21024e-05, 1.97750784e-11, 0.0, 0.0, 7.979309560346543e-15, 7.979309560346543e-15, 5.551700366544485e-10), {}),
        "dff_magic": ((5.12e-06, 3.86232e-06, 1.97750784e-11, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
    },
    "xbar32hp": {
        "dff_col": ((1.6384e-05, 2.33472e-05, 3.8252052480000003e-10, 5.0, 0.0, 8.722245647642854e-13, 8.722245647642854e-13, 1.4121812773770491e-05), {}),
        "dff_row": ((8.96e-06, 3.2768e-05, 2.9360128e-10, 0.0, 0.0, 5.221561846799457e-13, 5.221561846799457e-13, 1.1032666229508196e-05), {}),
        "dff_default": ((8.960000000000001e-07, 4.66944e-05, 4.1838182400000005e-11, 0.0, 0.0, 1.878425625386215e-14, 1.878425625386215e-14, 1.7652265967213114e-06), {}),
        "dff_magic": ((4.096e-06, 1.02144e-05, 4.1838182400000005e-11, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
    },
    "sram2": {
        "dff_col": ((5.376e-05, 1.0800000000000002e-06, 5.8060800000000014e-11, 5.0, 0.0, 7.786875096000001e-14, 7.786875096000001e-14, 3.653470679040001e-09), {}),
        "dff_row": ((1.14e-07, 0.0001536, 1.75104e-11, 0.0, 0.0, 8.407441575000001e-14, 8.407441575000001e-14, 2.854273968000001e-09), {}),
        "dff_default": ((1.14e-07, 1.7280000000000004e-05, 1.9699200000000006e-12, 0.0, 0.0, 1.7990859510000005e-15, 1.7990859510000005e-15, 4.566838348800001e-10), {}),
        "dff_magic": ((1.344e-05, 1.465714285714286e-07, 1.9699200000000006e-12, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
    },
}


@pytest.mark.parametrize(("config", "tag"), golden_cases(GOLDEN))
def test_dff_matches_reference(config, tag):
    component = SCENARIOS[tag](periphery_setup(config))
    assert_matches_reference(component, GOLDEN[config][tag])


def test_asynchronous_latency_is_half_a_clock_per_read():
    s = periphery_setup("sram22")
    p = resolve(s.p.cfg.replace(synchronous=False))
    f = _figures(s, _bank(s, 8, clk=2e9, p=p), reads=3, clk=2e9, p=p)
    assert f.read_latency == pytest.approx(3 * 0.25e-9)


def test_too_short_column_is_an_error():
    s = periphery_setup("sram22")
    with pytest.raises(ValueError, match="height"):
        _bank(s, 8, fit_height=1e-9)


@settings(max_examples=25, deadline=None)
@given(config=st.sampled_from(sorted(CONFIGS)), num_dff=st.integers(1, 512))
def test_default_layout_is_one_row_of_identical_dffs(config, num_dff):
    s = periphery_setup(config)
    one, many = _bank(s, 1), _bank(s, num_dff)
    assert many.height_m == one.height_m
    assert many.area_m2 == pytest.approx(num_dff * one.area_m2, rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(config=st.sampled_from(sorted(CONFIGS)), num_dff=st.integers(1, 256),
       active=st.lists(st.integers(0, 400), min_size=1, max_size=6))
def test_energy_grows_with_active_dffs_saturates_and_batches(config, num_dff, active):
    s = periphery_setup(config)
    m = _bank(s, num_dff)
    energies = [float(_figures(s, m, reads=2, active=a).read_dynamic_energy) for a in active]
    batched = _figures(s, m, reads=2, active=np.array(active)).read_dynamic_energy  # one entry per vector
    np.testing.assert_allclose(batched, energies, rtol=1e-12)
    order = np.argsort(active, kind="stable")
    assert np.all(np.diff(np.array(energies)[order]) >= 0)
    saturated = float(_figures(s, m, reads=2, active=num_dff).read_dynamic_energy)
    assert float(_figures(s, m, reads=2, active=num_dff + 1000).read_dynamic_energy) == saturated
    assert math.isfinite(saturated) and saturated > 0
