"""Declarative config-group building blocks (pydantic), shared by every config group.

A group is ``@group class XConf: name: type = Field(default, ge=lo, le=hi)  # doc``; choices are
``Literal[...]``.  Groups are strict (no silent coercion: 'abc' is not an int, 3 is not a bool, 1.5
is not an int); `Real` numbers accept ints and YAML's "1e9" strings but never bool, NaN or inf.
Rules between fields go into the group's ``validate(where)``, where ``where(field)`` names the
file or override the field came from.  `pipeline.flow.config` turns a violation into one line.
"""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field
from pydantic.dataclasses import dataclass


def _not_bool(v: Any) -> Any:
    if isinstance(v, bool):
        raise ValueError("a bool is not a number")
    return v


#: a real number (int or float; "1e-3" from YAML accepted), finite
Real = Annotated[float, BeforeValidator(_not_bool), Field(strict=False, allow_inf_nan=False)]

GROUP_CONFIG = ConfigDict(strict=True, extra="forbid")


def group(cls):
    """Decorator: a frozen, validated config group."""
    return dataclass(frozen=True, config=GROUP_CONFIG)(cls)


def fail(where, name: str, value: Any, allowed: str) -> None:
    """Raise the one-line config error (``where`` is a string or a ``where(field)`` callable)."""
    from .config import PipelineConfigError  # late: pipeline.flow.config imports the groups

    src = where(name.rsplit(".", 1)[-1]) if callable(where) else where
    raise PipelineConfigError(f"{src}: field '{name}' = {value!r} is not allowed; allowed: {allowed}")


__all__ = ["Real", "group", "fail", "Field", "GROUP_CONFIG"]
