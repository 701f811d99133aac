"""MaxPooling and Sigmoid against the reference NeuroSim V1.4 modules.

GOLDEN values came from the reference V1.4 objects (MaxPooling.o with Comparator, Sigmoid.o with
RowDecoder and SenseAmp, formula, Technology and Param objects built from the V1.4 sources)
driven by a small C++ program with exactly the calls made in each test below: default Param.cpp
(22 nm LSTP, synchronous, validated) and the same Param.cpp with technode = 7; the cell set up as
ProcessingUnit does for an SRAM chip; ``*_async`` with ``param->synchronous = false``.
"""
import pytest

from neurosim_core.cell import make_cell
from neurosim_core.circuits.functional import MaxPooling, Sigmoid
from neurosim_core.constants import AreaModify
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
AREA = {"height": "height", "width": "width", "area": "area"}
PERF = {"readLatency": "read_latency", "readDynamicEnergy": "read_dynamic_energy", "leakage": "leakage"}


def setup(node, synchronous=True):
    p = resolve(HardwareConfig(tech_node_nm=node, synchronous=synchronous))
    tech = technology(node, "lstp")
    return p, tech, make_cell(p, tech)


def check(node, tag, obj, fields):
    for ref_name, attr in fields.items():
        assert getattr(obj, attr) == pytest.approx(GOLDEN[node][f"{tag}.{ref_name}"], rel=1e-6, abs=0.0), \
            f"{tag}.{ref_name}"


def max_pooling(p, tech, cell, num_bit, window, num_units, width):
    m = MaxPooling(p, tech, cell)
    m.initialize(num_bit, window, num_units, 1e9)
    m.calculate_unit_area(AreaModify.NONE)
    m.calculate_area(width)
    return m


@pytest.mark.parametrize("node", NODES)
def test_max_pooling(node):
    p, tech, cell = setup(node)
    m = max_pooling(p, tech, cell, 8, 4, 16, 200e-6)  # the chip's 2x2 pooling of 8-bit inputs
    m.calculate_latency(1e20, 0.0, 100)
    m.calculate_power(100)
    check(node, "maxpool", m, {**AREA, **PERF, "areaUnit": "area_unit"})
    m = max_pooling(p, tech, cell, 6, 9, 3, 50e-6)  # odd window
    m.calculate_latency(1e20, 0.0, 5)
    m.calculate_power(5)
    check(node, "maxpool9", m, {**AREA, **PERF})

    pa, tech, cell = setup(node, synchronous=False)
    m = max_pooling(pa, tech, cell, 8, 4, 16, 200e-6)
    m.calculate_latency(1e20, 1e-15, 100)
    check(node, "maxpool_async", m, {"readLatency": "read_latency"})


@pytest.mark.parametrize("node", NODES)
def test_sigmoid(node):
    p, tech, cell = setup(node)
    s = Sigmoid(p, tech, cell)
    s.initialize(True, 8, 20, 16, 1e9)
    s.calculate_unit_area(AreaModify.NONE)
    s.calculate_area(0.0, 150e-6, AreaModify.NONE)
    s.calculate_latency(10)
    s.calculate_power(10)
    check(node, "sigmoid", s, {**AREA, **PERF, "areaUnit": "area_unit"})
    s.calculate_area(80e-6, 0.0, AreaModify.NONE)
    check(node, "sigmoid_h", s, AREA)

    pa, tech, cell = setup(node, synchronous=False)
    s = Sigmoid(pa, tech, cell)
    s.initialize(True, 8, 20, 16, 1e9)
    s.calculate_unit_area(AreaModify.NONE)
    s.calculate_latency(10)
    check(node, "sigmoid_async", s, {"readLatency": "read_latency"})


def test_sigmoid_rram_table_is_not_modelled():
    p, tech, cell = setup(22)
    with pytest.raises(NotImplementedError):
        Sigmoid(p, tech, cell).initialize(False, 8, 20, 16, 1e9)


@pytest.mark.parametrize("window", [2, 4, 9, 16])
def test_wider_max_pooling_never_smaller(window):
    p, tech, cell = setup(22)
    narrow = max_pooling(p, tech, cell, 8, window, 4, 100e-6)
    wide = max_pooling(p, tech, cell, 8, window + 1, 4, 100e-6)
    more_bits = max_pooling(p, tech, cell, 12, window, 4, 100e-6)
    assert wide.area >= narrow.area
    assert more_bits.area >= narrow.area
    for m in (narrow, wide):
        m.calculate_power(1)
    assert wide.read_dynamic_energy >= narrow.read_dynamic_energy
