"""train_traces.parquet: round trip and one-line errors."""
import numpy as np
import pyarrow as pa
import pytest

from pipeline.flow import schemas


def _layer(rng, name="Conv0_", rows=9, cols=4, windows=16):
    wq = rng.integers(-15, 16, size=(rows, cols))
    return {"epoch": 3, "name": name, "net_row": (4, 4, 1, 3, 3, cols, 0, 1), "padding": 1, "wbits": 5, "abits": 8,
            "weight_q": wq, "weight_old": (wq + rng.integers(-1, 2, size=wq.shape)) / 16 * 0.98 + 1e-3,
            "input_q": rng.integers(-128, 128, size=(rows, windows)), "activity": 0.25, "n_images": 2}


def test_train_traces_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    layers = [_layer(rng), _layer(rng, "FC0_", rows=36, cols=10, windows=1)]
    path = tmp_path / "train_traces.parquet"
    schemas.write_table(schemas.train_traces_to_table(layers), path)
    back = schemas.read_train_traces(path)
    assert [b["name"] for b in back] == ["Conv0_", "FC0_"]
    for a, b in zip(layers, back):
        np.testing.assert_array_equal(b["weight_q"], a["weight_q"])
        np.testing.assert_allclose(b["weight_new"], a["weight_q"] / 16)
        np.testing.assert_array_equal(b["weight_old"], np.asarray(a["weight_old"], np.float32).astype(np.float64))
        np.testing.assert_array_equal(b["input_q"], a["input_q"])
        assert b["net_row"] == tuple(a["net_row"]) and b["padding"] == 1 and b["epoch"] == 3
        assert b["activity"] == 0.25 and b["n_images"] == 2 and (b["wbits"], b["abits"]) == (5, 8)


def test_train_traces_bad_values_are_one_line_errors(tmp_path):
    rng = np.random.default_rng(1)
    bad = _layer(rng)
    bad["weight_q"] = bad["weight_q"].copy()
    bad["weight_q"][0, 0] = 16
    path = tmp_path / "t.parquet"
    schemas.write_table(schemas.train_traces_to_table([bad]), path)
    with pytest.raises(schemas.SchemaError, match="weight_q' outside"):
        schemas.read_train_traces(path)
    schemas.write_table(pa.table({"epoch": [1]}), path)
    with pytest.raises(schemas.SchemaError, match="missing column"):
        schemas.read_train_traces(path)
    with pytest.raises(schemas.SchemaError, match="disagree"):
        schemas.train_traces_to_table([dict(_layer(rng), weight_old=np.zeros((2, 2)))])
