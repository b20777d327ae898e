"""The shared loader helpers (analysis.sources._base) on small frames: string cleaning and
numeric / date parsing with errors naming the column and row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.sources._base import strip_strings, to_date, to_numeric

P = Path("f.csv")


def test_strip_strings_cleans_only_columns_of_strings_and_missing_values():
    df = pd.DataFrame({
        "s": pd.Series([" a ", "", None, np.nan], dtype=object),
        "nat": pd.Series([" b", pd.NaT, "c ", None], dtype=object),  # strings and NaT: still strings
        "empty": pd.Series([None, None, None, None], dtype=object),
        "mixed": pd.Series(["x", 1, None, "y"], dtype=object),  # a number among strings: left alone
        "n": [1, 2, 3, 4],
    })
    out = strip_strings(df)
    assert out["s"].tolist()[0] == "a" and out["s"].isna().tolist()[1:] == [True, True, True]
    assert out["nat"].tolist()[0] == "b" and out["nat"].iloc[2] == "c" and out["nat"].isna().sum() == 2
    assert str(out["empty"].dtype) == str(out["s"].dtype) and out["empty"].isna().all()
    assert out["mixed"].tolist()[:2] == ["x", 1] and out["mixed"].dtype == object
    assert out["n"].tolist() == [1, 2, 3, 4]


def test_to_numeric_names_the_first_non_number_and_ignores_blanks():
    df = pd.DataFrame({"v": pd.Series(["1", " ", None, "2.5"], dtype=object)})
    assert to_numeric(df, "v", P).tolist()[::3] == [1.0, 2.5]
    bad = pd.DataFrame({"v": ["1", "", "x", "y"]})
    with pytest.raises(DataError, match=r"column 'v', line 9: not a number: 'x'"):
        to_numeric(bad, "v", P, lines=[5, 6, 9, 10])  # records spread over lines (re-joined records)
    with pytest.raises(DataError, match=r"f\.csv, column 'v', row 0: not an integer: '1.5'"):
        to_numeric(pd.DataFrame({"v": ["1.5"]}), "v", P, dtype="Int64")  # P is no file: the row as is


def test_to_date_names_the_first_bad_date_and_ignores_blanks():
    df = pd.DataFrame({"d": ["2020-01-02", "  ", None]})
    out = to_date(df, "d", P, format="%Y-%m-%d")
    assert out.iloc[0] == pd.Timestamp("2020-01-02") and out.iloc[1:].isna().all()
    with pytest.raises(DataError, match=r"column 'd', row 1: bad date '2020-13-01'"):
        to_date(pd.DataFrame({"d": ["2020-01-02", "2020-13-01"]}), "d", P, format="%Y-%m-%d")
