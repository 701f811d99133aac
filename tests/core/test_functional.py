"""The max-pooling and sigmoid builders against the reference NeuroSim V1.4 modules.

GOLDEN values came from the reference V1.4 objects (MaxPooling.o with Comparator, Sigmoid.o with
RowDecoder and SenseAmp, formula, Technology and Param objects built from the V1.4 sources)
driven by a small C++ program: default Param.cpp (22 nm LSTP, synchronous, validated) and the same
Param.cpp with technode = 7; the cell set up as ProcessingUnit does for an SRAM chip; ``*_async``
with ``param->synchronous = false``.  The reference's ``readLatency`` / ``readDynamicEnergy`` are
one pooling / look-up times the count given; its sigmoid ``leakage`` is that of one table.
"""
import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim_core.cell import make_cell
from neurosim_core.circuits.buffer import SramCellSpec
from neurosim_core.circuits.env import CircuitEnv
from neurosim_core.circuits.functional import (
    MaxPoolingSpec, SigmoidSpec, comparator_tree, max_pooling, sigmoid,
)
from neurosim_core.params import HardwareConfig, resolve
from neurosim_core.tech import technology

GOLDEN = {
    22: {
        'maxpool.height': 4.696581119999999e-06,
        'maxpool.width': 0.0002,
        'maxpool.area': 9.39316224e-10,
        'maxpool.areaUnit': 5.8707264e-11,
        'maxpool.readLatency': 300.0,
        'maxpool.readDynamicEnergy': 7.421515665601687e-12,
        'maxpool.leakage': 9.379920000000002e-10,
        'maxpool_async.readLatency': 5.95395221210833e-08,
        'maxpool9.height': 7.16846592e-06,
        'maxpool9.width': 5e-05,
        'maxpool9.area': 3.5842329600000003e-10,
        'maxpool9.readLatency': 25.0,
        'maxpool9.readDynamicEnergy': 1.4307157853509758e-13,
        'maxpool9.leakage': 4.689960000000001e-10,
        'sigmoid.height': 1.2896589141333335e-05,
        'sigmoid.width': 0.00015,
        'sigmoid.area': 1.9344883712e-09,
        'sigmoid.areaUnit': 1.209055232e-10,
        'sigmoid.readLatency': 10.0,
        'sigmoid.readDynamicEnergy': 2.5927391343229506e-13,
        'sigmoid.leakage': 1.8771523027552925e-09,
        'sigmoid_async.readLatency': 1.2250086353164788e-09,
        'sigmoid_h.height': 8e-05,
        'sigmoid_h.width': 2.4181104639999998e-05,
        'sigmoid_h.area': 1.9344883712e-09,
    },
    7: {
        'maxpool.height': 1.3263758584339197e-06,
        'maxpool.width': 0.0002,
        'maxpool.area': 2.6527517168678394e-10,
        'maxpool.areaUnit': 1.6579698230423996e-11,
        'maxpool.readLatency': 300.0,
        'maxpool.readDynamicEnergy': 2.397864161516544e-12,
        'maxpool.leakage': 8.9144278272e-10,
        'maxpool_async.readLatency': 2.752306706484737e-08,
        'maxpool9.height': 1.9829975705299193e-06,
        'maxpool9.width': 5e-05,
        'maxpool9.area': 9.914987852649597e-11,
        'maxpool9.readLatency': 25.0,
        'maxpool9.readDynamicEnergy': 4.6265031224143195e-14,
        'maxpool9.leakage': 4.4572139136e-10,
        'sigmoid.height': 3.2537386081271428e-06,
        'sigmoid.width': 0.00015,
        'sigmoid.area': 4.880607912190714e-10,
        'sigmoid.areaUnit': 3.050379945119196e-11,
        'sigmoid.readLatency': 10.0,
        'sigmoid.readDynamicEnergy': 1.7478814934320322e-13,
        'sigmoid.leakage': 5.1865357397952e-09,
        'sigmoid_async.readLatency': 9.572783367952774e-10,
        'sigmoid_h.height': 8e-05,
        'sigmoid_h.width': 6.1007598902383916e-06,
        'sigmoid_h.area': 4.880607912190714e-10,
    },
}

NODES = (22, 7)
CLK = 1e9


def setup(node, synchronous=True):
    p = resolve(HardwareConfig(tech_node_nm=node, synchronous=synchronous, clk_freq_hz=CLK))
    tech = technology(node, "lstp")
    return p, tech, make_cell(p, tech)


def close(node, key, value):
    assert value == pytest.approx(GOLDEN[node][key], rel=1e-6, abs=0.0), key


def pool(node, num_bit, window, units, width, synchronous=True, cap_load=0.0):
    p, tech, cell = setup(node, synchronous)
    spec = MaxPoolingSpec(num_bit=num_bit, window=window, num_units=units, fit_width_m=width, cap_load_f=cap_load,
                          control_activity=p.epsilon)
    return max_pooling(spec, CircuitEnv.of(p, tech))


def table(node, synchronous=True, **fit):
    p, tech, cell = setup(node, synchronous)
    spec = SigmoidSpec(num_ybit=8, num_entry=20, num_function=16,
                       cell=SramCellSpec.of(p, cell, footprint="memory_cell"),
                       decoder_sizing=p.sizing_factor_wl_decoder, control_activity=p.epsilon, **fit)
    return sigmoid(spec, CircuitEnv.of(p, tech))


def cycles(cost):
    n = cost.latency_s * CLK
    assert n == pytest.approx(round(n), abs=1e-9)
    return round(n)


@pytest.mark.parametrize("node", NODES)
def test_max_pooling(node):
    m = pool(node, 8, 4, 16, 200e-6)  # the chip's 2x2 pooling of 8-bit inputs
    for key, value in (("height", m.height_m), ("width", m.width_m), ("area", m.area_m2),
                       ("areaUnit", m.port("area_unit_m2")), ("readLatency", cycles(m.cost("pool")) * 100),
                       ("readDynamicEnergy", m.cost("pool").energy_j * 100), ("leakage", m.leakage_w)):
        close(node, f"maxpool.{key}", value)
    m = pool(node, 6, 9, 3, 50e-6)  # odd window
    for key, value in (("height", m.height_m), ("width", m.width_m), ("area", m.area_m2),
                       ("readLatency", cycles(m.cost("pool")) * 5), ("readDynamicEnergy", m.cost("pool").energy_j * 5),
                       ("leakage", m.leakage_w)):
        close(node, f"maxpool9.{key}", value)
    m = pool(node, 8, 4, 16, 200e-6, synchronous=False, cap_load=1e-15)
    close(node, "maxpool_async.readLatency", m.cost("pool").latency_s * 100)


@pytest.mark.parametrize("node", NODES)
def test_sigmoid(node):
    m = table(node, fit_width_m=150e-6)
    for key, value in (("height", m.height_m), ("width", m.width_m), ("area", m.area_m2),
                       ("areaUnit", m.port("area_unit_m2")), ("readLatency", cycles(m.cost("lookup")) * 10),
                       ("readDynamicEnergy", m.cost("lookup").energy_j * 10), ("leakage", m.port("table_leakage_w"))):
        close(node, f"sigmoid.{key}", value)
    assert m.leakage_w == pytest.approx(m.port("table_leakage_w") * 16, rel=1e-12)  # every table leaks
    m = table(node, fit_height_m=80e-6)
    for key, value in (("height", m.height_m), ("width", m.width_m), ("area", m.area_m2)):
        close(node, f"sigmoid_h.{key}", value)
    m = table(node, synchronous=False)
    close(node, "sigmoid_async.readLatency", m.cost("lookup").latency_s * 10)


@given(window=st.integers(1, 64))
def test_comparator_tree_counts(window):
    tree = comparator_tree(window)
    assert tree.stages == window.bit_length() + window % 2  # one stage per halving (+1 for odd)
    assert window // 2 <= tree.comparators <= window  # at least the first stage, at most a full tree


@settings(max_examples=15, deadline=None)
@given(window=st.integers(2, 16), bits=st.integers(2, 12), units=st.integers(1, 8))
def test_wider_max_pooling_never_smaller_or_cheaper(window, bits, units):
    narrow = pool(22, bits, window, units, 100e-6)
    wide = pool(22, bits, window + 1, units, 100e-6)
    more_bits = pool(22, bits + 4, window, units, 100e-6)
    more_units = pool(22, bits, window, units + 1, 100e-6)
    assert wide.area_m2 >= narrow.area_m2 and more_bits.area_m2 >= narrow.area_m2
    assert wide.cost("pool").energy_j >= narrow.cost("pool").energy_j
    assert more_units.cost("pool").energy_j > narrow.cost("pool").energy_j
    assert more_units.cost("pool").latency_s == narrow.cost("pool").latency_s  # units work in parallel


def test_more_tables_cost_more_but_look_up_as_fast():
    p, tech, cell = setup(22, synchronous=False)
    base = SigmoidSpec(num_ybit=8, num_entry=32, num_function=4, cell=SramCellSpec.of(p, cell, footprint="memory_cell"))
    one, many = (sigmoid(dataclasses.replace(base, num_function=n), CircuitEnv.of(p, tech)) for n in (4, 12))
    assert many.area_m2 == pytest.approx(3 * one.area_m2)
    assert many.cost("lookup").energy_j == pytest.approx(3 * one.cost("lookup").energy_j)
    assert many.cost("lookup").latency_s == one.cost("lookup").latency_s


# --- the transitional adapters are the builders ---------------------------------------------------

def test_corrected_sigmoid_loads_its_word_line():
    """Quirk ``sigmoid_word_line_unloaded``: V1.4's word line charges nothing; corrected, the wire and
    the access gates of its cells slow the look-up (the decoder's energy does not see its load)."""
    p, tech, cell = setup(22, synchronous=False)
    spec = SigmoidSpec(num_ybit=8, num_entry=20, num_function=16, cell=SramCellSpec.of(p, cell, footprint="memory_cell"))
    v14, fixed = (sigmoid(spec, dataclasses.replace(CircuitEnv.of(p, tech), compat=c)) for c in ("neurosim_v14",
                                                                                                   "corrected"))
    assert fixed.cost("lookup").latency_s > v14.cost("lookup").latency_s
    assert fixed.cost("lookup").energy_j == v14.cost("lookup").energy_j
    assert (fixed.area_m2, fixed.leakage_w) == (v14.area_m2, v14.leakage_w)
