"""The DAG plan: which design points exist, and each stage's keyed output paths.

A design point is a list of Hydra overrides.  Every stage's output directory is
``<results>/<stage>/<key>/`` where ``key`` hashes only the config slice the stage depends on
(`pipeline.config.stage_slices`), so points that share a slice share the stage's result and
Snakemake runs it once.  The Snakefile only asks this module for paths; it holds no logic.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from functools import lru_cache

from .config import FlowConfig, PipelineConfigError, _digest
from .config import compose as _compose_uncached
from .config import stage_keys as _stage_keys_uncached


@lru_cache(maxsize=None)
def _compose_cached(overrides: tuple[str, ...]) -> FlowConfig:
    return _compose_uncached(overrides)


def compose(overrides) -> FlowConfig:
    """Composition is pure; the plan asks for the same points many times, so cache it."""
    return _compose_cached(tuple(overrides))


@lru_cache(maxsize=None)
def _keys_cached(overrides: tuple[str, ...]) -> dict:
    return _stage_keys_uncached(compose(overrides))


def stage_keys(flow: FlowConfig) -> dict[str, str]:
    return dict(_keys_cached(tuple(flow.overrides)))

STAGES = ("train", "infer", "traces", "floorplan", "estimate", "report")

#: files each stage writes into its keyed directory
STAGE_FILES = {
    "train": ("model.pt", "metrics.json", "config.yaml"),
    "infer": ("accuracy.parquet", "config.yaml"),
    "traces": ("traces.parquet", "network.csv", "config.yaml"),
    "floorplan": ("floorplan.parquet", "floorplan.csv", "config.yaml"),
    "estimate": ("layers.parquet", "layers.csv", "chip.parquet", "chip.csv", "config.yaml"),
    "report": ("report.md", "report.html", "breakdown.png", "shares.png", "training_curve.png", "config.yaml"),
}
#: upstream stages of each stage
UPSTREAM = {
    "train": (),
    "infer": ("train",),
    "traces": ("train",),
    "floorplan": ("traces",),
    "estimate": ("traces", "floorplan"),
    "report": ("estimate", "infer", "floorplan", "train", "traces"),
}
SWEEP_FILES = ("sweep.parquet", "sweep.csv", "sweep.md", "metrics.png", "accuracy_vs_energy.png")


def format_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


@dataclass
class Plan:
    results_dir: str
    base_overrides: tuple[str, ...]
    #: stage -> key -> overrides of one design point that produces it
    registry: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    #: sweep name -> (key, [(value, overrides)])
    sweeps: dict[str, tuple[str, list[tuple[str, tuple[str, ...]]]]] = field(default_factory=dict)
    main_keys: dict[str, str] = field(default_factory=dict)
    _registered_sweeps: set[str] = field(default_factory=set)

    # ---- construction -----------------------------------------------------------------------
    @classmethod
    def build(cls, overrides: Sequence[str] = (), sweep_names: Sequence[str] = ("adc", "device", "array", "tech")
              ) -> "Plan":
        base = compose(overrides)
        plan = cls(results_dir=base.results_dir, base_overrides=tuple(overrides))
        plan.main_keys = plan._register(base)
        for name in sweep_names:
            try:
                sweep = compose(list(overrides) + [f"sweep={name}"]).sweep
            except PipelineConfigError as exc:
                msg = str(exc)
                raise PipelineConfigError(msg if msg.startswith(f"conf/sweep/{name}.yaml") else
                                          f"conf/sweep/{name}.yaml: {msg}") from None
            points = [(format_value(v), tuple(list(overrides) + [f"{sweep.param}={format_value(v)}"]))
                      for v in sweep.values]
            key = _digest({"sweep": name, "param": sweep.param, "points": [p for _, p in points]})
            plan.sweeps[name] = (key, points)
        return plan

    def _register(self, flow: FlowConfig) -> dict[str, str]:
        keys = stage_keys(flow)
        for stage, key in keys.items():
            self.registry.setdefault(stage, {}).setdefault(key, flow.overrides)
        return keys

    def _register_sweep(self, name: str) -> None:
        """Compose a sweep's design points (Hydra time) only when a job of theirs is asked for."""
        if name not in self._registered_sweeps:
            key, points = self.sweeps[name]
            param = compose(list(self.base_overrides) + [f"sweep={name}"]).sweep.param
            for value, pt in points:
                try:
                    flow = compose(pt)
                except PipelineConfigError as exc:  # a bad value in the sweep file: name the file
                    msg = str(exc).replace(f"override '{param}={value}'", f"value {value!r} of sweep.values")
                    raise PipelineConfigError(f"conf/sweep/{name}.yaml: {param}={value}: {msg}") from None
                self.verify(self._register(flow), pt)
            self._registered_sweeps.add(name)

    def verify(self, keys: dict[str, str], overrides: Sequence[str] = ()) -> None:
        """Check the existing results of one design point against their manifests (corrupt files)."""
        from .integrity import verify_stage_dir

        for stage, key in keys.items():
            verify_stage_dir(self.stage_dir(stage, key), overrides)

    def flow(self, overrides: Sequence[str]) -> FlowConfig:
        return compose(overrides)

    def main_flow(self) -> FlowConfig:
        return compose(self.base_overrides)

    # ---- paths ------------------------------------------------------------------------------
    def stage_dir(self, stage: str, key: str) -> Path:
        return Path(self.results_dir) / stage / key

    def outputs(self, stage: str, key: str) -> list[str]:
        return [str(self.stage_dir(stage, key) / f) for f in STAGE_FILES[stage]]

    def overrides_of(self, stage: str, key: str) -> tuple[str, ...]:
        for name in self.sweeps:  # the sweeps' points, one sweep at a time, until one produces the key
            if key in self.registry.get(stage, {}):
                break
            self._register_sweep(name)
        try:
            return self.registry[stage][key]
        except KeyError:
            raise KeyError(f"no design point produces {stage}/{key}; known keys: "
                           f"{', '.join(sorted(self.registry.get(stage, {})))}") from None

    def keys_of(self, stage: str, key: str) -> dict[str, str]:
        return stage_keys(compose(self.overrides_of(stage, key)))

    def inputs(self, stage: str, key: str) -> list[str]:
        keys = self.keys_of(stage, key)
        files: list[str] = []
        for up in UPSTREAM[stage]:
            files += self.outputs(up, keys[up])
        return files

    def main_targets(self) -> list[str]:
        return self.outputs("report", self.main_keys["report"])

    def sweep_dir(self, name: str) -> Path:
        return Path(self.results_dir) / "sweep" / name / self.sweeps[name][0]

    def sweep_targets(self, name: str) -> list[str]:
        return [str(self.sweep_dir(name) / f) for f in SWEEP_FILES]

    def sweep_inputs(self, name: str) -> list[str]:
        self._register_sweep(name)
        files = []
        for _, pt in self.sweeps[name][1]:
            keys = stage_keys(compose(pt))
            files += self.outputs("estimate", keys["estimate"]) + self.outputs("infer", keys["infer"])
        return files
