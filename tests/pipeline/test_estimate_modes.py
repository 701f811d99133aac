"""The estimate mode (real traces / pseudo-traces / average activity, IEDM'19 Fig. 7) from the
config down to the hardware model, and the stage keys it touches."""
import pytest

from neurosim_core.params import ConfigError
from pipeline.flow.config import compose, stage_keys


def test_estimate_modes_reach_the_hardware_config_and_only_the_estimate_keys():
    base = compose([])
    assert base.hardware().activity_mode == "real"
    pseudo = compose(["estimate_mode=pseudo"])
    assert pseudo.hardware().activity_mode == "pseudo"
    average = compose(["estimate_mode=average", "chip.average_row_activity=0.2", "chip.average_cell_level=0.7"])
    hw = average.hardware()
    assert (hw.activity_mode, hw.average_row_activity, hw.average_cell_level) == ("average", 0.2, 0.7)
    k0, k1 = stage_keys(base), stage_keys(pseudo)
    for stage in ("train", "infer", "traces"):
        assert k0[stage] == k1[stage], stage
    assert k0["estimate"] != k1["estimate"]


@pytest.mark.parametrize("override,field", [("estimate_mode=mean", "estimate_mode"),
                                            ("chip.average_row_activity=1.5", "average_row_activity")])
def test_bad_estimate_mode_options_fail_in_one_line(override, field):
    with pytest.raises(ConfigError) as err:
        compose([override])
    assert field in str(err.value) and "\n" not in str(err.value)


def test_one_vocabulary_real_with_trace_as_a_deprecated_alias(capsys):
    """The pipeline and the estimator both call per-vector traces `real`; `trace` (the pipeline's old
    name) still works, warns in one line and is the same design point (same keys)."""
    real = compose(["estimate_mode=real"])
    assert real.estimate_mode == "real" and compose([]).estimate_mode == "real"
    old = compose(["estimate_mode=trace"])
    assert old.estimate_mode == "real" and stage_keys(old) == stage_keys(real)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "estimate_mode=trace is deprecated; use estimate_mode=real" in err[0]
    with pytest.raises(ConfigError) as bad:
        compose(["estimate_mode=mean"])
    assert "allowed: real, pseudo, average" in str(bad.value)
