"""Bad input, as a new user types it: every field of every config group and each case found by hand.

Each bad value is refused when the config is composed (before any stage or Snakemake job), in one
line naming where the value came from (the override or ``conf/<group>/<option>.yaml``), the field,
the value and what is allowed; through the command line with exit status 2 and no traceback.
The field cases are generated from the declared schema, so a new field is covered when it is added.
"""
import math
import subprocess
import sys
import typing
from pathlib import Path

import numpy as np
import pytest

from pipeline.flow import config as C
from pipeline.flow import schemas
from pipeline.cli import main
from pipeline.flow.config import PipelineConfigError, compose

ROOT = Path(__file__).resolve().parents[2]


def _fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v == int(v) and abs(v) < 1e15:
        return repr(v)
    return str(v)


def _bounds(cls, name):
    info = cls.__pydantic_fields__[name]
    b = {}
    metas = list(info.metadata) + [m for a in typing.get_args(info.annotation) for m in getattr(a, "__metadata__", ())]
    for m in metas:
        for attr in ("ge", "gt", "le", "lt"):
            if getattr(m, attr, None) is not None:
                b[attr] = getattr(m, attr)
    return b


def _kind(cls, name):
    ann = cls.__pydantic_fields__[name].annotation
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    if typing.get_origin(ann) in (typing.Union, __import__("types").UnionType) and len(args) == 1:
        ann = args[0]
    if typing.get_origin(ann) is typing.Annotated:
        ann = typing.get_args(ann)[0]
    if typing.get_origin(ann) is typing.Literal:
        return "choice"
    return {bool: "bool", int: "int", float: "float", str: "str"}.get(ann, "other")


def bad_values(cls, name):
    """Values a field must refuse: wrong type, just outside each declared bound, NaN for numbers."""
    kind, b = _kind(cls, name), _bounds(cls, name)
    if kind == "choice":
        return ["bogus_option", "999"]
    if kind == "bool":
        return ["3", "maybe"]
    out = ["abc"]
    if kind == "int":
        out.append("1.5")
        if "ge" in b:
            out.append(str(int(b["ge"]) - 1))
        if "le" in b:
            out.append(str(int(b["le"]) + 1))
    if kind == "float":
        out.append("nan")
        out.append("inf")
        if "ge" in b:
            out.append(_fmt(b["ge"] - max(abs(b["ge"]) * 0.5, 1e-3)))
        if "gt" in b:
            out.append(_fmt(b["gt"]))
        if "le" in b:
            out.append(_fmt(b["le"] * 10 + 1))
    return out


def _group_cases():
    for group, cls in C._GROUP_TYPES.items():
        for name in cls.__pydantic_fields__:
            kind = _kind(cls, name)
            if kind in ("str", "other"):  # free text (names, paths) and the sweep's value list: below
                continue
            for v in bad_values(cls, name):
                yield pytest.param(group, name, v, id=f"{group}.{name}={v}")


def _top_cases():
    for name in sorted(C._top_fields()):
        kind = _kind(C.FlowConfig, name)
        vals = [""] if kind == "str" else bad_values(C.FlowConfig, name)
        for v in vals:
            yield pytest.param(name, v, id=f"{name}={v}")


def _assert_one_line(msg: str, *fragments):
    assert "\n" not in msg and "Traceback" not in msg
    for f in fragments:
        assert f in msg, (f, msg)


def test_every_group_field_is_covered():
    """The generated cases reach every field of every group (the free-text ones are tested below)."""
    covered = {(g, n) for g, n, _ in (p.values for p in _group_cases())}
    free = {(g, n) for g, cls in C._GROUP_TYPES.items() for n in cls.__pydantic_fields__
            if _kind(cls, n) in ("str", "other")}
    # the multi-parameter sweep fields are free-form here and validated by pipeline.dse.spec (test_dse.py)
    assert free == {("data", "root"), ("sweep", "name"), ("sweep", "param"), ("sweep", "values"),
                    ("sweep", "description"), ("sweep", "sample"), ("sweep", "constraints"), ("sweep", "base"),
                    ("sweep", "params"), ("sweep", "radar"),
                    ("onchip", "lr_decay_epochs"), ("onchip_device", "name")}
    every = {(g, n) for g, cls in C._GROUP_TYPES.items() for n in cls.__pydantic_fields__}
    assert covered | free == every and len(every) > 70


@pytest.mark.parametrize("group, name, value", list(_group_cases()))
def test_every_field_refuses_a_bad_value_in_one_line(group, name, value):
    override = f"{group}.{name}={value}"
    with pytest.raises(PipelineConfigError) as err:
        compose([override])
    msg = str(err.value)
    _assert_one_line(msg, f"override '{override}'", f"field '{group}.{name}' = ", "allowed: ")


@pytest.mark.parametrize("name, value", list(_top_cases()))
def test_every_top_level_key_refuses_a_bad_value_in_one_line(name, value):
    with pytest.raises(PipelineConfigError) as err:
        compose([f"{name}={value}"])
    _assert_one_line(str(err.value), f"override '{name}={value}'", f"field '{name}' = ", "allowed: ")


@pytest.mark.parametrize("override, fragments", [
    # found by hand (issue 12): plausible numbers, internal-block messages or job-time failures before
    ("device.read_voltage_v=-1", ("field 'device.read_voltage_v' = -1", "null or a number in (0, 5]")),
    ("chip.global_bus_delay_tolerance=-5", ("field 'chip.global_bus_delay_tolerance' = -5", "(0, 1]")),
    ("trace_images=-3", ("field 'trace_images' = -3", "integers 1..10000")),
    ("trace_images=abc", ("field 'trace_images' = 'abc'", "integers 1..10000")),
    ("array.col_mux=1000", ("field 'array.col_mux' = 1000", "dividing array.cols (128)")),
    ("array.col_mux=3", ("field 'array.col_mux' = 3", "dividing array.cols (128)")),
    ("device.cell_height_f=-4", ("field 'device.cell_height_f' = -4", "[1, 1000]")),
    ("train.lr=-1", ("field 'train.lr' = -1", "(0, 10]")),
    ("train.lr=nan", ("field 'train.lr' = nan", "(0, 10]")),
    ("data.n_train=-5", ("field 'data.n_train' = -5", "null or integers 1..50000")),
    ("array.rows=1e9", ("field 'array.rows' = 1000000000.0", "integers 8..4096")),
    ("array.parallel_rows=256", ("field 'array.parallel_rows' = 256", "1..array.rows (128)")),
    ("device.resistance_off_ohm=5e4", ("field 'device.resistance_off_ohm' = 50000.0", "more than")),
    ("results_dir=", ("field 'results_dir' = ''", "a non-empty string")),
    # no silent wrong results
    ("array.cell_bit=4", ("field 'array.cell_bit' = 4", "1 with device.mem_cell=sram")),
    ("data.n_test=0", ("field 'data.n_test' = 0", "null or integers 1..10000")),
])
def test_issue_cases_are_refused_in_one_line(override, fragments):
    with pytest.raises(PipelineConfigError) as err:
        compose([override])
    _assert_one_line(str(err.value), f"override '{override}'", *fragments)


@pytest.mark.parametrize("overrides, fragments", [
    (["data=cifar10"], ("conf/data/cifar10.yaml: field 'data.root' = '???'",)),
    (["data=cifar10", "data.root=/nonexistent/cifar"], ("override 'data.root=/nonexistent/cifar'",
                                                        "an existing cifar-10-batches-py directory")),
    (["device=rram", "tech=n7"], ("conf/tech/n7.yaml: field 'tech.node_nm' = 7", "with device.mem_cell=rram")),
    (["device=rram", "train.wl_weight=4", "array.cell_bit=6"], ("field 'array.cell_bit' = 6",
                                                                "1..train.wl_weight (4)")),
    (["data.n_test=8", "trace_images=9"], ("field 'trace_images' = 9", "1..data.n_test (8)")),
    (["sweep.param=array.adcbits"], ("field 'sweep.param' = 'array.adcbits'", "group.field")),
    (["sweep.values=[]"], ("field 'sweep.values' = ()", "a non-empty list")),
])
def test_cross_field_and_file_cases(overrides, fragments):
    with pytest.raises(PipelineConfigError) as err:
        compose(overrides)
    _assert_one_line(str(err.value), *fragments)


def test_cuda_without_a_gpu_is_refused_before_any_job(monkeypatch):
    import torch

    monkeypatch.delenv("NEUROSIM_FLOW_REMOTE_GPU", raising=False)
    if torch.cuda.is_available():
        assert compose(["train.device=cuda"]).train.device == "cuda"
        return
    with pytest.raises(PipelineConfigError) as err:
        compose(["train.device=cuda"])
    _assert_one_line(str(err.value), "field 'train.device' = 'cuda'", "no CUDA GPU on this machine")
    monkeypatch.setenv("NEUROSIM_FLOW_REMOTE_GPU", "1")  # a cluster's GPU node will train it
    assert compose(["train.device=cuda"]).train.device == "cuda"


def test_good_values_at_the_declared_bounds_are_accepted():
    """The ranges are not stricter than they say: each inclusive bound composes."""
    for group, cls in C._GROUP_TYPES.items():
        for name in cls.__pydantic_fields__:
            b = _bounds(cls, name)
            for attr in ("ge", "le"):
                if attr in b and _kind(cls, name) in ("int", "float"):
                    v = b[attr]
                    if (group, name) == ("array", "rows") and attr == "le":
                        ovs = [f"array.rows={int(v)}", f"array.cols={int(v)}"]
                    elif (group, name) in (("array", "parallel_rows"),) and attr == "le":
                        ovs = ["array.rows=4096", f"array.parallel_rows={int(v)}"]
                    elif (group, name) == ("array", "col_mux") and attr == "le":
                        ovs = ["array.cols=4096", f"array.col_mux={int(v)}"]
                    elif (group, name) == ("array", "cell_bit"):
                        ovs = ["device=rram", f"array.cell_bit={int(v)}"]
                    elif (group, name) == ("device", "resistance_on_ohm") and attr == "le":
                        continue  # must stay below resistance_off_ohm (tested above)
                    elif (group, name) == ("device", "resistance_off_ohm") and attr == "ge":
                        continue
                    elif (group, name) == ("tech", "temperature_k") and attr == "le":
                        ovs = ["tech=n22", f"tech.temperature_k={int(v)}"]
                    elif (group, name) == ("train", "wl_weight") and attr == "ge":
                        ovs = [f"train.wl_weight={int(v)}"]
                    else:
                        ovs = [f"{group}.{name}={_fmt(v)}"]
                    compose(ovs)  # no error


# ---- through the command line: exit status 2, one line, no traceback, nothing written -------------------
def _cli(capsys, argv):
    rc = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    return rc, err


@pytest.mark.parametrize("argv", [
    ["config", "trace_images=abc"],
    ["config", "array.col_mux=1000"],
    ["config", "device.cell_height_f=-4"],
    ["config", "data.n_test=0"],
])
def test_cli_config_errors_exit_2_in_one_line(capsys, argv):
    rc, err = _cli(capsys, argv)
    assert rc == 2 and len(err) == 1 and err[0].startswith("neurosim-flow: error: ")


def test_cli_process_prints_no_traceback():
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "config", "train.lr=nan"], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        "neurosim-flow: error: override 'train.lr=nan': field 'train.lr' = nan is not allowed; "
        "allowed: a number in (0, 10]"]


def test_read_only_results_dir_is_one_line(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if __import__("os").access(ro, __import__("os").W_OK):
            pytest.skip("running as a user that may write anywhere (root): the check cannot trigger")
        rc, err = _cli(capsys, ["stage", "train", "--results", str(ro / "results")])
        assert rc == 2 and err[-1].startswith("neurosim-flow: error: ") and "not writable" in err[-1]
    finally:
        ro.chmod(0o755)


def test_results_dir_that_is_a_file_is_one_line(tmp_path, capsys):
    f = tmp_path / "results"
    f.write_text("not a directory")
    rc, err = _cli(capsys, ["stage", "train", "--results", str(f)])
    assert rc == 2 and err[-1].startswith("neurosim-flow: error: ") and "is a file, not a directory" in err[-1]
    assert f.read_text() == "not a directory"


def _traces_dir(tmp_path, wbits=8, abits=8):
    """A small conv + FC network with random codes of the given precision, as the traces stage writes it."""
    rng = np.random.default_rng(0)
    w, a = 2 ** (wbits - 1), 2 ** (abits - 1)
    layers = [{"name": "Conv0", "net_row": (16, 16, 32, 3, 3, 64, 1, 1), "wbits": wbits, "abits": abits,
               "weight_q": rng.integers(-w + 1, w, size=(288, 64)), "input_q": rng.integers(0, a, size=(288, 256))},
              {"name": "FC0", "net_row": (1, 1, 4096, 1, 1, 10, 0, 1), "wbits": wbits, "abits": abits,
               "weight_q": rng.integers(-w + 1, w, size=(4096, 10)), "input_q": rng.integers(0, a, size=(4096, 1))}]
    d = tmp_path / "traces"
    schemas.write_table(schemas.traces_to_table(layers), d / "traces.parquet")
    net = tmp_path / "NetWork.csv"
    net.write_text("16,16,32,3,3,64,1,1\n1,1,4096,1,1,10,0,1\n")
    return net, d


def test_estimate_refuses_a_precision_the_traces_do_not_have(tmp_path, capsys):
    net, d = _traces_dir(tmp_path)
    rc, err = _cli(capsys, ["estimate", "--network", str(net), "--traces", str(d), "--set", "synapse_bits=4"])
    assert rc == 2 and len(err) == 1
    _assert_one_line(err[0], "--set synapse_bits=4 does not match the weight precision stored in the traces",
                     "allowed: 8")
    rc, err = _cli(capsys, ["estimate", "--network", str(net), "--traces", str(d), "--set", "input_bits=6"])
    assert rc == 2 and "input_bits=6" in err[0] and "allowed: 8" in err[0]


def test_estimate_refuses_multi_bit_sram_cells(tmp_path, capsys):
    net, d = _traces_dir(tmp_path)
    rc, err = _cli(capsys, ["estimate", "--network", str(net), "--traces", str(d), "--set", "cell_bit=4"])
    assert rc == 2 and len(err) == 1 and "--set cell_bit=4 is not allowed with mem_cell=sram; allowed: 1" in err[0]


def test_estimate_takes_the_traces_precision_when_not_set(tmp_path, capsys):
    net, d = _traces_dir(tmp_path, wbits=4, abits=4)
    out = tmp_path / "out"
    assert main(["estimate", "--network", str(net), "--traces", str(d), "--out", str(out)]) == 0
    assert (out / "chip.parquet").is_file()
    # the same traces estimated as if they were 8-bit: a different (wrong) chip, which is now refused
    rc = main(["estimate", "--network", str(net), "--traces", str(d), "--set", "synapse_bits=8"])
    assert rc == 2 and "allowed: 4" in capsys.readouterr().err


def test_estimate_out_onto_an_existing_file_is_one_line(tmp_path, capsys):
    net, d = _traces_dir(tmp_path)
    f = tmp_path / "chip.csv"
    f.write_text("keep me")
    rc, err = _cli(capsys, ["estimate", "--network", str(net), "--traces", str(d), "--out", str(f)])
    assert rc == 2 and len(err) == 1 and "is an existing file; give a directory" in err[0]
    assert f.read_text() == "keep me"


def test_sweep_value_errors_name_the_sweep_file():
    from pipeline.flow.plan import Plan

    with pytest.raises(PipelineConfigError) as err:  # the sweep file is validated when the plan is built
        Plan.build(["sweep.values=[4,99]"], sweep_names=("adc",)).sweep_inputs("adc")
    _assert_one_line(str(err.value), "conf/sweep/adc.yaml: array.adc_bits=99", "field 'array.adc_bits' = 99",
                     "integers 1..8")
    assert "conf/array" not in str(err.value)


def test_sweep_file_with_a_bad_value_names_the_file(tmp_path, monkeypatch):
    """A bad value written into a sweep file (a copy of conf/ with conf/sweep/adc.yaml edited)."""
    import shutil

    from pipeline.flow import plan as P

    conf = tmp_path / "conf"
    shutil.copytree(C.CONF_DIR, conf)
    (conf / "sweep" / "adc.yaml").write_text("name: adc\nparam: array.adc_bits\nvalues: [3, 12]\n")
    monkeypatch.setattr(C, "CONF_DIR", conf)
    P._compose_cached.cache_clear()
    P._keys_cached.cache_clear()
    try:
        with pytest.raises(PipelineConfigError) as err:  # validated when the plan is built
            P.Plan.build([], sweep_names=("adc",)).sweep_inputs("adc")
        _assert_one_line(str(err.value), "conf/sweep/adc.yaml: array.adc_bits=12", "integers 1..8")
        (conf / "sweep" / "adc.yaml").write_text("name: adc\nparam: array.adcbits\nvalues: [3]\n")
        P._compose_cached.cache_clear()
        with pytest.raises(PipelineConfigError) as err:
            P.Plan.build([], sweep_names=("adc",))
        _assert_one_line(str(err.value), "conf/sweep/adc.yaml", "field 'sweep.param' = 'array.adcbits'")
    finally:
        P._compose_cached.cache_clear()
        P._keys_cached.cache_clear()


def test_snakemake_bad_field_exits_2_with_one_error_line_before_any_job(tmp_path):
    snakemake = Path(sys.executable).with_name("snakemake")
    proc = subprocess.run([str(snakemake), "--cores", "1", "-s", str(ROOT / "Snakefile"), "-d", str(tmp_path),
                           "--config", "overrides=[array.col_mux=1000]"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if "error" in line.lower()]
    assert errors == ["neurosim-flow: error: override 'array.col_mux=1000': field 'array.col_mux' = 1000 is not "
                      "allowed; allowed: integers dividing array.cols (128), e.g. 1, 2, 4, 8"]
    assert "Traceback" not in proc.stderr and not (tmp_path / "results").exists()


def test_subarray_too_large_for_the_network_is_refused_before_training(tmp_path):
    """array.rows within its range but larger than the network's PEs: refused at DAG time (one line),
    not by the floorplan job after training; the layer table is cached for the next parse."""
    from pipeline.flow.precheck import check_floorplan

    check_floorplan(compose([]), tmp_path)
    assert list((tmp_path / ".cache" / "network").glob("*.csv"))
    with pytest.raises(PipelineConfigError) as err:
        check_floorplan(compose(["array.rows=1024"]), tmp_path)
    _assert_one_line(str(err.value), "override 'array.rows=1024': field 'array.rows' = 1024 does not fit network "
                                     "'vgg8'", "decrease array.rows")
    snakemake = Path(sys.executable).with_name("snakemake")
    proc = subprocess.run([str(snakemake), "--cores", "1", "-s", str(ROOT / "Snakefile"), "-d", str(tmp_path),
                           "--config", "overrides=[array.rows=1024]"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert [line for line in proc.stderr.splitlines() if "error" in line][0].startswith(
        "neurosim-flow: error: override 'array.rows=1024': field 'array.rows' = 1024 does not fit")
    assert not list((tmp_path / "results").glob("train/*"))
