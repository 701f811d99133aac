"""Training traces through Parquet and the ``neurosim-flow estimate-training`` command."""
from __future__ import annotations

import numpy as np

from neurosim_core.training.traces import load_training_npz_dir
from pipeline.cli import main
from pipeline.flow.schemas import write_table
from pipeline.flow.direct_training import table_to_train_traces, train_traces_to_table, v21_windows

from .conftest import TRACES21


def test_parquet_round_trip(tmp_path):
    traces = load_training_npz_dir(TRACES21)
    write_table(train_traces_to_table(traces), tmp_path / "train_traces.parquet")
    back = table_to_train_traces(tmp_path / "train_traces.parquet")
    for a, b in zip(traces, back):
        h, w, _, kh, kw, _, _, _ = a.net_row
        n = (h - kh + 1) * (w - kw + 1)
        assert a.name == b.name and a.net_row == b.net_row and a.activity == b.activity
        assert np.array_equal(a.weight_new, b.weight_new)
        assert np.allclose(a.weight_old, b.weight_old, atol=1e-7)  # the schema stores float32
        assert np.array_equal(a.input_q[:, :n], b.input_q)


def test_v21_windows_from_a_padded_im2col():
    # 4x4 input, 3x3 kernel, padding 1: the padded im2col has 16 windows; V2.1 keeps (i+1, j+1), i, j < 2
    x = np.arange(16)[None, :]
    assert v21_windows(x, (4, 4, 1, 3, 3, 1, 0, 1), 1).tolist() == [[5, 6, 9, 10]]


def test_cli_estimate_training(tmp_path, capsys):
    traces = load_training_npz_dir(TRACES21)
    write_table(train_traces_to_table(traces), tmp_path / "tr" / "train_traces.parquet")
    net = tmp_path / "net.csv"
    net.write_text("".join(",".join(map(str, t.net_row)) + "\n" for t in traces))
    rc = main(["estimate-training", "--network", str(net), "--traces", str(tmp_path / "tr"),
               "--set", "num_row_subarray=64", "--set", "num_col_subarray=64", "--set", "batch_size=10",
               "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert rc == 0 and "TOPS/W" in out and out.count("\n") >= 5
    assert (tmp_path / "out" / "training_chip.parquet").is_file()
    assert (tmp_path / "out" / "training_layers.csv").read_text().count("\n") == 4


def test_cli_rejects_unknown_field(capsys):
    rc = main(["estimate-training", "--network", "x.csv", "--traces", ".", "--set", "batchsize=3"])
    assert rc == 2 and "unknown field 'batchsize'" in capsys.readouterr().err
