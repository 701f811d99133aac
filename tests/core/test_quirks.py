"""The quirk registry: every entry is described in one line and used by the code that reproduces it."""
from __future__ import annotations

import pathlib
import re

import pytest

from neurosim_core import quirks

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _code_text() -> str:
    files = [*ROOT.joinpath("neurosim_core").rglob("*.py"), *ROOT.joinpath("pipeline").rglob("*.py")]
    return "\n".join(f.read_text() for f in files if f.name != "quirks.py")


def test_every_quirk_is_one_line_and_in_a_known_mode():
    for q in quirks.all_quirks():
        assert re.fullmatch(r"[a-z0-9_]+", q.name), q.name
        assert q.description and "\n" not in q.description, q.name
        assert q.versions and q.versions <= set(quirks.COMPAT_MODES) - {"corrected"}, q.name


def test_every_quirk_is_asked_for_by_the_code():
    text = _code_text()
    for q in quirks.all_quirks():
        assert f'"{q.name}"' in text or f"'{q.name}'" in text, f"quirk {q.name} is registered but never used"


def test_corrected_applies_nothing():
    assert quirks.active("corrected") == ()
    for q in quirks.all_quirks():
        assert not quirks.applies(q.name, "corrected")


def test_unknown_names_and_modes_are_refused():
    with pytest.raises(quirks.UnknownQuirk):
        quirks.applies("no_such_quirk", "neurosim_v14")
    with pytest.raises(ValueError, match="allowed: neurosim_v14, neurosim_v21, corrected"):
        quirks.active("v1.4")


def test_hardware_config_validates_compat():
    from neurosim_core.params import ConfigError, HardwareConfig, resolve

    with pytest.raises(ConfigError, match=r"field 'compat' = 'v1\.4' is not allowed; allowed: neurosim_v14, "
                                          r"neurosim_v21, corrected"):
        resolve(HardwareConfig(compat="v1.4"), source="hw.yaml")
    assert resolve(HardwareConfig()).compat == "neurosim_v14"
    assert resolve(HardwareConfig(compat="corrected")).compat == "corrected"


def test_corrected_consistent_counts():
    """Two corrected formulas checked directly (the full model under compat=corrected is
    tests/core/test_golden.py::test_corrected_model_runs)."""
    from neurosim_core.circuits.arithmetic import _tree_stages
    from neurosim_core.params import HardwareConfig, resolve

    assert list(_tree_stages(5, "neurosim_v14")) == [2, 1, 0]  # 5 -> 2 -> 1 -> 0: the odd operand is dropped
    assert list(_tree_stages(5, "corrected")) == [2, 1, 1]  # 5 -> 3 -> 2 -> 1
    cfg = HardwareConfig(mem_cell="rram", cell_bit=3)  # 3 cells per 8-bit weight, 8 columns per ADC
    assert resolve(cfg).synapses_per_mux == 2 and resolve(cfg.replace(compat="corrected")).synapses_per_mux == 3


def test_inverter_nmos_sidewall_uses_its_own_folds_when_corrected():
    """An NMOS-only gate (PMOS width 0), folded: V1.4 takes the sidewall parity of the (absent) PMOS's
    folding count, corrected of the NMOS's own."""
    from neurosim_core import constants as c
    from neurosim_core import formula
    from neurosim_core.tech import technology

    f = 22e-9
    v14 = formula.gate_capacitance(c.INV, 1, 40 * f, 0.0, 28 * f, technology(22))[1]
    fixed = formula.gate_capacitance(c.INV, 1, 40 * f, 0.0, 28 * f, technology(22, compat="corrected"))[1]
    assert v14 == pytest.approx(2.4775108e-16, rel=1e-6)  # the value V1.4's formula gives
    assert fixed == pytest.approx(3.5550920e-16, rel=1e-6)
    # no difference where both devices exist: the planar cell splits its height in the P/N width ratio,
    # so both fold equally often
    assert (formula.gate_capacitance(c.INV, 1, 10 * f, 40 * f, 28 * f, technology(22))
            == formula.gate_capacitance(c.INV, 1, 10 * f, 40 * f, 28 * f, technology(22, compat="corrected")))
