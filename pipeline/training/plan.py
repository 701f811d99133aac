"""Keys and paths of the ``training`` DAG (``rules/training.smk`` is wiring only).

    train_onchip/<T>/epoch_<e>/       one job per epoch, from the previous epoch's state (resumable)
        train_traces.parquet, record.json, state.pt (temporary: kept until the next epoch is done)
    train_onchip/<T>/                 collect: history.parquet/.csv, stats.parquet/.csv, network.csv,
        model.pt, config.yaml
    estimate_training/<E>/epoch_<e>/  one job per traced epoch (independent)
        estimate.parquet/.csv, config.yaml
    training/<G>/                     aggregate: per_epoch.parquet/.csv, totals.csv, summary.md and
        accuracy.png, energy_latency.png, accuracy_vs_energy.png, config.yaml

``T`` hashes what training depends on (network, data, the on-chip recipe and the learning device);
``E`` hashes ``T`` and the hardware the estimate runs on; ``G`` hashes ``E``.  A hardware-only
change moves ``E`` and ``G`` and keeps ``T``: only the estimates and the aggregate rerun.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import yaml

from ..flow.config import CONF_DIR, FlowConfig, PipelineConfigError, _digest, format_value
from ..flow.config import compose as _compose

TRAIN_FILES = ("history.parquet", "history.csv", "stats.parquet", "stats.csv", "network.csv", "model.pt",
               "config.yaml")
ESTIMATE_FILES = ("estimate.parquet", "estimate.csv", "config.yaml")
AGGREGATE_FILES = ("per_epoch.parquet", "per_epoch.csv", "totals.csv", "summary.md", "accuracy.png",
                   "energy_latency.png", "accuracy_vs_energy.png", "config.yaml")
SWEEP_FILES = ("sweep.parquet", "sweep.csv", "sweep.md", "sweep.png")
#: training sweeps live in conf/sweep/training/<name>.yaml (the inference sweeps read conf/sweep/*.yaml)
SWEEP_DIR = CONF_DIR / "sweep" / "training"


@lru_cache(maxsize=None)
def compose(overrides: tuple[str, ...]) -> FlowConfig:
    return _compose(list(overrides))


#: the training DAG composes with these unless the overrides set the same key or its group:
#: V2.1's chip is FeFET; the embedded narrow network (16-64 channels on 16x16 maps) is too small for
#: 128x128 sub-arrays (the floorplan needs tiles/PEs of at least 2-4 sub-arrays), so the embedded
#: default uses 32x32 ones (the full CIFAR-10 recipe: array.rows=128 array.cols=128, V2.1's); V2.1's
#: chip is asynchronous and uncalibrated, so the training DAG defaults to that chip (a synchronous
#: chip, chip.synchronous=true, is estimated too: its steps round up to the clock)
TRAINING_DEFAULTS = ("device=fefet", "array.rows=32", "array.cols=32", "chip.synchronous=false",
                     "chip.validated=false")


def training_overrides(overrides: Sequence[str]) -> tuple[str, ...]:
    """``TRAINING_DEFAULTS`` (those whose key or group the user does not set) + the user's overrides."""
    ov = tuple(str(o) for o in overrides)
    keys = {o.split("=", 1)[0].lstrip("+~") for o in ov}

    def taken(default: str) -> bool:
        key = default.split("=", 1)[0]
        return key in keys or key.split(".", 1)[0] in keys
    return tuple(d for d in TRAINING_DEFAULTS if not taken(d)) + ov


def training_hardware(flow: FlowConfig):
    """The `HardwareConfig` a training estimate runs on: the flow's hardware groups with the on-chip
    recipe's precisions (V2.1: synapse 5 bits, input 8 bits, one 5-bit cell per synapse on eNVM) and
    layer-by-layer operation (the training estimator, like V2.1, has no pipeline mode)."""
    hw = flow.hardware()
    o = flow.onchip
    cell_bit = 1 if hw.mem_cell == "sram" else o.wl_weight
    return dataclasses.replace(hw, synapse_bits=o.wl_weight, input_bits=o.wl_activate, cell_bit=cell_bit,
                               pipeline=False)


def training_slices(flow: FlowConfig) -> dict[str, dict]:
    asd = dataclasses.asdict
    train = {"network": asd(flow.network), "data": asd(flow.data), "onchip": asd(flow.onchip),
             "onchip_device": asd(flow.onchip_device)}
    k_train = _digest(train)
    estimate = {"train_onchip_key": k_train, "hardware": asd(training_hardware(flow)),
                "max_level": flow.onchip_device.max_level}
    k_est = _digest(estimate)
    return {"train_onchip": train, "estimate_training": estimate,
            "training": {"estimate_training_key": k_est, "train_onchip_key": k_train}}


def training_keys(flow: FlowConfig) -> dict[str, str]:
    return {stage: _digest(s) for stage, s in training_slices(flow).items()}


def epoch_dir(epoch: int) -> str:
    return f"epoch_{epoch:03d}"


@dataclass
class TrainingPlan:
    results_dir: str
    base_overrides: tuple[str, ...]
    #: stage -> key -> overrides of one design point producing it
    registry: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    main_keys: dict[str, str] = field(default_factory=dict)
    #: sweep name -> (key, [(label, overrides)])
    sweeps: dict[str, tuple[str, list[tuple[str, tuple[str, ...]]]]] = field(default_factory=dict)

    @classmethod
    def build(cls, overrides: Sequence[str] = (), sweep_names: Sequence[str] | None = None) -> "TrainingPlan":
        """Cheap: nothing is composed until a job or target asks for it (parsing the Snakefile
        stays fast for the other targets); the sweep files are read and checked for their fields."""
        ov = training_overrides(overrides)
        plan = cls(results_dir="", base_overrides=ov)
        names = sorted(p.stem for p in SWEEP_DIR.glob("*.yaml")) if sweep_names is None else list(sweep_names)
        for name in names:
            points = load_sweep(name, ov, validate=False)
            plan.sweeps[name] = (_digest({"sweep": name, "points": [p for _, p in points]}), points)
        return plan

    def __post_init__(self):
        if not self.results_dir:
            # results_dir is an ordinary override: read it without composing the whole config
            rd = [o.split("=", 1)[1] for o in self.base_overrides if o.split("=", 1)[0] == "results_dir"]
            self.results_dir = rd[-1] if rd else str(yaml.safe_load((CONF_DIR / "config.yaml").read_text())
                                                      .get("results_dir", "results"))

    def main(self) -> dict[str, str]:
        """Stage keys of the main design point (composed on first use)."""
        if not self.main_keys:
            self.main_keys = self.register(compose(self.base_overrides))
        return self.main_keys

    def register(self, flow: FlowConfig) -> dict[str, str]:
        keys = training_keys(flow)
        for stage, key in keys.items():
            self.registry.setdefault(stage, {}).setdefault(key, tuple(flow.overrides))
        return keys

    def register_sweep(self, name: str) -> None:
        for _, pt in self.sweeps[name][1]:
            self.register(compose(pt))                       # a bad point fails here, in one line

    # ---- lookups -------------------------------------------------------------------------------
    def overrides_of(self, stage: str, key: str) -> tuple[str, ...]:
        if key not in self.registry.get(stage, {}):
            for name in self.sweeps:
                self.register_sweep(name)
        try:
            return self.registry[stage][key]
        except KeyError:
            raise KeyError(f"no design point produces {stage}/{key}") from None

    def flow_of(self, stage: str, key: str) -> FlowConfig:
        return compose(self.overrides_of(stage, key))

    # ---- paths ---------------------------------------------------------------------------------
    def dir(self, stage: str, key: str) -> Path:
        return Path(self.results_dir) / stage / key

    def train_epoch_inputs(self, key: str, epoch: int) -> list[str]:
        return [str(self.dir("train_onchip", key) / epoch_dir(epoch - 1) / "state.pt")] if epoch > 0 else []

    def train_collect_inputs(self, key: str) -> list[str]:
        flow = self.flow_of("train_onchip", key)
        d = self.dir("train_onchip", key)
        n = flow.onchip.epochs
        return [str(d / epoch_dir(e) / "record.json") for e in range(n)] + [str(d / epoch_dir(n - 1) / "state.pt")]

    def estimate_inputs(self, key: str, epoch: int) -> list[str]:
        k_train = training_keys(self.flow_of("estimate_training", key))["train_onchip"]
        d = self.dir("train_onchip", k_train)
        return [str(d / epoch_dir(epoch) / "train_traces.parquet"), str(d / epoch_dir(epoch) / "record.json")]

    def estimate_outputs(self, key: str, epoch: int) -> list[str]:
        return [str(self.dir("estimate_training", key) / epoch_dir(epoch) / f) for f in ESTIMATE_FILES]

    def aggregate_inputs(self, key: str) -> list[str]:
        flow = self.flow_of("training", key)
        keys = training_keys(flow)
        files = [str(self.dir("train_onchip", keys["train_onchip"]) / f) for f in ("history.parquet", "stats.parquet")]
        for e in flow.onchip.traced_epochs():
            files += self.estimate_outputs(keys["estimate_training"], e)[:1]
        return files

    def aggregate_outputs(self, key: str) -> list[str]:
        return [str(self.dir("training", key) / f) for f in AGGREGATE_FILES]

    def train_targets(self) -> list[str]:
        """Training and its per-epoch trace sets only (no hardware estimate)."""
        key = self.main()["train_onchip"]
        flow = self.flow_of("train_onchip", key)
        d = self.dir("train_onchip", key)
        return [str(d / f) for f in TRAIN_FILES] + [str(d / epoch_dir(e) / "train_traces.parquet")
                                                     for e in range(flow.onchip.epochs)]

    def main_targets(self) -> list[str]:
        return self.aggregate_outputs(self.main()["training"])

    def sweep_dir(self, name: str) -> Path:
        return Path(self.results_dir) / "training_sweep" / name / self.sweeps[name][0]

    def sweep_targets(self, name: str) -> list[str]:
        return [str(self.sweep_dir(name) / f) for f in SWEEP_FILES]

    def sweep_inputs(self, name: str) -> list[str]:
        self.register_sweep(name)
        return [str(self.dir("training", training_keys(compose(pt))["training"]) / "per_epoch.parquet")
                for _, pt in self.sweeps[name][1]]


def load_sweep(name: str, base: Sequence[str] = (), validate: bool = True) -> list[tuple[str, tuple[str, ...]]]:
    """Design points of ``conf/sweep/training/<name>.yaml``: ``param`` + ``values`` (one parameter)
    or ``params`` (a grid), optional ``base`` overrides; returns ``[(label, overrides)]``."""
    import itertools

    path = SWEEP_DIR / f"{name}.yaml"
    where = f"conf/sweep/training/{name}.yaml"
    if not path.exists():
        allowed = ", ".join(sorted(p.stem for p in SWEEP_DIR.glob("*.yaml")))
        raise PipelineConfigError(f"{where}: no such training sweep; allowed: {allowed}")
    doc = yaml.safe_load(path.read_text()) or {}
    known = {"name", "description", "param", "values", "params", "base"}
    for k in doc:
        if k not in known:
            raise PipelineConfigError(f"{where}: unknown field '{k}'; allowed fields: {', '.join(sorted(known))}")
    if "params" in doc:
        params = dict(doc["params"])
    elif "param" in doc and "values" in doc:
        params = {doc["param"]: doc["values"]}
    else:
        raise PipelineConfigError(f"{where}: needs 'param' + 'values' or 'params'; got fields {sorted(doc)}")
    for p, vals in params.items():
        if not isinstance(vals, list) or not vals:
            raise PipelineConfigError(f"{where}: parameter '{p}' values = {vals!r} is not allowed; allowed: a "
                                      "non-empty list")
    extra = tuple(str(o) for o in doc.get("base", []) or [])
    points = []
    for combo in itertools.product(*params.values()):
        ov = tuple(base) + extra + tuple(f"{p}={format_value(v)}" for p, v in zip(params, combo))
        if validate:
            compose(ov)                               # a bad point fails here, in one line
        label = ",".join(f"{p.rsplit('.', 1)[-1]}={format_value(v)}" for p, v in zip(params, combo))
        points.append((label, ov))
    return points


__all__ = ["TRAINING_DEFAULTS", "training_overrides", "TrainingPlan", "training_keys", "training_slices", "training_hardware", "load_sweep", "epoch_dir",
           "TRAIN_FILES", "ESTIMATE_FILES", "AGGREGATE_FILES", "SWEEP_FILES"]
