"""Config composition, validation, and stage-key hashing."""
import dataclasses

import pytest

from neurosim_core.params import ConfigError
from pipeline.flow.config import compose, stage_keys, stage_slices


def test_default_composes_to_neurosim_defaults():
    flow = compose()
    hw = flow.hardware()
    assert (hw.mem_cell, hw.tech_node_nm, hw.roadmap) == ("sram", 22, "lstp")
    assert (hw.num_row_subarray, hw.num_col_subarray, hw.num_col_muxed) == (128, 128, 8)
    assert hw.level_output == 32 and hw.adc_type == "mlsa" and hw.current_mode
    assert hw.novel_mapping and hw.pipeline and hw.global_bus == "xy_bus"
    assert (hw.synapse_bits, hw.input_bits) == (8, 8)


def test_overrides_reach_the_typed_objects():
    flow = compose(["array.adc_bits=4", "device=rram", "tech=n32", "chip.global_bus=htree"])
    hw = flow.hardware()
    assert hw.level_output == 16 and hw.mem_cell == "rram" and hw.tech_node_nm == 32
    assert hw.global_bus == "htree"
    assert flow.overrides == ("array.adc_bits=4", "device=rram", "tech=n32", "chip.global_bus=htree")


@pytest.mark.parametrize("overrides, fragment", [
    (["array.adc_bits=12"], "field 'array.adc_bits' = 12 is not allowed; allowed: integers 1..8"),
    (["device=foo"], "unknown option 'foo' for config group 'device'; allowed: ecram, fefet, pcm, rram, sram"),
    (["array.foo=1"], "unknown field 'foo' in group 'array'"),
    (["tech=n7", "device=rram"], "conf/tech/n7.yaml: field 'tech.node_nm' = 7 is not allowed; allowed: 130, 90"),
    (["bogus=1"], "unknown key 'bogus'"),
    (["adc_bits"], "expected key=value"),
    (["chip.global_bus=ring"], "field 'chip.global_bus' = 'ring' is not allowed; allowed: xy_bus, htree"),
    (["data=cifar10"], "conf/data/cifar10.yaml: field 'data.root' = '???'"),
])
def test_bad_config_is_one_line_naming_field_and_allowed(overrides, fragment):
    with pytest.raises(ConfigError) as err:
        compose(overrides)
    msg = str(err.value)
    assert fragment in msg
    assert "\n" not in msg


def test_changing_adc_bits_changes_only_dependent_keys():
    base, changed = stage_keys(compose()), stage_keys(compose(["array.adc_bits=4"]))
    same = {s for s in base if base[s] == changed[s]}
    assert same == {"train", "traces", "floorplan"}
    assert {s for s in base if base[s] != changed[s]} == {"infer", "estimate", "report"}


def test_changing_training_changes_every_key():
    base, changed = stage_keys(compose()), stage_keys(compose(["train.max_steps=10"]))
    assert all(base[s] != changed[s] for s in base)


def test_device_change_keeps_training():
    base, changed = stage_keys(compose()), stage_keys(compose(["device=rram"]))
    assert base["train"] == changed["train"] and base["traces"] == changed["traces"]
    assert base["estimate"] != changed["estimate"]


def test_slices_are_minimal_for_training():
    s = stage_slices(compose())["train"]
    assert set(s) == {"network", "train", "data"}
    assert "threads" not in s["train"] and "n_test" not in s["data"]


def test_test_images_and_threads_do_not_retrain():
    """data.n_test changes what inference evaluates, not the model; train.threads only the speed."""
    base = stage_keys(compose())
    n_test, threads = stage_keys(compose(["data.n_test=64"])), stage_keys(compose(["train.threads=2"]))
    assert {s for s in base if base[s] != n_test[s]} == {"infer", "report"}
    assert threads == base


@pytest.mark.parametrize("group", ["device", "tech", "array", "chip", "network", "train", "sweep"])
def test_every_group_option_composes(group):
    from pipeline.flow.config import _group_options

    for option in _group_options(group):
        flow = compose([f"{group}={option}"])
        assert flow.device.resistance_off_ohm > flow.device.resistance_on_ohm > 0


@pytest.mark.parametrize("override, fragment", [
    ("train.lr=fast", "field 'train.lr' = 'fast' is not allowed; allowed: a number in (0, 10]"),
    ("train.max_steps=1.5", "field 'train.max_steps' = 1.5 is not allowed; allowed: integers 1..100000000"),
    ("chip.pipeline=3", "field 'chip.pipeline' = 3 is not allowed; allowed: true, false"),
    ("device.resistance_on_ohm=low", "field 'device.resistance_on_ohm' = 'low' is not allowed; allowed: a number in [100, 1e+10]"),
])
def test_mistyped_field_is_one_line(override, fragment):
    with pytest.raises(ConfigError) as err:
        compose([override])
    assert fragment in str(err.value) and "\n" not in str(err.value)
