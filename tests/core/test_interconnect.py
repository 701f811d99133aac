"""Interconnect builders (`htree`, `bus`, `xy_bus`) against the reference NeuroSim V1.4 modules.

GOLDEN values came from the reference V1.4 objects (HTree.o, Bus.o, XYBus.o, formula.o,
Technology.o, Param.o built from the V1.4 sources) driven by a small C++ program: default
Param.cpp (22 nm LSTP, synchronous) and the same Param.cpp with technode = 7; ``*_async`` values
with ``param->synchronous = false``.  For ``bus_v`` (area not overlapped) the driver zeroed
``Bus::wireWidth`` first: the reference accumulates into that member without initializing it.
The reference's ``readLatency`` is the per-transfer latency (clock cycles when synchronous) times
the transfer count; ``readDynamicEnergy`` the per-bit energy times the bits moved; ``leakage``
one wire's leakage times the wires passed to CalculatePower.  Each test states the builder's
actions with those counts.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim_core.arch import Macro, Part, Use, energy, latency_terms
from neurosim_core.circuits.env import CircuitEnv
from neurosim_core.circuits.interconnect import (
    BusSpec, HTreeSpec, WireSpec, XyBusSpec, bus, htree, xy_bus,
)
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
CLK = 1e9


def setup(node, synchronous=True):
    p = resolve(HardwareConfig(tech_node_nm=node, synchronous=synchronous, clk_freq_hz=CLK))
    tech = technology(node, "lstp")
    return p, tech, CircuitEnv.of(p, tech)


def close(node, key, value):
    assert value == pytest.approx(GOLDEN[node][key], rel=1e-6, abs=0.0), key


def cycles(cost):
    """Clock cycles of a synchronous action (its latency is whole periods)."""
    n = cost.latency_s * CLK
    assert n == pytest.approx(round(n), abs=1e-9)
    return round(n)


def tree_spec(p, rows, bus_width, tolerance=0.1, unit=(350e-6, 380e-6), folded=4):
    return HTreeSpec(num_row=rows, num_col=rows, unit_height_m=unit[0], unit_width_m=unit[1], bus_width=bus_width,
                     delay_tolerance=tolerance, folded_ratio=folded, wire=WireSpec.of(p))


@pytest.mark.parametrize("node", NODES)
def test_chip_htree_10x10_tiles(node):
    p, tech, env = setup(node)
    m = htree(tree_spec(p, 10, 1024), env)
    close(node, "htree10.repeaterSize", m.port("repeater_size"))
    close(node, "htree10.minDist", m.port("repeater_spacing_m"))
    close(node, "htree10.area", m.area_m2)
    close(node, "htree10.totalWireLength", m.port("total_wire_length_m"))
    close(node, "htree10.readLatency", cycles(m.cost("transfer")) * 100)
    close(node, "htree10.critical_latency", m.port("path_delay_s") * CLK)
    close(node, "htree10.readDynamicEnergy", m.cost("bit").energy_j * 512 * 100)
    close(node, "htree10.leakage", m.port("wire_leakage_w") * 512)
    assert m.leakage_w == pytest.approx(m.port("wire_leakage_w") * 1024, rel=1e-12)

    pa, tech, env_a = setup(node, synchronous=False)
    m = htree(tree_spec(pa, 10, 1024), env_a)
    close(node, "htree10_async.readLatency", m.cost("transfer").latency_s * 100)
    m = htree(tree_spec(pa, 10, 1024, tolerance=0.0), env_a)  # no delay tolerance: delay-optimal repeaters
    close(node, "htree10_tol0.area", m.area_m2)
    close(node, "htree10_tol0.readLatency", m.cost("transfer").latency_s)


@pytest.mark.parametrize("node", NODES)
def test_tile_htrees(node):
    p, tech, env = setup(node)
    m = htree(tree_spec(p, 2, 4 * 256, unit=(150e-6, 160e-6), folded=16), env)
    close(node, "htree2.area", m.area_m2)
    close(node, "htree2.readLatency", cycles(m.cost("transfer")) * 33)
    close(node, "htree2.readDynamicEnergy", m.cost("bit").energy_j * 1024 * 33)
    close(node, "htree2.leakage", m.leakage_w)

    pa, tech, env_a = setup(node, synchronous=False)
    m = htree(tree_spec(pa, 3, 9 * 128, unit=(150e-6, 160e-6), folded=16), env_a)
    close(node, "htree3.area", m.area_m2)
    close(node, "htree3.readLatency", m.cost("transfer").latency_s * 33)
    close(node, "htree3.readDynamicEnergy", m.cost("bit").energy_j * 1152 * 33)
    close(node, "htree3.leakage", m.leakage_w)


def pe_bus(p, orientation, n, tolerance, bus_width, over=True):
    return BusSpec(orientation=orientation, num_row=n, num_col=n, unit_height_m=40e-6, unit_width_m=45e-6,
                   bus_width=bus_width, delay_tolerance=tolerance, folded_ratio=1, over_units=over,
                   wire=WireSpec.of(p))


@pytest.mark.parametrize("node", NODES)
def test_pe_buses(node):
    p, tech, env = setup(node)
    m = bus(pe_bus(p, "horizontal", 2, 0, 256), env)
    close(node, "bus_h.area", m.area_m2)
    close(node, "bus_h.readLatency", cycles(m.cost("transfer")) * 20)
    close(node, "bus_h.readDynamicEnergy", m.cost("bit").energy_j * p.input_toggle * 256 * 20)
    close(node, "bus_h.leakage", m.leakage_w)
    m = bus(pe_bus(p, "vertical", 1, 0, 128), env)  # zero-length bus
    assert (m.cost("transfer").latency_s, m.cost("bit").energy_j, m.leakage_w) == (0.0, 0.0, 0.0)

    pa, tech, env_a = setup(node, synchronous=False)
    m = bus(pe_bus(pa, "horizontal", 2, 0, 256), env_a)
    close(node, "bus_h_async.readLatency", m.cost("transfer").latency_s * 20)
    m = bus(pe_bus(pa, "vertical", 4, 0.1, 512, over=False), env_a)
    close(node, "bus_v.area", m.area_m2)
    close(node, "bus_v.readLatency", m.cost("transfer").latency_s * 3)
    close(node, "bus_v.readDynamicEnergy", m.cost("bit").energy_j * pa.output_toggle * 2048 * 3)
    close(node, "bus_v.leakage", m.port("wire_leakage_w") * 2048)


def chip_xy(p):
    return XyBusSpec(num_row=10, num_col=10, unit_height_m=350e-6, unit_width_m=380e-6, bus_width=1024,
                     delay_tolerance=0.1, folded_ratio=4, wire=WireSpec.of(p))


@pytest.mark.parametrize("node", NODES)
def test_chip_xy_bus_10x10_tiles(node):
    p, tech, env = setup(node)
    m = xy_bus(chip_xy(p), env)
    close(node, "xybus.area", m.area_m2)
    close(node, "xybus.readLatency",
          cycles(m.cost("transfer_x", x_end=5)) * 100 + cycles(m.cost("transfer_y", y_init=5)) * 200)
    close(node, "xybus.readDynamicEnergy", m.cost("bit_x", x_end=5).energy_j * 1e5
          + m.cost("bit_y", y_init=5).energy_j * 3e4)
    close(node, "xybus.leakage", m.port("wire_leakage_per_m_w") * (5 * 380e-6 + 4 * 350e-6) * 1024)

    pa, tech, env_a = setup(node, synchronous=False)
    m = xy_bus(chip_xy(pa), env_a)
    close(node, "xybus_async.readLatency", m.cost("transfer_x", x_end=5).latency_s * 100
          + m.cost("transfer_y", y_init=5).latency_s * 200)


# --- properties -------------------------------------------------------------------------------

_P22A = setup(22, synchronous=False)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 16), extra=st.integers(1, 8), unit=st.floats(1e-6, 1e-3))
def test_longer_bus_never_faster_or_cheaper(n, extra, unit):
    p, tech, env = _P22A
    short, long_ = (bus(BusSpec(orientation="horizontal", num_row=1, num_col=cols, unit_height_m=unit,
                                unit_width_m=unit, bus_width=64, delay_tolerance=0.1, over_units=False,
                                wire=WireSpec.of(p)), env) for cols in (n, n + extra))
    assert long_.cost("transfer").latency_s >= short.cost("transfer").latency_s
    assert long_.cost("bit").energy_j >= short.cost("bit").energy_j
    assert long_.area_m2 >= short.area_m2
    assert long_.leakage_w >= short.leakage_w


@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 20), unit=st.floats(1e-5, 1e-3), scale=st.floats(1.0, 4.0))
def test_bigger_htree_units_never_smaller_or_cheaper(n, unit, scale):
    # (latency is not monotonic here: longer segments switch to wider, less resistive wires)
    p, tech, env = _P22A
    small, big = (htree(tree_spec(p, n, 128, unit=(u, u)), env) for u in (unit, unit * scale))
    assert big.area_m2 >= small.area_m2
    assert big.port("total_wire_length_m") >= small.port("total_wire_length_m")
    assert big.cost("bit").energy_j >= small.cost("bit").energy_j
    assert big.leakage_w >= small.leakage_w


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 24), sync=st.booleans(), unit=st.floats(1e-5, 2e-3))
def test_transfers_are_vectorised_and_default_to_the_spec_units(n, sync, unit):
    p, tech, env = setup(22, synchronous=sync)
    tree = htree(tree_spec(p, n, 256, unit=(unit, unit * 1.3)), env)
    heights = np.array([unit, unit * 0.5, unit * 3.0, 1e-3])
    widths = heights * 1.3
    vec = tree.cost("transfer", unit_height_m=heights, unit_width_m=widths).latency_s
    bits = tree.cost("bit", unit_height_m=heights, unit_width_m=widths).energy_j
    for i, (h, w) in enumerate(zip(heights, widths)):
        assert vec[i] == pytest.approx(tree.cost("transfer", unit_height_m=h, unit_width_m=w).latency_s, rel=1e-12)
        assert bits[i] == pytest.approx(tree.cost("bit", unit_height_m=h, unit_width_m=w).energy_j, rel=1e-12)
    assert vec[0] == pytest.approx(tree.cost("transfer").latency_s, rel=1e-12)
    xy = xy_bus(XyBusSpec(num_row=n, num_col=n, unit_height_m=unit, unit_width_m=unit, bus_width=64,
                          delay_tolerance=0.1, folded_ratio=4, wire=WireSpec.of(p)), env)
    ends = np.arange(n)
    lat = xy.cost("transfer_x", x_end=ends).latency_s
    assert all(lat[i] == pytest.approx(xy.cost("transfer_x", x_end=int(e)).latency_s, rel=1e-12)
               for i, e in enumerate(ends))
    assert np.all(np.diff(xy.cost("bit_y", y_init=ends).energy_j) <= 0)  # closer to the end: shorter
    if sync:  # a transfer takes whole clock periods
        assert np.allclose(vec * CLK, np.round(vec * CLK), rtol=0, atol=1e-9)


def test_transfer_latency_and_energy_counts_in_a_macro():
    p, tech, env = setup(22, synchronous=False)
    tree = htree(tree_spec(p, 4, 256), env)
    link = bus(pe_bus(p, "horizontal", 4, 0.0, 64), env)
    macro = Macro("level", (Part("htree", tree, "interconnect"), Part("bus", link, "interconnect", count=4)))
    n_vec = np.array([3.0, 10.0])
    uses = [Use("htree", "transfer", n_vec), Use("htree", "bit", n_vec * 256 * 0.5), Use("bus", "bit", 1000.0)]
    e = energy(macro, uses)
    assert e.interconnect == pytest.approx(tree.cost("bit").energy_j * n_vec * 128 + link.cost("bit").energy_j * 1000)
    assert latency_terms(macro, uses)["htree"] == pytest.approx(tree.cost("transfer").latency_s * n_vec)
    assert macro.leakage_w() == pytest.approx(tree.leakage_w + 4 * link.leakage_w)


def test_bad_orientation_is_refused():
    p, tech, env = setup(22)
    with pytest.raises(ValueError, match="orientation"):
        bus(BusSpec(orientation="diagonal", num_row=2, num_col=2, unit_height_m=1e-5, unit_width_m=1e-5,
                    bus_width=8, wire=WireSpec.of(p)), env)


