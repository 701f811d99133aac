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

import numpy as np

from .arch import ComponentModel
from .circuits.base import Component
from .circuits.env import AdcSpec, CircuitEnv

__all__ = ["AdcSpec", "AdcBuilder", "ComponentLibrary", "BUILT_IN"]


AdcBuilder = Callable[[AdcSpec, CircuitEnv], ComponentModel]


@dataclass(frozen=True)
class ComponentLibrary:
    """Builders replacing built-in component roles; ``None`` keeps the built-in model."""

    adc: AdcBuilder | None = None


BUILT_IN = ComponentLibrary()


class AdcSlot(Component):
    """Where an ADC model sits in the subarray (internal): the subarray's ADC interface, priced by
    the builder's `ComponentModel` (a plug-in, or the built-in SAR ADC `circuits.adc.sar_adc`).
    ``column_cap`` is set by the subarray before the area."""

    def __init__(self, builder: AdcBuilder, p, tech, cell):
        super().__init__(p, tech, cell)
        self.builder = builder
        self.model: ComponentModel | None = None
        self.column_cap = 0.0
        self.num_col = 0
        self.level_output = 0
        self.energy_per_column = 0.0  # input-independent energy of one column's conversion (J)
        self.latency_parts: tuple = (0.0,)  # one conversion's latency, in the parts it adds up from
        self.sense_latency = 0.0

    def initialize(self, num_col: int, level_output: int, clk_freq: float, num_read_cell_per_operation_neuro: int) -> None:
        self.num_col, self.level_output, self.clk_freq = int(num_col), int(level_output), clk_freq
        self.initialized = True

    def calculate_unit_area(self) -> None:  # the built-in SAR's two-step layout; nothing to do here
        pass

    def _build(self, width_m: float) -> ComponentModel:
        p = self.p
        spec = AdcSpec(num_adc=self.num_col, levels=self.level_output, column_cap_f=float(self.column_cap),
                       read_voltage_v=float(p.read_voltage), width_m=float(width_m),
                       parallel_read=bool(p.parallel_read))
        model = self.builder(spec, CircuitEnv.of(p, self.tech, self.clk_freq))
        if not isinstance(model, ComponentModel):
            raise TypeError(f"ADC plug-in {getattr(self.builder, '__name__', self.builder)!r} returned "
                            f"{type(model).__name__}, not an arch.ComponentModel")
        model.cost("convert")  # fail early (UnknownAction) if the contract is not met
        if "column_energy" not in model.dynamic:
            raise TypeError(f"ADC plug-in model '{model.kind}' has no dynamic action 'column_energy'")
        return model

    def calculate_area(self, height_array: float, width_array: float, option=None) -> None:
        self.model = m = self._build(width_array)
        self.area, self.height, self.width = m.area_m2, m.height_m, width_array
        self.leakage = m.leakage_w
        self.energy_per_column = m.ports.get("energy_per_column_j", 0.0)
        parts = (m.ports.get("sense_latency_s"), m.ports.get("encoder_latency_s"))
        self.latency_parts = parts if None not in parts else (m.cost("convert").latency_s,)
        self.sense_latency = m.ports.get("sense_latency_s", 0.0)  # the MLSA's sensing time (V1.4 "ADClatency")

    def calculate_latency(self, num_read):
        self.read_latency = self.model.cost("convert").latency_s * num_read
        return self.read_latency

    def column_energy_sum(self, column_resistance) -> np.ndarray:
        r = np.atleast_2d(np.asarray(column_resistance, dtype=float))
        energy = np.asarray(self.model.cost("column_energy", column_resistance=r).energy_j, dtype=float)
        return np.broadcast_to(energy, (r.shape[0],)) + self.model.cost("convert").energy_j

    def energy_kernel_args(self):
        """The compiled form of ``column_energy`` when the model has one (the built-in ADCs), else
        None: the PE then passes every vector's column resistances to ``column_energy``."""
        return self.model.compiled.get("column_energy")

    def calculate_power(self, column_resistance, num_read):
        r = np.asarray(column_resistance, dtype=float)
        single = r.ndim == 1
        per_column = self.energy_per_column * np.atleast_2d(r).shape[1]
        energy = (per_column + self.column_energy_sum(r)) * np.asarray(num_read, dtype=float)
        self.leakage = self.model.leakage_w
        self.read_dynamic_energy = float(energy[0]) if single else energy
        return self.read_dynamic_energy
