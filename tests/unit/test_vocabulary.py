"""The shared vocabulary, the one option checker, the one column check and the one JSON conversion."""

from pathlib import Path
from typing import Literal

import pandas as pd
import pytest

from analysis.data.jsonable import to_jsonable
from analysis.errors import DataError, MissingColumnError, require_columns
from analysis.vocabulary import (
    CAUSE_COLUMNS,
    CAUSES,
    MANDATE_CONCEPTS,
    OPERATION_KINDS,
    PARTNER_TYPES,
    check_option,
)


def test_to_jsonable_with_default_converts_pd_na_and_tuples():
    assert to_jsonable({"a": pd.NA, "b": pd.NaT, 1: (1, 2)}) == {"a": None, "b": None, "1": [1, 2]}
    assert to_jsonable({"obj": object}, default=str) == {"obj": str(object)}
    with pytest.raises(TypeError, match=r"x\['obj'\]: cannot store a type"):
        to_jsonable({"obj": object}, where="x")


def test_check_option_lists_valid_values():
    check_option("fe", "year", Literal["none", "year"])
    with pytest.raises(ValueError, match=r"fe='country' is not valid; valid values: 'none', 'year'"):
        check_option("fe", "country", Literal["none", "year"])
    with pytest.raises(ValueError, match="valid values: 1, 2"):
        check_option("lag", True, (1, 2))


def test_require_columns_names_role_and_suggests():
    df = pd.DataFrame({"fatalities_hostile_n": [1]})
    with pytest.raises(
        MissingColumnError, match=r"'fatalities_hostle_n' \(outcome\).*did you mean 'fatalities_hostile_n'"
    ):
        require_columns(df, {"outcome": ["fatalities_hostle_n"]})




def test_check_option_rejects_bools_for_ints_and_ints_for_bools():
    """The Sahel copy of the checker let ``True`` pass where ``1`` was allowed; the one checker does not."""
    check_option("lag", 1, (1, 2))
    with pytest.raises(ValueError, match=r"lag=True is not valid; valid values: 1, 2"):
        check_option("lag", True, (1, 2))
    with pytest.raises(ValueError, match=r"flag=1 is not valid"):
        check_option("flag", 1, (True, False))
    with pytest.raises(ValueError, match=r"lag=1.0 is not valid"):
        check_option("lag", 1.0, (1, 2))
    with pytest.raises(ValueError, match=r"basis='ACD' is not valid; valid values: 'acd', 'dyads'"):
        check_option("basis", "ACD", Literal["acd", "dyads"])


def test_sahel_study_uses_the_one_checker():
    from analysis.studies import sahel

    assert not hasattr(sahel, "check_option") or sahel.check_option is check_option


def test_require_columns_is_a_data_error_naming_file_or_frame():
    df = pd.DataFrame({"a": [1]})
    with pytest.raises(MissingColumnError, match=r"^file x/c\.csv, column 'b': expected column") as ei:
        require_columns(df, ["a", "b"], Path("x/c.csv"))
    assert isinstance(ei.value, DataError) and ei.value.column == "b" and ei.value.path == "x/c.csv"
    with pytest.raises(MissingColumnError, match=r"^un_missions, column 'date_end': expected"):
        require_columns(df, ["date_end"], "un_missions")


def test_vocabulary_is_consistent():
    assert CAUSES == ("hostile", "accident", "illness", "self_inflicted", "other_unknown")
    assert all(CAUSE_COLUMNS[c] == f"fatalities_{c}_n" for c in CAUSES)
    assert len(MANDATE_CONCEPTS) == 4 and OPERATION_KINDS == ("un_pko", *PARTNER_TYPES)
