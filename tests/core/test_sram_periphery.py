"""SRAM column periphery builders (`precharger`, `sram_write_driver`, `sense_amp`, `sram_new_sa`)
against reference golden values, plus properties.

Golden values: see ``test_dff.py`` (reference V1.4 Precharger / SRAMWriteDriver / SenseAmp /
SramNewSA objects run by a C++ driver with exactly the scenario inputs below: Initialize,
CalculateArea, CalculateLatency, CalculatePower with the counts given per scenario).
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim_core.arch import Macro, Part, Use, energy
from neurosim_core.circuits.env import CircuitEnv
from neurosim_core.circuits.sram_periphery import (
    PrechargerSpec, SenseAmpSpec, SramNewSaSpec, SramWriteDriverSpec, precharger,
    sense_amp, sram_new_sa, sram_write_driver,
)

from .test_dff import BASE_KEYS, CONFIGS, REL_TOL, golden_cases, periphery_setup


def _env(s) -> CircuitEnv:
    return CircuitEnv.of(s.p, s.tech)


def _observed(model, *, read: str | None = None, reads=0, write: str | None = None, writes=0, **ports) -> dict:
    """The reference's eight figures of a scenario from a model and its action counts."""
    r = model.cost(read) if read else None
    w = model.cost(write) if write else None
    out = dict(height=model.height_m, width=model.width_m, area=model.area_m2,
               read_latency=r.latency_s * reads if r else 0.0, write_latency=w.latency_s * writes if w else 0.0,
               read_dynamic_energy=r.energy_j * reads if r else 0.0,
               write_dynamic_energy=w.energy_j * writes if w else 0.0, leakage=model.leakage_w)
    out.update({key: model.port(name) for key, name in ports.items()})
    return out


# ---- scenarios (the reference driver's inputs, as specs and action counts) ---------------------

def _prech_spec(s, num_col, activity, n_read, n_write, fit_width_m=0.0):
    return PrechargerSpec(num_col=num_col, bitline_cap_f=s.cap_col, bitline_res_ohm=s.res_col, read_cols=n_read,
                          write_cols=n_write, write_activity=activity, fit_width_m=fit_width_m)


def _prech(s):
    m = precharger(_prech_spec(s, 128, 0.5, 128, 16, s.w_array), _env(s))
    return _observed(m, read="precharge", reads=1, write="write", writes=2, ramp_output="ramp_output_per_s")


def _prech_default(s):
    m = precharger(_prech_spec(s, 64, 0.1, 16, 16), _env(s))
    return _observed(m, read="precharge", reads=3, write="write", writes=1)


def _wrdrv_spec(s, num_col, activity, fit_width_m=0.0):
    return SramWriteDriverSpec(num_col=num_col, bitline_cap_f=s.cap_col, bitline_res_ohm=s.res_col, write_cols=16,
                               write_activity=activity, fit_width_m=fit_width_m)


def _wrdrv(s):
    return _observed(sram_write_driver(_wrdrv_spec(s, 128, 0.5, s.w_array), _env(s)), write="write", writes=2)


def _wrdrv_default(s):
    return _observed(sram_write_driver(_wrdrv_spec(s, 64, 0.1), _env(s)), write="write", writes=1)


def _sa_spec(s, num_col, sense_voltage, num_read_cells):
    return SenseAmpSpec(num_col=num_col, sense_voltage_v=sense_voltage, pitch_m=s.w_array / num_col,
                        read_cols=num_read_cells, fit_width_m=s.w_array)


def _sa_magic(s):  # (the reference folded to the array width by MagicLayout: the same layout)
    m = sense_amp(_sa_spec(s, 128, 0.1, 128), _env(s))
    out = _observed(m, read="sense", reads=1, cap_load="cap_load_f")
    out["read_dynamic_energy"] = m.cost("sense").energy_j * 3  # the reference's power call: 3 reads
    return out


def _sa_none(s):
    return _observed(sense_amp(_sa_spec(s, 64, 0.05, 16), _env(s)), read="sense", reads=2)


def _newsa(s):
    return _observed(sram_new_sa(SramNewSaSpec(num_col=128, levels=32, width_m=s.w_array), _env(s)),
                     read="sense", reads=3)


SCENARIOS = {"prech": _prech, "prech_default": _prech_default, "wrdrv": _wrdrv, "wrdrv_default": _wrdrv_default,
             "sa_magic": _sa_magic, "sa_none": _sa_none, "newsa": _newsa}

# Reference NeuroSim V1.4 modules, run by the golden driver with the scenario inputs above:
# ((height, width, area, read_latency, write_latency, read_dynamic_energy, write_dynamic_energy, leakage),
#  {other attributes})
GOLDEN = {
    "sram22": {
        "prech": ((1.848e-06, 0.00014336, 2.6492928e-10, 2.4037931316028213e-10, 4.807586263205643e-10, 4.1615999999999996e-12, 1.0403999999999999e-12, 5.8403840000000005e-09), {"ramp_output": 2080045880.0986998}),
        "prech_default": ((1.848e-06, 1.0700800000000001e-05, 1.97750784e-11, 7.211379394808463e-10, 2.4037931316028213e-10, 1.5605999999999998e-12, 2.0807999999999998e-13, 2.9201920000000002e-09), {}),
        "wrdrv": ((1.848e-06, 0.00014336, 2.6492928e-10, 0.0, 8.065253949842434e-10, 0.0, 1.9373587936060828e-14, 7.503936000000002e-09), {}),
        "wrdrv_default": ((1.848e-06, 1.0700800000000001e-05, 1.97750784e-11, 0.0, 4.032626974921217e-10, 0.0, 3.874717587212166e-15, 3.751968000000001e-09), {}),
        "sa_magic": ((1.0032000000000002e-06, 0.00014336, 1.4381875200000003e-10, 1.8095222778467056e-12, 0.0, 1.8260844600308174e-13, 0.0, 5.984e-10), {"cap_load": 6.581907655820421e-16}),
        "sa_none": ((1.0032000000000002e-06, 0.00014336, 1.4381875200000003e-10, 4.791218843053513e-12, 0.0, 1.5217370500256813e-14, 0.0, 2.992e-10), {}),
        "newsa": ((0.0029997814285714288, 0.00014336, 4.3004866560000007e-07, 3e-10, 0.0, 1.095168e-09, 0.0, 0.0), {}),
    },
    "sram7": {
        "prech": ((7.199849999999999e-07, 8.81408e-05, 6.346005388799999e-11, 3.00021369123148e-10, 6.00042738246296e-10, 1.7561599999999999e-12, 4.3903999999999996e-13, 2.90358706176e-09), {"ramp_output": 1666547957.7715278}),
        "prech_default": ((7.199849999999999e-07, 7.2959488e-06, 5.252973696767999e-12, 9.00064107369444e-10, 3.00021369123148e-10, 6.5856e-13, 8.7808e-14, 1.45179353088e-09), {}),
        "wrdrv": ((7.199849999999999e-07, 8.81408e-05, 6.346005388799999e-11, 0.0, 7.662585653075004e-10, 0.0, 6.5138094110208e-15, 7.13154226176e-09), {}),
        "wrdrv_default": ((7.199849999999999e-07, 7.2959488e-06, 5.252973696767999e-12, 0.0, 3.831292826537502e-10, 0.0, 1.3027618822041601e-15, 3.56577113088e-09), {}),
        "sa_magic": ((8.375276939999997e-07, 8.81408e-05, 7.382036097131516e-11, 1.120604719575685e-12, 0.0, 2.483992184841216e-13, 0.0, 3.523296e-09), {"cap_load": 1.32014890776e-15}),
        "sa_none": ((8.375276939999997e-07, 8.81408e-05, 7.382036097131516e-11, 3.039544349191427e-12, 0.0, 2.06999348736768e-14, 0.0, 1.761648e-09), {}),
        "newsa": ((0.004879110078419984, 8.81408e-05, 4.3004866560000007e-07, 3e-10, 0.0, 1.095168e-09, 0.0, 0.0), {}),
    },
    "rram22": {
        "prech": ((1.848e-06, 6.144e-05, 1.1354111999999999e-10, 9.297289655018062e-11, 1.8594579310036124e-10, 2.21952e-12, 5.5488e-13, 5.8403840000000005e-09), {"ramp_output": 5377911397.330007}),
        "prech_default": ((1.848e-06, 1.0700800000000001e-05, 1.97750784e-11, 2.7891868965054184e-10, 9.297289655018062e-11, 8.323199999999999e-13, 1.10976e-13, 2.9201920000000002e-09), {}),
        "wrdrv": ((1.848e-06, 6.144e-05, 1.1354111999999999e-10, 0.0, 3.686077749836608e-10, 0.0, 1.9373587936060828e-14, 7.503936000000002e-09), {}),
        "wrdrv_default": ((1.848e-06, 1.0700800000000001e-05, 1.97750784e-11, 0.0, 1.843038874918304e-10, 0.0, 3.874717587212166e-15, 3.751968000000001e-09), {}),
        "sa_magic": ((1.0032e-06, 6.144e-05, 6.1636608e-11, 1.8095222778467056e-12, 0.0, 1.8260844600308174e-13, 0.0, 5.984e-10), {"cap_load": 6.581907655820421e-16}),
        "sa_none": ((1.0032e-06, 6.144e-05, 6.1636608e-11, 4.791218843053513e-12, 0.0, 1.5217370500256813e-14, 0.0, 2.992e-10), {}),
        "newsa": ((0.0069994900000000014, 6.144e-05, 4.3004866560000007e-07, 3e-10, 0.0, 1.095168e-09, 0.0, 0.0), {}),
    },
    "xbar32hp": {
        "prech": ((2.6880000000000004e-06, 3.2768e-05, 8.808038400000002e-11, 1.682547036462453e-11, 3.365094072924906e-11, 8.2944e-13, 2.0736e-13, 1.9491766272e-05), {"ramp_output": 29716851247.81103}),
        "prech_default": ((2.6880000000000004e-06, 1.55648e-05, 4.1838182400000005e-11, 5.047641109387359e-11, 1.682547036462453e-11, 3.1104e-13, 4.1472000000000005e-14, 9.745883136e-06), {}),
        "wrdrv": ((2.6880000000000004e-06, 3.2768e-05, 8.808038400000002e-11, 0.0, 6.146672048648924e-11, 0.0, 2.309233884230289e-14, 2.5670958800304183e-05), {}),
        "wrdrv_default": ((2.6880000000000004e-06, 1.55648e-05, 4.1838182400000005e-11, 0.0, 3.073336024324462e-11, 0.0, 4.618467768460579e-15, 1.2835479400152092e-05), {}),
        "sa_magic": ((2.0672e-06, 3.2768e-05, 6.77380096e-11, 1.4520433257560268e-12, 0.0, 2.5770388566855253e-13, 0.0, 2.1049344000000002e-06), {"cap_load": 8.285232949734841e-16}),
        "sa_none": ((1.5808000000000002e-06, 3.2768e-05, 5.179965440000001e-11, 4.362125352718007e-12, 0.0, 2.4521613050806674e-14, 0.0, 1.0524672000000001e-06), {}),
        "newsa": ((0.013124043750000002, 3.2768e-05, 4.3004866560000007e-07, 3e-10, 0.0, 1.095168e-09, 0.0, 0.0), {}),
    },
    "sram2": {
        "prech": ((3.42e-07, 0.0001536, 5.25312e-11, 7.439202779616715e-10, 1.487840555923343e-09, 2.704e-12, 6.76e-13, 3.17495033856e-09), {"ramp_output": 672115030.0808996}),
        "prech_default": ((3.42e-07, 8.64e-06, 2.9548800000000004e-12, 2.2317608338850146e-09, 7.439202779616715e-10, 1.0140000000000001e-12, 1.3520000000000002e-13, 1.58747516928e-09), {}),
        "wrdrv": ((3.42e-07, 0.0001536, 5.25312e-11, 0.0, 2.3915062131893144e-09, 0.0, 2.2705893600000006e-15, 2.740103009280001e-09), {}),
        "wrdrv_default": ((3.42e-07, 5.760000000000001e-06, 1.9699200000000006e-12, 0.0, 1.1957531065946572e-09, 0.0, 4.541178720000001e-16, 1.3700515046400005e-09), {}),
        "sa_magic": ((1.0992857142857144e-06, 0.0001536, 1.6885028571428573e-10, 6.921251259620585e-13, 0.0, 1.7858584224000004e-13, 0.0, 1.9210464000000006e-09), {"cap_load": 1.100751e-15}),
        "sa_none": ((1.0992857142857144e-06, 0.0001536, 1.6885028571428573e-10, 1.8968520488185118e-12, 0.0, 1.4882153520000002e-14, 0.0, 9.605232000000003e-10), {}),
        "newsa": ((0.0027997960000000007, 0.0001536, 4.3004866560000007e-07, 3e-10, 0.0, 1.095168e-09, 0.0, 0.0), {}),
    },
}


def _assert_golden(observed: dict, golden_entry) -> None:
    base, extra = golden_entry
    for key, ref in dict(zip(BASE_KEYS, base), **extra).items():
        assert float(observed[key]) == pytest.approx(ref, rel=REL_TOL, abs=1e-30), key


@pytest.mark.parametrize(("config", "tag"), golden_cases(GOLDEN))
def test_builders_match_reference(config, tag):
    _assert_golden(SCENARIOS[tag](periphery_setup(config)), GOLDEN[config][tag])


# ---- properties -------------------------------------------------------------------------------

def test_models_are_immutable_and_name_their_actions():
    s = periphery_setup("sram22")
    m = precharger(_prech_spec(s, 128, 0.5, 128, 16), _env(s))
    assert set(m.actions) == {"precharge", "write"}
    with pytest.raises(TypeError):
        m.actions["precharge"] = None  # read-only mapping
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.area_m2 = 0.0
    with pytest.raises(TypeError):
        PrechargerSpec(128)  # keyword-only
    assert set(sram_write_driver(_wrdrv_spec(s, 8, 1.0), _env(s)).actions) == {"write"}
    assert set(sense_amp(_sa_spec(s, 8, 0.1, 8), _env(s)).actions) == {"sense"}


@settings(max_examples=25, deadline=None)
@given(config=st.sampled_from(sorted(CONFIGS)), num_col=st.integers(1, 512), shrink=st.floats(0.05, 1.0))
def test_folding_into_a_narrower_block_never_saves_area(config, num_col, shrink):
    s = periphery_setup(config)
    env = _env(s)
    for build, spec in ((precharger, _prech_spec(s, num_col, 0.5, 16, 16)), (sram_write_driver, _wrdrv_spec(s, num_col, 0.5))):
        flat = build(spec, env)
        width = max(flat.width_m * shrink, flat.width_m / num_col)  # at least one unit wide
        folded = build(dataclasses.replace(spec, fit_width_m=width), env)
        assert folded.width_m == width
        assert folded.area_m2 >= flat.area_m2 * (1 - 1e-12)
    with pytest.raises(ValueError, match="smaller than one column unit"):
        precharger(dataclasses.replace(_prech_spec(s, num_col, 0.5, 16, 16), fit_width_m=flat.width_m / num_col / 3), env)


@settings(max_examples=20, deadline=None)
@given(config=st.sampled_from(sorted(CONFIGS)), v1=st.floats(0.01, 0.3), v2=st.floats(0.01, 0.3))
def test_sense_amp_is_faster_for_larger_sense_voltage(config, v1, v2):
    s = periphery_setup(config)
    latency = {v: sense_amp(_sa_spec(s, 128, v, 128), _env(s)).cost("sense").latency_s for v in (v1, v2)}
    low, high = sorted((v1, v2))
    assert latency[high] <= latency[low]


@settings(max_examples=20, deadline=None)
@given(config=st.sampled_from(sorted(CONFIGS)), reads=st.lists(st.integers(0, 50), min_size=1, max_size=5))
def test_read_energies_are_priced_per_vector_by_the_evaluator(config, reads):
    """A sensing cycle (precharge + sense) used a per-vector number of times, through `arch.energy`."""
    s = periphery_setup(config)
    q = precharger(_prech_spec(s, 128, 0.5, 128, 16), _env(s))
    a = sense_amp(_sa_spec(s, 128, 0.1, 128), _env(s))
    macro = Macro("column", (Part("precharger", q, "adc"), Part("sense_amp", a, "adc")))
    times = np.array(reads, dtype=float)
    e = energy(macro, [Use("precharger", "precharge", times), Use("sense_amp", "sense", times)])
    np.testing.assert_allclose(e.adc, (q.cost("precharge").energy_j + a.cost("sense").energy_j) * times, rtol=1e-12)


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_precharger_write_energy_saturates_at_the_written_cells(config):
    s = periphery_setup(config)
    energies = [precharger(_prech_spec(s, 128, activity, 128, 16), _env(s)).cost("write").energy_j
                for activity in (0.05, 0.125, 0.5, 1.0)]  # 128 columns; at most 16 cells written per operation
    assert energies[0] < energies[1] == energies[2] == energies[3]


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_precharge_energy_is_the_charge_of_the_read_bit_lines(config):
    s = periphery_setup(config)
    vdd2 = s.tech.vdd ** 2
    for read_cols in (1, 16, 128, 1000):  # at most the 128 columns
        m = precharger(_prech_spec(s, 128, 0.5, read_cols, 16), _env(s))
        assert m.cost("precharge").energy_j == pytest.approx(s.cap_col * vdd2 * min(read_cols, 128), rel=1e-12)


def test_sram_new_sa_area_scales_with_levels_and_needs_a_width():
    s = periphery_setup("sram22")
    areas = [sram_new_sa(SramNewSaSpec(num_col=64, levels=levels, width_m=1e-4), _env(s)).area_m2
             for levels in (2, 9, 33)]
    assert areas[1] == pytest.approx(8 * areas[0]) and areas[2] == pytest.approx(32 * areas[0])
    with pytest.raises(ValueError, match="width"):
        sram_new_sa(SramNewSaSpec(num_col=64, levels=9, width_m=0.0), _env(s))

