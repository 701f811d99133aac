"""The plug-in boundary (`neurosim_core.plugins`): a component role replaced from outside the package."""
import importlib.util
from functools import lru_cache
from pathlib import Path

import pytest

from neurosim_core.arch import ComponentModel
from neurosim_core.cell import make_cell
from neurosim_core.circuits.adc import sar_adc
from neurosim_core.estimate import estimate
from neurosim_core.network import Network
from neurosim_core.params import HardwareConfig, resolve
from neurosim_core.plugins import ComponentLibrary
from neurosim_core.tech import technology
from neurosim_core.traces import load_npz_dir

ROOT = Path(__file__).resolve().parents[2]
TRACES = ROOT / "tests" / "data" / "traces_vgg8"


@lru_cache(maxsize=None)
def _vgg8(layers: int = 8):
    traces = tuple(load_npz_dir(TRACES))[:layers]
    return Network.from_rows([t.net_row for t in traces], names=[t.name for t in traces]), traces


def _sar_as_plugin(p, tech, cell):
    """The built-in SAR ADC as a user plug-in without its compiled kernel: the generic plug-in
    path (every vector's column resistances through the model) must give the same numbers."""
    def build(spec, env):
        m = sar_adc(spec, env)
        return ComponentModel(kind="sar_plugin", area_m2=m.area_m2, height_m=m.height_m, width_m=m.width_m,
                              actions=dict(m.actions), dynamic=dict(m.dynamic))
    return build


FIGURES = ("area", "area_adc", "read_latency", "read_dynamic_energy", "adc_read_dynamic_energy",
           "accum_read_dynamic_energy", "other_read_dynamic_energy", "leakage_energy", "tops_per_w", "clock_period")


@pytest.mark.parametrize("changes,layers", [({}, 8), ({"mem_cell": "rram"}, 2),
                                            ({"mem_cell": "rram", "operation_mode": "conventional_sequential"}, 2)])
def test_builtin_sar_through_the_plugin_boundary_is_exact(changes, layers):
    network, traces = _vgg8(layers)
    cfg = HardwareConfig(**changes)
    p_sar = resolve(cfg.replace(adc_type="sar"))
    p_mlsa = resolve(cfg)
    tech = technology(p_sar.technode, p_sar.roadmap)
    reference = estimate(network, traces, p_sar)
    plugged = estimate(network, traces, p_mlsa,
                       library=ComponentLibrary(adc=_sar_as_plugin(p_sar, tech, make_cell(p_sar, tech))))
    for name in FIGURES:
        assert getattr(plugged, name) == pytest.approx(getattr(reference, name), rel=1e-12), name


def test_plugin_contract_is_checked():
    network, traces = _vgg8(2)

    def no_convert(spec, env):
        return ComponentModel(kind="bad_adc", area_m2=1e-12, height_m=1e-6, width_m=1e-6)

    with pytest.raises(KeyError, match="bad_adc has no action 'convert'"):
        estimate(network, traces, resolve(HardwareConfig()), library=ComponentLibrary(adc=no_convert))


def test_custom_adc_example_runs(capsys):
    spec = importlib.util.spec_from_file_location("custom_adc", ROOT / "examples" / "custom_adc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = module.main(["--traces", str(TRACES)])
    out = capsys.readouterr().out
    assert "built-in ADC" in out and "table ADC" in out and "TOPS/W" in out
    builtin, table = results["built-in ADC"], results["table ADC"]
    # the table ADC is slower, larger and (at these currents) costs more energy than the built-in MLSA
    assert table.adc_read_dynamic_energy > builtin.adc_read_dynamic_energy
    assert table.area_adc > builtin.area_adc and table.tops_per_w < builtin.tops_per_w
    # what does not involve the ADC is unchanged
    assert table.buffer_read_dynamic_energy == pytest.approx(builtin.buffer_read_dynamic_energy, rel=1e-12)
