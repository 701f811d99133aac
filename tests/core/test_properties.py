"""Physical property tests of the hardware model (issue: "more ADC bits never reduce ADC area, a
bigger array never reduces array area, zero activity gives zero dynamic array energy"), and the
estimate on a small network for configurations outside the reference set (finite answers where
the reference gives inf/NaN)."""
from pathlib import Path

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim_core.cell import make_cell
from neurosim_core.estimate import estimate
from neurosim_core.network import Network
from neurosim_core.params import HardwareConfig, resolve
from neurosim_core.subarray import SubArrayModel, build_subarray, read_energy
from neurosim_core.tech import technology
from neurosim_core.traces import load_npz_dir

DATA = Path(__file__).resolve().parents[1] / "data" / "traces_vgg8"

DEVICES = [dict(mem_cell="sram"), dict(mem_cell="rram"), dict(mem_cell="fefet", cell_bit=2),
           dict(mem_cell="sram", operation_mode="conventional_sequential"),
           dict(mem_cell="rram", operation_mode="conventional_sequential"), dict(mem_cell="sram", adc_type="sar")]


def _subarray(**changes) -> SubArrayModel:
    p = resolve(HardwareConfig(**changes))
    tech = technology(p.tech_node_nm, p.roadmap)
    return build_subarray(p, tech, make_cell(p, tech))


@settings(max_examples=25, deadline=None)
@given(device=st.sampled_from([d for d in DEVICES if "operation_mode" not in d]),
       node=st.sampled_from([130, 65, 45, 22]), bits=st.integers(1, 7))
def test_more_adc_bits_never_reduce_adc_area(device, node, bits):
    """Parallel read (the ADC modes; sequential SRAM senses with 1-bit sense amps)."""
    small = _subarray(**device, tech_node_nm=node, level_output=2 ** bits)
    large = _subarray(**device, tech_node_nm=node, level_output=2 ** (bits + 1))
    assert large.area_adc > small.area_adc > 0


@settings(max_examples=25, deadline=None)
@given(device=st.sampled_from(DEVICES), node=st.sampled_from([65, 22, 14, 7]),
       size=st.sampled_from([32, 64, 128, 256]))
def test_bigger_array_never_reduces_array_area(device, node, size):
    if device["mem_cell"] == "rram" and node < 22:
        node = 22
    small = _subarray(**device, tech_node_nm=node, num_row_subarray=size, num_col_subarray=size,
                      num_row_parallel=size)
    large = _subarray(**device, tech_node_nm=node, num_row_subarray=2 * size, num_col_subarray=2 * size,
                      num_row_parallel=2 * size)
    assert large.area_array > small.area_array > 0


@pytest.mark.parametrize("device", DEVICES, ids=lambda d: ",".join(f"{k}={v}" for k, v in d.items()))
def test_zero_activity_gives_zero_array_energy(device):
    sub = _subarray(**device)
    n_cols = sub.spec.num_col
    res = np.full((3, n_cols), np.inf)
    res[1:] = 2e4
    activity = np.array([0.0, 0.25, 1.0])
    array = read_energy(sub, res, activity)[4]
    assert array[0] == 0.0
    assert 0 < array[1] < array[2]


@pytest.fixture(scope="module")
def fc_layers():
    traces = load_npz_dir(DATA)[6:]
    return Network.from_rows([t.net_row for t in traces], names=[t.name for t in traces]), traces


def test_rram_sequential_read_is_finite_with_a_note(fc_layers):
    """The reference gives an infinite clock period here (0/0 for vectors with no active row)."""
    network, traces = fc_layers
    result = estimate(network, traces, resolve(HardwareConfig(mem_cell="rram",
                                                              operation_mode="conventional_sequential")))
    for name in ("clock_period", "read_latency", "read_dynamic_energy", "leakage_power", "tops_per_w", "fps"):
        value = getattr(result, name)
        assert math.isfinite(value) and value > 0, name
    assert any("activate no row" in note for note in result.notes)


def test_more_adc_bits_cost_more_chip_adc_area_and_energy(fc_layers):
    network, traces = fc_layers
    results = [estimate(network, traces, resolve(HardwareConfig(level_output=2 ** bits))) for bits in (3, 5, 7)]
    areas = [r.area_adc for r in results]
    energies = [r.adc_read_dynamic_energy for r in results]
    assert areas == sorted(areas) and len(set(areas)) == 3
    assert energies == sorted(energies) and len(set(energies)) == 3


@pytest.mark.parametrize("mem", ["sram", "rram"])
def test_pseudo_trace_mode_is_close_to_real_traces_and_average_mode_follows_its_inputs(fc_layers, mem):
    """IEDM'19 Fig. 7: pseudo-traces (one measured activity per layer) track the real-trace estimate
    closely; the average mode is driven by the user's activity."""
    network, traces = fc_layers
    real = estimate(network, traces, resolve(HardwareConfig(mem_cell=mem)))
    pseudo = estimate(network, traces, resolve(HardwareConfig(mem_cell=mem, activity_mode="pseudo")))
    assert pseudo.read_latency == pytest.approx(real.read_latency, rel=1e-12)  # parallel read: fixed cycles
    assert pseudo.area == real.area
    assert pseudo.read_dynamic_energy == pytest.approx(real.read_dynamic_energy, rel=0.05)
    assert pseudo.read_dynamic_energy != real.read_dynamic_energy
    energies = [estimate(network, traces, resolve(HardwareConfig(
        mem_cell=mem, activity_mode="average", average_row_activity=a, average_cell_level=0.3))).read_dynamic_energy
        for a in (0.0, 0.2, 0.6)]
    assert energies[0] < energies[1] < energies[2]


def test_pseudo_mode_equals_average_mode_at_the_measured_activity(fc_layers):
    """Pseudo mode = average mode with each layer's activity measured from its traces."""
    from neurosim_core.traces import input_bit_matrix, weight_cell_codes

    network, traces = fc_layers
    p = resolve(HardwareConfig(mem_cell="rram", activity_mode="pseudo"))
    pseudo = estimate(network, traces, p)
    for i, (layer, trace) in enumerate(zip(network.layers, traces)):
        bits = input_bit_matrix(trace.input_q, p.input_bits, layer.num_in_vectors)
        codes = weight_cell_codes(trace.weight_q, trace.wbits, p.synapse_bits, p.cell_bit)
        average = estimate(network, traces, resolve(HardwareConfig(
            mem_cell="rram", activity_mode="average", average_row_activity=float(bits.mean()),
            average_cell_level=float(codes.mean()))))
        assert average.layers[i].read_dynamic_energy == pytest.approx(pseudo.layers[i].read_dynamic_energy,
                                                                      rel=1e-12)
        assert average.layers[1 - i].read_dynamic_energy != pseudo.layers[1 - i].read_dynamic_energy


@pytest.mark.parametrize("field,value", [("activity_mode", "mean"), ("average_row_activity", 1.5),
                                         ("average_cell_level", "high")])
def test_bad_activity_options_fail_with_one_line(field, value):
    from neurosim_core.params import ConfigError

    with pytest.raises(ConfigError) as err:
        resolve(HardwareConfig(**{field: value}))
    assert field in str(err.value) and "\n" not in str(err.value)
