"""The fast paths of issue 12 (a rerun of notebook 04 in seconds) give the same values as the code
they replaced.

Each vectorised function is compared with its previous implementation, kept here only as the
oracle, on synthetic fixtures built to reach every branch (several states, unsorted rows, NA,
gaps, states without any coup); equality is exact (``check_exact``), not approximate. The model
fast paths are checked the same way: the leave-one-out refits skip the constant-only fit and
give the same estimates, the randomization draws solve the same weights without building a
balance table, ``to_float`` reads nullable columns directly with the same result.
"""

import sys

import numpy as np
import pandas as pd
import pytest

# --------------------------------------------------------------------------- oracles (old code)


def _old_coup_clock_months(months, coups):
    from analysis.studies.coup_months import _KEY, _month_index

    c = coups.dropna(subset=["country_id_gw"])
    n = c.groupby(["country_id_gw", "year", "month"]).size().rename("coup_attempts_n").reset_index()
    x = months.merge(n, on=_KEY, how="left").sort_values(_KEY).reset_index(drop=True)
    x["coup_attempts_n"] = x["coup_attempts_n"].fillna(0).astype("Int64")
    t = _month_index(x["year"], x["month"])
    since = np.empty(len(x))
    cens = np.empty(len(x), dtype=bool)
    for _, ix in x.groupby("country_id_gw", sort=False).indices.items():
        first, last = t[ix[0]], None
        for i in ix:
            since[i] = t[i] - (first if last is None else last)
            cens[i] = last is None
            if x.at[i, "coup_attempts_n"] > 0:
                last = t[i]
    x["months_since_coup"] = pd.array(since, dtype="Int64")
    x["is_coup_clock_censored"] = pd.array(cens, dtype="boolean")
    return x


def _old_regime_years(regime_months):
    key = ["country_id_gw", "year"]
    g = regime_months.groupby(key)["is_military_regime"]
    months_n = g.sum(min_count=1).astype("Int64").where(g.apply(lambda s: s.notna().all()))
    dec = regime_months[regime_months["month"] == 12].set_index(key)
    out = pd.DataFrame({
        "is_military_regime": dec["is_military_regime"].astype("boolean"),
        "military_regime_months_n": months_n.reindex(dec.index),
        "leader_tenure_years": (dec["leader_tenure_months"].astype("Float64") / 12.0),
        "is_leader_military": dec["is_leader_military"].astype("boolean"),
    }).reset_index()
    out["country_id_gw"] = out["country_id_gw"].astype("Int64")
    out["year"] = out["year"].astype("Int64")
    return out


def _old_partners_by_country_month(bara, partner_ops, codes):
    from analysis.core.countries import gw_from_iso3
    from analysis.panels.coverage import PARTNER_OPERATIONS_YEARS
    from analysis.panels.join import month_key, months_between
    from analysis.vocabulary import PARTNER_TYPES

    b = bara[~bara["is_un"].fillna(False).astype(bool)].dropna(subset=["country_id_gw"])
    b = b.assign(_month=month_key(b))
    bara_pairs = (
        b.groupby(["country_id_gw", "_month"])
        .agg(
            nonun_ops_bara_n=("operation_id", "nunique"),
            nonun_personnel_bara_n=("personnel_total_n", lambda s: s.sum(min_count=1)),
        )
        .reset_index()
    )
    rows = []
    lo, hi = pd.Timestamp(PARTNER_OPERATIONS_YEARS[0], 1, 1), pd.Timestamp(PARTNER_OPERATIONS_YEARS[1], 12, 1)
    for op in partner_ops.itertuples(index=False):
        if pd.isna(op.date_start) or pd.isna(op.host_iso3):
            continue
        end = op.date_end if pd.notna(op.date_end) else hi
        for iso in str(op.host_iso3).split(";"):
            for d in months_between(max(op.date_start, lo), min(end, hi)):
                rows.append((iso.strip(), d, op.operation_id, op.org_type))
    cp = pd.DataFrame(rows, columns=["iso3", "_month", "operation_id", "org_type"])
    cp["country_id_gw"] = gw_from_iso3(cp["iso3"], cp["_month"].dt.year, codes)
    cp = cp.dropna(subset=["country_id_gw"])
    cur = pd.crosstab([cp["country_id_gw"], cp["_month"]], cp["org_type"]).reindex(
        columns=list(PARTNER_TYPES), fill_value=0
    )
    cur = (cur > 0).add_prefix("has_partner_")
    cur["partner_ops_curated_n"] = cp.groupby(["country_id_gw", "_month"])["operation_id"].nunique()
    return bara_pairs, cur.reset_index()


def _old_to_float(s):
    dt = s.dtype
    if pd.api.types.is_bool_dtype(dt) or pd.api.types.is_numeric_dtype(dt):
        out = s.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    elif pd.api.types.is_object_dtype(dt):
        out = pd.array(s.tolist(), dtype="Float64").to_numpy(dtype="float64", na_value=np.nan)
    else:
        raise ValueError(dt)
    return np.ascontiguousarray(out, dtype=np.float64)


# --------------------------------------------------------------------------- fixtures


def _state_months(seed=0):
    """Several states entering at different months, in shuffled row order, with coups (two in
    one month, one in the state's first month, none in one state) and a coup of a state that has
    no months (ignored)."""
    rng = np.random.default_rng(seed)
    rows = []
    for gw, first in ((432, 1990 * 12), (439, 1995 * 12 + 4), (475, 1990 * 12 + 7), (600, 2000 * 12)):
        for t in range(first, 2004 * 12):
            rows.append((gw, t // 12, t % 12 + 1))
    months = pd.DataFrame(rows, columns=["country_id_gw", "year", "month"]).astype("Int64")
    months = months.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    picks = months[months["country_id_gw"] != 600].sample(12, random_state=seed + 1)
    coups = pd.concat([picks, picks.head(1),  # two attempts in one month
                       pd.DataFrame({"country_id_gw": [439], "year": [1995], "month": [5]}),  # first month
                       pd.DataFrame({"country_id_gw": [999], "year": [1999], "month": [1]}),  # no months
                       pd.DataFrame({"country_id_gw": [pd.NA], "year": [1999], "month": [2]})])
    coups = coups.astype("Int64").assign(source=rng.choice(["pt", "cc"], len(coups)))
    return months, coups.reset_index(drop=True)


def _regime_months(seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for gw in (432, 439, 475):
        for y in range(2000, 2006):
            for m in range(1, 13):
                rows.append((gw, y, m))
    rm = pd.DataFrame(rows, columns=["country_id_gw", "year", "month"])
    n = len(rm)
    mil = pd.array(rng.random(n) < 0.4, dtype="boolean")
    mil[rng.random(n) < 0.05] = pd.NA  # some unknown months: their year's count is NA
    rm["is_military_regime"] = mil
    ten = pd.array(rng.integers(0, 200, n), dtype="Int64")
    ten[rng.random(n) < 0.1] = pd.NA
    rm["leader_tenure_months"] = ten
    lm = pd.array(rng.random(n) < 0.3, dtype="boolean")
    lm[rng.random(n) < 0.1] = pd.NA
    rm["is_leader_military"] = lm
    rm.loc[(rm["country_id_gw"] == 475) & (rm["year"] == 2003), "is_military_regime"] = pd.NA  # a whole year
    return rm.sample(frac=1.0, random_state=seed).reset_index(drop=True).astype(
        {"country_id_gw": "Int64", "year": "Int64", "month": "Int64"})


# --------------------------------------------------------------------------- vectorised = loops


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_coup_clock_equals_the_row_loop(seed):
    from analysis.studies.coup_months import coup_clock_months

    months, coups = _state_months(seed)
    new = coup_clock_months(months, coups)
    pd.testing.assert_frame_equal(new, _old_coup_clock_months(months, coups), check_exact=True)
    assert new["is_coup_clock_censored"].any() and not new["is_coup_clock_censored"].all()
    first = new.groupby("country_id_gw").head(1)  # each state's clock starts censored at 0
    assert first["is_coup_clock_censored"].all() and (first["months_since_coup"] == 0).all()


def test_coup_clock_of_no_months_and_of_no_coups():
    from analysis.studies.coup_months import coup_clock_months

    months, coups = _state_months(0)
    none = coups.iloc[0:0]
    pd.testing.assert_frame_equal(coup_clock_months(months, none), _old_coup_clock_months(months, none),
                                  check_exact=True)
    empty = months.iloc[0:0]
    out = coup_clock_months(empty, coups)
    assert len(out) == 0 and {"months_since_coup", "is_coup_clock_censored"} <= set(out.columns)


def test_coup_clock_refuses_a_month_without_a_state():
    from analysis.studies.coup_months import coup_clock_months

    months, coups = _state_months(0)
    months.loc[5, "country_id_gw"] = pd.NA
    with pytest.raises(ValueError, match=r"'country_id_gw' is missing in row 6"):
        coup_clock_months(months, coups)


@pytest.mark.parametrize("seed", [0, 1])
def test_regime_years_equal_the_groupby_apply(seed):
    from analysis.panels.regime import regime_years

    rm = _regime_months(seed)
    new = regime_years(rm)
    pd.testing.assert_frame_equal(new, _old_regime_years(rm), check_exact=True)
    assert new["military_regime_months_n"].isna().any() and new["military_regime_months_n"].notna().any()


def _partner_fixture():
    bara = pd.DataFrame({
        "operation_id": ["a", "a", "b", "b", "c", "c", "un1", "d"],
        "country_id_gw": pd.array([432, 432, 432, 439, 439, 439, 432, pd.NA], dtype="Int64"),
        "year": [2001, 2001, 2001, 2002, 2002, 2002, 2001, 2001],
        "month": [1, 2, 1, 5, 5, 6, 1, 1],
        "is_un": pd.array([False, False, False, False, False, None, True, False], dtype="boolean"),
        # NA personnel: (439, 2002-05) has one NA and one count; (439, 2002-06) only NA -> NA, not 0
        "personnel_total_n": pd.array([100, 50, 20, None, 30, None, 500, 1], dtype="Float64"),
    })
    ops = pd.DataFrame({
        "operation_id": ["x", "y", "z", "w"],
        "host_iso3": ["MLI;BFA", "MLI", "NER", None],
        "date_start": pd.to_datetime(["2012-11-15", "2013-01-01", None, "2014-01-01"]),
        "date_end": pd.to_datetime(["2013-03-01", None, None, None]),
        "org_type": ["regional", "eu", "ad_hoc", "eu"],
    })
    codes = pd.DataFrame({
        "country_id_gw": [432, 439, 436] * 15,
        "year": np.repeat(np.arange(2010, 2025), 3),
        "country_id_iso3": ["MLI", "BFA", "NER"] * 15,
    })
    return bara, ops, codes


def test_partners_by_country_month_equal_the_crosstab():
    from analysis.panels.hosts import partners_by_country_month

    bara, ops, codes = _partner_fixture()
    new, old = partners_by_country_month(bara, ops, codes), _old_partners_by_country_month(bara, ops, codes)
    for n, o in zip(new, old):
        pd.testing.assert_frame_equal(n, o, check_exact=True)
    pairs = new[0].set_index(["country_id_gw", "_month"])["nonun_personnel_bara_n"]
    assert pairs.loc[(439, pd.Timestamp(2002, 5, 1))] == 30
    assert pd.isna(pairs.loc[(439, pd.Timestamp(2002, 6, 1))])


# --------------------------------------------------------------------------- model fast paths


@pytest.mark.parametrize(
    "values",
    [
        pd.array([1, None, 3], dtype="Int64"),
        pd.array([1.5, None, np.nan], dtype="Float64"),
        pd.array([True, None, False], dtype="boolean"),
        np.array([True, False, True]),
        np.array([1, 2, 3], dtype="int32"),
        np.array([1.5, np.nan, -0.0]),
        np.array([0.5, np.nan, 2.0], dtype="float32"),
        np.array([1, None, 2.5], dtype=object),
        pd.array([1, None, 3], dtype="int64[pyarrow]"),
    ],
)
def test_to_float_equals_the_cast_through_float64(values):
    from analysis.models.results import to_float

    s = pd.Series(values, name="x")
    new, old = to_float(s), _old_to_float(s)
    assert new.dtype == np.float64 and new.flags.c_contiguous
    np.testing.assert_array_equal(new, old)
    assert np.array_equal(np.signbit(new), np.signbit(old))


def test_blas_controller_is_reused_until_a_module_is_imported(monkeypatch):
    from analysis.models import results

    monkeypatch.setattr(results, "_CONTROLLER", None)
    a = results.blas_controller()
    assert results.blas_controller() is a  # no rescan of the shared libraries in a loop of fits
    monkeypatch.setitem(sys.modules, "peaceops_test_new_module", object())  # an import happened
    b = results.blas_controller()
    assert b is not a and results.blas_controller() is b

    @results.single_threaded_blas
    def threads():
        return [p["num_threads"] for p in results.blas_controller().select(user_api="blas").info()]

    assert all(n == 1 for n in threads())


CTRL = ["has_conflict", "log_gdp_pc"]


def _coup_sample(seed=0):
    """A prepared coup frame (lags, coup clock; ``attrs["coup_data"]``) with a known odds ratio."""
    from analysis.models.coups import prepare_coup_data
    from analysis.models.dgp import simulate_coup_panel

    c = simulate_coup_panel(n_countries=40, years=(1995, 2020), seed=seed)
    return prepare_coup_data(c, treatment="has_partnership", controls=CTRL)


def test_leave_one_out_refits_skip_the_null_model_with_the_same_estimates():
    from analysis.models.coups import fit_coup_model
    from analysis.models.inference import leave_one_cluster_out, refit

    d = _coup_sample(4)
    kw = dict(outcome="has_coup_attempt", treatment="has_partnership", controls=CTRL, cluster="country_id_gw")
    full = fit_coup_model(d, **kw)
    lean = fit_coup_model(d, **kw, null_model=False)
    pd.testing.assert_frame_equal(full.estimates, lean.estimates, check_exact=True)
    null = {"llnull", "pseudo_r2"}
    assert null <= set(full.fit_stats) and not null & set(lean.fit_stats)
    assert full.fit_stats["llf"] == lean.fit_stats["llf"]
    sub = d[d["country_id_gw"] != d["country_id_gw"].iloc[0]]
    pd.testing.assert_frame_equal(refit(full, sub).estimates, refit(full, sub, estimates_only=True).estimates,
                                  check_exact=True)
    loo = leave_one_cluster_out(full, d, "has_partnership").table.set_index("cluster")
    for g in list(loo.index[loo["status"] == "ok"])[:3]:
        r = fit_coup_model(d[d["country_id_gw"].astype(str) != g], **kw)
        assert loo.at[g, "estimate"] == r.term("has_partnership")["estimate"]
        assert loo.at[g, "std_error"] == r.term("has_partnership")["std_error"]


def test_fit_keeps_the_frames_attrs_out_of_the_column_reads():
    from analysis.models.coups import fit_coup_model

    d = _coup_sample(5)
    before = {k: v for k, v in d.attrs.items()}
    assert "coup_data" in before
    d.attrs["ledger"] = [{"step": "panel", "rows": len(d) + 10, "events": 99.0, "unit": "rows", "reason": ""}]
    r = fit_coup_model(d, treatment="has_partnership", controls=CTRL)
    assert r.ledger[0]["step"] == "panel" and r.ledger[0]["rows"] == len(d) + 10  # the study's ledger is kept
    assert r.spec["data_preparation"] == before["coup_data"]
    assert d.attrs["coup_data"] == before["coup_data"] and "ledger" in d.attrs  # the caller's frame untouched


def test_randomization_draws_solve_the_same_weights_as_entropy_balance():
    from analysis.models.balance import _draw_difference, entropy_balance

    rng = np.random.default_rng(7)
    X = np.column_stack([rng.normal(size=400), rng.binomial(1, 0.4, 400), rng.gamma(2, 1, 400)])
    y = rng.binomial(1, 0.1, 400).astype(float)
    for _ in range(5):
        d = rng.random(400) < 0.2
        for moments in (1, 2):
            bal = entropy_balance(X[d], X[~d], moments=moments, tol=1e-6)
            old = float(y[d].mean()) - float(bal.weights @ y[~d])
            assert _draw_difference(y, d, X, moments, 1e-6) == old


# --------------------------------------------------------------------------- YAML through libyaml

YAML_DOC = """
# a comment
default:
  description: "the headline: Africa, 1994-2024"
  years: [1994, 2024]
  lag: 1
  share: 0.5
  when: 2024-03-01
  flag: yes
  empty:
  nested: {a: 1, b: [x, "y z"]}
other:
  text: |
    two
    lines
"""

BAD_YAML = ["a: [1, 2\nb: 3\n", "a: b: c\n", "n: 3\nn: 4\n", "a:\n\t- 1\n", "a: &x 1\nb: *y\n",
            "default:\n  n: 1\n  n: 2\n"]


def test_yaml_through_libyaml_equals_the_python_parser():
    import io

    import yaml

    from analysis.data.yamlsafe import UniqueKeyCLoader, UniqueKeyLoader, load_yaml, yaml_error

    assert UniqueKeyCLoader is not None  # PyYAML here is built with libyaml
    assert load_yaml(YAML_DOC) == yaml.load(YAML_DOC, Loader=UniqueKeyLoader)
    assert load_yaml(io.StringIO(YAML_DOC)) == load_yaml(YAML_DOC)
    for bad in BAD_YAML:  # errors read as the Python parser's (more precise) messages
        with pytest.raises(yaml.YAMLError) as python:
            yaml.load(bad, Loader=UniqueKeyLoader)
        with pytest.raises(yaml.YAMLError) as ours:
            load_yaml(bad)
        assert yaml_error(ours.value) == yaml_error(python.value)
