"""The buffer builder (register file and SRAM) against the reference NeuroSim V1.4 module.

GOLDEN values came from the reference V1.4 objects (Buffer.o with its RowDecoder, DFF,
Precharger, SRAMWriteDriver, SenseAmp, formula, Technology and Param objects built from the V1.4
sources) driven by a small C++ program: default Param.cpp (22 nm LSTP, synchronous) and the same
Param.cpp with technode = 7; the cell set up as ProcessingUnit/SubArray do for an SRAM chip;
``*_async`` with ``param->synchronous = false``.  The sizes are the default VGG-8 chip's: global
buffer core 128x128, tile buffer core 32x32.  The reference's ``readLatency`` is the per-line
latency (one clock cycle when synchronous) times the lines read, ``readDynamicEnergy`` its per-bit
energy times the bits per access times the accesses: the builder's ``read``/``write`` actions and
``*_energy_per_bit_j`` ports with those counts.

Where Buffer.cpp reads uninitialized values (see the buffer module docstring), the driver made
the fixed calls on the reference's own member objects:
* SRAM buffers: ``senseAmp.CalculateArea(0, 0, NONE)`` after ``CalculateArea`` and
  ``precharger.CalculateLatency(1e20, lengthCol*0.2fF/um, numRow, numRow)`` before
  ``CalculatePower``;
* ``gbuf_rf_async``: the reference gives an infinite latency; the golden is the model's
  formula with the row decoder called as ``CalculateLatency(1e20, hDff*interface_width*0.2fF/um,
  0, 0, numCol, numRow, numRow)`` (averaged per line as Buffer.cpp does).
"""
import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim_core.cell import make_cell
from neurosim_core.circuits.buffer import BufferSpec, buffer
from neurosim_core.circuits.env import CircuitEnv
from neurosim_core.params import HardwareConfig, resolve
from neurosim_core.tech import technology

GOLDEN = {
    22: {
        'gbuf_rf.height': 0.0004,
        'gbuf_rf.width': 5.0991947776e-05,
        'gbuf_rf.area': 2.03967791104e-08,
        'gbuf_rf.readLatency': 50.5,
        'gbuf_rf.writeLatency': 60.0,
        'gbuf_rf.readDynamicEnergy': 4.779104053741564e-12,
        'gbuf_rf.leakage': 5.730068701264546e-07,
        'gbuf_rf.writeDynamicEnergy': 1.0619903398550366e-11,
        'gbuf_rf_async.readLatency': 5.2817625846399016e-08,
        'gbuf_rf_async.writeLatency': 6.275361486700873e-08,
        'tbuf_rf.height': 1.0798956373333335e-05,
        'tbuf_rf.width': 0.00012,
        'tbuf_rf.area': 1.2958747648000002e-09,
        'tbuf_rf.readLatency': 1000.0,
        'tbuf_rf.writeLatency': 900.0,
        'tbuf_rf.readDynamicEnergy': 2.3720130798627938e-11,
        'tbuf_rf.leakage': 3.677223464864e-08,
        'tbuf_rf.writeDynamicEnergy': 4.0926234855766945e-11,
        'gbuf_sram.height': 0.0004,
        'gbuf_sram.width': 6.516730880000001e-06,
        'gbuf_sram.area': 2.6066923520000004e-09,
        'gbuf_sram.readLatency': 50.5,
        'gbuf_sram.writeLatency': 60.0,
        'gbuf_sram.readDynamicEnergy': 3.0464795788583996e-11,
        'gbuf_sram.leakage': 1.845547259229935e-08,
        'gbuf_sram.writeDynamicEnergy': 4.300021604764832e-11,
        'gbuf_sram_async.readLatency': 3.395999367301239e-08,
        'gbuf_sram_async.writeLatency': 3.4203710690421776e-08,
        'tbuf_sram.height': 1.932128e-06,
        'tbuf_sram.width': 0.00012,
        'tbuf_sram.area': 2.3185536000000002e-10,
        'tbuf_sram.readDynamicEnergy': 5.321814057507564e-11,
        'tbuf_sram.leakage': 4.727032302755293e-09,
        'tbuf_sram.writeDynamicEnergy': 7.445941528988427e-11,
    },
    7: {
        'gbuf_rf.height': 0.0004,
        'gbuf_rf.width': 1.3543117249365757e-05,
        'gbuf_rf.area': 5.417246899746303e-09,
        'gbuf_rf.readLatency': 50.5,
        'gbuf_rf.writeLatency': 60.0,
        'gbuf_rf.readDynamicEnergy': 2.7619289014752587e-12,
        'gbuf_rf.leakage': 1.2255831268312127e-06,
        'gbuf_rf.writeDynamicEnergy': 5.7437982079848726e-12,
        'gbuf_rf_async.readLatency': 4.482617680743178e-08,
        'gbuf_rf_async.writeLatency': 5.3258823929621916e-08,
        'tbuf_rf.height': 2.867293121082133e-06,
        'tbuf_rf.width': 0.00012,
        'tbuf_rf.area': 3.4407517452985595e-10,
        'tbuf_rf.readLatency': 1000.0,
        'tbuf_rf.writeLatency': 900.0,
        'tbuf_rf.readDynamicEnergy': 1.358836421228622e-11,
        'tbuf_rf.leakage': 7.80646379228352e-08,
        'tbuf_rf.writeDynamicEnergy': 2.001732273201276e-11,
        'gbuf_sram.height': 0.0004,
        'gbuf_sram.width': 1.2980346066240001e-06,
        'gbuf_sram.area': 5.192138426496001e-10,
        'gbuf_sram.readLatency': 50.5,
        'gbuf_sram.writeLatency': 60.0,
        'gbuf_sram.readDynamicEnergy': 1.4097387199773163e-11,
        'gbuf_sram.leakage': 2.2025006147692796e-08,
        'gbuf_sram.writeDynamicEnergy': 1.6677124251601128e-11,
        'gbuf_sram_async.readLatency': 2.1684958469085382e-08,
        'gbuf_sram_async.writeLatency': 2.448115300319707e-08,
        'tbuf_sram.height': 3.807893866933333e-07,
        'tbuf_sram.width': 0.00012,
        'tbuf_sram.area': 4.56947264032e-11,
        'tbuf_sram.readDynamicEnergy': 3.5986222401879813e-11,
        'tbuf_sram.leakage': 5.3844601282752e-09,
        'tbuf_sram.writeDynamicEnergy': 3.067085059557372e-11,
    },
}

NODES = (22, 7)
CLK = 1e9
GLOBAL = dict(tag="gbuf", num_bit=128 * 128, width=128, fit=dict(fit_height_m=400e-6), access=(128, 50.5, 128, 60))
TILE = dict(tag="tbuf", num_bit=32 * 32, width=32, fit=dict(fit_width_m=120e-6), access=(32, 1000, 32, 900))


def setup(node, synchronous=True):
    p = resolve(HardwareConfig(tech_node_nm=node, synchronous=synchronous, clk_freq_hz=CLK))
    tech = technology(node, "lstp")
    return p, tech, make_cell(p, tech)


def build(node, case, sram, synchronous=True, **changes):
    p, tech, cell = setup(node, synchronous)
    spec = BufferSpec.of(p, cell, num_bit=case["num_bit"], interface_width=case["width"], sram=sram, **case["fit"])
    return buffer(dataclasses.replace(spec, **changes), CircuitEnv.of(p, tech))


def close(node, key, value):
    assert value == pytest.approx(GOLDEN[node][key], rel=1e-6, abs=0.0), key


@pytest.mark.parametrize("node", NODES)
@pytest.mark.parametrize("case", [GLOBAL, TILE], ids=["global", "tile"])
@pytest.mark.parametrize("sram", [False, True], ids=["register_file", "sram"])
def test_buffer_synchronous(node, case, sram):
    tag = case["tag"] + ("_sram" if sram else "_rf")
    m = build(node, case, sram)
    bits_r, lines_r, bits_w, lines_w = case["access"]
    close(node, f"{tag}.height", m.height_m)
    close(node, f"{tag}.width", m.width_m)
    close(node, f"{tag}.area", m.area_m2)
    close(node, f"{tag}.leakage", m.leakage_w)
    close(node, f"{tag}.readDynamicEnergy", m.port("read_energy_per_bit_j") * bits_r * lines_r)
    close(node, f"{tag}.writeDynamicEnergy", m.port("write_energy_per_bit_j") * bits_w * lines_w)
    # a line moves in one clock cycle
    assert m.cost("read").latency_s * CLK == pytest.approx(1.0) == m.cost("write").latency_s * CLK
    if f"{tag}.readLatency" in GOLDEN[node]:
        close(node, f"{tag}.readLatency", round(m.cost("read").latency_s * CLK) * lines_r)
        close(node, f"{tag}.writeLatency", round(m.cost("write").latency_s * CLK) * lines_w)


@pytest.mark.parametrize("node", NODES)
@pytest.mark.parametrize("sram", [False, True], ids=["register_file", "sram"])
def test_global_buffer_asynchronous(node, sram):
    tag = "gbuf" + ("_sram" if sram else "_rf") + "_async"
    m = build(node, GLOBAL, sram, synchronous=False)
    close(node, f"{tag}.readLatency", m.cost("read").latency_s * 50.5)
    close(node, f"{tag}.writeLatency", m.cost("write").latency_s * 60)


@pytest.mark.parametrize("sram", [False, True], ids=["register_file", "sram"])
def test_line_actions_are_per_bit_energy_times_width(sram):
    m = build(22, GLOBAL, sram, synchronous=False)
    assert m.cost("read").energy_j == pytest.approx(m.port("read_energy_per_bit_j") * 128, rel=1e-12)
    assert m.cost("write").energy_j == pytest.approx(m.port("write_energy_per_bit_j") * 128, rel=1e-12)
    assert m.port("num_row") == 128
    assert m.cost("write").energy_j > 0 and m.cost("read").energy_j > 0 and m.leakage_w > 0


@pytest.mark.parametrize("sram", [False, True], ids=["register_file", "sram"])
def test_width_or_height_fit_keeps_the_area(sram):
    tall = build(22, GLOBAL, sram)
    wide = build(22, dict(GLOBAL, fit=dict(fit_width_m=30e-6)), sram)
    assert tall.area_m2 == wide.area_m2
    assert wide.width_m == 30e-6 and wide.height_m == pytest.approx(wide.area_m2 / 30e-6)


@settings(max_examples=12, deadline=None)
@given(rows=st.integers(3, 9), sram=st.booleans(), width_exp=st.integers(3, 8))
def test_bigger_buffer_never_smaller_or_cheaper(rows, sram, width_exp):
    # from 8 lines up: below, the 2-bit decoder has no NOR stage and its NAND drives the word line
    # itself (slower than the 3-bit decoder), so latency is not monotonic there
    width = 2 ** width_exp
    small, big = (build(22, dict(GLOBAL, num_bit=r * width, width=width), sram, synchronous=False)
                  for r in (2 ** rows, 2 ** (rows + 1)))
    assert big.area_m2 >= small.area_m2
    assert big.leakage_w >= small.leakage_w
    if sram:  # a longer bit line discharges more slowly
        assert big.cost("read").latency_s >= small.cost("read").latency_s


def test_bad_specs_are_refused():
    with pytest.raises(ValueError, match="fit_width_m or fit_height_m"):
        build(22, dict(GLOBAL, fit={}), False)
    with pytest.raises(ValueError, match="sram_cell"):
        build(22, GLOBAL, True, sram_cell=None)
    with pytest.raises(ValueError, match="kind"):
        build(22, GLOBAL, False, kind="dram")


# --- the transitional adapter is the builder -------------------------------------------------------

