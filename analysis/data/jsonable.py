"""The one conversion of Python, numpy and pandas values to plain JSON values.

Used for ``results.json`` (:class:`analysis.reporting.Reporter`), the JSON form of model results
(:meth:`analysis.models.ModelResult.to_dict`) and anything else the package writes as JSON.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any


def to_jsonable(value: Any, *, where: str = "value", default: Callable[[Any], Any] | None = None) -> Any:
    """Convert ``value`` to plain JSON types, recursively.

    Parameters
    ----------
    value
        Python, numpy or pandas scalar, or a list / tuple / dict / numpy array /
        pandas Series of them (a DataFrame becomes a list of records).
    where
        Name used in the error message (e.g. the result key).
    default
        Called on a value of any other type (e.g. ``str``); without it such a value is an error.

    Returns
    -------
    object
        ``None``, ``bool``, ``int``, ``float`` (finite), ``str``, ``list`` or ``dict`` with
        string keys. ``NaN``, ``pd.NA``, ``NaT`` and infinities become ``None``; dates and
        timestamps become ISO 8601 strings; paths become strings.

    Raises
    ------
    TypeError
        For anything else (e.g. a Figure or a model object), naming ``where``, unless ``default``
        is given.
    """
    import numpy as np
    import pandas as pd

    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date | np.datetime64):
        ts = pd.Timestamp(value)
        return None if pd.isna(ts) else ts.isoformat()
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v, default=default, where=f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, pd.DataFrame):
        return [to_jsonable(r, default=default, where=where) for r in value.to_dict("records")]
    if isinstance(value, pd.Series):
        return {str(k): to_jsonable(v, default=default, where=f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [to_jsonable(v, default=default, where=where) for v in value.tolist()]
    if isinstance(value, list | tuple | set | frozenset):
        seq = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return [to_jsonable(v, default=default, where=f"{where}[{i}]") for i, v in enumerate(seq)]
    if default is not None:
        return default(value)
    raise TypeError(
        f"{where}: cannot store a {type(value).__name__} in results.json "
        "(use a number, string, bool, None, or a list/dict of them)"
    )


def json_safe(value: Any) -> Any:
    """:func:`to_jsonable` with ``str`` for any other type: the JSON form of model results, whose
    extras may hold objects (a formula, a dtype) that are kept as text rather than refused."""
    return to_jsonable(value, default=str)
