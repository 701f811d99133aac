"""The architecture layer: component models priced per action, macros as data, one evaluator.

Three ideas (DESIGN.md, "Architecture"):

* A **component model** (`ComponentModel`) is what a circuit family's builder returns: an immutable
  answer holding the geometry (area, height, width), the leakage power and the cost (latency,
  energy) of each *action* the circuit performs (``"read"``, ``"convert"``, ``"add"``,
  ``"clock"``, ...).  A cost that depends on data (ADC energy vs column resistance, array energy
  vs active rows) is a vectorised function of NumPy arrays (`ComponentModel.dynamic`).  Builders
  are pure functions of a typed, keyword-only spec and the technology; nothing is mutated after
  it is built.
* A **macro** (`Macro`: subarray, PE, tile, chip) is data: its `Part`s (a role name, the model,
  how many instances, and the breakdown bucket it is reported in).  What one operation of the
  macro does is a tuple of `Use`\\ s: how often each role performs each action (a number or one
  number per input vector).
* **One evaluator** prices uses: `energy` gives the dynamic energy per `Bucket` (the ADC /
  accumulation / synaptic array / buffer / interconnect / other breakdown falls out of the parts'
  tags), `latency_terms` the summed latency per role, `leakage_w` and `area_m2` the static
  figures.  How latencies overlap (sequential, parallel, pipelined) is stated once per level by
  the macro's own function (see `neurosim_core.subarray`), not here.

A user replaces a component role from outside the package through `neurosim_core.plugins`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Literal, Mapping, NamedTuple, Sequence, Union

import numpy as np

__all__ = [
    "BUCKETS",
    "Bucket",
    "ActionCost",
    "ComponentModel",
    "Part",
    "Use",
    "Macro",
    "Breakdown",
    "energy",
    "latency_terms",
    "UnknownAction",
]

#: breakdown buckets of the reports (NeuroSim's ADC / Accumulation / Other split of the read, the
#: synaptic array, the buffers and the interconnect)
Bucket = Literal["adc", "accumulation", "array", "buffer", "interconnect", "other"]
BUCKETS: tuple[str, ...] = ("adc", "accumulation", "array", "buffer", "interconnect", "other")

#: a count or a cost: one number, or one per input vector
Amount = Union[float, np.ndarray]


class UnknownAction(KeyError):
    """A use names an action its component does not perform (one-line message)."""


@dataclass(frozen=True)
class ActionCost:
    """Cost of one action: latency (s) and dynamic energy (J); either may be per-vector arrays."""

    latency_s: Amount = 0.0
    energy_j: Amount = 0.0


def _frozen(mapping: Mapping | None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class ComponentModel:
    """An immutable circuit model: geometry, leakage and per-action costs (SI units).

    ``actions``: fixed cost per action.  ``dynamic``: actions whose cost depends on data, as
    functions ``f(**data) -> ActionCost`` vectorised over NumPy arrays.  ``ports``: electrical
    values other components need (input/output capacitance, drive resistance, ...), by name.
    ``compiled``: optional, a dynamic action in the argument form of a compiled kernel (the
    built-in ADCs' ``column_energy`` as `circuits.adc.conversion_energy` arguments, which the
    eNVM fast path fuses with the column sums); a model without it is priced by ``dynamic``.
    """

    kind: str
    area_m2: float
    height_m: float
    width_m: float
    leakage_w: float = 0.0
    actions: Mapping[str, ActionCost] = field(default_factory=dict)
    dynamic: Mapping[str, Callable[..., ActionCost]] = field(default_factory=dict)
    ports: Mapping[str, float] = field(default_factory=dict)
    compiled: Mapping[str, tuple] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for name in ("actions", "dynamic", "ports", "compiled"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def cost(self, action: str, **data) -> ActionCost:
        """The cost of one ``action`` (``data``: the arrays a data-dependent action needs)."""
        if action in self.dynamic:
            return self.dynamic[action](**data)
        try:
            return self.actions[action]
        except KeyError:
            known = ", ".join(sorted({*self.actions, *self.dynamic})) or "none"
            raise UnknownAction(f"{self.kind} has no action '{action}'; its actions: {known}") from None

    def port(self, name: str) -> float:
        try:
            return self.ports[name]
        except KeyError:
            raise KeyError(f"{self.kind} has no port '{name}'; its ports: {', '.join(sorted(self.ports))}") from None


@dataclass(frozen=True)
class Part:
    """A component in a macro: its role, model, number of identical instances and breakdown bucket."""

    role: str
    model: ComponentModel
    bucket: Bucket
    count: int = 1

    def __post_init__(self) -> None:
        if self.bucket not in BUCKETS:
            raise ValueError(f"part '{self.role}': bucket '{self.bucket}' is not one of {', '.join(BUCKETS)}")


@dataclass(frozen=True)
class Use:
    """``role`` performs ``action`` ``times`` times per operation (``times`` may be per-vector).

    ``data``: the arrays a data-dependent action is priced on (e.g. ``column_resistance``).
    """

    role: str
    action: str
    times: Amount = 1.0
    data: Mapping[str, np.ndarray] = field(default_factory=dict)


class Breakdown(NamedTuple):
    """One amount per bucket (energy in J, area in m^2, ...); scalars or per-vector arrays."""

    adc: Amount = 0.0
    accumulation: Amount = 0.0
    array: Amount = 0.0
    buffer: Amount = 0.0
    interconnect: Amount = 0.0
    other: Amount = 0.0

    @property
    def total(self) -> Amount:
        return self.adc + self.accumulation + self.array + self.buffer + self.interconnect + self.other


@dataclass(frozen=True)
class Macro:
    """A level of the hierarchy described as data: its parts, by role."""

    name: str
    parts: tuple[Part, ...]

    def __post_init__(self) -> None:
        roles = [p.role for p in self.parts]
        if len(set(roles)) != len(roles):
            raise ValueError(f"macro '{self.name}': duplicate roles {sorted(r for r in roles if roles.count(r) > 1)}")

    def part(self, role: str) -> Part:
        for p in self.parts:
            if p.role == role:
                return p
        raise KeyError(f"macro '{self.name}' has no part '{role}'; its parts: {', '.join(self.roles)}")

    def has(self, role: str) -> bool:
        return any(p.role == role for p in self.parts)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(p.role for p in self.parts)

    def leakage_w(self) -> float:
        """Leakage of every instance of every part (W)."""
        return sum(p.model.leakage_w * p.count for p in self.parts)

    def area_m2(self) -> Breakdown:
        """Area of every instance of every part, per bucket (m^2)."""
        sums = dict.fromkeys(BUCKETS, 0.0)
        for p in self.parts:
            sums[p.bucket] += p.model.area_m2 * p.count
        return Breakdown(**sums)


def energy(macro: Macro, uses: Sequence[Use]) -> Breakdown:
    """Dynamic energy of one operation (J), per bucket: sum over uses of times x energy per action."""
    sums: dict[str, Amount] = dict.fromkeys(BUCKETS, 0.0)
    for use in uses:
        part = macro.part(use.role)
        sums[part.bucket] = sums[part.bucket] + use.times * part.model.cost(use.action, **use.data).energy_j
    return Breakdown(**sums)


def latency_terms(macro: Macro, uses: Sequence[Use]) -> dict[str, Amount]:
    """Latency (s) each role spends on the uses, by role; the level's overlap rule combines them."""
    terms: dict[str, Amount] = {}
    for use in uses:
        cost = macro.part(use.role).model.cost(use.action, **use.data)
        terms[use.role] = terms.get(use.role, 0.0) + use.times * cost.latency_s
    return terms
