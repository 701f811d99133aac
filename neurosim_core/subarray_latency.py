"""Read latency of the CIM subarray (NeuroSim V1.4 SubArray model, "CalculateLatency"), batched.

A mixin of `neurosim_core.subarray.SubArray`: the overlap rules of one subarray read, per mode
(parallel: row drive, mux and ADC in one sensing cycle per column group, partial sums pipelined
with the ADC; sequential: one row per cycle, accumulation pipelined), stated once here.
"""
from __future__ import annotations

import math

import numpy as np

from . import formula
from .circuits.arithmetic import ShiftAdd
from .constants import NMOS

#: ramp input the model uses for "ideal step" inputs
_STEP = 1e20
#: inference never writes the array (see subarray.py)
_NO_WRITE = 0.0


def _cmax(a, b):
    """The model's ``MAX(a, b)`` macro, ``a > b ? a : b`` (a NaN ``a`` gives ``b``), elementwise."""
    return np.where(a > b, a, b)


class SubArrayLatency:
    """Latency methods of `SubArray` (see the module docstring)."""

    def _repeater_latency(self, cap_row: float) -> float:
        """Delay of the repeater chain along a row (0 without repeaters)."""
        p = self.p
        if p.buffer_number <= 0:
            return 0.0
        section_num = p.num_col_subarray // (p.buffer_number + 1)
        unit_cap, unit_res = cap_row / p.num_col_subarray, self.unit_res
        r_drive, c_in, c_out = self.target_drive_res, self.drive_cap_in, self.drive_cap_out
        wire = unit_cap * section_num * (0.69 * r_drive + 0.38 * unit_res * section_num)
        t_inner = r_drive * c_out * 0.69 + wire + (unit_cap * section_num * 0.69 + 0.69 * r_drive) * c_in
        t_last = r_drive * c_out * 0.69 + wire
        t_gate = (c_out + c_in) * r_drive * 0.69
        latency = 0.0
        for i in range(p.buffer_number - 1, -1, -1):
            latency += (t_last + t_gate) if i == 0 else (t_inner + t_gate)
        return latency


    # ------------------------------------------------------------------------------------------
    @staticmethod
    def _batch(column_resistance, activity_row_read):
        """(2-D column resistance, 1-D activity, single-vector flag) from the caller's arrays."""
        res = np.asarray(column_resistance, dtype=float)
        single = res.ndim == 1
        res2 = res.reshape(1, -1) if single else res
        act = np.broadcast_to(np.asarray(activity_row_read, dtype=float), (res2.shape[0],))
        return res2, act, single

    @staticmethod
    def _out(value, n: int, single: bool):
        arr = np.broadcast_to(np.asarray(value, dtype=float), (n,)).copy()
        return float(arr[0]) if single else arr

    def _shift_add_adder_latency(self, shift_add: ShiftAdd) -> float:
        return shift_add.adder_latency if shift_add.initialized else 0.0

    def _sram_bitline_delay(self) -> float:
        """Elmore delay of the SRAM bitline to a half-sense-voltage swing."""
        p, tech, cell = self.p, self.tech, self.cell
        res_pull_down = formula.on_resistance(cell.width_sram_cell_nmos * self._fin * tech.feature_size, NMOS,
                                              p.temperature_k, tech)
        n = self.num_row
        cap_per_cell = self.cap_col / n + self.cap_cell_access
        res_per_cell = self.res_col / n
        elmore = ((self.res_cell_access + res_pull_down) * cap_per_cell * n
                  + cap_per_cell * res_per_cell * n * (n + 1) / 2)
        return elmore * math.log(tech.vdd / (tech.vdd - cell.min_sense_voltage / 2))

    def _adc_latency(self) -> None:
        # the conversion time does not depend on the input vector (the MLSA's is set by its ladder)
        self.adc_slot.calculate_latency(1)

    def _add_adc_latency(self, latency):
        """``latency`` plus one conversion, its parts added in turn (MLSA: sensing, then encoder)."""
        for part in self.adc_slot.latency_parts:
            latency += part
        return latency

    def _mux_latency(self, col_ramp: float) -> float:
        """Column mux + mux decoder delay (0 when not muxed)."""
        if self.num_col_muxed <= 1:
            return 0.0
        self.mux.calculate_latency(col_ramp, 0, 1)
        n = self._num_adc
        self.mux_decoder.calculate_latency(_STEP, self.mux.cap_tg_gate_n * n, self.mux.cap_tg_gate_p * n, 0, 0, 1, 0)
        return self.mux.read_latency + self.mux_decoder.read_latency

    def calculate_latency(self, column_resistance, activity_row_read, calculate_clk_freq: bool):
        """Read latency of every input vector (model's ``CalculateLatency``), batched.

        Parameters
        ----------
        column_resistance : array (n_vectors, n_columns) or (n_columns,)
            Column resistance of each input vector (ohm), as the model's ``GetColumnResistance``.
        activity_row_read : array (n_vectors,) or scalar
            Fraction of active rows of each vector (model's ``activityRowRead``).
        calculate_clk_freq : bool
            True: the clock pass.  ``read_latency`` is then the sensing-cycle time (s) of each
            vector; the clock period is its maximum over all vectors (and positions).
            False: the performance pass.  With ``p.synchronous`` the results are in clock
            cycles of ``self.clk_freq`` (set it to the chip clock first, as the model does);
            otherwise in seconds.

        Returns
        -------
        ``read_latency`` per vector: an array of shape (n_vectors,), a float for a 1-D
        ``column_resistance``.  Also sets, with the same shape, the attributes ``read_latency``,
        ``read_latency_adc``, ``read_latency_accum`` and ``read_latency_other`` (in the clock
        pass only ``read_latency``; the others are 0).  The processing element sums them over
        the vectors of a position.  The clock pass of the parallel modes also sets
        ``row_delay``, ``mux_delay`` and ``adc_latency`` (s).
        """
        if not self.initialized:
            raise RuntimeError("SubArray: initialize() first")
        res2, act, single = self._batch(column_resistance, activity_row_read)
        if self.conventional_parallel:
            total, adc, accum, other = self._latency_parallel(calculate_clk_freq)
        elif self.is_sram:
            total, adc, accum, other = self._latency_sram_sequential(act, calculate_clk_freq)
        else:
            total, adc, accum, other = self._latency_envm_sequential(act, calculate_clk_freq)
        n = res2.shape[0]
        self.read_latency = self._out(total, n, single)
        self.read_latency_adc = self._out(adc, n, single)
        self.read_latency_accum = self._out(accum, n, single)
        self.read_latency_other = self._out(other, n, single)
        return self.read_latency

    def _row_driver_latency_parallel(self) -> tuple[float, float]:
        """(row driver delay, repeater-chain delay) of the parallel-mode row path."""
        p, sram = self.p, self.is_sram
        num_write = _NO_WRITE
        if not sram and self.is_1t1r:
            driver, cap_row, kwargs = self.wl_new_switch_matrix, self.cap_row2, {}
        else:
            driver, cap_row = self.wl_switch_matrix, self.cap_row1
        buffered = p.buffer_number > 0 and (sram or self.is_1t1r)
        if buffered:
            # the model re-derives the per-cell row parasitics from the final row capacitance here
            self.unit_cap = cap_row / p.num_col_subarray
            self.unit_res = self.res_row / p.num_col_subarray
            section_num = p.num_col_subarray // (p.buffer_number + 1)
            cap_load, res_load = cap_row / (p.buffer_number + 1) + self.drive_cap_in, self.unit_res * section_num
        else:
            cap_load, res_load = cap_row, self.res_row
        if driver is self.wl_switch_matrix:
            kwargs = self._row_bus_kwargs()
        driver.calculate_latency(_STEP, cap_load, res_load, 1, num_write, **kwargs)
        return driver.read_latency, (self._repeater_latency(cap_row) if buffered else 0.0)

    def _latency_parallel(self, clk_pass: bool):
        """Parallel modes: nothing depends on the input vector, results are scalars."""
        beta, n_mux, n_add, sram = self._beta, self.num_col_muxed, self.num_add, self.is_sram
        col_ramp = 0.0
        if not sram:
            tau = self.cap_col * self._per_half_parallel_rows(self.res_mem_cell_avg)
            _, col_ramp = formula.horowitz(tau, 0, _STEP)
            self.col_delay = tau * 0.2  # a 15-20 % swing is enough to sense
        rows = mux = 0.0
        if clk_pass or not self.synchronous:
            rows, buffer_latency = self._row_driver_latency_parallel()
            if sram:
                num_write = _NO_WRITE
                self.precharger.calculate_latency(_STEP, self.cap_col, 1, num_write)
            self._adc_latency()
            mux = self._mux_latency(col_ramp)
            if sram:
                self.col_delay = self._sram_bitline_delay()
            if clk_pass:
                latency = 0.0
                latency += max(rows + buffer_latency, mux)
                if sram:
                    latency += self.precharger.read_latency
                latency = self._add_adc_latency(latency)
                latency *= beta
                self.row_delay = rows + buffer_latency
                self.mux_delay = self.mux.read_latency + self.mux_decoder.read_latency
                self.adc_latency = self.adc_slot.sense_latency
                return latency, 0.0, 0.0, 0.0
        self._accumulation_latency()
        ncps = self.num_cell_per_synapse
        groups = self.p.synapses_per_mux
        saw = self._shift_add_adder_latency(self.shift_add_weight)
        sai = self._shift_add_adder_latency(self.shift_add_input)
        other = 0.0
        if self.synchronous:
            clk = self.clk_freq
            adc = float(n_mux * n_add)
            accum = 0.0
            if n_add > 1:  # adder pipelined with the ADC
                accum += n_mux * (n_add - 1) * (math.ceil(self.adder.read_latency * clk) - 1)
            with np.errstate(divide="ignore", invalid="ignore"):
                if ncps > 1:  # weight shift-add pipelined with ADC + adder of one column
                    accum += (ncps - 1) * groups * _cmax(math.ceil(saw * clk) - np.float64(adc + accum) / n_mux, 0)
                if self.num_read_pulse > 1:  # input shift-add pipelined with the synapse's columns
                    accum += groups * _cmax(math.ceil(sai * clk) - np.float64(adc + accum) / np.float64(groups), 0)
        else:
            if sram:
                sense = self._add_adc_latency(self.precharger.read_latency + self.col_delay)
            else:
                sense = self._add_adc_latency(0.0) + self.col_delay
            adc = sense * n_mux * beta * n_add
            other = max(rows * n_add, mux) * n_mux * beta
            accum = _cmax(self.adder.read_latency * n_mux * (n_add - 1) + saw * (ncps - 1) * groups + sai * groups
                          - adc - other, 0)
        return adc + accum + other, adc, accum, other

    def _accumulation_latency(self) -> None:
        """Adder/DFF and shift-adder latencies used by the performance pass."""
        if self.conventional_sequential or self.num_add > 1:
            self.adder.calculate_latency(_STEP, self.dff.cap_tg_drain, 1)
            self.dff.calculate_latency(_STEP, 1)
        if self.num_cell_per_synapse > 1:
            self.shift_add_weight.calculate_latency(1)
        if self.num_read_pulse > 1:
            self.shift_add_input.calculate_latency(1)

    def _latency_sram_sequential(self, act, clk_pass: bool):
        beta, num_row = self._beta, self.num_row
        ops_per_row = math.ceil(self.num_col / self.num_read_cell_per_operation_neuro)
        if clk_pass or not self.synchronous:
            num_write = _NO_WRITE
            self.wl_decoder.calculate_latency(_STEP, self.cap_row1, 0, self.res_row, self.num_col, 1, num_write)
            self.precharger.calculate_latency(_STEP, self.cap_col, 1, num_write)
            self.sense_amp.calculate_latency(1)
            self.col_delay = self._sram_bitline_delay()
            if clk_pass:
                latency = 0.0
                latency += self.wl_decoder.read_latency
                latency += self.precharger.read_latency
                latency += self.col_delay
                latency += self.sense_amp.read_latency
                latency *= beta
                return latency, 0.0, 0.0, 0.0
        self._accumulation_latency()
        ncps = self.num_cell_per_synapse
        saw = self._shift_add_adder_latency(self.shift_add_weight)
        sai = self._shift_add_adder_latency(self.shift_add_input)
        reads = ops_per_row * num_row * act
        other = np.zeros_like(act)
        if self.synchronous:
            clk = self.clk_freq
            adc = reads
            accum = ops_per_row * (num_row * act - 1) * (math.ceil(self.adder.read_latency * clk) - 1)
            accum = accum + _cmax(math.ceil((saw * (ncps - 1) + sai) * clk) - (adc + accum), 0)
        else:
            sense = self.precharger.read_latency + self.col_delay + self.sense_amp.read_latency
            adc = sense * ops_per_row * num_row * act * beta
            other = self.wl_decoder.read_latency * num_row * act * beta
            accum = _cmax(self.adder.read_latency * (ops_per_row * num_row * act - 1) + saw * (ncps - 1) + sai
                          - adc - other, 0)
        return adc + accum + other, adc, accum, other

    def _latency_envm_sequential(self, act, clk_pass: bool):
        beta, num_row, n_mux = self._beta, self.num_row, self.num_col_muxed
        tau = self.cap_col * self.res_mem_cell_avg
        _, col_ramp = formula.horowitz(tau, 0, _STEP)
        self.col_delay = tau * 0.2  # a 15-20 % swing is enough to sense
        rows = mux = 0.0
        if clk_pass or not self.synchronous:
            num_write = _NO_WRITE
            self.wl_decoder.calculate_latency(_STEP, self.cap_row2, 0, self.res_row, self.num_col, 1, num_write)
            ramp = self.wl_decoder.ramp_output
            if self.is_1t1r:
                self.wl_new_decoder_driver.calculate_latency(ramp, self.cap_row2, self.res_row, 1, num_write)
            else:
                self.wl_decoder_driver.calculate_latency(ramp, self.cap_row1, self.cap_row1, self.res_row, 1, num_write)
            mux = self._mux_latency(col_ramp)
            self._adc_latency()
            rows = (self.wl_decoder.read_latency + self.wl_new_decoder_driver.read_latency
                    + self.wl_decoder_driver.read_latency)
            if clk_pass:
                latency = 0.0
                latency += max(rows, mux)
                latency += self.col_delay
                latency = self._add_adc_latency(latency)
                latency *= beta
                return latency, 0.0, 0.0, 0.0
        self._accumulation_latency()
        ncps = self.num_cell_per_synapse
        groups = self.p.synapses_per_mux
        saw = self._shift_add_adder_latency(self.shift_add_weight)
        sai = self._shift_add_adder_latency(self.shift_add_input)
        other = np.zeros_like(act)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.synchronous:
                clk = self.clk_freq
                adc = num_row * act * n_mux
                accum = n_mux * (num_row * act - 1) * (math.ceil(self.adder.read_latency * clk) - 1)
                if ncps > 1:
                    accum = accum + (ncps - 1) * groups * _cmax(math.ceil(saw * clk) - (adc + accum) / n_mux, 0)
                if self.num_read_pulse > 1:
                    accum = accum + groups * _cmax(math.ceil(sai * clk) - (adc + accum) / np.float64(groups), 0)
            else:
                adc = (self._add_adc_latency(0.0) + self.col_delay) * (num_row * act * n_mux) * beta
                other = _cmax(rows * num_row * act, mux) * n_mux * beta
                accum = _cmax(self.adder.read_latency * n_mux * (num_row * act - 1) + saw * (ncps - 1) * groups
                              + sai * groups - adc - other, 0)
        return adc + accum + other, adc, accum, other

