"""Mandates of UN peace operations by mission-month: PEMA (v2 panel, v1.2 resolutions) and TAMM.

Core table
----------
``mandates_monthly``
    One row per UN mission-month present in at least one source (1948-04 to 2019-12), with four
    harmonised mandate concepts, where each value came from, the per-source values side by side,
    and TAMM's cooperation tasks.

Sources and their coverage
--------------------------
* ``pema_v2``: PEMA panel v2 (:func:`analysis.sources.pema.load_panel_v2`), 48 missions,
  1991-2019 (each mission from its first to its last mandating resolution in the panel).
* ``pema_v1_2``: PEMA v1.2 (:func:`analysis.sources.pema.load_resolutions_v1_2`), resolutions
  of 27 African missions 1991-2017, expanded to months by
  :func:`analysis.sources.pema.expand_resolutions`: a resolution governs from its adoption month
  to the month before the mission's next resolution; the last one until the mission's last
  month in the PEMA v2 panel (if later), never after 2017-12. Tasks accumulate between
  resolutions and reset at a "complete adjustment" of the mandate, PEMA's own rule (this
  reproduces the v2 panel's protection-of-civilians coding in all 1,830 African mission-months
  both files cover).
* ``tamm``: TAMM v2.1 (:func:`analysis.sources.tamm.load_mission_month`), 71 UN missions,
  1948-04 to 2015-12, from each mission's initial mandate to its termination. The AU-led MISCA
  is dropped (not a UN mission).

Outside a source's mission-months its columns are NA: nothing is carried forward beyond a
source's last month, and nothing is filled with 0.

Concepts, source variables and precedence
-----------------------------------------
* ``is_chapter_vii``: TAMM ``ch7`` (Chapter VII authorization). PEMA does not code Chapter VII.
* ``has_poc_mandate``: PEMA v2 ``civprotect_security``; PEMA v1.2 ``CivProtect_Security``; TAMM
  ``prociv`` (protection of civilians).
* ``has_use_of_force``: PEMA v2 ``useofforce`` (non-African missions only: NA for African missions,
  which v2 does not code); PEMA v1.2 ``UseOfForce`` (African missions). TAMM has no such task
  (its ``ch7`` is a different concept).
* ``has_offensive_mandate``: PEMA v1.2 ``OffensOper_Security`` (African missions). PEMA v2 does
  not code offensive operations (0 everywhere) and TAMM has no such task: NA elsewhere.

The harmonised value is taken from the first source in :data:`PRECEDENCE` whose value is not NA
(PEMA, which codes modalities from the operative paragraphs, before TAMM; the newer PEMA v2
before v1.2), and ``<column>_source`` names it ("pema_v2", "pema_v1_2", "tamm"; NA when no
source has a value). PoC is PEMA's "securing" modality (the mission itself protects civilians);
the monitoring/assisting/encouraged modalities are not counted. Offensive operations are the
"securing" modality too (the mission conducts them, e.g. MONUSCO's Force Intervention Brigade,
S/RES/2098 of March 2013); assisting national forces' offensives (``OffensOper_Assist``) is not
counted.

``has_partner_coop_<x>`` are TAMM's mandated-cooperation tasks (``<x>_coop``: African Union, EU,
UNDP, ECOWAS, a joint military/monitoring commission, other missions, OAS, OSCE, CIS, other;
undocumented in the TAMM codebook), NA outside TAMM.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.core.schemas import (
    PARTNER_COOP,
    PRECEDENCE,
    SCHEMA_MANDATES_MONTHLY,
)
from analysis.data.tables import table
from analysis.sources import pema, tamm

_KEY = ["mission_id_un", "year", "month"]


def _last_months(panel: pd.DataFrame) -> dict[str, tuple[int, int]]:
    last = panel.sort_values(_KEY).groupby("mission_id_un").tail(1)
    return {m: (int(y), int(mo)) for m, y, mo in zip(last["mission_id_un"], last["year"], last["month"])}


def mandates_monthly_from(panel: pd.DataFrame, resolutions: pd.DataFrame,
                          tamm_mm: pd.DataFrame) -> pd.DataFrame:
    """Harmonise the three sources into ``mandates_monthly`` (see the module docstring).

    Parameters
    ----------
    panel
        :func:`analysis.sources.pema.load_panel_v2` output.
    resolutions
        :func:`analysis.sources.pema.load_resolutions_v1_2` output.
    tamm_mm
        :func:`analysis.sources.tamm.load_mission_month` output.

    Returns
    -------
    pandas.DataFrame
        One row per mission-month (primary key ``mission_id_un``, ``year``, ``month``) with the
        columns of :data:`SCHEMA_MANDATES_MONTHLY`.
    """
    months = pema.expand_resolutions(resolutions, _last_months(panel))
    tm = tamm_mm[tamm_mm["is_un"].fillna(False).astype(bool)]
    frames = {
        "pema_v2": panel.rename(columns={"resolution_id_un": "resolution_id_un_pema_v2"}),
        "pema_v1_2": months.rename(columns={"resolution_id_un": "resolution_id_un_pema_v1_2"}),
        "tamm": tm.rename(columns={"resolution_un": "resolution_un_tamm"}),
    }
    for src, f in frames.items():
        if f.duplicated(_KEY).any():
            raise ValueError(f"{src}: mission-months not unique")
    keys = pd.concat([f[_KEY] for f in frames.values()]).drop_duplicates()
    out = keys.sort_values(_KEY).reset_index(drop=True).astype({"mission_id_un": "string", "year": "Int64",
                                                                "month": "Int64"})
    n0 = len(out)
    for src, f in frames.items():
        take = {"_in": f.assign(_in=True)["_in"]}
        for concept, chain in PRECEDENCE.items():
            for s, var in chain:
                if s == src:
                    take[f"{concept}_{src}"] = f[var]
        if src == "tamm":
            for var, (suffix, _) in PARTNER_COOP.items():
                take[f"has_partner_coop_{suffix}"] = f[f"has_{var}"]
            take["resolution_un_tamm"] = f["resolution_un_tamm"]
        else:
            take[f"resolution_id_un_{src}"] = f[f"resolution_id_un_{src}"]
        part = pd.concat([f[_KEY].astype({"mission_id_un": "string", "year": "Int64", "month": "Int64"}),
                          pd.DataFrame(take)], axis=1).rename(columns={"_in": f"is_in_{src}"})
        out = out.merge(part, on=_KEY, how="left", validate="one_to_one")
        out[f"is_in_{src}"] = out[f"is_in_{src}"].astype("boolean").fillna(False)
    if len(out) != n0:
        raise ValueError("row count changed while joining the sources")
    for concept, chain in PRECEDENCE.items():
        value = pd.Series(pd.NA, index=out.index, dtype="boolean")
        source = pd.Series(pd.NA, index=out.index, dtype="string")
        for src, _ in chain:
            v = out[f"{concept}_{src}"].astype("boolean")
            fill = value.isna() & v.notna()
            value = value.mask(fill, v)
            source = source.mask(fill, src)
        out[concept] = value.astype("boolean")
        out[f"{concept}_source"] = source.astype("string")
    for c in SCHEMA_MANDATES_MONTHLY.columns:
        if c.endswith("_source"):
            out[c] = out[c].astype("string")
        elif c.startswith(("has_", "is_")):
            out[c] = out[c].astype("boolean")
        elif c.startswith("resolution_"):
            out[c] = out[c].astype("string")
    return out[list(SCHEMA_MANDATES_MONTHLY.columns)]


@table(
    "mandates_monthly",
    primary_key=_KEY,
    unit="mission-month",
    coverage="1948-04 to 2019-12 (PEMA v2 1991-2019, PEMA v1.2 1991-2017 Africa, TAMM 1948-04 to 2015-12)",
    sources=("pema", "tamm"),
    schema=SCHEMA_MANDATES_MONTHLY,
)
def build_mandates_monthly(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Mandate concepts of UN peace operations by mission-month, PEMA and TAMM harmonised.

    Chapter VII (TAMM), protection of civilians (PEMA v2 > PEMA v1.2 > TAMM), use of force
    (PEMA v2 outside Africa > PEMA v1.2 in Africa) and offensive operations (PEMA v1.2, Africa),
    each with its ``_source`` column and the per-source values, plus TAMM's cooperation tasks
    (``has_partner_coop_*``). NA outside each source's mission-months; see the module docstring.
    """
    return mandates_monthly_from(pema.load_panel_v2(), pema.load_resolutions_v1_2(),
                                 tamm.load_mission_month())


def source_agreement(mandates: pd.DataFrame, concept: str, a: str = "pema_v2", b: str = "tamm",
                     years: tuple[int, int] | None = None) -> dict[str, float]:
    """Agreement of two sources' values of ``concept`` on the mission-months both code.

    Parameters
    ----------
    mandates
        The ``mandates_monthly`` table.
    concept
        A key of :data:`PRECEDENCE` coded by both ``a`` and ``b``.
    a, b
        Source names (``pema_v2``, ``pema_v1_2``, ``tamm``).
    years
        Inclusive (first, last) calendar years to compare; all when ``None``.

    Returns
    -------
    dict
        ``n`` (mission-months compared), ``agreement`` (share with equal values), ``kappa``
        (Cohen's kappa), ``both_true``, ``only_a``, ``only_b`` (counts).
    """
    x = mandates[f"{concept}_{a}"]
    y = mandates[f"{concept}_{b}"]
    m = x.notna() & y.notna()
    if years is not None:
        m &= mandates["year"].between(*years)
    x = x[m].astype(bool)
    y = y[m].astype(bool)
    n = int(m.sum())
    po = float((x == y).mean()) if n else float("nan")
    pe = float(x.mean() * y.mean() + (1 - x.mean()) * (1 - y.mean())) if n else float("nan")
    kappa = (po - pe) / (1 - pe) if n and pe < 1 else float("nan")
    return {"n": n, "agreement": po, "kappa": kappa, "both_true": int((x & y).sum()),
            "only_a": int((x & ~y).sum()), "only_b": int((~x & y).sum())}
