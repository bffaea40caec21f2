"""The p-table: the properties DESIGN §6 asks of it, each checked on the literal table."""

from __future__ import annotations

import math

import pytest

from kim_desk.stats.ptable import KEY_MODULUS, STANDARD, WEIGHT_TOTAL, PTable, by_params

ROWS = sorted(STANDARD.rows)


def moments(table: PTable, count: int) -> tuple[int, float, float]:
    row = table.row(count)
    total = sum(weight for _noise, weight in row)
    mean_numerator = sum(noise * weight for noise, weight in row)
    variance = sum(noise * noise * weight for noise, weight in row) / WEIGHT_TOTAL
    return total, mean_numerator, variance


@pytest.mark.parametrize("count", ROWS)
def test_every_row_is_a_distribution_with_mean_exactly_zero(count: int) -> None:
    total, mean_numerator, _variance = moments(STANDARD, count)
    assert total == WEIGHT_TOTAL
    assert mean_numerator == 0  # unbiased, exactly
    assert all(weight > 0 for _noise, weight in STANDARD.row(count))
    noises = [noise for noise, _weight in STANDARD.row(count)]
    assert noises == sorted(noises) and noises == list(range(noises[0], noises[-1] + 1))


def test_variance_maximum_deviation_and_small_counts() -> None:
    assert moments(STANDARD, 1)[2] == pytest.approx(2 / 3, abs=1e-5)  # the least an unbiased row allows
    for count in range(2, 12):
        assert moments(STANDARD, count)[2] == pytest.approx(STANDARD.variance, abs=1e-4)
    assert max(abs(noise) for count in ROWS for noise, _w in STANDARD.row(count)) == STANDARD.max_deviation == 5
    for count in range(0, 12):
        assert count + min(noise for noise, _w in STANDARD.row(count)) >= 0  # never negative
    assert STANDARD.row(0) == ((0, WEIGHT_TOTAL),)  # zeros stay zero
    for count in range(1, 5):
        stay = dict(STANDARD.row(count))[0] / WEIGHT_TOTAL
        assert stay < 0.34  # a small count is published as itself a third of the time
    assert STANDARD.row(100) == STANDARD.row(5)


def test_the_cell_key_picks_the_noise_by_its_place_in_the_row() -> None:
    for count in (1, 3, 7):
        cumulative = 0
        for noise, weight in STANDARD.row(count):
            first_key = -(-cumulative * KEY_MODULUS // WEIGHT_TOTAL)  # ceil: the first key of this noise
            assert STANDARD.noise(count, first_key) == noise
            if first_key:
                assert STANDARD.noise(count, first_key - 1) != noise
            cumulative += weight
        assert STANDARD.noise(count, KEY_MODULUS - 1) == STANDARD.row(count)[-1][0]
    assert STANDARD.publish(0, 12345) == 0
    assert STANDARD.publish(9, 2**31) == STANDARD.publish(9, 2**31 + KEY_MODULUS)  # keys are taken mod 2**32


def test_over_evenly_spread_keys_the_noise_averages_out() -> None:
    step = KEY_MODULUS // 100_000
    for count in (1, 2, 4, 30):
        values = [STANDARD.publish(count, key) for key in range(0, KEY_MODULUS, step)]
        assert sum(values) / len(values) == pytest.approx(count, abs=0.01)
        assert min(values) >= max(0, count - 5) and max(values) <= count + 5


def _maxent(noises: range, variance: float, stay: float | None) -> dict[int, float]:
    """Maximum-entropy row p(d) ~ exp(b*d + c*d^2) with mean 0 and the given variance (Newton)."""
    ds = [d for d in noises if not (stay is not None and d == 0)]
    rest = 1.0 - (stay or 0.0)

    def stats(b: float, c: float) -> tuple[list[float], float, float]:
        weights = [math.exp(b * d + c * d * d) for d in ds]
        p = [rest * w / sum(weights) for w in weights]
        return p, sum(q * d for q, d in zip(p, ds, strict=True)), sum(q * d * d for q, d in zip(p, ds, strict=True))

    b, c, h = 0.0, -0.5, 1e-7
    for _ in range(100):
        _p, m, v = stats(b, c)
        _p1, m1, v1 = stats(b + h, c)
        _p2, m2, v2 = stats(b, c + h)
        j = [[(m1 - m) / h, (m2 - m) / h], [(v1 - v) / h, (v2 - v) / h]]
        det = j[0][0] * j[1][1] - j[0][1] * j[1][0]
        b -= (m * j[1][1] - j[0][1] * (v - variance)) / det
        c -= (j[0][0] * (v - variance) - j[1][0] * m) / det
    p, _m, _v = stats(b, c)
    row = dict(zip(ds, p, strict=True))
    if stay is not None:
        row[0] = stay
    return row


@pytest.mark.parametrize("count", [2, 3, 4, 5])
def test_rows_are_the_maximum_entropy_design(count: int) -> None:
    """How the literal rows were made (ptable's create_cnt_ptable(D=5, V=1, pstay=1/3 below 5))."""
    design = _maxent(range(-min(count, 5), 6), 1.0, 1 / 3 if count < 5 else None)
    for noise, weight in STANDARD.row(count):
        assert weight == pytest.approx(design[noise] * WEIGHT_TOTAL, abs=10)  # rounding, mean kept at 0


def test_only_the_known_parameters_name_a_p_table() -> None:
    assert by_params(STANDARD.params()) is STANDARD
    assert STANDARD.params() == {"method": "cell_key", "ptable": "kim-ckm-d5-v1/1", "D": 5, "V": 1.0}
    for other in (
        {**STANDARD.params(), "D": 3},
        {**STANDARD.params(), "V": 2.0},
        {**STANDARD.params(), "D": True},
        {**STANDARD.params(), "ptable": "kim-ckm-d5-v1/2"},
        {**STANDARD.params(), "method": "suppression"},
        {**STANDARD.params(), "k": 5},
        None,
        [],
    ):
        assert by_params(other) is None, other
