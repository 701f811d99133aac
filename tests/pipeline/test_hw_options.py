"""The product-wide ``compat`` switch reaches HwInferConfig (and the estimator's HardwareConfig where
it has the field) and only the stage keys that use it."""
import dataclasses

import pytest

from neurosim_core.params import ConfigError, HardwareConfig
from pipeline.flow.config import compose, stage_keys
from pipeline.flow.stages import algo_configs


def test_compat_reaches_hw_inference_and_keys_only_the_stages_that_use_it():
    base, corrected = compose([]), compose(["compat=corrected"])
    assert base.compat == "neurosim_v14"                                  # the product default
    assert algo_configs(base)[3].compat == "neurosim_v14"
    assert algo_configs(corrected)[3].compat == "corrected"
    k0, k1 = stage_keys(base), stage_keys(corrected)
    for stage in ("train", "traces", "floorplan"):
        assert k0[stage] == k1[stage], stage
    assert k0["infer"] != k1["infer"] and k0["report"] != k1["report"]
    if "compat" in {f.name for f in dataclasses.fields(HardwareConfig)}:
        assert corrected.hardware().compat == "corrected"
        assert k0["estimate"] != k1["estimate"]


def test_bad_compat_is_one_line():
    with pytest.raises(ConfigError) as err:
        compose(["compat=v1.4"])
    assert "compat" in str(err.value) and "neurosim_v14" in str(err.value) and "\n" not in str(err.value)
