"""The learning-device update rule: NL -> A fit, linear reduction to WAGE, c2c locality, asymmetry."""
import math

import numpy as np
import pytest
import torch

from pipeline.algo.quant import qg
from pipeline.training.device import (NL_UNIT, a_norm_from_nonlinearity, apply_update_, device_target,
                                      device_update, max_deviation, nonlinearity_from_a)

# Published normalised A per non-linearity label (NeuroSim ``getParamA`` table, MLP_NeuroSim V3.0
# formula.cpp / DNN_NeuroSim V2.1 wage_quantizer.py GetParamA, printed to 6 decimals): a few entries
# to check our own fit against (the table itself is not used anywhere).
PUBLISHED = {0.01: 126.268958, 0.10: 12.625807, 1.00: 1.251653, 1.46: 0.848677, 1.75: 0.702081, 4.51: 0.226626,
             7.51: 0.070151, 9.00: 0.022810}


@pytest.mark.parametrize("nl,a_pub", sorted(PUBLISHED.items()))
def test_nonlinearity_fit_reproduces_published_normalisation(nl, a_pub):
    a = float(a_norm_from_nonlinearity(nl))
    assert a == pytest.approx(a_pub, abs=6e-7, rel=5e-6)
    assert float(a_norm_from_nonlinearity(np.array([nl]))[0]) == pytest.approx(a_pub, abs=6e-7, rel=5e-6)
    assert float(a_norm_from_nonlinearity(-nl)) == pytest.approx(-a_pub, abs=6e-7, rel=5e-6)  # sign = curvature


def test_label_is_the_perpendicular_distance_in_units_of_0_07():
    # the largest distance of the normalised curve from the diagonal, / (0.07 sqrt 2)
    for a in (0.05, 0.3, 1.0, 10.0):
        x = np.linspace(0, 1, 200001)
        g = (1 - np.exp(-x / a)) / (1 - np.exp(-1 / a))
        assert max_deviation(a) == pytest.approx((g - x).max(), rel=1e-6)
        assert float(nonlinearity_from_a(a)) == pytest.approx((g - x).max() / (0.07 * math.sqrt(2)), rel=1e-6)
    nl = np.linspace(0.05, 9.0, 50)
    np.testing.assert_allclose(nonlinearity_from_a(a_norm_from_nonlinearity(nl)), nl, rtol=1e-6)
    assert NL_UNIT == pytest.approx(0.0989949, rel=1e-6)
    assert np.isinf(a_norm_from_nonlinearity(0.0))


def _a(nl, m=32):
    return torch.tensor(float(a_norm_from_nonlinearity(nl)) * m, dtype=torch.float64)


def test_curve_spans_the_weight_range_and_moves_by_pulses():
    w = torch.tensor([-1.0 + 1e-12, 0.0, 0.9], dtype=torch.float64)
    for nl in (0.0, 1.75, -3.0):
        a = _a(nl)
        # no pulse: no move; one pulse up from -1 of a linear device: 2/32
        assert torch.allclose(device_target(w, torch.zeros_like(w), a, a, 32, 16, True), w.clamp(-1 + 2 ** -15, 1 - 2 ** -15))
    lin = _a(0.0)
    up = device_target(torch.tensor([-0.5], dtype=torch.float64), torch.tensor([-2 / 32 * 2]), lin, lin, 32, 16)
    assert float(up) == pytest.approx(-0.5 + 2 * 2 / 32)


def test_linear_noiseless_device_is_plain_wage_qg():
    """Away from the range limits, a linear device with unrounded pulses gives exactly QG's update
    (same normalisation, same stochastic-rounding draws)."""
    torch.manual_seed(0)
    w = (torch.rand(2000, dtype=torch.float64) - 0.5)            # |w| <= 0.5
    g = torch.randn(2000, dtype=torch.float64)
    scale = 0.25                                                 # |x| <= 0.25*sqrt2: |w - x| < 15/16
    x = g * (scale / torch.pow(2.0, torch.round(torch.log2(g.abs().max()))))
    inf = torch.tensor(math.inf, dtype=torch.float64)
    d_dev = device_update(w, x, inf, inf, 32, 5, 5, generator=torch.Generator().manual_seed(3), continuous_pulses=True)
    d_wage = qg(g, 5, scale, generator=torch.Generator().manual_seed(3))
    torch.testing.assert_close(d_dev, d_wage, rtol=0, atol=1e-12)
    assert (d_dev != 0).any()


def test_c2c_noise_only_where_updates_happen():
    torch.manual_seed(1)
    w = (torch.rand(10000, dtype=torch.float64) - 0.5)
    d = torch.zeros_like(w)
    upd = torch.rand(10000) < 0.3
    d[upd] = torch.where(torch.rand(int(upd.sum())) < 0.5, 1.0, -1.0).double() / 16
    expect = (w - d).clone()
    new = w.clone()
    apply_update_(new, d, 0.003, 5, generator=torch.Generator().manual_seed(2))
    assert torch.equal(new[~upd], expect[~upd])                      # untouched weights: bit-exact
    noise = (new - expect)[upd]
    assert (noise != 0).all()
    assert float(noise.std()) == pytest.approx(2 * 0.003, rel=0.05)  # N(0, 2 c2c), as V2.1's W()
    new0 = w.clone()
    apply_update_(new0, d, 0.0, 5)
    assert torch.equal(new0, expect)


def test_asymmetry_shows_as_a_potentiation_depression_bias():
    """V2.1 moves LTD backwards along its own curve: with both labels of the same sign (V2.1's FeFET
    1.75/1.46) every depression step is larger than the potentiation step from the same weight (a
    bias towards -1); with opposite signs the bias points to the middle of the range."""
    m = 32
    w = torch.linspace(-0.7, 0.7, 15, dtype=torch.float64)
    x = torch.full_like(w, 4 / m * 2)                    # 4 pulses

    def steps(nl_ltp, nl_ltd):
        a_p, a_d = _a(nl_ltp), _a(nl_ltd)
        up = device_target(w, -x, a_p, a_d, m, 16) - w    # potentiation step
        down = w - device_target(w, x, a_p, a_d, m, 16)   # depression step
        return up, down
    up, down = steps(0.0, 0.0)
    torch.testing.assert_close(up, down)                  # linear: symmetric everywhere
    up, down = steps(4.0, 4.0)
    inside = w >= -0.2                                    # (lower: the 4-pulse LTD step leaves the range)
    assert (down[inside] > up[inside]).all()              # same-sign labels: depression bias
    up, down = steps(4.0, -4.0)
    hi, lo = w > 0.2, w < -0.2
    assert (up[hi] < down[hi]).all() and (up[lo] > down[lo]).all()   # opposite signs: pulled to the middle

    def random_walk(nl_p, nl_d):
        gen = torch.Generator().manual_seed(5)
        ww = torch.zeros(5000, dtype=torch.float64)
        a_p, a_d = _a(nl_p), _a(nl_d)
        for _ in range(200):
            sign = torch.where(torch.rand(ww.shape, generator=gen) < 0.5, 1.0, -1.0).double()
            apply_update_(ww, device_update(ww, sign * 0.5, a_p, a_d, m, 5, 5, generator=gen), 0.0, 5)
        return ww
    lin, same, opposite = random_walk(0.0, 0.0), random_walk(4.0, 4.0), random_walk(4.0, -4.0)
    assert abs(float(lin.mean())) < 0.03 and abs(float(opposite.mean())) < 0.03
    assert float(same.mean()) < -0.1                      # zero-mean updates, net depression
    assert float(opposite.std()) < 0.8 * float(lin.std())  # pulled to the middle


def test_v21_table_label_floors_and_clamps_as_getparama():
    """V2.1 reads its table at int(|NL|*100)-1 clamped to 0..899: floored to 0.01, at least 0.01, at most
    9; the sign is kept; exactly 0 stays the linear device."""
    from pipeline.training.device import v21_table_label

    got = v21_table_label(np.array([1.75, 1.46, 1.459, 0.004, -0.004, -2.349, 12.0, 0.0, 4.22]))
    np.testing.assert_allclose(got, [1.75, 1.46, 1.45, 0.01, -0.01, -2.34, 9.0, 0.0, 4.22], rtol=0, atol=1e-12)


def test_v21_labels_change_d2d_devices_only_through_the_floor():
    """With d2d variation, compat='neurosim_v21' gives every device the A of its floored label (a draw
    near zero is never linear); corrected keeps the exact label; the preset's own labels are on the grid."""
    from pipeline.training.config import OnchipDeviceConf
    from pipeline.training.device import v21_table_label
    from pipeline.training.onchip import make_device_state

    p = torch.zeros(64, 9, dtype=torch.float64)
    dev = OnchipDeviceConf(nonlinearity_ltp=0.3, nonlinearity_ltd=1.46, d2d_sigma=0.5)
    v21 = make_device_state([p], dev, seed=3, compat="neurosim_v21")
    cor = make_device_state([p], dev, seed=3, compat="corrected")
    draws = torch.randn(p.shape, generator=torch.Generator().manual_seed(3 * 7919 + 17), dtype=torch.float64) * 0.5
    labels = draws.numpy() + 0.3
    np.testing.assert_allclose(v21.a_ltp[0].numpy(), a_norm_from_nonlinearity(v21_table_label(labels)) * 32, rtol=1e-5)
    np.testing.assert_allclose(cor.a_ltp[0].numpy(), a_norm_from_nonlinearity(labels) * 32, rtol=1e-5)
    near_zero = np.abs(labels) < 0.01
    assert near_zero.any()                                          # (this seed has such draws)
    np.testing.assert_allclose(np.abs(v21.a_ltp[0].numpy()[near_zero]), 126.268958 * 32, rtol=5e-6)
    assert float((v21.a_ltp[0] - cor.a_ltp[0]).abs().max()) > 0
    no_d2d = OnchipDeviceConf()
    for mode in ("neurosim_v21", "corrected"):                      # 1.75 / 1.46 are table entries
        st = make_device_state([p], no_d2d, seed=0, compat=mode)
        assert float(st.a_ltp[0]) == pytest.approx(0.702081 * 32, rel=5e-6)
        assert float(st.a_ltd[0]) == pytest.approx(0.848677 * 32, rel=5e-6)


def test_weight_beyond_the_device_range_starts_at_the_rail():
    """V2.1's initial weights reach +-1.5: the device reads them at +-1 (V2.1's extrapolated inverse
    is NaN for the RRAM labels: w + 1 > B)."""
    a_ltp, a_ltd = _a(4.22), _a(-4.22)
    b = 2.0 / (1.0 - math.exp(-32 / float(a_ltp)))
    assert 1.2 + 1 > b                                              # V2.1's log(1 - (w+1)/B) of a negative
    w = torch.tensor([1.2, 1.5, -1.4], dtype=torch.float64)
    x = torch.tensor([0.2, -0.1, -0.3], dtype=torch.float64)
    got = device_target(w, x, a_ltp, a_ltd, 32, 5)
    assert torch.isfinite(got).all()
    torch.testing.assert_close(got, device_target(w.clamp(-1, 1), x, a_ltp, a_ltd, 32, 5), rtol=0, atol=0)
