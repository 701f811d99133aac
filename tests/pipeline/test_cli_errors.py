"""Bad input through the user-facing entry points (`neurosim-flow`, `snakemake --config`): one line on
stderr naming the file or field and what is allowed, exit status 2 (Snakemake: non-zero), and no
stage output written (the checks run before any heavy work)."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.flow import schemas
from pipeline.cli import main
from pipeline.flow.config import compose, stage_keys

ROOT = Path(__file__).resolve().parents[2]


def _error_line(capsys, argv) -> str:
    """The error line; a `stage` command may log its start before it (progress, not the error)."""
    assert main(argv) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-1].startswith("neurosim-flow: error: ")
    assert all(" INFO " in line for line in lines[:-1])
    return lines[-1]


@pytest.mark.parametrize("argv, fragments", [
    (["config", "array.adc_bits=12"], ("override 'array.adc_bits=12'", "array.adc_bits", "allowed: integers 1..8")),
    (["config", "device=pcm2"], ("config group 'device'", "allowed: ecram, fefet, pcm, rram, sram")),
    (["config", "array.adcbits=4"], ("unknown field 'adcbits'", "adc_bits")),
    (["stage", "train", "train.lr=fast"], ("override 'train.lr=fast'", "'train.lr'", "a number in (0, 10]")),
])
def test_bad_override_is_one_line(capsys, argv, fragments):
    err = _error_line(capsys, argv)
    for f in fragments:
        assert f in err


def test_stage_without_upstream_names_the_missing_result(tmp_path, capsys):
    err = _error_line(capsys, ["stage", "floorplan", "--results", str(tmp_path)])
    key = stage_keys(compose())["traces"]
    assert f"traces/{key}" in err and "upstream stage 'traces' has no result" in err
    assert not (tmp_path / "floorplan").exists()


def test_corrupted_traces_parquet_fails_the_stage_naming_the_file(tmp_path, capsys):
    key = stage_keys(compose())["traces"]
    bad = tmp_path / "traces" / key / "traces.parquet"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"PAR1\x00garbage")
    err = _error_line(capsys, ["stage", "floorplan", "--results", str(tmp_path)])
    assert str(bad) in err and "not a readable Parquet file" in err
    assert not list((tmp_path / "floorplan").rglob("*.parquet"))


def _traces_dir(tmp_path):
    rng = np.random.default_rng(0)
    layer = {"name": "FC0", "net_row": (1, 1, 16, 1, 1, 4, 0, 1), "wbits": 8, "abits": 8,
             "weight_q": rng.integers(-127, 128, size=(16, 4)), "input_q": rng.integers(0, 128, size=(16, 1))}
    d = tmp_path / "traces"
    schemas.write_table(schemas.traces_to_table([layer]), d / "traces.parquet")
    return d


def test_malformed_network_file_is_one_line(tmp_path, capsys):
    net = tmp_path / "NetWork.csv"
    net.write_text("1,1,16,1,1\n")
    err = _error_line(capsys, ["estimate", "--network", str(net), "--traces", str(_traces_dir(tmp_path))])
    assert str(net) in err


def test_missing_traces_is_one_line(tmp_path, capsys):
    net = tmp_path / "NetWork.csv"
    net.write_text("1,1,16,1,1,4,0,1\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    err = _error_line(capsys, ["estimate", "--network", str(net), "--traces", str(empty)])
    assert str(empty) in err and "no traces found" in err
    err = _error_line(capsys, ["estimate", "--network", str(net), "--traces", str(tmp_path / "nope")])
    assert "traces directory not found" in err


def test_bad_hardware_field_in_direct_estimate(tmp_path, capsys):
    net = tmp_path / "NetWork.csv"
    net.write_text("1,1,16,1,1,4,0,1\n")
    err = _error_line(capsys, ["estimate", "--network", str(net), "--traces", str(_traces_dir(tmp_path)),
                               "--set", "adc_bitz=4"])
    assert "adc_bitz" in err


def test_snakemake_bad_override_fails_before_any_job(tmp_path):
    snakemake = Path(sys.executable).with_name("snakemake")
    proc = subprocess.run([str(snakemake), "-n", "--cores", "1", "-s", str(ROOT / "Snakefile"), "-d", str(tmp_path),
                           "--config", "overrides=[device=pcm2]"], capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    # one error line; the only other line is Snakemake's note that it applies profiles/default
    lines = proc.stderr.strip().splitlines()
    assert [line for line in lines if "error" in line] == lines[-1:] and len(lines) <= 2
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "unknown option 'pcm2' for config group 'device'; allowed: ecram, fefet, pcm, rram, sram, stt_mram" in proc.stderr
    assert not (tmp_path / "results").exists()
