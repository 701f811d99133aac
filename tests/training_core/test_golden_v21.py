"""Golden checks of the training estimator against the V2.1 reference runs (full VGG-8 traces).

The eight layer traces are 26 MB and stay in ``shared/reference/traces_vgg8_train`` (see
``tests/data/reference_v21/README.md``); these tests skip where that folder is absent.  They pin
what is reproduced today (DRAM exactly, weight-update latency, chip energy and TOPS/W of the
default chip) so that a regression shows; the README lists the figures that are not reproduced yet.
"""
from __future__ import annotations

import pytest

from neurosim_core.network import Network
from neurosim_core.training.estimate import estimate_training
from neurosim_core.training.traces import load_training_npz_dir

from .conftest import SHARED_TRACES21

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not SHARED_TRACES21.is_dir(), reason="full V2.1 traces not available")]


@pytest.fixture(scope="module")
def default_result():
    traces = load_training_npz_dir(SHARED_TRACES21)
    net = Network.from_rows([t.net_row for t in traces], names=[t.name for t in traces])
    return estimate_training(net, traces)


def test_default_chip_energy_and_tops_per_w(default_result, ref21):
    chip = ref21["default"]["chip"]
    rows = {r["scope"]: r for r in default_result.to_rows()}
    assert rows["chip"]["chip_total_energy_pJ"] == pytest.approx(float(chip["chip_total_energy_pJ"]), rel=0.05)
    assert rows["chip"]["energy_efficiency_tops_w"] == pytest.approx(float(chip["energy_efficiency_tops_w"]), rel=0.05)
    assert rows["chip"]["chip_readdynamicenergy_of_weight_gradient_pJ"] == pytest.approx(
        float(chip["chip_readdynamicenergy_of_weight_gradient_pJ"]), rel=0.05)


def test_default_per_layer_dram_and_weight_update(default_result, ref21):
    rows = {r["scope"]: r for r in default_result.to_rows()}
    for layer in map(str, range(1, 9)):
        ref = ref21["default"][layer]
        ours = rows[layer]
        for col in ("dram_data_transfer_latency_ns", "dram_data_transfer_dynamicenergy_pJ"):
            assert ours[col] == pytest.approx(float(ref[col]), rel=6e-6), (layer, col)
        if layer != "1":  # layer 1's write-driver latency is not reproduced yet
            assert ours["peak_writelatency_of_weight_update_ns"] == pytest.approx(
                float(ref["peak_writelatency_of_weight_update_ns"]), rel=5e-3), layer


_PARALLEL_CONFIGS = ["default", "rram", "fefet_22nm", "fefet_adc5", "fefet_sub256", "fefet_sub64", "fefet_gddr5",
                     "fefet_convmapping", "fefet_22nm_vsa", "fefet_22nm_wgadc5", "fefet_22nm_bufovh3", "sram"]


_ESTIMATES: dict = {}


def _estimate_config(config, ref21):
    if config not in _ESTIMATES:
        _ESTIMATES[config] = _estimate_config_uncached(config, ref21)
    return _ESTIMATES[config]


def _estimate_config_uncached(config, ref21):
    import importlib.util
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "compare_reference_training.py"
    spec = importlib.util.spec_from_file_location("_compare_reference_training", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    traces = load_training_npz_dir(SHARED_TRACES21)
    net = Network.from_rows([t.net_row for t in traces], names=[t.name for t in traces])
    chip = ref21[config]["chip"]
    hw, tc = module.v21_configs(json.loads(chip.get("param_edits") or "{}"), config)
    return {r["scope"]: r for r in estimate_training(net, traces, hw, training=tc).to_rows()}


@pytest.mark.parametrize("config", [c for c in _PARALLEL_CONFIGS if c != "sram"] + ["fefet_sequentialBP"])
def test_v21_adc_area_and_wg_area(config, ref21):
    """V2.1's sub-array ADC area (forward MLSA + encoders and the BP periphery's) is exact on the
    FeFET/RRAM chips at 22/32 nm; the WG unit + gradient accumulator area is within 8 % (pins today's figures)."""
    rows = _estimate_config(config, ref21)
    chip = ref21[config]["chip"]
    assert rows["chip"]["total_adc_area_on_chip_um2"] == pytest.approx(
        float(chip["total_adc_area_on_chip_um2"]), rel=1e-4)
    assert rows["chip"]["weight_gradient_calculation_um2"] == pytest.approx(
        float(chip["weight_gradient_calculation_um2"]), rel=0.08)


@pytest.mark.parametrize("config", _PARALLEL_CONFIGS)
def test_v21_weight_gradient_phase(config, ref21):
    """Parallel BP: the WG unit composed as V2.1's gives the chip's PEAK WG latency within 0.5 %, its WG
    latency (with DRAM and buffers) within 1.5 % and its WG energy within 1.5 %; per layer the PEAK WG
    latency within 4 % (the FC layers' gradient accumulator is 3-3.9 % off, the conv layers < 0.4 %)."""
    rows = _estimate_config(config, ref21)
    ref = ref21[config]
    chip = ref["chip"]
    assert rows["chip"]["chip_peak_readlatency_of_weight_gradient_ns"] == pytest.approx(
        float(chip["chip_peak_readlatency_of_weight_gradient_ns"]), rel=5e-3)
    assert rows["chip"]["chip_readlatency_of_weight_gradient_ns"] == pytest.approx(
        float(chip["chip_readlatency_of_weight_gradient_ns"]), rel=0.015)
    assert rows["chip"]["chip_readdynamicenergy_of_weight_gradient_pJ"] == pytest.approx(
        float(chip["chip_readdynamicenergy_of_weight_gradient_pJ"]), rel=0.015)
    for layer in map(str, range(1, 9)):
        assert rows[layer]["peak_readlatency_of_weight_gradient_ns"] == pytest.approx(
            float(ref[layer]["peak_readlatency_of_weight_gradient_ns"]), rel=0.04), layer


def test_v21_sequential_bp_activation_gradient(ref21):
    """Sequential BP: the row-by-row transposed read's extra conversions bring the chip AG latency
    within 20 % and its energy within 30 % (were -93 % / -96 % without them)."""
    rows = _estimate_config("fefet_sequentialBP", ref21)
    chip = ref21["fefet_sequentialBP"]["chip"]
    assert rows["chip"]["chip_readlatency_of_activation_gradient_ns"] == pytest.approx(
        float(chip["chip_readlatency_of_activation_gradient_ns"]), rel=0.20)
    assert rows["chip"]["chip_readdynamicenergy_of_activation_gradient_pJ"] == pytest.approx(
        float(chip["chip_readdynamicenergy_of_activation_gradient_pJ"]), rel=0.30)


def test_v21_peak_weight_update_energy(ref21):
    """PEAK WU energy: cells, lines and the source-line switch matrix at V2.1's sqrt(V_LTP^2 + V_LTD^2)
    write voltage, every copy of a fully duplicated conventional layer written.  RRAM within 0.5 %,
    FeFET at 22/32 nm within 2.5 % (V2.1's word-line switch-matrix write energy, ~0.3 %, is left out)."""
    for config, tol in (("rram", 0.005), ("default", 0.025), ("fefet_22nm", 0.025), ("fefet_gddr5", 0.025)):
        rows = _estimate_config(config, ref21)
        chip = ref21[config]["chip"]
        assert rows["chip"]["chip_peak_writedynamicenergy_of_weight_update_pJ"] == pytest.approx(
            float(chip["chip_peak_writedynamicenergy_of_weight_update_pJ"]), rel=tol), config


@pytest.mark.parametrize("config", _PARALLEL_CONFIGS)
def test_v21_leakage_power_without_interconnect(config, ref21):
    """V2.1's PE / tile leakage sums leave out the PE buses and the tile H-tree (quirk
    ``v21_leakage_omits_interconnect``): with them out the chip leakage power is within 30 % of
    V2.1's at 22/32 nm (119-212 % high with them; the rest is the sub-array leakage, see README)."""
    rows = _estimate_config(config, ref21)
    chip = ref21[config]["chip"]
    assert rows["chip"]["chip_leakage_power_uW"] == pytest.approx(float(chip["chip_leakage_power_uW"]), rel=0.30)
