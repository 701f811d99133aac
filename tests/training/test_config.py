"""onchip / onchip_device groups and training sweep files: validated on load, one-line errors."""
import pytest

from pipeline.flow.config import PipelineConfigError, compose
from pipeline.training.plan import load_sweep, training_overrides


def test_presets_compose():
    for name, ltp, ltd in (("fefet", 1.75, 1.46), ("rram", 4.22, -4.22), ("ideal", 0.0, 0.0)):
        d = compose([f"onchip_device={name}"]).onchip_device
        assert (d.name, d.nonlinearity_ltp, d.nonlinearity_ltd) == (name, ltp, ltd)
    o = compose(["onchip=cifar10_full"]).onchip
    assert (o.wl_weight, o.wl_grad, o.wl_activate, o.wl_error, o.batch_size, o.epochs) == (5, 5, 8, 8, 200, 256)
    assert o.lr_decay_epochs == (200, 250) and o.traced_epochs()[-1] == 255


@pytest.mark.parametrize("override,field", [
    ("onchip.epochs=0", "epochs"), ("onchip.wl_weight=1", "wl_weight"), ("onchip.device=tpu", "device"),
    ("onchip_device.nonlinearity_ltp=12", "nonlinearity_ltp"), ("onchip_device.max_level=1", "max_level"),
    ("onchip_device.c2c_sigma=-0.1", "c2c_sigma"), ("onchip.image_size=20", "image_size"),
])
def test_bad_values_are_one_line_errors(override, field):
    with pytest.raises(PipelineConfigError) as exc:
        compose([override])
    msg = str(exc.value)
    assert "\n" not in msg and field in msg and "allowed" in msg


def test_training_sweep_points_and_errors(tmp_path, monkeypatch):
    points = load_sweep("nl", training_overrides(()))
    assert len(points) >= 2 and all(p[1][0] == "device=fefet" for p in points)
    assert points[0][0].startswith("nonlinearity_ltp=")
    with pytest.raises(PipelineConfigError, match="no such training sweep"):
        load_sweep("nope")
    import pipeline.training.plan as plan
    monkeypatch.setattr(plan, "SWEEP_DIR", tmp_path)
    (tmp_path / "bad.yaml").write_text("param: onchip_device.max_level\nvalues: [32, 1]\n")
    with pytest.raises(PipelineConfigError, match="max_level"):
        load_sweep("bad")
    (tmp_path / "typo.yaml").write_text("parm: x\nvalues: [1]\n")
    with pytest.raises(PipelineConfigError, match="unknown field 'parm'"):
        load_sweep("typo")
