"""Collect a notebook's headline numbers, figures and caveats and write them as ``results.json``.

Used *inside* notebooks::

    rep = Reporter(output_dir, notebook="02_robust_mandates", param_set="default")
    rep.result("n_missions", 71, label="UN PKOs in the panel")
    rep.estimate("irr_robust", model_result, "is_robust", label="Robust mandate, IRR")
    rep.figure(fig, "casualty_rates", main=True)
    rep.note("Personnel after 2019 are missing; rates stop in 2019.")
    rep.save(data_versions=data_versions(["mission_months"]))

With ``output_dir=""`` (the default of every notebook's ``parameters`` cell) nothing is
written, so a notebook runs the same under plain ``papermill`` or in Jupyter Lab. Under
``peaceops run`` the runner sets ``output_dir`` to ``reports/<stem>/<set>/`` (through a
staging folder, moved into place only when the whole notebook succeeded).

``results.json`` holds ``{notebook, param_set, parameters, results, figures, main_figure,
notes, data_versions, package_versions, created}``. ``results`` maps each key to a dict:
``{"kind": "value", "value": ..., "label": ...}`` for :meth:`Reporter.result` and
``{"kind": "estimate", "term", "estimate", "std_error", "z", "p_value", "ci_low", "ci_high",
"ratio", "ratio_ci_low", "ratio_ci_high", "estimator", "nobs", "label"}`` for
:meth:`Reporter.estimate`. Every value is JSON-safe: numpy and pandas scalars become Python
numbers, missing and non-finite numbers become ``null``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from analysis.data.jsonable import to_jsonable

#: Resolution of saved figures (dots per inch).
FIGURE_DPI = 110

#: Environment variable through which ``peaceops run`` tells the Reporter the parameter set and
#: the full parameters of the run (JSON: ``{"output_dir", "notebook", "param_set", "parameters"}``).
RUN_ENV = "PEACEOPS_RUN"

#: Packages whose versions every ``results.json`` records (plus Python and peaceops itself).
VERSIONED_PACKAGES = ("pandas", "numpy", "statsmodels", "matplotlib", "pandera", "papermill")

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_ESTIMATE_FIELDS = (
    "estimate",
    "std_error",
    "z",
    "p_value",
    "ci_low",
    "ci_high",
    "ratio",
    "ratio_ci_low",
    "ratio_ci_high",
)


def package_versions() -> dict[str, str | None]:
    """Versions of Python, the key packages (:data:`VERSIONED_PACKAGES`) and peaceops."""
    from analysis import __version__

    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    out["peaceops"] = __version__
    return out


def _run_context(output_dir: str) -> dict | None:
    """The runner's description of this run, if the Reporter was created by ``peaceops run``."""
    raw = os.environ.get(RUN_ENV)
    if not raw or not output_dir:
        return None
    try:
        ctx = json.loads(raw)
    except json.JSONDecodeError:
        return None
    same = Path(ctx.get("output_dir", "")).resolve() == Path(output_dir).resolve()
    return ctx if same else None


class Reporter:
    """Collect headline results, figures and notes of one notebook run; write ``results.json``.

    Parameters
    ----------
    output_dir
        Folder of this run's outputs (``reports/<stem>/<set>/``). ``""`` (or ``None``) means
        collect only, write nothing: the notebook then works without the runner.
    notebook
        Notebook stem, e.g. ``"02_robust_mandates"``.
    param_set
        Name of the parameter set. Under ``peaceops run`` the runner's set name is used.
    parameters
        Parameters of the run, recorded in ``results.json``. Under ``peaceops run`` the
        runner supplies the full resolved parameters (notebook defaults plus the set's values
        and overrides) when this is ``None``. ``output_dir`` is never recorded.
    """

    def __init__(
        self,
        output_dir: str | os.PathLike | None = "",
        *,
        notebook: str = "",
        param_set: str = "default",
        parameters: Mapping[str, Any] | None = None,
    ) -> None:
        self.output_dir = Path(output_dir) if output_dir else None
        ctx = _run_context(str(output_dir)) if output_dir else None
        self.notebook = notebook or (ctx or {}).get("notebook", "")
        self.param_set = (ctx or {}).get("param_set", param_set)
        params = parameters if parameters is not None else (ctx or {}).get("parameters", {})
        self.parameters: dict[str, Any] = {
            k: to_jsonable(v, where=f"parameter {k!r}") for k, v in dict(params).items() if k != "output_dir"
        }
        self.results: dict[str, dict[str, Any]] = {}
        self.figures: list[dict[str, Any]] = []
        self.main_figure: str | None = None
        self.notes: list[str] = []

    @property
    def writes(self) -> bool:
        """Whether outputs are written (``output_dir`` was given)."""
        return self.output_dir is not None

    @staticmethod
    def _check_key(key: str, what: str) -> str:
        if not isinstance(key, str) or not _NAME_RE.match(key):
            raise ValueError(f"{what} {key!r} must be a non-empty name of letters, digits, '_', '-' or '.'")
        return key

    def result(self, key: str, value: Any, *, label: str | None = None) -> Any:
        """Record a headline number (or string / bool / small list) under ``key``.

        Parameters
        ----------
        key
            Stable identifier (letters, digits, ``_-.``); compared by ``peaceops run --check``.
        value
            JSON-safe value; numpy / pandas scalars are converted, NaN becomes ``null``.
        label
            Human-readable description shown in ``reports/index.html``.

        Returns
        -------
        object
            The converted value (so the cell displays it).
        """
        self._check_key(key, "result key")
        v = to_jsonable(value, where=f"result {key!r}")
        self.results[key] = {"kind": "value", "value": v, "label": label or key}
        return v

    def estimate(self, key: str, result: Any, term: str | None = None, *, label: str | None = None) -> dict:
        """Record one coefficient of a fitted model under ``key``.

        Parameters
        ----------
        key
            Stable identifier of the headline estimate.
        result
            An :class:`analysis.models.ModelResult` (its ``term(term)`` row is used), or a
            pandas Series / mapping with the columns of ``ModelResult.estimates``.
        term
            Model term (required with a ``ModelResult``).
        label
            Human-readable description.

        Returns
        -------
        dict
            The stored record: estimate, std_error, z, p_value, ci_low, ci_high, ratio (exp of
            the estimate: incidence-rate or odds ratio; ``null`` for OLS), ratio_ci_low,
            ratio_ci_high, term, estimator, nobs, label, and the model's sample ledger
            (``ledger``: rows and events after each filter) when it has one.
        """
        self._check_key(key, "result key")
        if hasattr(result, "term") and callable(result.term):
            if term is None:
                raise ValueError(f"estimate {key!r}: give the model term to record")
            row = result.term(term)
            estimator = getattr(result, "estimator", None)
            nobs = getattr(result, "nobs", None)
        elif isinstance(result, Mapping) or hasattr(result, "items"):
            row = result
            estimator = row.get("estimator") if hasattr(row, "get") else None
            nobs = row.get("nobs") if hasattr(row, "get") else None
            term = term or (row.get("term") if hasattr(row, "get") else None)
        else:
            raise TypeError(
                f"estimate {key!r}: expected a ModelResult or a row of estimates, got {type(result).__name__}"
            )
        rec: dict[str, Any] = {"kind": "estimate", "term": term}
        for f in _ESTIMATE_FIELDS:
            rec[f] = to_jsonable(row.get(f) if hasattr(row, "get") else None, where=f"estimate {key!r}.{f}")
        rec["estimator"] = to_jsonable(estimator, where=f"estimate {key!r}.estimator")
        rec["nobs"] = to_jsonable(nobs, where=f"estimate {key!r}.nobs")
        ledger = getattr(result, "ledger", None)
        if ledger:  # the sample ledger of a ModelResult: where the rows and events go
            rec["ledger"] = to_jsonable(list(ledger), where=f"estimate {key!r}.ledger")
        rec["label"] = label or key
        self.results[key] = rec
        return rec

    def figure(self, fig: Any, name: str, *, main: bool = False, title: str | None = None) -> Any:
        """Save ``fig`` as ``<output_dir>/figures/<name>.png`` and return it for display.

        Parameters
        ----------
        fig
            A matplotlib Figure.
        name
            File stem (letters, digits, ``_-.``); saving the same name again replaces it.
        main
            Whether this is the notebook's main figure (shown in ``reports/index.html``);
            without one, the first figure is the main figure.
        title
            Caption for the index (default: the figure's suptitle or ``name``).

        Returns
        -------
        matplotlib.figure.Figure
            ``fig`` itself.
        """
        from analysis.data.hashing import atomic_write

        self._check_key(name, "figure name")
        rel = f"figures/{name}.png"
        if self.output_dir is not None:
            atomic_write(
                self.output_dir / rel,
                lambda p: fig.savefig(
                    p, format="png", dpi=FIGURE_DPI, bbox_inches="tight", metadata={"Software": None}
                ),
            )
        if title is None:
            sup = getattr(fig, "_suptitle", None)
            title = sup.get_text() if sup is not None and sup.get_text() else name
        self.figures = [f for f in self.figures if f["name"] != name]
        self.figures.append({"name": name, "file": rel, "title": title})
        if main or self.main_figure is None:
            self.main_figure = rel
        return fig

    def note(self, text: str) -> str:
        """Record a caveat (shown with the results); returns the text."""
        text = str(text).strip()
        if text and text not in self.notes:
            self.notes.append(text)
        return text

    def to_dict(self, data_versions: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Everything collected, as the JSON-safe dict written to ``results.json``."""
        return {
            "notebook": self.notebook,
            "param_set": self.param_set,
            "parameters": self.parameters,
            "results": self.results,
            "figures": self.figures,
            "main_figure": self.main_figure,
            "notes": self.notes,
            "data_versions": to_jsonable(dict(data_versions or {}), where="data_versions"),
            "package_versions": package_versions(),
            "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        }

    def save(self, data_versions: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Write ``<output_dir>/results.json`` atomically (nothing when ``output_dir`` is ``""``).

        Parameters
        ----------
        data_versions
            Provenance of the data used, from :func:`analysis.data.data_versions`.

        Returns
        -------
        dict
            The content of ``results.json``.
        """
        from analysis.data.hashing import atomic_write_text

        out = self.to_dict(data_versions)
        if self.output_dir is not None:
            text = json.dumps(out, indent=2, sort_keys=False, allow_nan=False, ensure_ascii=False)
            atomic_write_text(self.output_dir / "results.json", text + "\n")
        return out

    def versions_table(self, data_versions: Mapping[str, Any] | None = None) -> Any:
        """Data and package versions as a DataFrame (``kind, name, version``) to display.

        Parameters
        ----------
        data_versions
            Provenance dict from :func:`analysis.data.data_versions`.

        Returns
        -------
        pandas.DataFrame
            One row per source version, table build key (first 12 characters), code version
            and package version.
        """
        import pandas as pd

        dv = dict(data_versions or {})
        rows = [("source", k, str(v)) for k, v in dv.get("sources", {}).items()]
        rows += [("table", k, str(v)[:12]) for k, v in dv.get("tables", {}).items()]
        if dv.get("code_version"):
            rows.append(("data code", "code_version", str(dv["code_version"])))
        rows += [("package", k, str(v)) for k, v in package_versions().items()]
        return pd.DataFrame(rows, columns=["kind", "name", "version"])

    def __repr__(self) -> str:
        where = str(self.output_dir) if self.output_dir else "(not writing)"
        return (
            f"Reporter({self.notebook!r}, set={self.param_set!r}, {len(self.results)} results, "
            f"{len(self.figures)} figures, output {where})"
        )
