"""Compose many design points quickly: Hydra once per choice of config-group options, the scalar
field overrides applied on the typed config and validated by the same checks.

A Hydra composition costs 0.1-0.3 s; a 100-point sweep composes every point while Snakemake builds
its DAG and again in its estimate chunks, which would dominate a batched sweep's run time.  Design
points differ from each other only in a few scalar fields (``array.adc_bits=4``) and group options
(``device=rram``), so: compose the group options (and anything unusual) with Hydra, cached, then
set the scalar fields with `dataclasses.replace` and re-run the group's validation and the hardware
`resolve`.  Anything the fast path is not sure to read exactly as Hydra does (a string that looks
like a number, a list, a ``+``/``~`` override, an unknown key) goes through Hydra.  The result equals
`pipeline.flow.config.compose` (``tests/pipeline/test_dse.py`` compares every sweep file's points).
"""
from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Sequence

import yaml

from ..flow import config as C

_TOP = {"results_dir", "trace_images", "estimate_mode", "mc_seed"}


def _hydra(overrides: tuple[str, ...]) -> C.FlowConfig:
    # cached per configuration folder: a composition read from one conf/ must not answer for another
    return _hydra_at(str(C.CONF_DIR), overrides)


@lru_cache(maxsize=None)
def _hydra_at(conf_dir: str, overrides: tuple[str, ...]) -> C.FlowConfig:
    return C.compose(overrides)


def _scalar(text: str):
    """The value Hydra would read, or a sentinel when unsure."""
    try:
        v = yaml.safe_load(text)
    except yaml.YAMLError:
        return _UNSURE
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            float(v)  # '1e9', 'inf', 'nan': YAML 1.1 and Hydra disagree
            return _UNSURE
        except ValueError:
            pass
        if any(c in v for c in "[]{},'\"$*?=:\\ ") or v.lower() in ("null", "true", "false", "none"):
            return _UNSURE
        return v
    return _UNSURE


_UNSURE = object()


def fast_compose(overrides: Sequence[str]) -> C.FlowConfig:
    overrides = tuple(str(o) for o in overrides)
    groups, fields, slow = [], [], []
    for ov in overrides:
        key, sep, value = ov.partition("=")
        head = key.split(".", 1)[0]
        if not sep or key.startswith(("+", "~")):
            slow.append(ov)
        elif key in C._GROUP_TYPES:
            groups.append(ov)
        elif (("." in key and head in C._GROUP_TYPES and key.count(".") == 1) or key in _TOP) \
                and _scalar(value) is not _UNSURE:
            fields.append((key, _scalar(value), ov))
        else:
            slow.append(ov)
    if slow or not fields:
        return _hydra(overrides)
    try:
        return _apply(overrides, groups, fields)
    except Exception:  # any doubt: Hydra's composition decides (and words the error)
        return _hydra(overrides)


def _apply(overrides: tuple[str, ...], groups: list[str], fields: list) -> C.FlowConfig:
    C._check_overrides([ov for _, _, ov in fields])
    base = _hydra(tuple(groups))
    src = C._Sources(overrides, {})
    updates: dict[str, dict] = {}
    top: dict[str, object] = {}
    for key, value, _ in fields:
        if key in _TOP:
            top[key] = value
        else:
            group, fld = key.split(".")
            if group == "sweep":
                raise ValueError("sweep fields: compose with Hydra")
            updates.setdefault(group, {})[fld] = value
    new = {}
    for group, values in updates.items():
        current = dataclasses.asdict(getattr(base, group))
        current.update(values)
        new[group] = C._typed(C._GROUP_TYPES[group], current, group, src)
    # the FlowConfig (strict pydantic dataclass) validates the top-level fields when replaced
    flow = dataclasses.replace(base, **new, **top, overrides=overrides)
    C._cross_checks(flow, src)
    C.resolve(flow.hardware(), source="hardware config")
    return flow
