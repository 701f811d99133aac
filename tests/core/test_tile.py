"""Tests of the tile model (neurosim_core.tile, with neurosim_core.pe underneath).

Golden values: the reference NeuroSim V1.4 TileInitialize / TileCalculateArea /
TileCalculatePerformance (compiled reference objects, driver /tmp/pe_tile_drv/tiledrv.cpp) with the
default Param.cpp and main's argv ``8 8 128 128``, TileInitialize(9, 512, 2, 512) (the default
floorplan of the VGG-8 reference run), area of an NM tile of 9 PEs and a CM tile of 4 PEs, then the
clock pass, ``param->clkFreq = min(clkFreq, 1/clkPeriod)`` and the performance pass, on slices of
the VGG-8 traces in tests/data/traces_vgg8 (conductances from the same cell codes):

* A: novel-mapped tile of layer 1 (Conv0): rows ``novel_mapping_rows(0, 3, 9, 3)``, columns
  0..511, 900 windows, speed-up 4x4;
* B..E: conventional tile of layer 8 (FC1, 1024 x 80 cells, 1 window), speed-up (row, col) =
  (1,1) (no duplication: also the model's stale-PE quirk, PE column 1 lies outside the weights),
  (4,2) (full PE duplication, partial subarray duplication inside the PE), (8,8) (full duplication,
  the whole matrix as one subarray) and (1,2) (partial PE duplication with tile accumulation).
"""
import numpy as np
import pytest

from neurosim_core.cell import make_cell
from neurosim_core.params import HardwareConfig, resolve
from neurosim_core.tech import technology
from neurosim_core.tile import Tile
from neurosim_core.traces import input_bit_matrix, load_npz_dir, novel_mapping_rows, weight_cell_codes
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "traces_vgg8"

GOLDEN_TILE = {'A': {'areaCM0': 4.5594230323410713e-07,
       'areaCM1': 1.2998877826107048e-08,
       'areaCM2': 1.0394866155519999e-07,
       'areaCM3': 1.057033449472e-07,
       'areaCM4': 6.570079031296e-08,
       'areaCM5': 1.4210301952e-07,
       'areaNM0': 1.1984384354801957e-06,
       'areaNM1': 1.8593037747699545e-07,
       'areaNM2': 2.3388448849919998e-07,
       'areaNM3': 2.4375021834240004e-07,
       'areaNM4': 1.5779443682816003e-07,
       'areaNM5': 3.1973179392000003e-07,
       'buffer_dynamic_energy': 1.750478875850869e-08,
       'buffer_latency': 10871.6875,
       'clk_freq': 589134627.3808343,
       'clk_period': 1.6974048944394672e-09,
       'core_energy_accum': 5.527263822183823e-07,
       'core_energy_adc': 2.528441633921509e-06,
       'core_energy_other': 7.888050021030408e-07,
       'core_latency_accum': 1856.25,
       'core_latency_adc': 3600.0,
       'core_latency_other': 11248.25,
       'heightCM': 0.0006752349985257778,
       'heightNM': 0.0010947321295550778,
       'ic_dynamic_energy': 2.858393250459231e-07,
       'ic_latency': 376.5625,
       'leakage': 4.010182482361329e-05,
       'leakage_sram_in_use': 7.72079616e-06,
       'read_dynamic_energy': 3.869973018242894e-06,
       'read_latency': 16704.5,
       'widthCM': 0.0006752349985257777,
       'widthNM': 0.0010947321295550778},
 'B': {'areaCM0': 4.5594230323410713e-07,
       'areaCM1': 1.2998877826107048e-08,
       'areaCM2': 1.0394866155519999e-07,
       'areaCM3': 1.057033449472e-07,
       'areaCM4': 6.570079031296e-08,
       'areaCM5': 1.4210301952e-07,
       'areaNM0': 1.1984384354801957e-06,
       'areaNM1': 1.8593037747699545e-07,
       'areaNM2': 2.3388448849919998e-07,
       'areaNM3': 2.4375021834240004e-07,
       'areaNM4': 1.5779443682816003e-07,
       'areaNM5': 3.1973179392000003e-07,
       'buffer_dynamic_energy': 3.218599110068145e-11,
       'buffer_latency': 137.0,
       'clk_freq': 589134627.3808343,
       'clk_period': 1.6974048944394672e-09,
       'core_energy_accum': 2.884121939591696e-10,
       'core_energy_adc': 1.1893392867509697e-09,
       'core_energy_other': 5.220569373980091e-10,
       'core_latency_accum': 2.0,
       'core_latency_adc': 64.0,
       'core_latency_other': 145.25390625,
       'heightCM': 0.0006752349985257778,
       'heightNM': 0.0010947321295550778,
       'ic_dynamic_energy': 2.0612331996740346e-10,
       'ic_latency': 8.25390625,
       'leakage': 1.5456587492571842e-05,
       'leakage_sram_in_use': 3.4314649600000005e-06,
       'read_dynamic_energy': 1.999808418108148e-09,
       'read_latency': 211.25390625,
       'widthCM': 0.0006752349985257777,
       'widthNM': 0.0010947321295550778},
 'C': {'areaCM0': 4.5594230323410713e-07,
       'areaCM1': 1.2998877826107048e-08,
       'areaCM2': 1.0394866155519999e-07,
       'areaCM3': 1.057033449472e-07,
       'areaCM4': 6.570079031296e-08,
       'areaCM5': 1.4210301952e-07,
       'areaNM0': 1.1984384354801957e-06,
       'areaNM1': 1.8593037747699545e-07,
       'areaNM2': 2.3388448849919998e-07,
       'areaNM3': 2.4375021834240004e-07,
       'areaNM4': 1.5779443682816003e-07,
       'areaNM5': 3.1973179392000003e-07,
       'buffer_dynamic_energy': 2.0627482726763178e-11,
       'buffer_latency': 135.0,
       'clk_freq': 589134627.3808343,
       'clk_period': 1.6974048944394672e-09,
       'core_energy_accum': 2.162301903114804e-10,
       'core_energy_adc': 5.946696433754847e-10,
       'core_energy_other': 3.140243990864427e-10,
       'core_latency_accum': 0.125,
       'core_latency_adc': 8.0,
       'core_latency_other': 143.25390625,
       'heightCM': 0.0006752349985257778,
       'heightNM': 0.0010947321295550778,
       'ic_dynamic_energy': 1.5152310319471744e-10,
       'ic_latency': 8.25390625,
       'leakage': 1.8016431383576015e-05,
       'leakage_sram_in_use': 3.4314649600000005e-06,
       'read_dynamic_energy': 1.1249242327734079e-09,
       'read_latency': 151.37890625,
       'widthCM': 0.0006752349985257777,
       'widthNM': 0.0010947321295550778},
 'D': {'areaCM0': 4.5594230323410713e-07,
       'areaCM1': 1.2998877826107048e-08,
       'areaCM2': 1.0394866155519999e-07,
       'areaCM3': 1.057033449472e-07,
       'areaCM4': 6.570079031296e-08,
       'areaCM5': 1.4210301952e-07,
       'areaNM0': 1.1984384354801957e-06,
       'areaNM1': 1.8593037747699545e-07,
       'areaNM2': 2.3388448849919998e-07,
       'areaNM3': 2.4375021834240004e-07,
       'areaNM4': 1.5779443682816003e-07,
       'areaNM5': 3.1973179392000003e-07,
       'buffer_dynamic_energy': 2.0627482726763178e-11,
       'buffer_latency': 135.0,
       'clk_freq': 589134627.3808343,
       'clk_period': 1.6974048944394672e-09,
       'core_energy_accum': 1.6720172599545026e-11,
       'core_energy_adc': 2.1537785598888868e-10,
       'core_energy_other': 2.1049589262815944e-10,
       'core_latency_accum': 0.0,
       'core_latency_adc': 1.0,
       'core_latency_other': 143.25390625,
       'heightCM': 0.0006752349985257778,
       'heightNM': 0.0010947321295550778,
       'ic_dynamic_energy': 1.5152310319471744e-10,
       'ic_latency': 8.25390625,
       'leakage': 1.2828022960198428e-05,
       'leakage_sram_in_use': 3.4314649600000005e-06,
       'read_dynamic_energy': 4.425939212165932e-10,
       'read_latency': 144.25390625,
       'widthCM': 0.0006752349985257777,
       'widthNM': 0.0010947321295550778},
 'E': {'areaCM0': 4.5594230323410713e-07,
       'areaCM1': 1.2998877826107048e-08,
       'areaCM2': 1.0394866155519999e-07,
       'areaCM3': 1.057033449472e-07,
       'areaCM4': 6.570079031296e-08,
       'areaCM5': 1.4210301952e-07,
       'areaNM0': 1.1984384354801957e-06,
       'areaNM1': 1.8593037747699545e-07,
       'areaNM2': 2.3388448849919998e-07,
       'areaNM3': 2.4375021834240004e-07,
       'areaNM4': 1.5779443682816003e-07,
       'areaNM5': 3.1973179392000003e-07,
       'buffer_dynamic_energy': 2.0627482726763178e-11,
       'buffer_latency': 135.0,
       'clk_freq': 589134627.3808343,
       'clk_period': 1.6974048944394672e-09,
       'core_energy_accum': 1.4591209428178535e-10,
       'core_energy_adc': 5.946696433754848e-10,
       'core_energy_other': 3.1690371979862385e-10,
       'core_latency_accum': 1.5,
       'core_latency_adc': 32.0,
       'core_latency_other': 143.25390625,
       'heightCM': 0.0006752349985257778,
       'heightNM': 0.0010947321295550778,
       'ic_dynamic_energy': 1.544024239068986e-10,
       'ic_latency': 8.25390625,
       'leakage': 1.5456587492571842e-05,
       'leakage_sram_in_use': 3.4314649600000005e-06,
       'read_dynamic_energy': 1.057485457455894e-09,
       'read_latency': 176.75390625,
       'widthCM': 0.0006752349985257777,
       'widthNM': 0.0010947321295550778}}

CASES = {
    "A": dict(layer=0, rows=("novel", 0, 3, 9, 3), cols=512, windows=900, novel=True, num_pe=9, su=(4, 4),
              wmr=27, wmc=512),
    "B": dict(layer=7, rows=None, cols=80, windows=1, novel=False, num_pe=2, su=(1, 1), wmr=1024, wmc=80),
    "C": dict(layer=7, rows=None, cols=80, windows=1, novel=False, num_pe=2, su=(4, 2), wmr=1024, wmc=80),
    "D": dict(layer=7, rows=None, cols=80, windows=1, novel=False, num_pe=2, su=(8, 8), wmr=1024, wmc=80),
    "E": dict(layer=7, rows=None, cols=80, windows=1, novel=False, num_pe=2, su=(1, 2), wmr=1024, wmc=80),
}


@pytest.fixture(scope="module")
def setup():
    p = resolve(HardwareConfig())
    tech = technology(p.tech_node_nm, p.roadmap)
    return p, tech, make_cell(p, tech), load_npz_dir(DATA)


def _close(ours: dict, golden: dict, rtol: float) -> None:
    for key, value in golden.items():
        assert ours[key] == pytest.approx(value, rel=rtol, abs=0), key


@pytest.mark.parametrize("name", sorted(CASES))
def test_tile_matches_reference(setup, name):
    p, tech, cell, traces = setup
    case = CASES[name]
    trace = traces[case["layer"]]
    codes = weight_cell_codes(trace.weight_q, 8, 8, 1)
    bits = input_bit_matrix(trace.input_q, 8, case["windows"])
    rows = novel_mapping_rows(*case["rows"][1:]) if case["rows"] else np.arange(codes.shape[0])
    codes, bits = codes[rows, :case["cols"]], bits[rows]

    tile = Tile(p, tech, cell)
    tile.initialize(9, 512, 2, 512)
    ours = {}
    for tag, num_pe, nm in (("NM", 9, True), ("CM", 4, False)):
        parts, height, width = tile.calculate_area(num_pe, 512, nm)
        ours |= {f"area{tag}{i}": v for i, v in enumerate(parts)} | {f"height{tag}": height, f"width{tag}": width}
    args = (codes, bits, case["novel"], case["num_pe"], 512, *case["su"], case["wmr"], case["wmc"],
            case["windows"] * 8)
    clk_period = tile.calculate_performance(*args, True).clk_period
    clk_freq = min(p.clk_freq_hz, 1 / clk_period)
    perf = tile.calculate_performance(*args, False, clk_period=clk_period, clk_freq=clk_freq)
    ours |= perf._asdict() | {"clk_period": clk_period, "clk_freq": clk_freq}
    _close(ours, GOLDEN_TILE[name], 1e-11)


def test_clock_pass_returns_running_maximum(setup):
    p, tech, cell, traces = setup
    tile = Tile(p, tech, cell)
    tile.initialize(9, 512, 2, 512)
    tile.calculate_area(2, 512, False)  # as in the model's flow: area before the clock pass
    trace = traces[7]
    codes = weight_cell_codes(trace.weight_q, 8, 8, 1)
    bits = input_bit_matrix(trace.input_q, 8, 1)
    args = (codes, bits, False, 2, 512, 1, 1, 1024, 80, 8, True)
    found = tile.calculate_performance(*args).clk_period
    assert found == pytest.approx(GOLDEN_TILE["B"]["clk_period"], rel=1e-12)
    assert tile.calculate_performance(*args, clk_period=1.0).clk_period == 1.0
