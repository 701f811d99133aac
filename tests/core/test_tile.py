"""Tests of the tile model (neurosim_core.tile, with neurosim_core.pe underneath).

Golden values: the reference NeuroSim V1.4 TileInitialize / TileCalculateArea /
TileCalculatePerformance (compiled reference objects, driver /tmp/pe_tile_drv/tiledrv.cpp) with the
default Param.cpp and main's argv ``8 8 128 128``, TileInitialize(9, 512, 2, 512) (the default
floorplan of the VGG-8 reference run), area of an NM tile of 9 PEs and a CM tile of 4 PEs, then the
clock pass, ``param->clkFreq = min(clkFreq, 1/clkPeriod)`` and the performance pass, on slices of
the VGG-8 traces in tests/data/traces_vgg8 (conductances from the same cell codes); the reference's
output names are the golden keys (``_reference_outputs``):

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
from neurosim_core.tile import Tile, TileJob, TileKind
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


def _reference_outputs(cost) -> dict:
    names = {"buffer_read_dynamic_energy": "buffer_dynamic_energy", "ic_read_dynamic_energy": "ic_dynamic_energy",
             "adc_read_latency": "core_latency_adc", "accum_read_latency": "core_latency_accum",
             "other_read_latency": "core_latency_other", "adc_read_dynamic_energy": "core_energy_adc",
             "accum_read_dynamic_energy": "core_energy_accum", "other_read_dynamic_energy": "core_energy_other"}
    out = {names.get(k, k): v for k, v in cost.columns().items()}
    return out | {"leakage": cost.leakage_w, "leakage_sram_in_use": cost.leakage_in_use_w}


def _reference_area(area, tag: str) -> dict:
    """[area, H-tree, ADC, accumulation, other, array] as the reference's tile area vector."""
    b = area.parts
    values = [area.total_m2, b.interconnect, b.adc, b.accumulation, b.other + b.buffer, b.array]
    return {f"area{tag}{i}": v for i, v in enumerate(values)} | {f"height{tag}": area.height_m,
                                                                 f"width{tag}": area.width_m}


def _job(traces, case, input_rows=None) -> TileJob:
    trace = traces[case["layer"]]
    codes = weight_cell_codes(trace.weight_q, 8, 8, 1)
    bits = input_bit_matrix(trace.input_q, 8, case["windows"])
    rows = novel_mapping_rows(*case["rows"][1:]) if case["rows"] else np.arange(codes.shape[0])
    return TileJob(codes[rows, :case["cols"]], bits[rows], case["windows"] * 8, case["wmr"], case["wmc"],
                   case["su"], input_rows)


@pytest.mark.parametrize("name", sorted(CASES))
def test_tile_matches_reference(setup, name):
    p, tech, cell, traces = setup
    case = CASES[name]
    tile = Tile(p, tech, cell)
    ours = _reference_area(tile.area(TileKind(True, 9, 512)), "NM") | _reference_area(tile.area(TileKind(False, 2, 512)), "CM")
    kind = TileKind(case["novel"], case["num_pe"], 512)
    job = _job(traces, case, {})
    clk_period = tile.sensing_period(kind, job)
    clk_freq = min(p.clk_freq_hz, 1 / clk_period)
    ours |= _reference_outputs(tile.read(kind, job, clk_freq)) | {"clk_period": clk_period, "clk_freq": clk_freq}
    _close(ours, GOLDEN_TILE[name], 1e-11)


def test_sensing_period_is_the_slowest_pe(setup):
    p, tech, cell, traces = setup
    tile = Tile(p, tech, cell)
    kind = TileKind(False, 2, 512)
    found = tile.sensing_period(kind, _job(traces, CASES["B"]))
    assert found == pytest.approx(GOLDEN_TILE["B"]["clk_period"], rel=1e-12)


def test_duplicated_tile_is_faster_not_cheaper(setup):
    """Overlap rule: a speed-up of 4 x 4 splits the PEs' vectors over 16 copies: the PE latency is
    divided by 16, the PE energy is unchanged."""
    p, tech, cell, traces = setup
    tile = Tile(p, tech, cell)
    kind = TileKind(True, 9, 512)
    memo = {}
    fast = tile.read(kind, _job(traces, CASES["A"], memo), 5e8)
    plain = tile.read(kind, _job(traces, dict(CASES["A"], su=(1, 1)), memo), 5e8)
    assert fast.timing.adc == pytest.approx(plain.timing.adc / 16, rel=1e-12)
    assert fast.energy.adc == pytest.approx(plain.energy.adc, rel=1e-12)
    assert fast.timing.total < plain.timing.total


def test_corrected_tile_counts_every_leaking_part(setup):
    """compat=corrected: the activation unit and every buffer core leak (quirks
    tile_leakage_omits_activation, buffer_leakage_one_core)."""
    _, tech, cell, traces = setup
    p = resolve(HardwareConfig(chip_activation=False))
    corrected = resolve(HardwareConfig(chip_activation=False, compat="corrected"))
    kind = TileKind(False, 2, 512)
    ref = Tile(p, tech, cell).read(kind, _job(traces, CASES["B"]), 5e8)
    fixed_tile = Tile(corrected, tech, cell)
    fixed = fixed_tile.read(kind, _job(traces, CASES["B"]), 5e8)
    macro = fixed_tile.macro(kind, 2, 5e8)
    assert macro.part("activation").model.leakage_w > 0
    assert fixed.leakage_w > ref.leakage_w
