"""Transitional adapters: the stateful interface (``initialize`` / ``calculate_*``) that the not yet
converted callers (buffer, functional unit) still use for the row decoder.  (The other decoder
and switching adapters went away with their last caller, the subarray.)  Every number comes from the builders of `decoders` / `switching`; the
adapters only translate the old call arguments into a spec and multiply per-action costs by the
counts the caller gives.  They go away when their last caller moves to the builders.
"""
from __future__ import annotations

from dataclasses import replace

from ..constants import AreaModify, DecoderMode
from .base import Component
from .env import CircuitEnv


class _Adapter(Component):
    """Holds the spec being assembled from the old calls and caches the models built from it."""

    _builder = None  # set by subclasses (a staticmethod)

    def _set(self, **changes) -> None:
        self._spec = replace(self._spec, **changes)

    def _model(self):
        cache = self.__dict__.setdefault("_models", {})
        if self._spec not in cache:
            cache[self._spec] = type(self)._builder(self._spec, self._env())
        return cache[self._spec]

    def _env(self, clk_freq: float | None = None) -> CircuitEnv:
        return CircuitEnv.of(self.p, self.tech, clk_freq if clk_freq is not None else getattr(self, "clk_freq", None))

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        self._set(fit_height_m=new_height, fit_width_m=new_width, area_modify=AreaModify(option))
        m = self._model()
        self.height, self.width, self.area = m.height_m, m.width_m, m.area_m2
        self.new_height, self.new_width = new_height, new_width

    def _read_energy(self, num_read, **data) -> None:
        """``num_read`` reads' energy (may be per-vector) and the leakage."""
        self.read_dynamic_energy = self._model().cost("read", **data).energy_j * num_read
        self.leakage = self._model().leakage_w


# ---- decoders -----------------------------------------------------------------------------

from .decoders import RowDecoderSpec, row_decoder  # noqa: E402


class RowDecoder(_Adapter):
    """Adapter over `decoders.row_decoder`."""

    _builder = staticmethod(row_decoder)

    def initialize(self, mode: DecoderMode, num_addr_row: int, mux: bool, parallel: bool) -> None:
        p = self.p
        self.mode, self.num_addr_row = DecoderMode(mode), int(num_addr_row)
        self.mux, self.parallel = bool(mux), bool(parallel)
        self._spec = RowDecoderSpec(num_addr_bits=self.num_addr_row, mode=self.mode, mux=self.mux,
                                    parallel=self.parallel,
                                    driver_sizing=p.sizing_factor_mux if mux else p.sizing_factor_wl_decoder,
                                    read_activity=p.epsilon if p.validated else 1.0)
        self.initialized = True

    def calculate_latency(self, ramp_input: float, cap_load1: float, cap_load2: float, res_load: float,
                          col_num: float, num_read, num_write) -> None:
        self._set(ramp_input=ramp_input, load_cap_f=cap_load1, load_cap_p_f=cap_load2, line_res_ohm=res_load,
                  line_cells=col_num)
        m = self._model()
        self.ramp_output = m.port("ramp_output")
        self.read_latency = m.cost("read").latency_s * num_read
        self.write_latency = m.cost("write").latency_s * num_write

    def calculate_power(self, num_read, num_write) -> None:
        m = self._model()
        self.leakage = m.leakage_w
        self.read_dynamic_energy = m.cost("read").energy_j * num_read
        self.write_dynamic_energy = m.cost("write").energy_j * num_write
