"""Config composition (Hydra) and the typed, validated config objects of the pipeline.

The Hydra groups under ``conf/`` (device, tech, array, chip, network, train, data, sweep) are
composed in-process with ``hydra.compose``.  Each group is one frozen, declaratively validated
pydantic dataclass below: **every field carries its type and its physical or logical range**
(``Field(default, ge=..., le=...)``, ``Literal[...]`` for choices), checked when the config is
composed, before any stage or Snakemake job runs.  Rules between fields of one group live in the
group's ``validate(where)``; rules across groups in ``_cross_checks``.  The hardware groups together
become one ``neurosim_core.params.HardwareConfig``.

Every error is one line naming where the value came from (``conf/<group>/<option>.yaml``,
``conf/config.yaml`` or the override), the field, the value and what is allowed.

To add a field: add one line to its group, ``name: type = Field(default, ge=lo, le=hi)  # doc``
(or ``Literal["a", "b"] = "a"``); it is validated, accepted as an override (``group.name=...``)
and reported in errors with no further code.  A new top-level key goes into `FlowConfig`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
from dataclasses import fields
from pathlib import Path
from typing import Annotated, Any, Literal, Mapping, Sequence, Union, get_args, get_origin

from pydantic import ConfigDict, Field, ValidationError
from pydantic.dataclasses import dataclass

from neurosim_core.params import SUPPORTED_NODES_NM, ConfigError, HardwareConfig, resolve

from ..training.config import OnchipConf, OnchipDeviceConf  # on-chip training groups (pipeline/training)

CONF_DIR = Path(__file__).resolve().parents[2] / "conf"
GROUPS = ("device", "tech", "array", "chip", "network", "train", "data", "sweep", "onchip", "onchip_device")


class PipelineConfigError(ConfigError):
    """Bad configuration (one line: where, which field, what is allowed)."""


# Declarative field types (`pipeline.flow.confschema`): strict groups, finite `Real` numbers.
from .confschema import GROUP_CONFIG as _GROUP_CONFIG  # noqa: E402
from .confschema import Real, _not_bool, group  # noqa: E402,F401


def _check(cond: bool, where: str, name: str, value: Any, allowed: str) -> None:
    if not cond:
        raise PipelineConfigError(f"{where}: field '{name}' = {value!r} is not allowed; allowed: {allowed}")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


@group
class DeviceConf:
    mem_cell: Literal["sram", "rram", "fefet"] = "sram"
    access: Literal["cmos", "none"] = "cmos"  # cmos: 1T1R; none: crossbar
    resistance_on_ohm: Real = Field(100e3, ge=1e2, le=1e10)
    resistance_off_ohm: Real = Field(1.7e6, ge=1e2, le=1e10)  # > resistance_on_ohm
    read_voltage_v: Real | None = Field(None, gt=0, le=5)  # null: per-node default
    read_pulse_width_s: Real = Field(10e-9, gt=0, le=1e-3)
    access_voltage_v: Real = Field(1.1, gt=0, le=5)
    write_voltage_v: Real = Field(2.0, gt=0, le=10)
    min_sense_voltage_v: Real = Field(0.1, gt=0, le=1)
    cell_height_f: Real = Field(4.0, ge=1, le=1000)  # 1T1R cell height (feature sizes)
    cell_width_f: Real = Field(12.0, ge=1, le=1000)
    sram_cell_height_f: Real | None = Field(None, ge=1, le=1000)  # null: per-node default
    sram_cell_width_f: Real | None = Field(None, ge=1, le=1000)
    variation_sigma: Real = Field(0.0, ge=0, le=1)  # fraction of the conductance range
    drift_time_s: Real = Field(0.0, ge=0, le=1e10)  # 0: no drift
    drift_nu: Real = Field(0.0, ge=0, le=1)
    stuck_at_fraction: Real = Field(0.0, ge=0, le=1)

    def validate(self, where) -> None:
        _check(self.resistance_off_ohm > self.resistance_on_ohm, where("resistance_off_ohm"),
               "device.resistance_off_ohm", self.resistance_off_ohm,
               f"more than device.resistance_on_ohm ({self.resistance_on_ohm})")

    @property
    def on_off_ratio(self) -> float:
        return self.resistance_off_ohm / self.resistance_on_ohm


@group
class TechConf:
    node_nm: Literal[SUPPORTED_NODES_NM] = 22  # type: ignore[valid-type]
    roadmap: Literal["lstp", "hp"] = "lstp"
    temperature_k: int = Field(300, ge=300, le=400)

    def validate(self, where) -> None:
        pass


@group
class ArrayConf:
    rows: int = Field(128, ge=8, le=4096)  # subarray rows [numRowSubArray]
    cols: int = Field(128, ge=8, le=4096)  # subarray columns [numColSubArray]
    parallel_rows: int | None = Field(None, ge=1, le=4096)  # null: all rows / 1 (sequential); <= rows
    read_mode: Literal["parallel", "sequential"] = "parallel"
    col_mux: int = Field(8, ge=1, le=4096)  # columns sharing one ADC; divides cols
    adc_bits: int = Field(5, ge=1, le=8)
    adc_type: Literal["mlsa", "sar"] = "mlsa"
    adc_current_mode: bool = True
    adc_mode: Literal["linear", "nonlinear"] = "linear"
    cell_bit: int = Field(1, ge=1, le=8)  # bits per cell; 1 for SRAM; <= train.wl_weight

    def validate(self, where) -> None:
        if self.parallel_rows is not None:
            _check(self.parallel_rows <= self.rows, where("parallel_rows"), "array.parallel_rows",
                   self.parallel_rows, f"null or integers 1..array.rows ({self.rows})")
        _check(self.col_mux <= self.cols and self.cols % self.col_mux == 0, where("col_mux"), "array.col_mux",
               self.col_mux, f"integers dividing array.cols ({self.cols}), e.g. 1, 2, 4, 8")


@group
class ChipConf:
    global_bus: Literal["xy_bus", "htree"] = "xy_bus"
    global_buffer: Literal["register_file", "sram"] = "register_file"
    global_buffer_core_rows: int = Field(128, ge=8, le=4096)  # bits
    global_buffer_core_cols: int = Field(128, ge=8, le=4096)
    tile_buffer: Literal["register_file", "sram"] = "register_file"
    tile_buffer_core_rows: int = Field(32, ge=8, le=4096)
    tile_buffer_core_cols: int = Field(32, ge=8, le=4096)
    pe_buffer: Literal["register_file", "sram"] = "register_file"
    chip_activation: bool = True
    relu: bool = True
    novel_mapping: bool = True
    pipeline: bool = True
    speedup_degree: int = Field(8, ge=1, le=64)
    validated: bool = True
    synchronous: bool = True
    clk_freq_hz: Real = Field(1e9, ge=1e6, le=1e11)
    global_bus_delay_tolerance: Real = Field(0.1, gt=0, le=1)  # fraction of the clock period
    local_bus_delay_tolerance: Real = Field(0.1, gt=0, le=1)
    tree_folded_ratio: int = Field(4, ge=1, le=64)
    max_global_bus_width: int = Field(2048, ge=8, le=65536)  # bits
    input_toggle: Real = Field(0.18, ge=0, le=1)
    output_toggle: Real = Field(0.5, ge=0, le=1)
    average_row_activity: Real = Field(0.5, ge=0, le=1)  # estimate_mode=average: fraction of rows active
    average_cell_level: Real = Field(0.5, ge=0, le=1)  # estimate_mode=average: 0 (G_min) .. 1 (G_max)

    def validate(self, where) -> None:
        pass


@group
class NetworkConf:
    name: Literal["vgg8", "resnet18", "densenet40"] = "vgg8"
    width_mult: Real = Field(0.25, gt=0, le=4)

    def validate(self, where) -> None:
        pass


@group
class TrainConf:
    mode: Literal["wage", "fp"] = "wage"
    wl_weight: int = Field(8, ge=2, le=16)
    wl_activate: int = Field(8, ge=2, le=16)
    wl_grad: int = Field(8, ge=2, le=16)
    wl_error: int = Field(8, ge=2, le=16)
    max_steps: int = Field(300, ge=1, le=100_000_000)  # optimiser steps: the whole budget
    batch_size: int = Field(64, ge=1, le=65536)
    lr: Real = Field(0.01, gt=0, le=10)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    device: Literal["auto", "cpu", "cuda"] = "auto"
    threads: int = Field(1, ge=1, le=256)

    def validate(self, where) -> None:
        if self.device == "cuda" and os.environ.get("NEUROSIM_FLOW_REMOTE_GPU") != "1":
            import torch  # only for this check: composing stays light otherwise

            _check(torch.cuda.is_available(), where("device"), "train.device", self.device,
                   "auto, cpu (no CUDA GPU on this machine; on a cluster: --config train_gpu=true)")


#: images in each data set's splits (train, test)
DATA_SIZES = {"mnist_embedded": (50_000, 10_000), "cifar10": (50_000, 10_000)}


@group
class DataConf:
    name: Literal["mnist_embedded", "cifar10"] = "mnist_embedded"
    root: str | None = None  # cifar10: the local cifar-10-batches-py directory (or its parent)
    n_train: int | None = Field(None, ge=1, le=50_000)  # null: all training images
    n_test: int | None = Field(None, ge=1, le=10_000)  # null: all 10,000 test images

    def validate(self, where) -> None:
        if self.name == "cifar10":
            ok = isinstance(self.root, str) and self.root not in ("", "???")
            _check(ok, where("root"), "data.root", self.root, "the path of a local cifar-10-batches-py directory")
            root = Path(self.root).expanduser()
            found = any((d / "data_batch_1").is_file() and (d / "test_batch").is_file()
                        for d in (root, root / "cifar-10-batches-py"))
            _check(found, where("root"), "data.root", self.root,
                   "an existing cifar-10-batches-py directory (data_batch_1..5, test_batch) or its parent")


@group
class SweepConf:
    """A sweep file as Hydra sees it; `pipeline.dse.spec.load_spec` reads and validates it in full
    (one- or multi-parameter form, constraints, samples, Monte-Carlo seeds, chunking)."""
    name: str = "adc"
    param: str | None = None  # one-parameter form: a group (device, tech, ...) or group.field (array.adc_bits)
    values: tuple[Union[bool, int, float, str], ...] = ()
    # multi-parameter form (pipeline.dse.spec): params, base, constraints, sample, mc_seeds, chunk_size, radar
    params: dict[str, Any] | None = None
    base: tuple[str, ...] | str | None = None
    constraints: tuple[str, ...] | str | None = None
    sample: dict[str, Any] | None = None
    mc_seeds: int = Field(1, ge=1, le=10_000)
    accuracy: bool = True
    chunk_size: int | None = Field(None, ge=1)
    radar: tuple[dict[str, Any], ...] | None = None
    description: str = ""

    def validate(self, where) -> None:
        _check(bool(self.values) or bool(self.params), where("values"), "sweep.values", self.values,
               "a non-empty list (or a params: mapping, see pipeline/dse/spec.py)")
        if self.param is not None:
            head, _, field_name = self.param.partition(".")
            ok = head in _GROUP_TYPES and head != "sweep" and (
                not field_name or field_name in {f.name for f in fields(_GROUP_TYPES[head])})
            _check(ok, where("param"), "sweep.param", self.param,
                   "a config group (device, tech, ...) or group.field (e.g. array.adc_bits)")


#: the estimate's trace mode (DNN+NeuroSim, IEDM'19 Fig. 7), the estimator's `activity_mode`:
#: real: per-vector traces (NeuroSim's default); pseudo: one activity per layer measured from the
#: traces; average: chip.average_row_activity / chip.average_cell_level
ESTIMATE_MODES = ("real", "pseudo", "average")
#: deprecated spellings accepted with a warning
ESTIMATE_MODE_ALIASES = {"trace": "real"}


@dataclass(frozen=True, config=ConfigDict(strict=True, extra="forbid", arbitrary_types_allowed=True))
class FlowConfig:
    """The whole composed configuration, one typed object per concern; top-level keys validated too."""

    device: DeviceConf
    tech: TechConf
    array: ArrayConf
    chip: ChipConf
    network: NetworkConf
    train: TrainConf
    data: DataConf
    sweep: SweepConf
    results_dir: str = Field("results", min_length=1)  # relative to the working directory
    trace_images: int = Field(1, ge=1, le=10_000)  # test images whose activations become the traces
    estimate_mode: Literal["real", "pseudo", "average"] = "real"
    #: Monte-Carlo draw of the hardware-aware inference's device variation (0: the training seed's draw)
    mc_seed: int = Field(0, ge=0, le=1_000_000)
    overrides: tuple[str, ...] = ()
    #: reproduce a reference's numbers (neurosim_core.quirks), in the estimator and in hardware-aware inference
    compat: Literal["neurosim_v14", "neurosim_v21", "corrected"] = "neurosim_v14"
    onchip: OnchipConf = Field(default_factory=OnchipConf)
    onchip_device: OnchipDeviceConf = Field(default_factory=OnchipDeviceConf)

    def hardware(self) -> HardwareConfig:
        """The hardware-model config (NeuroSim's Param.cpp + argv) these groups describe."""
        d, t, a, c = self.device, self.tech, self.array, self.chip
        return HardwareConfig(
            operation_mode="conventional_parallel" if a.read_mode == "parallel" else "conventional_sequential",
            mem_cell=d.mem_cell, access=d.access, roadmap=t.roadmap, tech_node_nm=t.node_nm,
            temperature_k=t.temperature_k, clk_freq_hz=float(c.clk_freq_hz), synchronous=c.synchronous,
            synapse_bits=self.train.wl_weight, input_bits=self.train.wl_activate,
            num_row_subarray=a.rows, num_col_subarray=a.cols, num_row_parallel=a.parallel_rows,
            num_col_muxed=a.col_mux, level_output=2 ** a.adc_bits, cell_bit=a.cell_bit,
            adc_type=a.adc_type, current_mode=a.adc_current_mode,
            global_bus=c.global_bus, global_buffer=c.global_buffer,
            global_buffer_core_rows=c.global_buffer_core_rows, global_buffer_core_cols=c.global_buffer_core_cols,
            tile_buffer=c.tile_buffer, tile_buffer_core_rows=c.tile_buffer_core_rows,
            tile_buffer_core_cols=c.tile_buffer_core_cols, pe_buffer=c.pe_buffer,
            chip_activation=c.chip_activation, relu=c.relu, novel_mapping=c.novel_mapping, pipeline=c.pipeline,
            speedup_degree=c.speedup_degree, validated=c.validated,
            global_bus_delay_tolerance=c.global_bus_delay_tolerance,
            local_bus_delay_tolerance=c.local_bus_delay_tolerance, tree_folded_ratio=c.tree_folded_ratio,
            max_global_bus_width=c.max_global_bus_width, input_toggle=c.input_toggle,
            output_toggle=c.output_toggle,
            activity_mode=self.estimate_mode, compat=self.compat,
            average_row_activity=float(c.average_row_activity), average_cell_level=float(c.average_cell_level),
            resistance_on_ohm=float(d.resistance_on_ohm), resistance_off_ohm=float(d.resistance_off_ohm),
            read_voltage_v=d.read_voltage_v, read_pulse_width_s=float(d.read_pulse_width_s),
            access_voltage_v=float(d.access_voltage_v), write_voltage_v=float(d.write_voltage_v),
            min_sense_voltage_v=float(d.min_sense_voltage_v),
            height_in_feature_size_1t1r=float(d.cell_height_f), width_in_feature_size_1t1r=float(d.cell_width_f),
            height_in_feature_size_sram=d.sram_cell_height_f, width_in_feature_size_sram=d.sram_cell_width_f,
        )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_GROUP_TYPES = {"device": DeviceConf, "tech": TechConf, "array": ArrayConf, "chip": ChipConf,
                "network": NetworkConf, "train": TrainConf, "data": DataConf, "sweep": SweepConf,
                "onchip": OnchipConf, "onchip_device": OnchipDeviceConf}


def _group_options(group: str) -> list[str]:
    return sorted(p.stem for p in (CONF_DIR / group).glob("*.yaml"))


def _top_fields() -> set[str]:
    return {f.name for f in fields(FlowConfig)} - set(_GROUP_TYPES) - {"overrides"}


def _check_overrides(overrides: Sequence[str]) -> None:
    """Catch the common mistakes before Hydra, with a one-line message."""
    for ov in overrides:
        if "=" not in ov:
            raise PipelineConfigError(f"override '{ov}': expected key=value (e.g. array.adc_bits=4 or device=rram)")
        key, value = ov.split("=", 1)
        key = key.lstrip("+~")
        if key in _GROUP_TYPES:
            opts = _group_options(key)
            if value not in opts:
                raise PipelineConfigError(
                    f"override '{ov}': unknown option '{value}' for config group '{key}'; allowed: {', '.join(opts)}")
        else:
            head = key.split(".", 1)[0]
            top = _top_fields()
            if head not in _GROUP_TYPES and key not in top:
                raise PipelineConfigError(
                    f"override '{ov}': unknown key '{key}'; allowed: {', '.join(sorted(_GROUP_TYPES))}.<field> "
                    f"or {', '.join(sorted(top))}")
            if head in _GROUP_TYPES and "." in key:
                field_name = key.split(".", 1)[1]
                allowed = {f.name for f in fields(_GROUP_TYPES[head])}
                if field_name not in allowed:
                    raise PipelineConfigError(
                        f"override '{ov}': unknown field '{field_name}' in group '{head}'; allowed: "
                        f"{', '.join(sorted(allowed))}")


# --------------------------------------------------------------------------------------------
# Error messages: what a field allows, from its declaration; where a value came from.
# --------------------------------------------------------------------------------------------
def _fmt(x: Any) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float):
        return f"{x:g}"
    return str(x)


def allowed_text(cls, name: str) -> str:
    """What field ``name`` of ``cls`` allows, in words (from its type and declared range)."""
    info = cls.__pydantic_fields__[name]
    ann = info.annotation
    optional = False
    if get_origin(ann) in (Union, getattr(__import__("types"), "UnionType")):
        args = [a for a in get_args(ann) if a is not type(None)]
        optional = len(args) < len(get_args(ann))
        ann = args[0] if len(args) == 1 else ann
    if get_origin(ann) is Annotated:
        ann = get_args(ann)[0]
    bounds = {}
    for meta in list(info.metadata) + [m for a in get_args(info.annotation) for m in getattr(a, "__metadata__", ())]:
        for attr in ("ge", "gt", "le", "lt", "min_length"):
            if getattr(meta, attr, None) is not None:
                bounds[attr] = getattr(meta, attr)
    if get_origin(ann) is Literal:
        text = ", ".join(_fmt(a) for a in get_args(ann))
    elif ann is bool:
        text = "true, false"
    elif ann is int:
        lo, hi = bounds.get("ge"), bounds.get("le")
        text = (f"integers {_fmt(lo)}..{_fmt(hi)}" if lo is not None and hi is not None
                else f"integers >= {_fmt(lo)}" if lo is not None else "an integer")
    elif ann is float:
        lo = ("(" + _fmt(bounds["gt"])) if "gt" in bounds else ("[" + _fmt(bounds["ge"])) if "ge" in bounds else None
        hi = (_fmt(bounds["le"]) + "]") if "le" in bounds else (_fmt(bounds["lt"]) + ")") if "lt" in bounds else None
        text = f"a number in {lo}, {hi}" if lo and hi else "a finite number"
    elif ann is str:
        text = "a non-empty string" if bounds.get("min_length") else "a string"
    else:
        text = "a non-empty list" if bounds.get("min_length") else str(ann)
    return f"null or {text}" if optional else text


class _Sources:
    """Where each value of a composed config came from: the override that set it, or the file."""

    def __init__(self, overrides: Sequence[str], choices: Mapping[str, str]):
        self.overrides = list(overrides)
        self.choices = dict(choices)

    def __call__(self, group: str | None, name: str | None = None) -> str:
        dotted = f"{group}.{name}" if group and name else (name or group or "")
        for ov in reversed(self.overrides):
            key = ov.split("=", 1)[0].lstrip("+~")
            if key == dotted or (group and key == group and name is None):
                return f"override '{ov}'"
        if group is None:
            return "conf/config.yaml"
        option = self.choices.get(group)
        return f"conf/{group}/{option}.yaml" if option else f"conf/{group}"

    def where(self, group: str):
        return lambda name: self(group, name)


def _typed(cls, values: Mapping[str, Any], group: str | None, src: _Sources):
    """Build ``cls`` from ``values``; any bad field is one line naming its source and what is allowed."""
    prefix = f"{group}." if group else ""
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}  # YAML lists
    try:
        obj = cls(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "?"
        if err["type"] == "unexpected_keyword_argument" or name not in cls.__pydantic_fields__:
            known = sorted(cls.__pydantic_fields__) if group else sorted(_top_fields())
            raise PipelineConfigError(f"{src(group, None) if group else src(None)}: unknown field '{prefix}{name}'; "
                                      f"allowed fields: {', '.join(known)}") from None
        value = values.get(name, err.get("input"))
        raise PipelineConfigError(f"{src(group, name)}: field '{prefix}{name}' = {value!r} is not allowed; "
                                  f"allowed: {allowed_text(cls, name)}") from None
    if group:
        obj.validate(src.where(group))
    return obj


#: hardware-model field -> the pipeline field that sets it (for the model's own range checks)
_HW_FIELDS = {
    "mem_cell": "device.mem_cell", "access": "device.access", "roadmap": "tech.roadmap",
    "tech_node_nm": "tech.node_nm", "temperature_k": "tech.temperature_k", "clk_freq_hz": "chip.clk_freq_hz",
    "synapse_bits": "train.wl_weight", "input_bits": "train.wl_activate", "num_row_subarray": "array.rows",
    "num_col_subarray": "array.cols", "num_row_parallel": "array.parallel_rows", "num_col_muxed": "array.col_mux",
    "level_output": "array.adc_bits", "cell_bit": "array.cell_bit", "activity_mode": "estimate_mode",
    "resistance_on_ohm": "device.resistance_on_ohm", "resistance_off_ohm": "device.resistance_off_ohm",
}


def _cross_checks(flow: FlowConfig, src: _Sources) -> None:
    """Rules across groups (no silent wrong results)."""
    a, d, t = flow.array, flow.device, flow.train
    if d.mem_cell == "sram":
        # the estimator models 1-bit SRAM cells only; accuracy and report would say otherwise
        _check(a.cell_bit == 1, src("array", "cell_bit"), "array.cell_bit", a.cell_bit,
               "1 with device.mem_cell=sram (SRAM cells hold one bit; use an eNVM device for multi-bit cells)")
    else:
        _check(a.cell_bit <= t.wl_weight, src("array", "cell_bit"), "array.cell_bit", a.cell_bit,
               f"integers 1..train.wl_weight ({t.wl_weight})")
    if d.mem_cell == "rram":
        _check(flow.tech.node_nm >= 22, src("tech", "node_nm"), "tech.node_nm", flow.tech.node_nm,
               "130, 90, 65, 45, 32, 22 with device.mem_cell=rram (RRAM is modelled down to 22 nm)")
    if flow.tech.node_nm <= 14:
        _check(flow.tech.roadmap == "lstp", src("tech", "roadmap"), "tech.roadmap", flow.tech.roadmap,
               f"lstp at tech.node_nm={flow.tech.node_nm} (hp only at 22 nm and above)")
        _check(flow.tech.temperature_k == 300, src("tech", "temperature_k"), "tech.temperature_k",
               flow.tech.temperature_k, f"300 at tech.node_nm={flow.tech.node_nm}")
    n_test_max = DATA_SIZES[flow.data.name][1]
    _check(flow.trace_images <= (flow.data.n_test or n_test_max), src(None, "trace_images"), "trace_images",
           flow.trace_images, f"integers 1..data.n_test ({flow.data.n_test or n_test_max})")


def compose(overrides: Sequence[str] = (), conf_dir: Path | None = None) -> FlowConfig:
    """Compose ``conf/config.yaml`` with ``overrides`` and validate into a `FlowConfig`.

    Raises `PipelineConfigError` (one line) on any bad value, before anything runs."""
    from hydra import compose as hydra_compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf, open_dict

    overrides = [str(o) for o in overrides]
    _check_overrides(overrides)
    # a declared field absent from the chosen option's file (e.g. device.cell_height_f on sram) is
    # still a valid override: let Hydra add it ("++": override or add)
    hydra_overrides = [("++" + o) if not o.startswith(("+", "~")) and "." in o.split("=", 1)[0]
                       and o.split(".", 1)[0] in _GROUP_TYPES else o for o in overrides]
    conf_dir = Path(conf_dir or CONF_DIR).resolve()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(conf_dir), version_base="1.3"):
            cfg = hydra_compose(config_name="config", overrides=hydra_overrides, return_hydra_config=True)
    except Exception as exc:  # Hydra's own errors: keep them to one line
        msg = " ".join(str(exc).split())
        raise PipelineConfigError(f"config {conf_dir}/config.yaml with overrides {list(overrides)}: {msg}") from None
    finally:
        GlobalHydra.instance().clear()
    try:
        choices = {k: str(v) for k, v in OmegaConf.to_container(cfg.hydra.runtime.choices).items()}
        with open_dict(cfg):
            cfg.pop("hydra")
        raw = OmegaConf.to_container(cfg, resolve=True, throw_on_missing=False)
    except Exception as exc:
        raise PipelineConfigError(f"config: {' '.join(str(exc).split())}") from None
    src = _Sources(overrides, choices)
    groups = {}
    for name, typ in _GROUP_TYPES.items():
        values = raw.get(name)
        if values is not None and not isinstance(values, dict):
            raise PipelineConfigError(f"{src(name, None)}: group '{name}' must be a mapping of fields, got {values!r}")
        values = dict(values or {})
        groups[name] = _typed(typ, values, name, src)
    top = {k: v for k, v in raw.items() if k not in _GROUP_TYPES}
    mode = top.get("estimate_mode")
    if mode in ESTIMATE_MODE_ALIASES:
        import sys

        print(f"neurosim-flow: warning: {src(None, 'estimate_mode')}: estimate_mode={mode} is deprecated; "
              f"use estimate_mode={ESTIMATE_MODE_ALIASES[mode]} (the same mode)", file=sys.stderr)
        top["estimate_mode"] = ESTIMATE_MODE_ALIASES[mode]
    flow = _typed(FlowConfig, {**groups, **top, "overrides": tuple(overrides)}, None, src)
    _cross_checks(flow, src)
    try:
        resolve(flow.hardware(), source="hardware config")
    except ConfigError as exc:  # the model's own rules, in the pipeline's words
        msg = str(exc).split(": ", 1)[-1]
        for hw_name, ours in _HW_FIELDS.items():
            if f"field '{hw_name}'" in msg:
                group_name, _, fname = ours.rpartition(".")
                msg = msg.replace(f"field '{hw_name}'", f"field '{ours}'")
                raise PipelineConfigError(f"{src(group_name or None, fname)}: {msg}") from None
        raise PipelineConfigError(f"{src(None)} (overrides {overrides}): {msg}") from None
    return flow


# --------------------------------------------------------------------------------------------
# Stage slices: each stage's output path is keyed by the hash of only what it depends on.
# --------------------------------------------------------------------------------------------
def _digest(obj: Any) -> str:
    blob = json.dumps(obj, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


def format_value(v: Any) -> str:
    """A value as a sweep writes it into a Hydra override ``key=value`` (and into point labels):
    booleans as ``true``/``false``, large whole floats in short exponent form."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) >= 1e6:
        return f"{v:.6g}"
    return str(v)


#: fields that change how fast a stage runs, never what it computes: not part of any key
RESOURCE_FIELDS = {"train": ("threads",)}


def stage_slices(flow: FlowConfig) -> dict[str, dict[str, Any]]:
    """The config slice each stage depends on (upstream slices included by their keys).

    Each stage is keyed on what changes its result: training on the network, the training
    hyper-parameters (not ``train.threads``) and the training data (not ``data.n_test``, the number
    of test images inference evaluates); inference adds the test images and the array/device
    settings it simulates; traces the number of traced images; floorplan and estimate the hardware."""
    asd = dataclasses.asdict
    train_cfg = {k: v for k, v in asd(flow.train).items() if k not in RESOURCE_FIELDS["train"]}
    data_cfg = {k: v for k, v in asd(flow.data).items() if k != "n_test"}
    train = {"network": asd(flow.network), "train": train_cfg, "data": data_cfg}
    k_train = _digest(train)
    a, d = flow.array, flow.device
    infer = {"train_key": k_train, "n_test": flow.data.n_test, "array": {k: getattr(a, k) for k in (
        "rows", "parallel_rows", "read_mode", "adc_bits", "adc_mode", "cell_bit")}, "compat": flow.compat,
        "device": {k: getattr(d, k) for k in (
            "resistance_on_ohm", "resistance_off_ohm", "variation_sigma", "drift_time_s", "drift_nu",
            "stuck_at_fraction", "mem_cell")}}
    if flow.mc_seed:  # only a non-default draw changes the key (existing infer results stay valid)
        infer["mc_seed"] = flow.mc_seed
    traces = {"train_key": k_train, "trace_images": flow.trace_images}
    k_traces = _digest(traces)
    hw = asd(flow.hardware())
    floorplan = {"traces_key": k_traces, "hardware": {k: hw[k] for k in (
        "num_row_subarray", "num_col_subarray", "cell_bit", "mem_cell", "novel_mapping", "pipeline",
        "speedup_degree", "synapse_bits", "operation_mode", "num_col_muxed")}}
    estimate = {"traces_key": k_traces, "hardware": hw, "mode": flow.estimate_mode}
    k_infer, k_est = _digest(infer), _digest(estimate)
    report = {"estimate_key": k_est, "infer_key": k_infer}
    return {"train": train, "infer": infer, "traces": traces, "floorplan": floorplan,
            "estimate": estimate, "report": report}


def stage_keys(flow: FlowConfig) -> dict[str, str]:
    return {stage: _digest(s) for stage, s in stage_slices(flow).items()}
