"""DRAM component and V2.1's per-layer DRAM traffic, against the printed breakdown of the reference runs."""
from __future__ import annotations

import pytest

from neurosim_core.training.dram import DramSpec, build_dram, training_traffic_bits

from .conftest import VGG8_V21

BATCH, ITER, OUT_PRECISION = 200, 250, 15


@pytest.mark.parametrize("config,kind", [("default", "hbm2"), ("fefet_gddr5", "gddr5"), ("fefet_22nm", "hbm2")])
def test_dram_breakdown_line_matches_reference(ref21, config, kind):
    dram = build_dram(spec=DramSpec(kind=kind))
    for i, (h, w, c, kh, kw, co, _, _) in enumerate(VGG8_V21):
        t = training_traffic_bits(ifm_h=h, ifm_w=w, ifm_c=c, k_h=kh, k_w=kw, c_out=co, input_bits=8,
                                  grad_bits_per_weight=OUT_PRECISION, first_layer=i == 0, compat="neurosim_v21")
        lat, en = dram.transfer(t.breakdown_bits * BATCH * ITER)
        row = ref21[config][str(i + 1)]
        assert lat * 1e9 == pytest.approx(float(row["dram_data_transfer_latency_ns"]), rel=6e-6)
        assert en * 1e12 == pytest.approx(float(row["dram_data_transfer_dynamicenergy_pJ"]), rel=6e-6)


def test_corrected_traffic_counts_channels_and_prints_what_it_adds():
    t = training_traffic_bits(ifm_h=8, ifm_w=8, ifm_c=256, k_h=3, k_w=3, c_out=512, input_bits=8,
                              grad_bits_per_weight=15, first_layer=False, compat="corrected")
    assert t.ifm_bits == 8 * 8 * 256 * 8
    assert t.breakdown_bits == t.fw_bits + t.ag_bits + t.wg_bits == 6 * t.ifm_bits + 2 * t.grad_bits
    first = training_traffic_bits(ifm_h=8, ifm_w=8, ifm_c=256, k_h=3, k_w=3, c_out=512, input_bits=8,
                                  grad_bits_per_weight=15, first_layer=True, compat="corrected")
    assert first.ag_bits == 0


def test_unknown_dram_kind_is_refused():
    with pytest.raises(ValueError, match="allowed: gddr5, hbm2"):
        build_dram(spec=DramSpec(kind="ddr3"))  # type: ignore[arg-type]
