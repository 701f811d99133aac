"""HTree, Bus and XYBus against the reference NeuroSim V1.4 modules.

GOLDEN values came from the reference V1.4 objects (HTree.o, Bus.o, XYBus.o, formula.o,
Technology.o, Param.o built from the V1.4 sources) driven by a small C++ program with exactly
the calls made in each test below: default Param.cpp (22 nm LSTP, synchronous) and the same
Param.cpp with technode = 7; ``*_async`` values and the tests marked so with
``param->synchronous = false``.  For ``bus_v`` (area not overlapped) the driver zeroed
``Bus::wireWidth`` first: the reference accumulates into that member without initializing it.
"""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim_core.circuits.interconnect import HTree, XYBus, Bus
from neurosim_core.constants import BusMode
from neurosim_core.params import HardwareConfig, resolve
from neurosim_core.tech import technology

GOLDEN = {
    22: {
        'htree10.repeaterSize': 38.0,
        'htree10.minDist': 8.964276944785174e-05,
        'htree10.area': 1.2209612800000002e-06,
        'htree10.totalWireLength': 0.008150000000000001,
        'htree10.readLatency': 400.0,
        'htree10.critical_latency': 3.2118502077441597,
        'htree10.readDynamicEnergy': 4.2307347966024835e-08,
        'htree10.leakage': 7.672059282010643e-06,
        'htree10_async.readLatency': 3.21185020774416e-07,
        'htree2.area': 6.3078400000000004e-09,
        'htree2.readLatency': 33.0,
        'htree2.readDynamicEnergy': 1.0329650783483929e-09,
        'htree2.leakage': 3.012342294777185e-07,
        'htree3.area': 2.22552e-08,
        'htree3.readLatency': 1.1453625729553978e-08,
        'htree3.readDynamicEnergy': 2.8959913803696012e-09,
        'htree3.leakage': 1.334373500889581e-06,
        'htree10_tol0.area': 1.5917440000000003e-06,
        'htree10_tol0.readLatency': 2.10633541178428e-09,
        'bus_h.area': 0.0,
        'bus_h.readLatency': 20.0,
        'bus_h.readDynamicEnergy': 4.869036954997857e-12,
        'bus_h.leakage': 3.86266013415405e-08,
        'bus_h_async.readLatency': 2.501784809468284e-10,
        'bus_v.area': 3.4927411200000004e-07,
        'bus_v.readLatency': 1.1243103717263804e-10,
        'bus_v.readDynamicEnergy': 6.470038640546205e-11,
        'bus_v.leakage': 1.8783685978096165e-06,
        'bus_1.readLatency': 0.0,
        'bus_1.readDynamicEnergy': 0.0,
        'bus_1.leakage': 0.0,
        'xybus.area': 1.3483008000000002e-06,
        'xybus.readLatency': 300.0,
        'xybus.readDynamicEnergy': 2.25138191980094e-08,
        'xybus.leakage': 6.212955982977943e-06,
        'xybus_async.readLatency': 1.0311398370564912e-07,
    },
    7: {
        'htree10.repeaterSize': 10.0,
        'htree10.minDist': 2.7752130583899482e-05,
        'htree10.area': 4.837170508799999e-07,
        'htree10.totalWireLength': 0.008150000000000001,
        'htree10.readLatency': 700.0,
        'htree10.critical_latency': 6.625543589010311,
        'htree10.readDynamicEnergy': 2.9253380106118722e-08,
        'htree10.leakage': 1.3962187937878846e-05,
        'htree10_async.readLatency': 6.625543589010311e-07,
        'htree2.area': 2.4575487999999997e-09,
        'htree2.readLatency': 33.0,
        'htree2.readDynamicEnergy': 7.14242833125318e-10,
        'htree2.leakage': 5.482086061498442e-07,
        'htree3.area': 8.758643039999999e-09,
        'htree3.readLatency': 2.0282535662242672e-08,
        'htree3.readDynamicEnergy': 2.002430800012052e-09,
        'htree3.leakage': 2.428392810054388e-06,
        'htree10_tol0.area': 6.2416406528e-07,
        'htree10_tol0.readLatency': 4.118140805430094e-09,
        'bus_h.area': 0.0,
        'bus_h.readLatency': 20.0,
        'bus_h.readDynamicEnergy': 3.4495026390037692e-12,
        'bus_h.leakage': 7.285178430163166e-08,
        'bus_h_async.readLatency': 4.909949039789166e-10,
        'bus_v.area': 1.1206577356800001e-07,
        'bus_v.readLatency': 2.180898091336543e-10,
        'bus_v.readDynamicEnergy': 3.4975796642250895e-11,
        'bus_v.leakage': 2.0888911985590774e-06,
        'bus_1.readLatency': 0.0,
        'bus_1.readDynamicEnergy': 0.0,
        'bus_1.leakage': 0.0,
        'xybus.area': 5.398969855999999e-07,
        'xybus.readLatency': 300.0,
        'xybus.readDynamicEnergy': 1.5567161316012972e-08,
        'xybus.leakage': 1.1306802501840537e-05,
        'xybus_async.readLatency': 2.1859217509328184e-07,
    },
}

NODES = (22, 7)
ENERGY = {"readDynamicEnergy": "read_dynamic_energy", "leakage": "leakage"}
LAT = {"readLatency": "read_latency"}


def setup(node, synchronous=True):
    return resolve(HardwareConfig(tech_node_nm=node, synchronous=synchronous)), technology(node, "lstp")


def check(node, tag, obj, fields):
    for ref_name, attr in fields.items():
        assert getattr(obj, attr) == pytest.approx(GOLDEN[node][f"{tag}.{ref_name}"], rel=1e-6, abs=0.0), \
            f"{tag}.{ref_name}"


@pytest.mark.parametrize("node", NODES)
def test_chip_htree_10x10_tiles(node):
    p, tech = setup(node)
    h = HTree(p, tech)
    h.initialize(10, 10, 0.1, 1024, 1e9)
    check(node, "htree10", h, {"repeaterSize": "repeater_size", "minDist": "min_dist"})
    h.calculate_area(350e-6, 380e-6, 4)
    check(node, "htree10", h, {"area": "area", "totalWireLength": "total_wire_length"})
    h.calculate_latency(0, 0, 3, 4, 350e-6, 380e-6, 100)
    check(node, "htree10", h, {**LAT, "critical_latency": "critical_latency"})
    h.calculate_power(0, 0, 3, 4, 350e-6, 380e-6, 512, 100)
    check(node, "htree10", h, ENERGY)

    pa, tech = setup(node, synchronous=False)
    h = HTree(pa, tech)
    h.initialize(10, 10, 0.1, 1024, 1e9)
    h.calculate_area(350e-6, 380e-6, 4)
    h.calculate_latency(0, 0, 3, 4, 350e-6, 380e-6, 100)
    check(node, "htree10_async", h, LAT)
    h = HTree(pa, tech)
    h.initialize(10, 10, 0, 1024, 1e9)  # no delay tolerance: delay-optimal repeaters
    h.calculate_area(350e-6, 380e-6, 4)
    h.calculate_latency(0, 0, 3, 4, 350e-6, 380e-6, 1)
    check(node, "htree10_tol0", h, {"area": "area", **LAT})


@pytest.mark.parametrize("node", NODES)
def test_tile_htrees(node):
    p, tech = setup(node)
    h = HTree(p, tech)
    h.initialize(2, 2, 0.1, 4 * 256, 1e9)
    h.calculate_area(150e-6, 160e-6, 16)
    h.calculate_latency(0, 0, 1, 1, 150e-6, 160e-6, 33)
    h.calculate_power(0, 0, 1, 1, 150e-6, 160e-6, 1024, 33)
    check(node, "htree2", h, {"area": "area", **LAT, **ENERGY})

    pa, tech = setup(node, synchronous=False)
    h = HTree(pa, tech)
    h.initialize(3, 3, 0.1, 9 * 128, 1e9)
    h.calculate_area(150e-6, 160e-6, 16)
    h.calculate_latency(0, 0, 1, 1, 150e-6, 160e-6, 33)
    h.calculate_power(0, 0, 1, 1, 150e-6, 160e-6, 1152, 33)
    check(node, "htree3", h, {"area": "area", **LAT, **ENERGY})


def test_htree_leaf_to_leaf_is_not_modelled():
    p, tech = setup(22)
    h = HTree(p, tech)
    h.initialize(4, 4, 0.1, 64, 1e9)
    h.calculate_area(1e-4, 1e-4, 4)
    with pytest.raises(NotImplementedError):
        h.calculate_latency(1, 2, 3, 1, 1e-4, 1e-4, 1)


@pytest.mark.parametrize("node", NODES)
def test_pe_buses(node):
    p, tech = setup(node)
    b = Bus(p, tech)
    b.initialize(BusMode.HORIZONTAL, 2, 2, 0, 256, 40e-6, 45e-6, 1e9)
    b.calculate_area(1, True)
    b.calculate_latency(20)
    b.calculate_power(256, 20, True)
    check(node, "bus_h", b, {"area": "area", **LAT, **ENERGY})
    b = Bus(p, tech)
    b.initialize(BusMode.VERTICAL, 1, 1, 0, 128, 40e-6, 45e-6, 1e9)  # zero-length bus
    b.calculate_area(1, True)
    b.calculate_latency(3)
    b.calculate_power(128, 3, False)
    check(node, "bus_1", b, {**LAT, **ENERGY})

    pa, tech = setup(node, synchronous=False)
    b = Bus(pa, tech)
    b.initialize(BusMode.HORIZONTAL, 2, 2, 0, 256, 40e-6, 45e-6, 1e9)
    b.calculate_area(1, True)
    b.calculate_latency(20)
    check(node, "bus_h_async", b, LAT)
    b = Bus(pa, tech)
    b.initialize(BusMode.VERTICAL, 4, 4, 0.1, 512, 40e-6, 45e-6, 1e9)
    b.calculate_area(1, False)
    b.calculate_latency(3)
    b.calculate_power(2048, 3, False)
    check(node, "bus_v", b, {"area": "area", **LAT, **ENERGY})


@pytest.mark.parametrize("node", NODES)
def test_chip_xy_bus_10x10_tiles(node):
    p, tech = setup(node)
    x = XYBus(p, tech)
    x.initialize(10, 10, 0.1, 1024, 1e9)
    x.calculate_area(350e-6, 380e-6, 4)
    x.calculate_latency(5, 5, 350e-6, 380e-6, 100, 200)
    x.calculate_power(5, 5, 350e-6, 380e-6, 1e5, 3e4)
    check(node, "xybus", x, {"area": "area", **LAT, **ENERGY})

    pa, tech = setup(node, synchronous=False)
    x = XYBus(pa, tech)
    x.initialize(10, 10, 0.1, 1024, 1e9)
    x.calculate_area(350e-6, 380e-6, 4)
    x.calculate_latency(5, 5, 350e-6, 380e-6, 100, 200)
    check(node, "xybus_async", x, LAT)


_P22A = setup(22, synchronous=False)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 16), extra=st.integers(1, 8), unit=st.floats(1e-6, 1e-3))
def test_longer_bus_never_faster_or_cheaper(n, extra, unit):
    p, tech = _P22A
    res = []
    for cols in (n, n + extra):
        b = Bus(p, tech)
        b.initialize(BusMode.HORIZONTAL, 1, cols, 0.1, 64, unit, unit, 1e9)
        b.calculate_area(1, False)
        b.calculate_latency(1)
        b.calculate_power(64, 1, True)
        res.append(b)
    short, long_ = res
    assert long_.read_latency >= short.read_latency
    assert long_.read_dynamic_energy >= short.read_dynamic_energy
    assert long_.area >= short.area


@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 20), unit=st.floats(1e-5, 1e-3), scale=st.floats(1.0, 4.0))
def test_bigger_htree_units_never_smaller_or_cheaper(n, unit, scale):
    # (latency is not monotonic here: longer segments switch to wider, less resistive wires)
    p, tech = _P22A
    res = []
    for u in (unit, unit * scale):
        h = HTree(p, tech)
        h.initialize(n, n, 0.1, 128, 1e9)
        h.calculate_area(u, u, 4)
        h.calculate_latency(0, 0, 1, 1, u, u, 1)
        h.calculate_power(0, 0, 1, 1, u, u, 128, 1)
        res.append(h)
    small, big = res
    assert big.area >= small.area
    assert big.total_wire_length >= small.total_wire_length
    assert big.read_dynamic_energy >= small.read_dynamic_energy
    assert big.leakage >= small.leakage
