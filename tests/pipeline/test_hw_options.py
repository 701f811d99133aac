"""Hardware-aware inference options reach HwInferConfig and only the stage keys that use them."""
import pytest

from neurosim_core.params import ConfigError
from pipeline.config import compose, stage_keys
from pipeline.stages import algo_configs


def test_adc_dummy_range_reaches_hw_inference_and_keys_only_infer_and_report():
    base, separate = compose([]), compose(["array.adc_dummy_range=separate"])
    assert any(getattr(c, "adc_dummy_range", None) == "separate" for c in algo_configs(separate))
    assert any(getattr(c, "adc_dummy_range", None) == "shared" for c in algo_configs(base))
    k0, k1 = stage_keys(base), stage_keys(separate)
    for stage in ("train", "traces", "floorplan", "estimate"):
        assert k0[stage] == k1[stage], stage
    assert k0["infer"] != k1["infer"] and k0["report"] != k1["report"]


def test_bad_adc_dummy_range_is_one_line():
    with pytest.raises(ConfigError) as err:
        compose(["array.adc_dummy_range=own"])
    assert "adc_dummy_range" in str(err.value) and "\n" not in str(err.value)
