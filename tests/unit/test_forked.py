"""Evaluations on two cores (:mod:`analysis.models.forked`): the results of the serial loop, in
order and bit for bit, whatever happens to the forked child; and the notebook checks that use it
(randomization draws, leave-one-out refits) give the same numbers forked and serial."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from analysis.models import forked
from analysis.models.forked import Child, map_halves

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="needs Linux with two CPUs to fork")


#: The children forked by the test running (the ``forked_children`` fixture of tests/conftest.py).
_CHILDREN = None


@pytest.fixture(autouse=True)
def _parallel(monkeypatch, forked_children):
    global _CHILDREN
    monkeypatch.delenv(forked.SERIAL_ENV, raising=False)
    _CHILDREN = forked_children


def _no_children_left():
    assert _CHILDREN.pids, "nothing was forked"
    assert _CHILDREN.all_reaped()


def test_results_are_those_of_the_loop_in_order():
    items = list(range(101))
    f = lambda x: (x, np.sqrt(x + 0.5) * 1e-3, os.getpid())  # noqa: E731
    out = map_halves(f, items)
    assert [o[:2] for o in out] == [f(x)[:2] for x in items]
    pids = {o[2] for o in out}
    assert len(pids) == 2 and os.getpid() in pids  # the second half came from a child
    _no_children_left()


def test_short_lists_and_serial_env_stay_in_this_process(monkeypatch):
    def no_fork():
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", no_fork)
    assert map_halves(lambda x: x + 1, range(forked.MIN_ITEMS - 1)) == list(range(1, forked.MIN_ITEMS))
    monkeypatch.setenv(forked.SERIAL_ENV, "1")
    assert map_halves(lambda x: x * 2, range(50)) == [x * 2 for x in range(50)]


def test_large_results_pass_the_pipe():
    out = map_halves(lambda x: bytes([x % 256]) * 50_000, range(40))  # 1 MB through a 64 KB pipe
    assert [len(o) for o in out] == [50_000] * 40 and out[-1][0] == 39


def test_a_child_that_fails_is_replaced_by_the_serial_evaluation():
    parent = os.getpid()

    def f(x):
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return x * 3

    assert map_halves(f, range(40)) == [x * 3 for x in range(40)]
    _no_children_left()


def test_a_child_that_dies_is_replaced_by_the_serial_evaluation():
    parent = os.getpid()

    def f(x):
        if os.getpid() != parent:
            os.kill(os.getpid(), 9)
        return -x

    assert map_halves(f, range(40)) == [-x for x in range(40)]
    _no_children_left()


@pytest.mark.parametrize("where", ["first half", "second half"])
def test_an_error_is_raised_as_in_the_loop(where):
    bad = 3 if where == "first half" else 35

    def f(x):
        if x == bad:
            raise ValueError(f"item {x}")
        return x

    with pytest.raises(ValueError, match=f"item {bad}"):
        map_halves(f, range(40))
    _no_children_left()


def test_a_child_evaluates_in_another_process_and_returns_its_result():
    ok, (tag, pid) = Child(lambda: ("b", os.getpid())).outcome()
    assert ok and tag == "b" and pid != os.getpid()
    assert Child(lambda: None).outcome() == (True, None)  # a None result is a result, not a failure
    _no_children_left()


def test_a_cancelled_child_is_killed_and_reaped():
    import time

    child = Child(lambda: time.sleep(30))
    t0 = time.perf_counter()
    child.cancel()
    assert time.perf_counter() - t0 < 5
    _no_children_left()
    child.cancel()  # twice: nothing left to do


def test_a_child_that_fails_dies_or_is_not_forked_has_no_result(monkeypatch):
    parent = os.getpid()

    def dies():
        os.kill(os.getpid(), 9)

    def fails():
        raise RuntimeError("only in the child")

    def prints():
        print("from the child")  # no output reaches the parent's streams; the result does
        return os.getpid() != parent

    assert Child(dies).outcome() == (False, None)
    assert Child(fails).outcome() == (False, None)
    assert Child(prints).outcome() == (True, True)
    _no_children_left()
    monkeypatch.setenv(forked.SERIAL_ENV, "1")
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked"))
    assert Child(os.getpid).outcome() == (False, None)


def test_randomization_test_forked_equals_serial(monkeypatch):
    from analysis.models.balance import randomization_test
    from analysis.models.coups import prepare_coup_data
    from analysis.models.dgp import simulate_coup_panel

    c = simulate_coup_panel(n_countries=40, years=(2000, 2020), odds_ratio=2.0, seed=2)
    df = prepare_coup_data(c, treatment="has_partnership", controls=["has_conflict", "log_gdp_pc"])
    kw = dict(outcome="has_coup_attempt", treatment="has_partnership",
              covariates=["has_conflict", "log_gdp_pc", "t"], reps=199, seed=5)
    a = randomization_test(df, **kw)
    monkeypatch.setenv(forked.SERIAL_ENV, "1")
    b = randomization_test(df, **kw)
    assert a.p_value == b.p_value and a.permutations == b.permutations
    assert a.permutations_failed == b.permutations_failed
    np.testing.assert_array_equal(a.null_draws, b.null_draws)


def test_leave_one_out_forked_equals_serial(monkeypatch):
    from analysis.models.coups import fit_coup_model, prepare_coup_data
    from analysis.models.dgp import simulate_coup_panel
    from analysis.models.inference import leave_one_cluster_out

    c = simulate_coup_panel(n_countries=30, years=(1995, 2020), seed=3)
    d = prepare_coup_data(c, treatment="has_partnership", controls=["has_conflict", "log_gdp_pc"])
    r = fit_coup_model(d, treatment="has_partnership", controls=["has_conflict", "log_gdp_pc"])
    a = leave_one_cluster_out(r, d, "has_partnership")
    monkeypatch.setenv(forked.SERIAL_ENV, "1")
    b = leave_one_cluster_out(r, d, "has_partnership")
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    assert a.range == b.range and len(a.table) == 30
