"""The one registry of reference defects that we reproduce for exact numbers.

NeuroSim's binaries (V1.4 inference, V2.1 training) and its Python inference layers have
defects: uninitialised variables, integer truncation, out-of-range reads, coding choices that
bias results.  Where we reproduce one to match the reference's printed numbers, it is *one entry
here* with a one-line description, and the code that reproduces it asks
``applies("<name>", compat)``.  Nothing else in the package may special-case the reference.

``compat`` is the product-wide switch (hardware config, hardware-aware inference config, flow
config):

* ``neurosim_v14``  -- reproduce DNN+NeuroSim V1.4 (inference) exactly: every quirk whose
  ``versions`` contains it is applied.  The default.
* ``neurosim_v21``  -- reproduce DNN+NeuroSim V2.1 (on-chip training) exactly.
* ``corrected``     -- the physically / arithmetically consistent model: no quirk applies.

The README table of quirks and their measured effect is generated from `all_quirks()`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "COMPAT_MODES",
    "DEFAULT_COMPAT",
    "Compat",
    "Quirk",
    "UnknownQuirk",
    "active",
    "all_quirks",
    "applies",
    "quirk",
]

Compat = Literal["neurosim_v14", "neurosim_v21", "corrected"]
COMPAT_MODES: tuple[str, ...] = ("neurosim_v14", "neurosim_v21", "corrected")
DEFAULT_COMPAT: Compat = "neurosim_v14"

#: where a quirk acts
Scope = Literal["estimator", "hw_inference", "training"]


class UnknownQuirk(KeyError):
    """A quirk name that is not in the registry (a typo in the code that asks for it)."""


@dataclass(frozen=True)
class Quirk:
    """One reproduced reference defect."""

    name: str
    versions: frozenset[str]  # the compat modes that apply it
    scope: Scope
    description: str  # one line: what the reference does and what the consistent model does


def _q(name: str, versions: tuple[str, ...], scope: Scope, description: str) -> Quirk:
    return Quirk(name, frozenset(versions), scope, description)


V14 = ("neurosim_v14",)
V21 = ("neurosim_v21",)
BOTH = ("neurosim_v14", "neurosim_v21")

# --- the registry ---------------------------------------------------------------------------
# One entry per reproduced defect, kept in one table so that the README table and the tests
# see every one.  Add an entry here *and* ask `applies(name, compat)` where the model differs.
_REGISTRY: dict[str, Quirk] = {
    q.name: q
    for q in (
        # entries are added by the modules that reproduce them (see module docstrings)
        # --- estimator (neurosim_core), DNN+NeuroSim V1.4 ---------------------------------
        _q("floorplan_location_carry_over", V14, "estimator",
           "Chip.cpp never initialises the tile-location count: main.cpp's 3 earlier ChipFloorPlan calls leave 3x the tiles of layers 2..N on it (H-tree bus distances); corrected: starts at 0"),
        _q("floorplan_location_from_second_layer", V14, "estimator",
           "the tile location of layer i adds the tiles of layers 2..i; corrected: of layers 1..i-1"),
        _q("mlsa_integer_column_share", V14, "estimator",
           "MLSA switching energy shares the reference columns with 1/(levelOutput-1) in integers (0 beyond 2 levels); corrected: real division"),
        _q("integer_synapses_per_mux", V14, "estimator",
           "ceil(numColMuxed/numCellPerSynapse) over integers truncates (shift-add and partial-sum counts when cell bits do not divide the mux); corrected: ceiling"),
        _q("integer_half_parallel_rows", V14, "estimator",
           "parallel-read column resistance / mux sizing divide by numRowParallel/2 in integers (1 parallel row: infinite); corrected: real half"),
        _q("tile_buffer_uses_pe_buffer_type", V14, "estimator",
           "the tile input/output buffers take the PE buffer type (peBufferType) instead of tileBufferType; corrected: tileBufferType"),
        _q("tile_remerges_previous_pe", V14, "estimator",
           "a conventional tile without duplication adds the previous PE's latency/energy again for PE-grid positions outside the weights; corrected: empty positions add nothing"),
        _q("pipeline_leakage_running_cycle", V14, "estimator",
           "pipelined leakage averages each layer's idle time against the slowest layer so far, not the system cycle; corrected: the system cycle"),
        _q("valid_padding_window_count", V14, "estimator",
           "each layer evaluates int((H-K+1)/s*(W-K+1)/s) windows although the traces (and the TOPS count) are same-padded; corrected: ceil(H/s)*ceil(W/s) windows"),
        _q("novel_mapping_row_order", V14, "estimator",
           "novel mapping reads the c_in-major weight/input rows as if kernel-position-major, so PEs get mixed channels/positions; corrected: PE k gets kernel position k"),
        _q("adder_tree_drops_odd_operand", V14, "estimator",
           "each adder-tree stage passes floor(n/2) operands on, dropping an odd one (fewer adders); corrected: ceil(n/2)"),
        _q("adder_tree_single_operand_latency", V14, "estimator",
           "an adder tree summing a single operand still takes the first stage's ripple latency; corrected: no stage, no latency"),
        _q("tile_stale_accumulation_leakage", BOTH, "estimator",
           "a conventional tile that runs no accumulation (duplicated PEs) still adds the leakage of the last tile accumulation run, in any tile or clock pass; corrected: only its own (0 when none runs)"),
        _q("inverter_nmos_sidewall_pmos_folds", BOTH, "estimator",
           "an inverter's NMOS drain sidewall takes the odd/even parity of the PMOS folding count (formula.cpp); corrected: the NMOS folding count"),
        _q("chip_last_tile_leakage", BOTH, "estimator",
           "a layer's per-tile leakage is the last tile's (Chip.cpp overwrites it per tile), times the tile count; corrected: the mean of its tiles"),
        _q("pe_stale_adder_tree_leakage", BOTH, "estimator",
           "a duplicated PE holding its whole weight block in one subarray runs no adder tree and adds the leakage of the last adder tree run by a PE of its design (0 before any); corrected: its own adder tree's"),
        _q("tile_leakage_omits_activation", BOTH, "estimator",
           "the tile leakage leaves out its in-tile ReLU / sigmoid unit (Tile.cpp never adds it); corrected: the unit leaks"),
        _q("buffer_leakage_one_core", BOTH, "estimator",
           "a tile buffer of several cores counts every core's area but one core's leakage; corrected: every core leaks"),
        _q("sram_row_repeaters_no_leakage", BOTH, "estimator",
           "SRAM subarray: the row repeaters (2 nm / 1 nm) take area but no leakage (eNVM ones leak); corrected: they leak"),
        _q("sram_sequential_pipeline_register_no_leakage", BOTH, "estimator",
           "sequential SRAM subarray: the shift-add pipeline register takes area but no leakage; corrected: it leaks"),
        _q("comparator_middle_bits_negative", BOTH, "estimator",
           "a num_bit-bit comparator's carry counts (num_bit - 2) middle stages, so a 1-bit comparator (max pooling) subtracts one; corrected: max(num_bit - 2, 0)"),
        _q("sigmoid_word_line_unloaded", BOTH, "estimator",
           "the sigmoid table passes its cell load as the decoder's mux-only load, so its word line charges nothing; corrected: wire + two access gates per cell, as the buffer's"),
        _q("row_decoder_folded_inverters_no_width", BOTH, "estimator",
           "a row decoder folded into a given height counts 0 columns of predecoder inverters (RowDecoder.cpp tests the count before setting it), so they add no width; corrected: the columns they need"),
        _q("new_switch_matrix_pmos_as_nmos", BOTH, "estimator",
           "the 1T1R switch matrix's TG on-resistance takes the nMOS fit for its pMOS device too; corrected: the pMOS fit"),
        _q("demux_fold_width_whole_metres", BOTH, "estimator",
           "a demux folded into a given width truncates its per-TG width to whole metres (folds -1 times); corrected: the real width (at least one fold)"),
        # --- V2.1 on-chip training (neurosim_core/training) ---
        _q("v21_write_row_set_or_reset", V21, "training",
           "weight update: a row with both SET and RESET cells is counted only as a SET row in the selected-row counts"),
        _q("v21_write_avg_cols_int_division", V21, "training",
           "weight update: selected columns per selected row averaged with integer division (truncated)"),
        _q("v21_fefet_pr_midpoint_int_division", V21, "training",
           "FeFET write energy: the polarisation mid-level maxNumLevel/2 is an integer division"),
        _q("v21_sram_weight_quotient", V21, "training",
           "SRAM weight mapping stores the running quotients v>>(k+1) instead of the bits of v"),
        _q("v21_dram_ifm_ignores_channels", V21, "training",
           "DRAM activation traffic counts H*W*numBitInput bits per layer, ignoring the channel count"),
        _q("v21_write_parallel_uninitialised_precision", V21, "training",
           "arrays written in parallel are sized with the WG output precision read before it is set (0)"),
        _q("v21_mlsa_chained_comparison", V21, "training",
           "V2.1 multilevel sense-amp latency fit: 'mid <= ratio <= up' is always true, so (0.9, 1.1) takes the upper fit"),
        _q("v21_dram_breakdown_line", V21, "training",
           "the printed DRAM breakdown counts the IFM transfer 36x (24x for layer 1) while the totals count 6x (4x)"),
        _q("v21_register_file_line_spans_dffs", V21, "training",
           "register-file global buffer: a line's word line spans the DFFs' width (not height) and its decode adds to the half clock; corrected: the inference buffer model"),
        _q("v21_rram_below_22nm_as_fefet", V21, "training",
           "RRAM below 22 nm is accepted and its read path priced as FeFET; corrected: refused as by the inference models"),
        _q("v21_write_rows_physical_times_activity", V21, "training",
           "weight update: rows written = the sub-array's physical rows x the write activity of its mapped rows only; corrected: the mapped rows selected for writing"),
        _q("v21_pe_area_from_used_subarray_area", V21, "training",
           "chip area adds the sub-arrays' component areas (their 'used area'), leaving out the empty space of their laid-out height x width; corrected: the laid-out area"),
        _q("v21_wg_write_activity_uninitialised", V21, "training",
           "WG unit: the precharger and write drivers take their column write activity before the layer sets it, so their write energy is 0; corrected: the layer's activity"),
        _q("v21_write_voltage_root_sum_square", V21, "training",
           "weight update: the cell write voltage is sqrt(V_LTP^2 + V_LTD^2), sqrt 2 x V_w for equal LTP/LTD voltages (cell and line write energies 1.4-2x); corrected: V_w"),
        _q("v21_sl_write_pulses_uninitialised", V21, "training",
           "weight update: the source-line switch matrix takes the pulses per row before any layer sets them (0), so the selected columns' pulse energy is left out; corrected: the sub-array's average pulses"),
        _q("v21_leakage_omits_interconnect", V21, "training",
           "the PE leakage sums sub-arrays, adder tree and registers but not its input/output buses, and the tile's sums PEs, accumulation and buffers but not its H-tree; corrected: they leak"),
        _q("v21_momentum_buffer_normalised_by_qg", V21, "training",
           "train.py aliases param.grad to the momentum buffer, so QG's in-place x /= 2^round(log2 max|x|) also rescales it: v <- gamma v / 2^round(log2 max|v|) + alpha g; corrected: plain momentum"),
        _q("v21_init_beyond_weight_range", V21, "training",
           "wage_init_ draws weights uniform in +-max(1.5, sqrt(3/fan_in)), beyond the +-15/16 a 5-bit cell holds, output divisor 2^round(log2(1.5/sqrt(3/fan_in))); corrected: uniform in +-15/16, divisor matched to He spread"),
        _q("v21_first_layer_raw_input", V21, "training",
           "the first conv computes on the raw float image (no input quantiser) while its trace holds the 8-bit codes; corrected: it computes on those codes"),
        _q("v21_weight_old_param_plus_grad", V21, "training",
           "weightOld is written as param + grad after W(), i.e. the pre-step weight plus the last step's c2c noise and minus its clipping; corrected: the true pre-step weight"),
        _q("v21_nl_label_floored", V21, "training",
           "GetParamA reads the table at int(|NL|*100)-1 clamped to 0..899: labels floored to 0.01, a d2d draw below 0.01 never linear; corrected: the exact label (|NL| <= 9)"),
        _q("v21_test_loss_per_batch", V21, "training",
           "the reported test loss is each test batch's summed SSE averaged over batches (scales with the batch size); corrected: SSE per image"),
        # -- hardware-aware inference (pipeline/algo/hw_infer.py; V1.4 quantization_cpu_np_infer.py) --
        _q("hw_weight_code_round", V14, "hw_inference",
           "cells hold round((2^W-1)/2 (w+1)) with no digital offset removal: effective weights "
           "(2q+-1)/2^W, pulled toward zero (corrected: q + 2^(W-1), offset removed, exact q)"),
        _q("hw_weight_slices_floor", V14, "hw_inference",
           "a weight is cut into int(W/cellBit) cells, so its top bits are lost when cellBit does "
           "not divide W (corrected: ceil(W/cellBit) cells)"),
        _q("hw_input_code_255", V14, "hw_inference",
           "activations are coded round((2^A-1) x) as A magnitude bits carrying the sign and divided "
           "by 2^A, so x > 1/2 reads as (2k-1)/2^A (corrected: 2^(A-1) x, two's complement)"),
        _q("hw_image_layer_three_channels", V14, "hw_inference",
           "only a layer of exactly 3 input channels (fewer than subArray) reads analog inputs; a "
           "1-channel image layer goes bit-serially through the ADC (corrected: <= 3 channels)"),
        _q("hw_subarray_count_floor", V14, "hw_inference",
           "a layer uses int(rows/subArray) sub-arrays per kernel position and never reads the "
           "remainder rows (corrected: ceil, every row read)"),
        _q("hw_adc_dummy_separate_range", V14, "hw_inference",
           "the dummy column's outputs of a read get their own ADC min/max range, so its floor "
           "bias does not cancel the data columns' (corrected: one range per read for both)"),
    )
}


def _check_compat(compat: str) -> None:
    if compat not in COMPAT_MODES:
        raise ValueError(f"compat={compat!r} is not allowed; allowed: {', '.join(COMPAT_MODES)}")


def quirk(name: str) -> Quirk:
    """The registered quirk called ``name``; `UnknownQuirk` for a name not in the registry."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownQuirk(name) from None


def applies(name: str, compat: str) -> bool:
    """Whether the quirk ``name`` is reproduced under ``compat``."""
    _check_compat(compat)
    return compat in quirk(name).versions


def active(compat: str, scope: Scope | None = None) -> tuple[Quirk, ...]:
    """The quirks applied under ``compat`` (optionally only those of one scope), in registry order."""
    _check_compat(compat)
    return tuple(
        q for q in _REGISTRY.values() if compat in q.versions and (scope is None or q.scope == scope)
    )


def all_quirks() -> tuple[Quirk, ...]:
    """Every registered quirk, in registry order."""
    return tuple(_REGISTRY.values())
