"""Adder, adder tree, shift-add and bit shifter against the reference NeuroSim V1.4 modules.

Every family is priced through its builder (`adder_bank`, `adder_tree`, `shift_add`,
`bit_shifter`), the adder tree and bit shifter with the levels' clock rule (`levels.Clock`: whole
cycles per action when synchronous), as the PE, tile and chip use them; the golden keys keep the
reference's output names.

GOLDEN values came from the reference V1.4 objects (Adder.o, AdderTree.o, ShiftAdd.o,
BitShifter.o, DFF.o, formula.o, Technology.o, Param.o built from the V1.4 sources) driven by a
small C++ program with exactly the calls made in each test below: default Param.cpp (22 nm
LSTP, synchronous, validated) and the same Param.cpp with technode = 7 and 2 (2 nm exercises
the gate-all-around special layout); ``*_async`` values with ``param->synchronous = false``.
"""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim_core.cell import make_cell
from types import SimpleNamespace

from neurosim_core.circuits.arithmetic import (AdderBankSpec, AdderTreeSpec, BitShifterSpec, ShiftAddSpec,
                                               adder_bank, adder_tree, bit_shifter, shift_add)
from neurosim_core.circuits.env import CircuitEnv
from neurosim_core.levels import Clock
from neurosim_core.params import HardwareConfig, resolve
from neurosim_core.tech import technology

GOLDEN = {
    22: {
        'adder_row.height': 6.16e-07,
        'adder_row.width': 0.00021669120000000002,
        'adder_row.area': 1.334817792e-10,
        'adder_row.readLatency': 1.1768380425523603e-09,
        'adder_row.rampOutput': 15184140178.558857,
        'adder_row.readDynamicEnergy': 1.548393227898408e-13,
        'adder_row.leakage': 1.2885120256732418e-08,
        'adder_w.height': 2.669635584e-05,
        'adder_w.width': 6e-05,
        'adder_w.area': 1.6017813504e-09,
        'adder_w.readLatency': 0.6075665794820578,
        'adder_w.readDynamicEnergy': 1.2341547030492863e-09,
        'adder_w.leakage': 1.54621443080789e-07,
        'adder_h.height': 4e-05,
        'adder_h.width': 2.22469632e-06,
        'adder_h.area': 8.89878528e-11,
        'adder_h.readLatency': 8.773054253139745e-10,
        'adder_h.readDynamicEnergy': 7.69315712287115e-14,
        'adder_h.leakage': 8.590080171154945e-09,
        'adder_magic.height': 2.22469632e-06,
        'adder_magic.width': 5e-05,
        'adder_magic.area': 1.11234816e-10,
        'atree_pe.height': 6.896558592e-05,
        'atree_pe.width': 8e-05,
        'atree_pe.area': 5.5172468736000005e-09,
        'atree_pe.readLatency': 256.0,
        'atree_pe.readDynamicEnergy': 1.0872125656283694e-09,
        'atree_pe.leakage': 5.325849706116066e-07,
        'atree_pe3.readLatency': 10.0,
        'atree_pe3.readDynamicEnergy': 1.370269696883776e-11,
        'atree_pe3.leakage': 1.718016034230989e-07,
        'atree_pe0.readLatency': 10.0,
        'atree_pe0.readDynamicEnergy': 4.246924084485818e-11,
        'atree_pe0.leakage': 5.325849706116066e-07,
        'atree_pe1.readLatency': 10.0,
        'atree_pe1.readDynamicEnergy': 0.0,
        'atree_pe1.leakage': 0.0,
        'atree_pe_async.readLatency': 7.338292494948568e-09,
        'atree_chip.height': 0.0003,
        'atree_chip.width': 2.8179486720000003e-05,
        'atree_chip.area': 8.453846016e-09,
        'atree_chip.readLatency': 2468.0,
        'atree_chip.readDynamicEnergy': 4.473603977455601e-09,
        'atree_chip.leakage': 4.5527424907121205e-07,
        'atree_chip_clk.readLatency': 1234.0,
        'shiftadd_w.height': 6.517068800000001e-06,
        'shiftadd_w.width': 7e-05,
        'shiftadd_w.area': 4.5619481600000004e-10,
        'shiftadd_w.readLatency': 1.0,
        'shiftadd_w12.readLatency': 12.0,
        'shiftadd_w.readDynamicEnergy': 1.630655017632727e-12,
        'shiftadd_w.leakage': 1.7954810690451512e-08,
        'shiftadd_w_async.readLatency': 8.045263389182148e-10,
        'shiftadd_h.height': 9e-05,
        'shiftadd_h.width': 4.03112512e-06,
        'shiftadd_h.area': 3.6280126080000003e-10,
        'shiftadd_h.readDynamicEnergy': 1.9017665823653472e-13,
        'shiftadd_h.leakage': 1.7845070534707926e-08,
        'bitshift_w.height': 1.582006272e-06,
        'bitshift_w.width': 0.0001,
        'bitshift_w.area': 1.582006272e-10,
        'bitshift_w.readLatency': 100.0,
        'bitshift_w.readDynamicEnergy': 1.8060169334247295e-11,
        'bitshift_w.leakage': 4.441360293235588e-09,
        'bitshift_w_async.readLatency': 5.0000000000000004e-08,
        'bitshift_h.height': 5e-05,
        'bitshift_h.width': 7.91003136e-07,
        'bitshift_h.area': 3.95501568e-11,
    },
    7: {
        'adder_row.height': 2.3999499999999995e-07,
        'adder_row.width': 0.0001477429632,
        'adder_row.area': 3.545757245318399e-11,
        'adder_row.readLatency': 9.182747022496372e-10,
        'adder_row.rampOutput': 11646501744.494823,
        'adder_row.readDynamicEnergy': 4.325865794984161e-14,
        'adder_row.leakage': 6.271748053401599e-09,
        'adder_w.height': 7.091514490636797e-06,
        'adder_w.width': 6e-05,
        'adder_w.area': 4.2549086943820787e-10,
        'adder_w.readLatency': 0.5241999570887722,
        'adder_w.readDynamicEnergy': 3.446510499347328e-10,
        'adder_w.leakage': 7.526097664081918e-08,
        'adder_h.height': 4e-05,
        'adder_h.width': 5.909595408863998e-07,
        'adder_h.area': 2.3638381635455993e-11,
        'adder_h.readLatency': 7.055701293723209e-10,
        'adder_h.readDynamicEnergy': 2.1545571346172997e-14,
        'adder_h.leakage': 4.181165368934399e-09,
        'adder_magic.height': 5.909595408863999e-07,
        'adder_magic.width': 5e-05,
        'adder_magic.area': 2.9547977044319994e-11,
        'atree_pe.height': 1.8319745767478393e-05,
        'atree_pe.width': 8e-05,
        'atree_pe.area': 1.4655796613982716e-09,
        'atree_pe.readLatency': 256.0,
        'atree_pe.readDynamicEnergy': 3.0358291452201866e-10,
        'atree_pe.leakage': 2.5923225287393274e-07,
        'atree_pe3.readLatency': 10.0,
        'atree_pe3.readDynamicEnergy': 3.8263045244659206e-12,
        'atree_pe3.leakage': 8.362330737868798e-08,
        'atree_pe0.readLatency': 10.0,
        'atree_pe0.readDynamicEnergy': 1.1858707598516353e-11,
        'atree_pe0.leakage': 2.5923225287393274e-07,
        'atree_pe1.readLatency': 10.0,
        'atree_pe1.readDynamicEnergy': 0.0,
        'atree_pe1.leakage': 0.0,
        'atree_pe_async.readLatency': 5.3128383274615335e-09,
        'atree_chip.height': 0.0003,
        'atree_chip.width': 7.485487517894399e-06,
        'atree_chip.area': 2.2456462553683195e-09,
        'atree_chip.readLatency': 1234.0,
        'atree_chip.readDynamicEnergy': 1.2489647441858116e-09,
        'atree_chip.leakage': 2.2160176455352319e-07,
        'atree_chip_clk.readLatency': 1234.0,
        'shiftadd_w.height': 1.8620839577759996e-06,
        'shiftadd_w.width': 7e-05,
        'shiftadd_w.area': 1.3034587704431996e-10,
        'shiftadd_w.readLatency': 1.0,
        'shiftadd_w12.readLatency': 12.0,
        'shiftadd_w.readDynamicEnergy': 7.66190421045e-13,
        'shiftadd_w.leakage': 2.0678131611647997e-08,
        'shiftadd_w_async.readLatency': 7.191337719122129e-10,
        'shiftadd_h.height': 9e-05,
        'shiftadd_h.width': 2.0797925128623997e-06,
        'shiftadd_h.area': 1.8718132615761598e-10,
        'shiftadd_h.readDynamicEnergy': 7.70008228753176e-14,
        'shiftadd_h.leakage': 1.51145263632384e-08,
        'bitshift_w.height': 4.202378957414399e-07,
        'bitshift_w.width': 0.0001,
        'bitshift_w.area': 4.202378957414399e-11,
        'bitshift_w.readLatency': 100.0,
        'bitshift_w.readDynamicEnergy': 1.05063500860416e-11,
        'bitshift_w.leakage': 9.50872301568e-09,
        'bitshift_w_async.readLatency': 5.0000000000000004e-08,
        'bitshift_h.height': 5e-05,
        'bitshift_h.width': 2.1011894787071996e-07,
        'bitshift_h.area': 1.0505947393535998e-11,
    },
    2: {
        'adder_row.height': 1.14e-07,
        'adder_row.width': 0.00011664000000000002,
        'adder_row.area': 1.3296960000000003e-11,
        'adder_row.readLatency': 6.583748537629477e-10,
        'adder_row.rampOutput': 10572106585.19814,
        'adder_row.readDynamicEnergy': 2.0100055154400006e-14,
        'adder_row.leakage': 6.8578927312896e-09,
        'adder_w.height': 2.6593920000000005e-06,
        'adder_w.width': 6e-05,
        'adder_w.area': 1.5956352000000003e-10,
        'adder_w.readLatency': 0.42337713334853605,
        'adder_w.readDynamicEnergy': 1.6015359035520004e-10,
        'adder_w.leakage': 8.22947127754752e-08,
        'adder_h.height': 4e-05,
        'adder_h.width': 2.2161600000000004e-07,
        'adder_h.area': 8.864640000000002e-12,
        'adder_h.readLatency': 5.321987457006526e-10,
        'adder_h.readDynamicEnergy': 1.0006691194500002e-14,
        'adder_h.leakage': 4.5719284875264e-09,
        'adder_magic.height': 2.2161600000000002e-07,
        'adder_magic.width': 5e-05,
        'adder_magic.area': 1.1080800000000002e-11,
        'atree_pe.height': 6.870096000000001e-06,
        'atree_pe.width': 8e-05,
        'atree_pe.area': 5.496076800000001e-10,
        'atree_pe.readLatency': 256.0,
        'atree_pe.readDynamicEnergy': 1.4107268249518084e-10,
        'atree_pe.leakage': 2.834595662266368e-07,
        'atree_pe3.readLatency': 10.0,
        'atree_pe3.readDynamicEnergy': 1.7780468908800004e-12,
        'atree_pe3.leakage': 9.1438569750528e-08,
        'atree_pe0.readLatency': 10.0,
        'atree_pe0.readDynamicEnergy': 5.510651659968002e-12,
        'atree_pe0.leakage': 2.834595662266368e-07,
        'atree_pe1.readLatency': 10.0,
        'atree_pe1.readDynamicEnergy': 0.0,
        'atree_pe1.leakage': 0.0,
        'atree_pe_async.readLatency': 3.4850705106354594e-09,
        'atree_chip.height': 0.0003,
        'atree_chip.width': 2.8071360000000008e-06,
        'atree_chip.area': 8.421408000000002e-10,
        'atree_chip.readLatency': 1234.0,
        'atree_chip.readDynamicEnergy': 5.80401435604973e-10,
        'atree_chip.leakage': 2.4231220983889923e-07,
        'atree_chip_clk.readLatency': 1234.0,
        'shiftadd_w.height': 7.282971428571429e-07,
        'shiftadd_w.width': 7e-05,
        'shiftadd_w.area': 5.09808e-11,
        'shiftadd_w.readLatency': 1.0,
        'shiftadd_w12.readLatency': 12.0,
        'shiftadd_w.readDynamicEnergy': 2.8237612821600006e-13,
        'shiftadd_w.leakage': 1.1651800462848002e-08,
        'shiftadd_w_async.readLatency': 6.437157471563342e-10,
        'shiftadd_h.height': 9e-05,
        'shiftadd_h.width': 1.4650560000000002e-06,
        'shiftadd_h.area': 1.3185504000000003e-10,
        'shiftadd_h.readDynamicEnergy': 3.0116265020400005e-14,
        'shiftadd_h.leakage': 1.0626170636390402e-08,
        'bitshift_w.height': 1.5759360000000003e-07,
        'bitshift_w.width': 0.0001,
        'bitshift_w.area': 1.5759360000000004e-11,
        'bitshift_w.readLatency': 100.0,
        'bitshift_w.readDynamicEnergy': 3.587175072000001e-12,
        'bitshift_w.leakage': 3.653470679040001e-09,
        'bitshift_w_async.readLatency': 5.0000000000000004e-08,
        'bitshift_h.height': 5e-05,
        'bitshift_h.width': 7.879680000000002e-08,
        'bitshift_h.area': 3.939840000000001e-12,
    },
}

NODES = (22, 7, 2)
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


def tree_figures(p, tech, *, rows, bits, trees, clk, reads, inputs=0, cap=0.0, fit_width=0.0, fit_height=0.0):
    """Area of an adder tree laid out to the given side, latency/energy of ``reads`` reductions of
    ``inputs`` operands (0: all rows), the leakage of the stages they use."""
    delta = p.delta if p.validated else 1.0
    env = CircuitEnv.of(p, tech, clk)
    laid = adder_tree(AdderTreeSpec(num_rows=rows, num_adder_bit=bits, num_trees=trees, fit_width_m=fit_width,
                                    fit_height_m=0.0 if fit_width else fit_height, delta=delta), env)
    used = adder_tree(AdderTreeSpec(num_rows=rows, num_adder_bit=bits, num_trees=trees, num_inputs=inputs,
                                    cap_load_f=cap, delta=delta), env)
    reduce = used.cost("reduce")
    return SimpleNamespace(height=laid.height_m, width=laid.width_m, area=laid.area_m2,
                           read_latency=Clock(bool(p.synchronous), clk).time(reduce.latency_s, reads),
                           read_dynamic_energy=reduce.energy_j * reads, leakage=used.leakage_w,
                           num_stage=used.port("num_stage"))


def shifter_figures(p, tech, *, units, bits, clk, reads=1, fit_width=0.0, fit_height=0.0):
    m = bit_shifter(BitShifterSpec(num_unit=units, num_bit=bits, fit_width_m=fit_width, fit_height_m=fit_height),
                    CircuitEnv.of(p, tech, clk))
    shift = m.cost("shift")
    return SimpleNamespace(height=m.height_m, width=m.width_m, area=m.area_m2,
                           read_latency=Clock(bool(p.synchronous), clk).time(shift.latency_s, reads),
                           read_dynamic_energy=shift.energy_j * reads, leakage=m.leakage_w)


def adder_figures(p, tech, *, bits, count, reads=1, per_op=1, cap=0.0, ramp=1e20, fit_width=0.0, fit_height=0.0):
    """Area of ``count`` adders laid out as asked, latency of ``reads`` additions onto ``cap`` from a
    ``ramp`` input, energy of ``reads`` operations of ``per_op`` adders (at most ``count``)."""
    m = adder_bank(AdderBankSpec(num_bit=bits, num_adder=count, cap_load_f=cap, ramp_input_s=ramp,
                                 fit_width_m=fit_width, fit_height_m=fit_height,
                                 delta=p.delta if p.validated else 1.0), CircuitEnv.of(p, tech))
    add = m.cost("add")
    return SimpleNamespace(height=m.height_m, width=m.width_m, area=m.area_m2, read_latency=add.latency_s * reads,
                           ramp_output=m.port("ramp_output"), leakage=m.leakage_w,
                           read_dynamic_energy=add.energy_j * min(per_op, count) * reads)


@pytest.mark.parametrize("node", NODES)
def test_adder_layouts_latency_energy(node):
    p, tech, cell = setup(node)
    # one row of adders
    check(node, "adder_row", adder_figures(p, tech, bits=6, count=16, cap=2e-15, reads=3, per_op=8),
          {**AREA, **PERF, "rampOutput": "ramp_output"})
    # rows of the given width; more adders per operation than exist: capped
    check(node, "adder_w", adder_figures(p, tech, bits=9, count=128, ramp=4e-11, reads=1000, per_op=256,
                                         fit_width=60e-6), {**AREA, "readDynamicEnergy": "read_dynamic_energy",
                                                            "leakage": "leakage"})
    check(node, "adder_w", adder_figures(p, tech, bits=9, count=128, ramp=4e-11, reads=1, fit_width=60e-6),
          {"readLatency": "read_latency"})
    # columns of the given height
    check(node, "adder_h", adder_figures(p, tech, bits=2, count=32, cap=1e-15, reads=7, per_op=5,
                                         fit_height=40e-6), {**AREA, **PERF})
    # one row folded to 50 um wide keeping its area (the reference's "magic" layout)
    row = adder_figures(p, tech, bits=8, count=10)
    folded = SimpleNamespace(width=50e-6, height=row.area / 50e-6, area=row.area)
    check(node, "adder_magic", folded, AREA)


@pytest.mark.parametrize("node", NODES)
def test_adder_tree_pe_level(node):
    p, tech, cell = setup(node)
    tree = dict(rows=4, bits=10, trees=128, clk=1e9, fit_width=80e-6)
    check(node, "atree_pe", tree_figures(p, tech, **tree, reads=256, inputs=4), {**AREA, **PERF})
    # odd operand count: integer halving
    check(node, "atree_pe3", tree_figures(p, tech, **tree, reads=10, inputs=3), PERF)
    # 0: all rows
    check(node, "atree_pe0", tree_figures(p, tech, **tree, reads=10, inputs=0, cap=1e-15), PERF)
    # a single operand: no adder stage (its latency: quirk adder_tree_single_operand_latency)
    check(node, "atree_pe1", tree_figures(p, tech, **tree, reads=10, inputs=1), PERF)

    pa, tech, cell = setup(node, synchronous=False)
    check(node, "atree_pe_async", tree_figures(pa, tech, **tree, reads=10, inputs=4), {"readLatency": "read_latency"})


@pytest.mark.parametrize("node", NODES)
def test_adder_tree_chip_level_and_clock_update(node):
    p, tech, cell = setup(node)
    tree = dict(rows=9, bits=13, trees=64, fit_height=300e-6)
    check(node, "atree_chip", tree_figures(p, tech, **tree, clk=1e9, reads=1234, inputs=7), {**AREA, **PERF})
    # the chip lowers the clock after its first pass
    check(node, "atree_chip_clk", tree_figures(p, tech, **tree, clk=3.1e8, reads=1234, inputs=9),
          {"readLatency": "read_latency"})


def shift_add_figures(p, tech, cell, *, units, bits, pulses, reads=1, fit_width=0.0, fit_height=0.0):
    """Area, latency of ``reads`` shift-and-adds of the subarray's bit-serial accumulation (cycles
    when synchronous; else all but the last hide behind the next read pulse), energy, leakage."""
    m = shift_add(ShiftAddSpec(num_unit=units, num_adder_bit=bits, num_read_pulse=pulses, fit_width_m=fit_width,
                               fit_height_m=fit_height, gamma=p.gamma if p.validated else 1.0,
                               delta=p.delta if p.validated else 1.0), CircuitEnv.of(p, tech, 1e9))
    cost = m.cost("shift_add")
    if p.synchronous:
        latency = float(reads)
    else:
        latency = max(cost.latency_s - cell.read_pulse_width, 0.0) * (reads - 1) + cost.latency_s
    return SimpleNamespace(height=m.height_m, width=m.width_m, area=m.area_m2, read_latency=latency,
                           read_dynamic_energy=cost.energy_j * reads, leakage=m.leakage_w)


@pytest.mark.parametrize("node", NODES)
def test_shift_add(node):
    p, tech, cell = setup(node)
    wide = dict(units=16, bits=5, pulses=8, fit_width=70e-6)
    check(node, "shiftadd_w", shift_add_figures(p, tech, cell, **wide), {**AREA, "readLatency": "read_latency"})
    check(node, "shiftadd_w12", shift_add_figures(p, tech, cell, **wide, reads=12), {"readLatency": "read_latency"})
    check(node, "shiftadd_w", shift_add_figures(p, tech, cell, **wide, reads=7),
          {"readDynamicEnergy": "read_dynamic_energy", "leakage": "leakage"})
    check(node, "shiftadd_h", shift_add_figures(p, tech, cell, units=8, bits=13, pulses=1, fit_height=90e-6),
          {**AREA, "readDynamicEnergy": "read_dynamic_energy", "leakage": "leakage"})

    pa, tech, cell = setup(node, synchronous=False)
    check(node, "shiftadd_w_async", shift_add_figures(pa, tech, cell, **wide, reads=12),
          {"readLatency": "read_latency"})


@pytest.mark.parametrize("node", NODES)
def test_bit_shifter(node):
    p, tech, cell = setup(node)
    check(node, "bitshift_w", shifter_figures(p, tech, units=16, bits=8, clk=1e9, reads=100, fit_width=100e-6),
          {**AREA, **PERF})
    check(node, "bitshift_h", shifter_figures(p, tech, units=4, bits=8, clk=1e9, fit_height=50e-6), AREA)

    pa, tech, cell = setup(node, synchronous=False)
    check(node, "bitshift_w_async", shifter_figures(pa, tech, units=16, bits=8, clk=1e9, reads=100,
                                                    fit_width=100e-6), {"readLatency": "read_latency"})


_P22 = setup(22)


@settings(max_examples=30, deadline=None)
@given(bits=st.integers(1, 40), extra=st.integers(1, 8), count=st.integers(1, 256))
def test_wider_adder_never_smaller_or_faster(bits, extra, count):
    p, tech, cell = _P22
    results = [adder_figures(p, tech, bits=n, count=count, cap=1e-15, per_op=count) for n in (bits, bits + extra)]
    narrow, wide = results
    assert wide.area >= narrow.area
    assert wide.read_latency >= narrow.read_latency
    assert wide.read_dynamic_energy >= narrow.read_dynamic_energy
    assert wide.leakage >= narrow.leakage


@settings(max_examples=30, deadline=None)
@given(rows=st.integers(2, 64), bits=st.integers(1, 16), reads=st.floats(1, 1e6))
def test_adder_tree_energy_and_latency_scale_with_reads(rows, bits, reads):
    p, tech, cell = _P22
    tree = dict(rows=rows, bits=bits, trees=8, clk=1e9, fit_width=100e-6)
    one = tree_figures(p, tech, **tree, reads=1)
    t = tree_figures(p, tech, **tree, reads=reads)
    assert t.read_dynamic_energy == pytest.approx(one.read_dynamic_energy * reads, rel=1e-12)
    # synchronous: a whole number of cycles per tree addition, at least one stage
    per_op = t.read_latency / reads
    assert per_op >= 1 and per_op == pytest.approx(round(per_op), rel=1e-9)
    assert t.num_stage == math.ceil(math.log2(rows))
