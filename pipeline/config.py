"""Config composition (Hydra) and the typed, validated config objects of the pipeline.

The Hydra groups under ``conf/`` (device, tech, array, chip, network, train, data, sweep) are
composed in-process with ``hydra.compose``.  Each group becomes one frozen dataclass; the
hardware groups together become one ``neurosim_core.params.HardwareConfig``.  Every error is a
single line naming the file (or override), the field and the allowed values.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping, Sequence

from neurosim_core.params import ConfigError, HardwareConfig, resolve
from neurosim_core.quirks import COMPAT_MODES, DEFAULT_COMPAT

from .training.config import OnchipConf, OnchipDeviceConf  # on-chip training groups (pipeline/training)

CONF_DIR = Path(__file__).resolve().parent.parent / "conf"
GROUPS = ("device", "tech", "array", "chip", "network", "train", "data", "sweep", "onchip", "onchip_device")


class PipelineConfigError(ConfigError):
    """Bad configuration (one line: where, which field, what is allowed)."""


def _typed(cls, values: Mapping[str, Any], where: str):
    """Build dataclass ``cls`` from ``values``; unknown or mistyped fields are one-line errors."""
    known = {f.name: f for f in fields(cls)}
    for key in values:
        if key not in known:
            raise PipelineConfigError(
                f"{where}: unknown field '{key}'; allowed fields: {', '.join(sorted(known))}")
    for key, value in values.items():
        _check_type(known[key], value, where)
    obj = cls(**dict(values))
    obj.validate(where)
    return obj


def _check_type(fld, value: Any, where: str) -> None:
    """Scalar fields must hold their annotated type (YAML may spell a float as '1e9': accepted)."""
    kinds = {k.strip() for k in str(fld.type).split("|")}
    if value is None:
        _check("None" in kinds, where, fld.name, value, f"a value of type {fld.type}")
        return
    if "float" in kinds:
        try:
            ok = not isinstance(value, bool) and isinstance(float(value), float)
        except (TypeError, ValueError):
            ok = False
        _check(ok, where, fld.name, value, "a number")
    elif "int" in kinds:
        _check(_is_int(value), where, fld.name, value, "an integer")
    elif "bool" in kinds:
        _check(isinstance(value, bool), where, fld.name, value, "true, false")
    elif "str" in kinds:
        _check(isinstance(value, str), where, fld.name, value, "a string")


def _check(cond: bool, where: str, name: str, value: Any, allowed: str) -> None:
    if not cond:
        raise PipelineConfigError(f"{where}: field '{name}' = {value!r} is not allowed; allowed: {allowed}")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


@dataclass(frozen=True)
class DeviceConf:
    mem_cell: str = "sram"
    access: str = "cmos"
    resistance_on_ohm: float = 100e3
    resistance_off_ohm: float = 1.7e6
    read_voltage_v: float | None = None
    read_pulse_width_s: float = 10e-9
    access_voltage_v: float = 1.1
    write_voltage_v: float = 2.0
    min_sense_voltage_v: float = 0.1
    cell_height_f: float = 4.0
    cell_width_f: float = 12.0
    sram_cell_height_f: float | None = None
    sram_cell_width_f: float | None = None
    variation_sigma: float = 0.0
    drift_time_s: float = 0.0
    drift_nu: float = 0.0
    stuck_at_fraction: float = 0.0

    def validate(self, where: str) -> None:
        _check(self.mem_cell in ("sram", "rram", "fefet"), where, "mem_cell", self.mem_cell, "sram, rram, fefet")
        _check(self.access in ("cmos", "none"), where, "access", self.access, "cmos, none")
        for name in ("variation_sigma", "drift_time_s", "drift_nu", "stuck_at_fraction"):
            v = getattr(self, name)
            _check(_is_num(v) and v >= 0, where, name, v, "a number >= 0")
        _check(self.stuck_at_fraction <= 1, where, "stuck_at_fraction", self.stuck_at_fraction, "0..1")

    @property
    def on_off_ratio(self) -> float:
        return self.resistance_off_ohm / self.resistance_on_ohm


@dataclass(frozen=True)
class TechConf:
    node_nm: int = 22
    roadmap: str = "lstp"
    temperature_k: int = 300

    def validate(self, where: str) -> None:
        nodes = (130, 90, 65, 45, 32, 22, 14, 10, 7, 5, 3, 2, 1)
        _check(self.node_nm in nodes, where, "node_nm", self.node_nm, ", ".join(map(str, nodes)))
        _check(self.roadmap in ("lstp", "hp"), where, "roadmap", self.roadmap, "lstp, hp")
        _check(_is_int(self.temperature_k) and 300 <= self.temperature_k <= 400, where, "temperature_k",
               self.temperature_k, "integers 300..400")


@dataclass(frozen=True)
class ArrayConf:
    rows: int = 128
    cols: int = 128
    parallel_rows: int | None = None
    read_mode: str = "parallel"
    col_mux: int = 8
    adc_bits: int = 5
    adc_type: str = "mlsa"
    adc_current_mode: bool = True
    adc_mode: str = "linear"
    cell_bit: int = 1

    def validate(self, where: str) -> None:
        for name in ("rows", "cols", "col_mux"):
            v = getattr(self, name)
            _check(_is_int(v) and v >= 1, where, name, v, "a positive integer")
        _check(self.parallel_rows is None or (_is_int(self.parallel_rows) and 1 <= self.parallel_rows <= self.rows),
               where, "parallel_rows", self.parallel_rows, f"null or 1..rows ({self.rows})")
        _check(self.read_mode in ("parallel", "sequential"), where, "read_mode", self.read_mode, "parallel, sequential")
        _check(_is_int(self.adc_bits) and 1 <= self.adc_bits <= 8, where, "adc_bits", self.adc_bits, "1..8")
        _check(self.adc_type in ("mlsa", "sar"), where, "adc_type", self.adc_type, "mlsa, sar")
        _check(self.adc_mode in ("linear", "nonlinear"), where, "adc_mode", self.adc_mode, "linear, nonlinear")
        _check(self.cell_bit in range(1, 9), where, "cell_bit", self.cell_bit, "integers 1..8")


@dataclass(frozen=True)
class ChipConf:
    global_bus: str = "xy_bus"
    global_buffer: str = "register_file"
    global_buffer_core_rows: int = 128
    global_buffer_core_cols: int = 128
    tile_buffer: str = "register_file"
    tile_buffer_core_rows: int = 32
    tile_buffer_core_cols: int = 32
    pe_buffer: str = "register_file"
    chip_activation: bool = True
    relu: bool = True
    novel_mapping: bool = True
    pipeline: bool = True
    speedup_degree: int = 8
    validated: bool = True
    synchronous: bool = True
    clk_freq_hz: float = 1e9
    global_bus_delay_tolerance: float = 0.1
    local_bus_delay_tolerance: float = 0.1
    tree_folded_ratio: int = 4
    max_global_bus_width: int = 2048
    input_toggle: float = 0.18
    output_toggle: float = 0.5
    average_row_activity: float = 0.5  # estimate_mode=average: fraction of rows an input bit-vector activates
    average_cell_level: float = 0.5  # estimate_mode=average: mean cell level, 0 (G_min) .. 1 (G_max)

    def validate(self, where: str) -> None:
        _check(self.global_bus in ("xy_bus", "htree"), where, "global_bus", self.global_bus, "xy_bus, htree")
        for name in ("global_buffer", "tile_buffer", "pe_buffer"):
            v = getattr(self, name)
            _check(v in ("register_file", "sram"), where, name, v, "register_file, sram")
        for name in ("chip_activation", "relu", "novel_mapping", "pipeline", "validated", "synchronous"):
            v = getattr(self, name)
            _check(isinstance(v, bool), where, name, v, "true, false")


@dataclass(frozen=True)
class NetworkConf:
    name: str = "vgg8"
    width_mult: float = 0.25

    def validate(self, where: str) -> None:
        _check(self.name in ("vgg8", "resnet18", "densenet40"), where, "name", self.name,
               "vgg8, resnet18, densenet40")
        _check(_is_num(self.width_mult) and 0 < self.width_mult <= 4, where, "width_mult", self.width_mult,
               "a number in (0, 4]")


@dataclass(frozen=True)
class TrainConf:
    mode: str = "wage"
    wl_weight: int = 8
    wl_activate: int = 8
    wl_grad: int = 8
    wl_error: int = 8
    max_steps: int = 300
    batch_size: int = 64
    lr: float = 0.01
    seed: int = 0
    device: str = "auto"
    threads: int = 1

    def validate(self, where: str) -> None:
        _check(self.mode in ("wage", "fp"), where, "mode", self.mode, "wage, fp")
        for name in ("wl_weight", "wl_activate", "wl_grad", "wl_error"):
            v = getattr(self, name)
            _check(_is_int(v) and 2 <= v <= 16, where, name, v, "integers 2..16")
        for name in ("max_steps", "batch_size", "threads"):
            v = getattr(self, name)
            _check(_is_int(v) and v >= 1, where, name, v, "a positive integer")
        _check(self.device in ("auto", "cpu", "cuda"), where, "device", self.device, "auto, cpu, cuda")


@dataclass(frozen=True)
class DataConf:
    name: str = "mnist_embedded"
    root: str | None = None
    n_train: int | None = None
    n_test: int | None = None

    def validate(self, where: str) -> None:
        _check(self.name in ("mnist_embedded", "cifar10"), where, "name", self.name, "mnist_embedded, cifar10")
        if self.name == "cifar10":
            _check(isinstance(self.root, str) and self.root not in ("", "???"), where, "root", self.root,
                   "the path of a local cifar-10-batches-py directory")


@dataclass(frozen=True)
class SweepConf:
    name: str = "adc"
    param: str = "array.adc_bits"
    values: tuple = ()

    def validate(self, where: str) -> None:
        _check(len(self.values) >= 1, where, "values", self.values, "a non-empty list")


@dataclass(frozen=True)
class FlowConfig:
    """The whole composed configuration, one typed object per concern."""

    device: DeviceConf
    tech: TechConf
    array: ArrayConf
    chip: ChipConf
    network: NetworkConf
    train: TrainConf
    data: DataConf
    sweep: SweepConf
    results_dir: str = "results"
    trace_images: int = 1
    estimate_mode: str = "trace"
    overrides: tuple[str, ...] = ()
    compat: str = DEFAULT_COMPAT  # neurosim_core.quirks: neurosim_v14 | neurosim_v21 | corrected
    onchip: OnchipConf = dataclasses.field(default_factory=OnchipConf)
    onchip_device: OnchipDeviceConf = dataclasses.field(default_factory=OnchipDeviceConf)

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
            **({"compat": self.compat} if "compat" in {f.name for f in fields(HardwareConfig)} else {}),
            activity_mode={"trace": "real"}.get(self.estimate_mode, self.estimate_mode),
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


#: trace: real per-vector traces (NeuroSim's default); pseudo: one activity per layer measured from
#: the traces; average: chip.average_row_activity / chip.average_cell_level (IEDM'19 Fig. 7)
ESTIMATE_MODES = ("trace", "pseudo", "average")

_GROUP_TYPES = {"device": DeviceConf, "tech": TechConf, "array": ArrayConf, "chip": ChipConf,
                "network": NetworkConf, "train": TrainConf, "data": DataConf, "sweep": SweepConf,
                "onchip": OnchipConf, "onchip_device": OnchipDeviceConf}


def _group_options(group: str) -> list[str]:
    return sorted(p.stem for p in (CONF_DIR / group).glob("*.yaml"))


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
            top = {"results_dir", "trace_images", "estimate_mode", "compat"}
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


def compose(overrides: Sequence[str] = (), conf_dir: Path | None = None) -> FlowConfig:
    """Compose ``conf/config.yaml`` with ``overrides`` and validate into a `FlowConfig`."""
    from hydra import compose as hydra_compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf

    overrides = [str(o) for o in overrides]
    _check_overrides(overrides)
    conf_dir = Path(conf_dir or CONF_DIR).resolve()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(conf_dir), version_base="1.3"):
            cfg = hydra_compose(config_name="config", overrides=list(overrides))
    except Exception as exc:  # Hydra's own errors: keep them to one line
        msg = " ".join(str(exc).split())
        raise PipelineConfigError(f"config {conf_dir}/config.yaml with overrides {list(overrides)}: {msg}") from None
    finally:
        GlobalHydra.instance().clear()
    try:
        raw = OmegaConf.to_container(cfg, resolve=True, throw_on_missing=False)
    except Exception as exc:
        raise PipelineConfigError(f"config: {' '.join(str(exc).split())}") from None
    groups = {}
    for name, typ in _GROUP_TYPES.items():
        values = dict(raw.get(name) or {})
        if name == "sweep" and "values" in values:
            values["values"] = tuple(values["values"])
        where = f"conf/{name} (overrides {list(overrides)})" if overrides else f"conf/{name}"
        groups[name] = _typed(typ, values, where)
    top = {k: v for k, v in raw.items() if k not in _GROUP_TYPES}
    flow = FlowConfig(**groups, results_dir=str(top.get("results_dir", "results")),
                      trace_images=int(top.get("trace_images", 1)),
                      estimate_mode=str(top.get("estimate_mode", "trace")), overrides=tuple(overrides),
                      compat=top.get("compat", DEFAULT_COMPAT))
    _check(flow.compat in COMPAT_MODES, "conf/config.yaml", "compat", flow.compat, ", ".join(COMPAT_MODES))
    _check(flow.estimate_mode in ESTIMATE_MODES, "conf/config.yaml", "estimate_mode", flow.estimate_mode,
           ", ".join(ESTIMATE_MODES))
    resolve(flow.hardware(), source=f"hardware config (overrides {list(overrides)})")
    return flow


# --------------------------------------------------------------------------------------------
# Stage slices: each stage's output path is keyed by the hash of only what it depends on.
# --------------------------------------------------------------------------------------------
def _digest(obj: Any) -> str:
    blob = json.dumps(obj, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


def stage_slices(flow: FlowConfig) -> dict[str, dict[str, Any]]:
    """The config slice each stage depends on (upstream slices included by their keys)."""
    asd = dataclasses.asdict
    train = {"network": asd(flow.network), "train": asd(flow.train), "data": asd(flow.data)}
    k_train = _digest(train)
    a, d = flow.array, flow.device
    infer = {"train_key": k_train, "array": {k: getattr(a, k) for k in (
        "rows", "parallel_rows", "read_mode", "adc_bits", "adc_mode", "cell_bit")}, "compat": flow.compat,
        "device": {k: getattr(d, k) for k in (
            "resistance_on_ohm", "resistance_off_ohm", "variation_sigma", "drift_time_s", "drift_nu",
            "stuck_at_fraction", "mem_cell")}}
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
