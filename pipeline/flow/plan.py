"""The DAG plan: which design points exist, and each stage's keyed output paths.

A design point is a list of Hydra overrides.  Every stage's output directory is
``<results>/<stage>/<key>/`` where ``key`` hashes only the config slice the stage depends on
(`pipeline.flow.config.stage_slices`), so points that share a slice share the stage's result and
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
    # Hydra once per choice of group options; scalar field overrides applied on the typed config
    # (equal to `pipeline.flow.config.compose`, see pipeline/dse/fastcompose.py)
    from ..dse.fastcompose import fast_compose

    return fast_compose(overrides)


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
#: files every sweep writes (more with several parameters: see `pipeline.dse.sweep_report.report_files`)
SWEEP_FILES = ("sweep.parquet", "sweep.csv", "sweep.md", "sweep.html", "metrics.png", "accuracy_vs_energy.png",
               "pareto.png", "radar.png")


@dataclass
class Plan:
    results_dir: str
    base_overrides: tuple[str, ...]
    #: stage -> key -> overrides of one design point that produces it
    registry: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    #: sweep name -> (key, [(value, overrides)])
    sweeps: dict[str, tuple[str, list[tuple[str, tuple[str, ...]]]]] = field(default_factory=dict)
    main_keys: dict[str, str] = field(default_factory=dict)
    specs: dict = field(default_factory=dict)  # sweep name -> pipeline.dse.spec.SweepSpec
    cores: int = 2
    _registered_sweeps: set[str] = field(default_factory=set)
    #: sweep name -> the one-line error that keeps it out of this plan (see `build`)
    invalid_sweeps: dict[str, str] = field(default_factory=dict)

    # ---- construction -----------------------------------------------------------------------
    @classmethod
    def build(cls, overrides: Sequence[str] = (), sweep_names: Sequence[str] | None = None,
              cores: int = 2) -> "Plan":
        """``sweep_names``: the sweep files to plan (default: every ``conf/sweep/*.yaml``); ``cores``
        sizes the default estimate chunks (`pipeline.dse.spec.default_chunk_size`)."""
        from ..dse.spec import load_spec, sweep_names as all_sweeps

        base = compose(overrides)
        plan = cls(results_dir=base.results_dir, base_overrides=tuple(overrides), cores=cores)
        plan.main_keys = plan._register(base)
        from ..dse.spec import SweepSpecError

        for name in (all_sweeps() if sweep_names is None else sweep_names):
            try:
                spec = load_spec(name, overrides=overrides)  # parses and validates the file; composes nothing
                points = spec.points(overrides)
            except SweepSpecError as exc:
                if sweep_names is not None:
                    raise
                # planning every sweep file: one that these overrides make invalid (e.g. `sweep.values=`
                # meant for another sweep) gets no rules; asking for it fails with this line
                plan.invalid_sweeps[name] = str(exc)
                continue
            key = _digest({"sweep": name, "points": [p.overrides for p in points], "mc_seeds": spec.mc_seeds})
            plan.sweeps[name] = (key, [(p.label, p.overrides) for p in points])
            plan.specs[name] = spec
        return plan

    def _register(self, flow: FlowConfig) -> dict[str, str]:
        keys = stage_keys(flow)
        for stage, key in keys.items():
            self.registry.setdefault(stage, {}).setdefault(key, flow.overrides)
        return keys

    def _register_sweep(self, name: str) -> None:
        """Compose a sweep's design points (Hydra time) only when a job of theirs is asked for."""
        if name not in self._registered_sweeps:
            labels = {pt: label for label, pt in self.sweeps[name][1]}
            for _, pt in self.sweeps[name][1]:  # a bad point fails naming the point, not a draw
                self._register(self._compose_point(name, pt, labels))
            for pt in self.mc_points(name):
                self.verify(self._register(self._compose_point(name, pt, labels)), pt)
            self._registered_sweeps.add(name)

    def _compose_point(self, name: str, pt: tuple[str, ...], labels: dict) -> FlowConfig:
        from ..dse.spec import SweepSpecError

        try:
            return compose(pt)
        except ValueError as exc:  # PipelineConfigError, the hardware model's ConfigError
            raise SweepSpecError(f"{self.specs[name].path}: design point '{labels.get(pt, pt)}' is not valid "
                                 f"({exc}); add a constraint that excludes it") from None

    def check_requested(self, targets) -> None:
        """Compose every design point of the sweeps among ``targets`` now (a bad point: one line)."""
        from ..dse.spec import SweepSpecError

        for t in targets:
            for name, error in self.invalid_sweeps.items():
                if t in (f"sweep_{name}", f"sweep_{name}_aggregate"):
                    raise SweepSpecError(error)
            for name in self.sweeps:
                if t in (f"sweep_{name}", f"sweep_{name}_aggregate"):
                    self._register_sweep(name)

    def draws(self, name: str) -> list[tuple[tuple[str, ...], int, tuple[str, ...]]]:
        """(point, draw s, the point's overrides with ``mc_seed=s``) for every Monte-Carlo draw of sweep
        ``name``; a point without random non-idealities (no variation, no stuck-at cells) gets one draw."""
        if not self.specs[name].accuracy:  # estimate-only sweep
            return []
        seeds = self.specs[name].mc_seeds
        out = []
        for _, pt in self.sweeps[name][1]:
            n = seeds
            if seeds > 1:
                d = compose(pt).device
                n = seeds if (d.variation_sigma > 0 or d.stuck_at_fraction > 0) else 1
            out += [(pt, s, pt + ((f"mc_seed={s}",) if s else ())) for s in range(n)]
        return out

    def mc_points(self, name: str) -> list[tuple[str, ...]]:
        """Every design point x Monte-Carlo draw (``mc_seed=s`` for s >= 1) of sweep ``name``."""
        return [ov for _, _, ov in self.draws(name)]

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

    def sweep_files(self, name: str) -> list[str]:
        from ..dse.sweep_report import report_files

        return report_files(self.specs[name])

    def sweep_targets(self, name: str) -> list[str]:
        return [str(self.sweep_dir(name) / f) for f in self.sweep_files(name)]

    # ---- batched estimation (pipeline.dse.batch) ----------------------------------------------
    def chunk_size(self, name: str) -> int:
        from ..dse.spec import default_chunk_size

        spec = self.specs[name]
        return spec.chunk_size or default_chunk_size(len(self.sweeps[name][1]), self.cores)

    def chunk_dirs(self, name: str) -> list[str]:
        from ..dse.spec import chunks

        size = self.chunk_size(name)
        return [str(self.sweep_dir(name) / "chunks" / f"s{size}_{i}")
                for i in range(len(chunks(len(self.sweeps[name][1]), size)))]

    def chunk_inputs(self, name: str, size: int, index: int) -> list[str]:
        """The traces a chunk of points reads (each traces result once)."""
        from ..dse.spec import chunks

        self._register_sweep(name)
        points = self.sweeps[name][1]
        files: list[str] = []
        for i in chunks(len(points), size)[index]:
            for f in self.outputs("traces", stage_keys(compose(points[i][1]))["traces"]):
                if f not in files:
                    files.append(f)
        return files

    def sweep_inputs(self, name: str) -> list[str]:
        """Everything a sweep's aggregation reads: the estimate chunks, each point x draw's accuracy
        and the trained models' metrics (digital accuracy)."""
        self._register_sweep(name)
        files = list(self.chunk_dirs(name))
        for pt in self.mc_points(name):
            keys = stage_keys(compose(pt))
            for f in self.outputs("infer", keys["infer"])[:1] + self.outputs("train", keys["train"])[1:2]:
                if f not in files:
                    files.append(f)
        return files
