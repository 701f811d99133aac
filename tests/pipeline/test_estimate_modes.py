"""The estimate mode (real traces / pseudo-traces / average activity, IEDM'19 Fig. 7) from the
config down to the hardware model, and the stage keys it touches."""
import pytest

from neurosim_core.params import ConfigError
from pipeline.config import compose, stage_keys


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
