import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ModelError, PeaceopsError
from analysis.models import ModelResult, fit_casualty_model, simulate_casualty_panel
from analysis.models.results import (
    ESTIMATE_COLUMNS,
    Z95,
    check_finite,
    check_full_rank,
    dumps,
    estimates_frame,
    to_float,
    unit_scale,
    unscale,
)


def _result(**kw):
    est = estimates_frame(["const", "x"], np.array([0.1, -0.5]), np.array([0.2, 0.1]), ratio=True)
    base = dict(
        estimator="poisson", spec={"formula": "y ~ x"}, estimates=est, nobs=10, n_clusters=3, converged=True
    )
    return ModelResult(**(base | kw))


def test_estimates_frame_wald_ci_ratio_and_p():
    est = estimates_frame(["a", "b"], np.array([0.5, -1.0]), np.array([0.25, 0.5]), ratio=True)
    assert tuple(est.columns) == ESTIMATE_COLUMNS
    a = est.iloc[0]
    assert a["z"] == pytest.approx(2.0)
    assert a["p_value"] == pytest.approx(0.0455, abs=1e-4)
    assert a["ci_low"] == pytest.approx(0.5 - 1.959964 * 0.25, abs=1e-6)
    assert a["ratio"] == pytest.approx(math.exp(0.5))
    assert a["ratio_ci_high"] == pytest.approx(math.exp(0.5 + Z95 * 0.25))


def test_estimates_frame_ols_has_nan_ratios_and_given_ci_p():
    est = estimates_frame(
        ["a"],
        np.array([1.0]),
        np.array([1.0]),
        ratio=False,
        ci=np.array([[-3.0, 2.0]]),
        p_values=np.array([0.7]),
    )
    assert est[["ratio", "ratio_ci_low", "ratio_ci_high"]].isna().all().all()
    assert est.loc[0, "ci_low"] == -3.0 and est.loc[0, "ci_high"] == 2.0
    assert est.loc[0, "p_value"] == 0.7


def test_term_returns_row_and_unknown_term_lists_terms():
    r = _result()
    assert r.term("x")["estimate"] == -0.5
    with pytest.raises(KeyError, match="terms: const, x"):
        r.term("z")


def test_summary_frame_indexed_by_term():
    r = _result()
    sf = r.summary_frame()
    assert list(sf.index) == ["const", "x"]
    assert "ratio" in sf.columns and sf.attrs["nobs"] == 10
    ols = _result(estimator="ols").summary_frame()
    assert "ratio" not in ols.columns and "ci_low" in ols.columns


def test_to_dict_is_strict_json_with_nan_inf_numpy_and_frames():
    extra = {
        "fitted": pd.DataFrame({"year": pd.array([2000, None], dtype="Int64"), "v": [np.nan, 1.5]}),
        "n": np.int64(3),
        "flag": np.bool_(True),
        "inf": float("inf"),
        "when": pd.Timestamp("2020-01-01"),
        "arr": np.array([1.0, np.nan]),
        "groups": {"b", "a"},
    }
    r = _result(extra=extra, fit_stats={"alpha": np.float64(np.nan), "llf": np.float32(-3.5)})
    d = r.to_dict()
    text = json.dumps(d, allow_nan=False)
    back = json.loads(text)
    assert back["extra"]["fitted"][1] == {"year": None, "v": 1.5}
    assert back["extra"]["inf"] is None and back["fit_stats"]["alpha"] is None
    assert back["extra"]["n"] == 3 and back["extra"]["flag"] is True
    assert back["extra"]["arr"] == [1.0, None]
    assert back["extra"]["groups"] == ["a", "b"]
    assert back["estimates"][1]["term"] == "x"
    assert dumps(r) == text


def test_to_float_converts_nullable_dtypes():
    b = pd.Series(pd.array([True, None, False], dtype="boolean"), name="b")
    i = pd.Series(pd.array([1, None, 3], dtype="Int64"), name="i")
    f = pd.Series(pd.array([1.5, None], dtype="Float64"), name="f")
    o = pd.Series([True, None, 0], dtype=object, name="o")
    np.testing.assert_array_equal(to_float(b), [1.0, np.nan, 0.0])
    np.testing.assert_array_equal(to_float(i), [1.0, np.nan, 3.0])
    np.testing.assert_array_equal(to_float(f), [1.5, np.nan])
    np.testing.assert_array_equal(to_float(o), [1.0, np.nan, 0.0])
    assert to_float(i).dtype == np.float64
    with pytest.raises(ValueError, match="column 's'"):
        to_float(pd.Series(["a", "b"], name="s"))


def test_check_full_rank_names_the_collinear_term():
    rng = np.random.default_rng(0)
    x = rng.normal(size=50)
    X = np.column_stack([np.ones(50), x * 1e4, 2 * x])  # third = multiple of the second, other units
    with pytest.raises(ModelError, match=r"rank 2 of 3 columns\): dup"):
        check_full_rank(X, ["const", "x", "dup"], "spec")
    check_full_rank(X[:, :2], ["const", "x"], "spec")


def test_unit_scale_roundtrip():
    X = np.array([[1.0, 1000.0, 0.0], [1.0, -3000.0, 0.0]])
    Xs, s = unit_scale(X)
    np.testing.assert_allclose(s, [1.0, 3000.0, 1.0])
    b, cov = unscale(np.array([1.0, 3.0, 0.0, 0.5]), np.eye(4), s)
    np.testing.assert_allclose(b, [1.0, 0.001, 0.0, 0.5])
    assert cov[1, 1] == pytest.approx(1 / 3000**2) and cov[3, 3] == 1.0


def test_check_finite_raises_on_nan_standard_error():
    with pytest.raises(ModelError, match="non-finite estimate or standard error for x"):
        check_finite("spec", ["const", "x"], np.array([0.0, 1.0]), np.diag([1.0, np.nan]))


def test_model_error_is_peaceops_error_and_names_spec():
    e = ModelError("negbin y ~ x", "no events")
    assert isinstance(e, PeaceopsError)
    assert str(e) == "model negbin y ~ x: no events" and e.spec == "negbin y ~ x"


def test_real_fit_result_serialises():
    df = simulate_casualty_panel(n_missions=30, seed=3)
    r = fit_casualty_model(
        df,
        outcome="fatalities_hostile_n",
        treatment="is_robust_mandate",
        fe="year",
        data_versions={"tables": {"x": "abc"}},
    )
    back = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert back["spec"]["fe"] == "year" and back["data_versions"] == {"tables": {"x": "abc"}}
    assert (
        back["nobs"] == r.nobs and len(back["extra"]["fe_estimates"]) == r.fit_stats["fe_groups"]["year"] - 1
    )
    assert "ModelResult(negbin" in repr(r)


def test_single_threaded_blas_limits_blas_threads_and_restores_them():
    from threadpoolctl import threadpool_info

    from analysis.models.results import single_threaded_blas

    def blas_threads():
        return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    before = blas_threads()
    assert before, "numpy links a BLAS that threadpoolctl sees"

    @single_threaded_blas
    def inside():
        np.linalg.inv(np.eye(3))
        return blas_threads()

    assert inside() == [1] * len(before)
    assert blas_threads() == before
