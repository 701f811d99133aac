"""The plug-in boundary: replace a component role from outside the package.

A `ComponentLibrary` names, per role, the builder to use instead of the built-in model; pass it
to `neurosim_core.estimate.estimate(..., library=...)`.  A builder is a plain function
``builder(spec, env) -> arch.ComponentModel``; nothing in `neurosim_core` has to be edited.

Roles
-----
``adc`` -- the column ADC of every subarray (built-in: NeuroSim's multilevel sense amp + encoder,
or its SAR ADC).  The builder receives an `AdcSpec` and a `circuits.env.CircuitEnv` and returns a
model with

* action ``"convert"``: one conversion of every column the subarray's ADCs read at once
  (``spec.num_adc`` columns): ``latency_s`` the conversion time (s), ``energy_j`` its
  input-independent energy (J, may be 0);
* dynamic action ``"column_energy"``: ``f(column_resistance=R) -> ActionCost(energy_j=E)`` with
  ``R`` the column resistances (ohm, shape (n_vectors, n_columns); ``inf`` = open column, no active
  row) and ``E`` (n_vectors,) the input-dependent energy of one conversion of those columns (J);
* ``area_m2`` of all ``spec.num_adc`` ADCs (laid out under the array, ``spec.width_m`` wide) and
  their ``leakage_w``.

The subarray converts ``num_read`` times per input vector (its accumulation and latency model is
unchanged); its ADC breakdown bucket holds the plug-in's energy.  A memory cell is replaced by
passing a `neurosim_core.cell.MemCell` to ``estimate(..., cell=...)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .arch import ComponentModel
from .circuits.env import AdcSpec, CircuitEnv

__all__ = ["AdcSpec", "AdcBuilder", "ComponentLibrary", "BUILT_IN"]


AdcBuilder = Callable[[AdcSpec, CircuitEnv], ComponentModel]


@dataclass(frozen=True)
class ComponentLibrary:
    """Builders replacing built-in component roles; ``None`` keeps the built-in model."""

    adc: AdcBuilder | None = None


BUILT_IN = ComponentLibrary()
