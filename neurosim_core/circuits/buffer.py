"""On-chip buffers: the register-file (DFF) or SRAM buffers of the chip, the tiles and the PEs.

Model: DNN+NeuroSim V1.4 user manual, "Buffer" (register file or SRAM array, read and written
one line of ``interface_width`` bits at a time); SRAM bit-line discharge as the Elmore delay of the
access + pull-down transistors and the distributed bit line (Rabaey, "Digital Integrated
Circuits", 6.4 / 12.2).

A buffer holds ``num_bit`` bits in ``num_row = ceil(num_bit / interface_width)`` lines.

* Register file: a `dff_bank` of ``num_bit`` flip-flops (one row) and a word-line decoder stacked
  along it.  A line is selected by the decoder and accessed in half a clock period.
* SRAM: an array of SRAM cells (``interface_width`` x ``num_row``) with a word-line decoder along
  its height and, along its width, bit-line prechargers and write drivers.  A read selects a word
  line (decoder into the word-line wire), precharges the bit lines, discharges them to half the
  sense margin through the access and pull-down transistors (Elmore, ``ln(Vdd / (Vdd - V_s/2))``)
  and senses them; a write precharges, then decodes and drives in parallel.  Word-line charging
  (wire + two access gates per cell) adds to both; writing flips the cell (``cap_cell_f``) of every
  bit.

Energy is that of accessing every line once, averaged over the buffer's bits (the reference's
per-bit figure): per bit ``(decoder + DFF or precharge/sense/word line, for all lines) /
num_bit``.  In a synchronous design a line moves in one clock cycle.

Differences from the reference, each fixing undefined behaviour of its buffer model:

* SRAM: the sense amplifiers' load capacitance is used without ever being computed (their
  layout is not evaluated), so the reference read energy and asynchronous read latency are
  garbage (e.g. 0.1 J per read).  We compute it (their area is still not counted, as in the
  model).
* Register file, asynchronous: the reference passes the row decoder's load arguments shifted (an
  uninitialized wire resistance as load capacitance, ...), making its latency infinite.  We load
  the decoder with the word-line wire along one line of DFFs and no wire resistance.
* SRAM: the prechargers' load is set only by their latency call, which the reference skips in a
  synchronous design (garbage energy again).  We always load them with the bit-line wire.

`buffer(BufferSpec, env)` is the builder (callers: tile and chip levels, the training estimator).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from .. import formula
from ..arch import ActionCost, ComponentModel
from ..constants import MAX_TRANSISTOR_HEIGHT, NMOS
from .decoders import RowDecoderSpec, row_decoder
from .dff import DffBankSpec, dff_bank
from .env import CircuitEnv
from .sram_periphery import PrechargerSpec, SenseAmpSpec, SramWriteDriverSpec, precharger, sense_amp, sram_write_driver

__all__ = ["SramCellSpec", "BufferSpec", "buffer"]

WIRE_CAP_PER_M = 0.2e-15 / 1e-6  # F/m


@dataclass(frozen=True, kw_only=True)
class SramCellSpec:
    """An SRAM bit cell: footprint and transistor widths in F (fins at <= 14 nm), cell capacitance
    flipped by a write, sense margin, and the array's word-line (metal 0) and bit-line (metal 1)
    resistance per metre."""

    width_f: float
    height_f: float
    access_width_f: float
    pull_down_width_f: float
    pull_up_width_f: float
    cap_cell_f: float
    sense_voltage_v: float
    word_line_res_per_m: float
    bit_line_res_per_m: float

    @classmethod
    def of(cls, p, cell, *, footprint: Literal["sram", "memory_cell"] = "sram") -> "SramCellSpec":
        """The node's SRAM cell (``footprint="memory_cell"``: the synaptic cell's footprint, as the
        sigmoid table uses)."""
        if footprint == "sram":
            width_f, height_f = p.width_in_feature_size_sram, p.height_in_feature_size_sram
        else:
            width_f, height_f = cell.width_in_feature_size, cell.height_in_feature_size
        return cls(width_f=width_f, height_f=height_f, access_width_f=cell.width_access_cmos,
                   pull_down_width_f=cell.width_sram_cell_nmos, pull_up_width_f=cell.width_sram_cell_pmos,
                   cap_cell_f=cell.cap_sram_cell, sense_voltage_v=cell.min_sense_voltage,
                   word_line_res_per_m=p.metal0_unit_wire_res, bit_line_res_per_m=p.metal1_unit_wire_res)


def drawn_width(width_f: float, tech) -> float:
    """A cell transistor's drawn width (m): two fins wide at FinFET/GAA nodes."""
    return width_f * ((2 if tech.feature_size_in_nano <= 14 else 1) * tech.feature_size)


@dataclass(frozen=True, kw_only=True)
class BufferSpec:
    """``num_bit`` bits in lines of ``interface_width``; ``kind`` register file or SRAM (which
    needs ``sram_cell``); laid out to ``fit_width_m`` (else ``fit_height_m``).  ``wire_res_per_m``:
    the bit-line resistance the prechargers and write drivers see (the node's global wire).
    ``decoder_sizing``: word-line driver sizing factor; ``control_activity``: calibrated activity
    of the decoder's read energy (epsilon when validated, else 1); ``gamma``: the DFFs' calibrated
    activity."""

    num_bit: int
    interface_width: int
    kind: Literal["register_file", "sram"]
    fit_height_m: float = 0.0
    fit_width_m: float = 0.0
    sram_cell: SramCellSpec | None = None
    wire_res_per_m: float = 0.0
    decoder_sizing: float = 1.0
    control_activity: float = 1.0
    gamma: float = 1.0

    @classmethod
    def of(cls, p, cell, *, num_bit: int, interface_width: int, sram: bool, fit_height_m: float = 0.0,
           fit_width_m: float = 0.0) -> "BufferSpec":
        """The spec of a buffer of resolved parameters ``p`` and memory cell ``cell``."""
        return cls(num_bit=int(num_bit), interface_width=int(interface_width),
                   kind="sram" if sram else "register_file", fit_height_m=fit_height_m, fit_width_m=fit_width_m,
                   sram_cell=SramCellSpec.of(p, cell) if sram else None, wire_res_per_m=p.unit_length_wire_resistance,
                   decoder_sizing=p.sizing_factor_wl_decoder, control_activity=p.epsilon if p.validated else 1.0,
                   gamma=p.gamma)


def buffer(spec: BufferSpec, env: CircuitEnv) -> ComponentModel:
    """A register-file or SRAM buffer (module docstring).

    Actions: ``read`` / ``write`` -- one line of ``interface_width`` bits (latency of one line:
    one clock period when synchronous; energy of that many bits).  Ports:
    ``read_energy_per_bit_j`` / ``write_energy_per_bit_j`` (a partial line costs this per bit),
    ``num_row`` (lines), ``interface_width``.  Leakage: decoder and DFFs, or decoder, prechargers,
    write drivers and sense amplifiers.  Composed of `row_decoder`, `dff_bank` or `precharger`,
    `sram_write_driver` and `sense_amp`.
    """
    if spec.kind not in ("register_file", "sram"):
        raise ValueError(f"buffer: kind '{spec.kind}' is not one of register_file, sram")
    if not (spec.fit_width_m or spec.fit_height_m):
        raise ValueError("buffer: give fit_width_m or fit_height_m (the side it is laid out along)")
    width = int(spec.interface_width)
    num_row = math.ceil(spec.num_bit / width)
    addr_bits = int(math.ceil(math.log2(num_row)))
    if spec.kind == "sram":
        if spec.sram_cell is None:
            raise ValueError("buffer: an SRAM buffer needs sram_cell")
        area, line, whole, leakage = _sram_array(spec, num_row, addr_bits, env)
    else:
        area, line, whole, leakage = _register_file(spec, num_row, addr_bits, env)
    read_latency, write_latency = (1.0 / env.clk_freq_hz,) * 2 if env.synchronous else line
    read_per_bit, write_per_bit = (energy / spec.num_bit for energy in whole)
    if spec.fit_width_m:
        w_m, h_m = spec.fit_width_m, area / spec.fit_width_m
    else:
        w_m, h_m = area / spec.fit_height_m, spec.fit_height_m
    return ComponentModel(
        kind=f"buffer_{spec.kind}", area_m2=area, height_m=h_m, width_m=w_m, leakage_w=leakage,
        actions={"read": ActionCost(latency_s=read_latency, energy_j=read_per_bit * width),
                 "write": ActionCost(latency_s=write_latency, energy_j=write_per_bit * width)},
        ports={"read_energy_per_bit_j": read_per_bit, "write_energy_per_bit_j": write_per_bit,
               "num_row": float(num_row), "interface_width": float(width)},
    )


def _sram_array(spec: BufferSpec, num_row: int, addr_bits: int, env: CircuitEnv):
    """(area, (read, write) latency of one line, (read, write) energy of every line once, leakage)."""
    tech, c = env.tech, spec.sram_cell
    f, width, vdd2 = tech.feature_size, int(spec.interface_width), tech.vdd * tech.vdd
    length_row = width * c.width_f * f  # word line
    length_col = num_row * c.height_f * f  # bit line
    w_access = drawn_width(c.access_width_f, tech)
    res_access = formula.on_resistance(w_access, NMOS, env.temperature_k, tech)
    res_pull_down = formula.on_resistance(drawn_width(c.pull_down_width_f, tech), NMOS, env.temperature_k, tech)
    # word line: wire plus two access gates per cell; bit line: wire plus an access drain per cell
    cap_word_line = length_row * WIRE_CAP_PER_M + 2 * formula.gate_cap(w_access, tech) * width
    wire_cap_col = length_col * WIRE_CAP_PER_M
    if tech.feature_size_in_nano <= 14:
        drain_per_cell = tech.cap_draintotal * c.access_width_f * tech.effective_width
    else:
        drain_per_cell = formula.drain_cap(w_access, NMOS, MAX_TRANSISTOR_HEIGHT * f, tech)
    cap_bit_line = wire_cap_col + drain_per_cell * num_row
    res_bit_line = length_col * c.bit_line_res_per_m

    decoder = row_decoder(RowDecoderSpec(num_addr_bits=addr_bits, driver_sizing=spec.decoder_sizing,
                                         fit_height_m=length_col, load_cap_f=length_row * WIRE_CAP_PER_M,
                                         line_res_ohm=length_row * c.word_line_res_per_m, line_cells=width,
                                         read_activity=spec.control_activity), env)
    drive_res = length_col * spec.wire_res_per_m
    precharge = precharger(PrechargerSpec(num_col=width, bitline_cap_f=wire_cap_col, bitline_res_ohm=drive_res,
                                          read_cols=width, write_cols=width, fit_width_m=length_row), env)
    driver = sram_write_driver(SramWriteDriverSpec(num_col=width, bitline_cap_f=wire_cap_col,
                                                   bitline_res_ohm=drive_res, write_cols=width,
                                                   fit_width_m=length_row), env)
    sense = sense_amp(SenseAmpSpec(num_col=width, sense_voltage_v=c.sense_voltage_v, pitch_m=length_row / width,
                                   read_cols=width), env)

    # bit-line discharge of one read: Elmore delay of access + pull-down into the distributed line
    elmore = ((res_access + res_pull_down) * cap_bit_line
              + cap_bit_line * res_bit_line * (num_row + 1) / (2 * num_row))
    discharge = elmore * math.log(tech.vdd / (tech.vdd - c.sense_voltage_v / 2))
    dec_r, dec_w = decoder.cost("read"), decoder.cost("write")
    pre_r, pre_w = precharge.cost("precharge"), precharge.cost("write")
    sense_r, drive_w = sense.cost("sense"), driver.cost("write")
    word_line = cap_word_line * vdd2
    latency = (dec_r.latency_s + pre_r.latency_s + discharge + sense_r.latency_s,
               pre_w.latency_s + max(dec_w.latency_s, drive_w.latency_s))
    energy = ((dec_r.energy_j + pre_r.energy_j + sense_r.energy_j + word_line) * num_row,
              (dec_w.energy_j + pre_w.energy_j + drive_w.energy_j + word_line) * num_row
              + c.cap_cell_f * vdd2 * spec.num_bit)  # every written cell flips Q and Q_bar
    area = length_row * length_col + decoder.area_m2 + precharge.area_m2 + driver.area_m2
    leakage = decoder.leakage_w + precharge.leakage_w + driver.leakage_w + sense.leakage_w
    return area, latency, energy, leakage


def _register_file(spec: BufferSpec, num_row: int, addr_bits: int, env: CircuitEnv):
    """(area, (read, write) latency of one line, (read, write) energy of every line once, leakage)."""
    width = int(spec.interface_width)
    dffs = dff_bank(DffBankSpec(num_dff=int(spec.num_bit), gamma=spec.gamma), env)
    h_dff = dffs.port("dff_height_m")
    decoder = row_decoder(RowDecoderSpec(num_addr_bits=addr_bits, driver_sizing=spec.decoder_sizing,
                                         fit_height_m=h_dff * num_row, load_cap_f=h_dff * width * WIRE_CAP_PER_M,
                                         line_cells=width, read_activity=spec.control_activity), env)
    half_period = 1.0 / env.clk_freq_hz / 2  # a DFF line is accessed in half a clock cycle
    # energy: the decoder selects each full line once; the bank is clocked once with every bit captured
    full_lines = spec.num_bit // width
    dff_once = dffs.cost("clock").energy_j + dffs.cost("capture").energy_j * spec.num_bit
    dec_r, dec_w = decoder.cost("read"), decoder.cost("write")
    latency = (dec_r.latency_s + half_period, dec_w.latency_s + half_period)
    energy = (dec_r.energy_j * full_lines + dff_once, dec_w.energy_j * full_lines + dff_once)
    return dffs.area_m2 + decoder.area_m2, latency, energy, dffs.leakage_w + decoder.leakage_w
