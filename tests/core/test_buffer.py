"""Buffer (register-file and SRAM) against the reference NeuroSim V1.4 module.

GOLDEN values came from the reference V1.4 objects (Buffer.o with its RowDecoder, DFF,
Precharger, SRAMWriteDriver, SenseAmp, formula, Technology and Param objects built from the V1.4
sources) driven by a small C++ program with exactly the calls made in each test below: default
Param.cpp (22 nm LSTP, synchronous) and the same Param.cpp with technode = 7; the cell set up as
ProcessingUnit/SubArray do for an SRAM chip; ``*_async`` with ``param->synchronous = false``.
The sizes are the default VGG-8 chip's: global buffer core 128x128, tile buffer core 32x32.

Where Buffer.cpp reads uninitialized values (see the buffer module docstring), the driver made
the fixed calls on the reference's own member objects:
* SRAM buffers: ``senseAmp.CalculateArea(0, 0, NONE)`` after ``CalculateArea`` and
  ``precharger.CalculateLatency(1e20, lengthCol*0.2fF/um, numRow, numRow)`` before
  ``CalculatePower``;
* ``gbuf_rf_async``: the reference gives an infinite latency; the golden is the model's
  formula with the row decoder called as ``CalculateLatency(1e20, hDff*interface_width*0.2fF/um,
  0, 0, numCol, numRow, numRow)`` (averaged per line as Buffer.cpp does).
"""
import pytest

from neurosim_core.cell import make_cell
from neurosim_core.circuits.buffer import Buffer
from neurosim_core.constants import AreaModify
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
AREA = {"height": "height", "width": "width", "area": "area"}
LAT = {"readLatency": "read_latency", "writeLatency": "write_latency"}
ENERGY = {"readDynamicEnergy": "read_dynamic_energy", "writeDynamicEnergy": "write_dynamic_energy",
          "leakage": "leakage"}
GLOBAL = dict(tag="gbuf", num_bit=128 * 128, width=128, area=(400e-6, 0.0), access=(128, 50.5, 128, 60))
TILE = dict(tag="tbuf", num_bit=32 * 32, width=32, area=(0.0, 120e-6), access=(32, 1000, 32, 900))


def make(node, case, sram, synchronous=True):
    p = resolve(HardwareConfig(tech_node_nm=node, synchronous=synchronous))
    tech = technology(node, "lstp")
    b = Buffer(p, tech, make_cell(p, tech))
    b.initialize(case["num_bit"], case["width"], 1, p.unit_length_wire_resistance, 1e9, sram)
    b.calculate_area(*case["area"], AreaModify.NONE)
    return b


def check(node, tag, obj, fields):
    for ref_name, attr in fields.items():
        assert getattr(obj, attr) == pytest.approx(GOLDEN[node][f"{tag}.{ref_name}"], rel=1e-6, abs=0.0), \
            f"{tag}.{ref_name}"


@pytest.mark.parametrize("node", NODES)
@pytest.mark.parametrize("case", [GLOBAL, TILE], ids=["global", "tile"])
@pytest.mark.parametrize("sram", [False, True], ids=["register_file", "sram"])
def test_buffer_synchronous(node, case, sram):
    tag = case["tag"] + ("_sram" if sram else "_rf")
    b = make(node, case, sram)
    b.calculate_latency(*case["access"])
    b.calculate_power(*case["access"])
    fields = {**AREA, **ENERGY}
    if f"{tag}.readLatency" in GOLDEN[node]:
        fields.update(LAT)
    check(node, tag, b, fields)


@pytest.mark.parametrize("node", NODES)
@pytest.mark.parametrize("sram", [False, True], ids=["register_file", "sram"])
def test_global_buffer_asynchronous(node, sram):
    tag = "gbuf" + ("_sram" if sram else "_rf") + "_async"
    b = make(node, GLOBAL, sram, synchronous=False)
    b.calculate_latency(*GLOBAL["access"])
    check(node, tag, b, LAT)


@pytest.mark.parametrize("sram", [False, True], ids=["register_file", "sram"])
def test_energy_and_latency_scale_with_accesses(sram):
    b = make(22, GLOBAL, sram, synchronous=False)
    b.calculate_latency(128, 1, 128, 1)
    b.calculate_power(128, 1, 128, 1)
    one = (b.read_latency, b.write_latency, b.read_dynamic_energy, b.write_dynamic_energy, b.leakage)
    b.calculate_latency(128, 1e7, 128, 3e6)
    b.calculate_power(64, 1e7, 32, 3e6)
    assert b.read_latency == pytest.approx(one[0] * 1e7, rel=1e-12)
    assert b.write_latency == pytest.approx(one[1] * 3e6, rel=1e-12)
    assert b.read_dynamic_energy == pytest.approx(one[2] * 1e7 / 2, rel=1e-12)
    assert b.write_dynamic_energy == pytest.approx(one[3] * 3e6 / 4, rel=1e-12)
    assert b.leakage == one[4]


@pytest.mark.parametrize("sram", [False, True], ids=["register_file", "sram"])
def test_bigger_buffer_never_smaller(sram):
    areas = []
    for rows in (16, 32, 64, 128, 256):
        case = dict(GLOBAL, num_bit=rows * 128)
        areas.append(make(22, case, sram).area)
    assert areas == sorted(areas)
