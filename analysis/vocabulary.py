"""The package's controlled vocabulary, declared once, and the one checker of a chosen option.

Every code list that more than one stage uses lives here: the causes of death of the UN
fatalities file, the four mandate concepts, the types of partner (non-UN) operations, the large
missions the essay compares, the types of organised violence. Panels build their columns from
these tuples, studies and models take them as options (``Literal`` types), plots colour them.

:func:`check_option` is the one validator of an option: the error names the option and lists
the valid values. It compares values *and their kind*, so ``True`` is not accepted where ``1``
is allowed (``True == 1`` in Python), nor ``1`` where ``True`` is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal, get_args, get_origin

#: Cause of death in the UN fatalities file (``un_fatalities.cause``), in plotting order.
Cause = Literal["hostile", "accident", "illness", "self_inflicted", "other_unknown"]
CAUSES: tuple[str, ...] = get_args(Cause)

#: Casualty outcome of the mission panels: one cause, hostile acts against uniformed personnel, or all.
CauseOutcome = Literal[
    "hostile", "accident", "illness", "self_inflicted", "other_unknown", "hostile_uniformed", "all"
]
#: Column of ``mission_months`` / ``mission_years`` holding the fatalities of each outcome.
CAUSE_COLUMNS: dict[str, str] = {
    **{c: f"fatalities_{c}_n" for c in CAUSES},
    "hostile_uniformed": "fatalities_hostile_uniformed_n",
    "all": "fatalities_n",
}

#: Personnel type of the UN fatalities file -> suffix of the panel column ``fatalities_<suffix>_n``.
PERSONNEL_TYPES: dict[str, str] = {
    "Military": "military",
    "Police": "police",
    "Military Observer": "observer",
    "International Civilian": "civilian_intl",
    "Local": "local",
    "Other": "other_type",
}
#: Uniformed personnel types of the UN fatalities file (troops, police, military observers).
UNIFORMED_PERSONNEL: tuple[str, ...] = ("Military", "Police", "Military Observer")

#: The four mandate concepts coded per mission-month (the components of ``robust_mandate_index``).
MandateConcept = Literal["is_chapter_vii", "has_poc_mandate", "has_use_of_force", "has_offensive_mandate"]
MANDATE_CONCEPTS: tuple[str, ...] = get_args(MandateConcept)
#: Mandate types of a mission from its Chapter VII and PoC codings, in plotting order.
MANDATE_TYPES: tuple[str, ...] = (
    "robust (Chapter VII + PoC)",
    "Chapter VII, no PoC",
    "PoC, no Chapter VII",
    "neither",
    "not coded",
)

#: Organisation type of a partner (non-UN) operation (``partner_operations.org_type``).
PartnerType = Literal["regional", "eu", "nato", "bilateral", "ad_hoc", "pmc"]
PARTNER_TYPES: tuple[str, ...] = get_args(PartnerType)
#: Kinds of deployment in a host state: UN peacekeeping, then the partner types.
OPERATION_KINDS: tuple[str, ...] = ("un_pko", *PARTNER_TYPES)

#: The large multidimensional UN missions the essay compares with each other, MINUSMA first.
LARGE_MISSIONS: tuple[str, ...] = ("MINUSMA", "MINUSCA", "UNAMID", "MONUSCO", "UNMISS")

#: Type of organised violence (UCDP): the ``deaths_<type>_n`` columns of the panels.
ViolenceType = Literal["state_based", "non_state", "one_sided"]
VIOLENCE_TYPES: tuple[str, ...] = get_args(ViolenceType)

#: Region filter of the country-year analyses.
Region = Literal["all", "africa"]


def option_values(allowed: Any) -> tuple[Any, ...]:
    """The valid values of an option: the arguments of a ``Literal`` type, or the items of a sequence."""
    if get_origin(allowed) is Literal:
        return get_args(allowed)
    if isinstance(allowed, str):
        raise TypeError(f"give the valid values as a Literal type or a sequence, not the string {allowed!r}")
    return tuple(allowed)


def _same(value: object, valid: object) -> bool:
    """Equal and of the same kind: a str for a str, otherwise the exact type (``True`` is not ``1``)."""
    if isinstance(valid, str):
        return isinstance(value, str) and value == valid
    return type(value) is type(valid) and value == valid


def check_option(name: str, value: object, allowed: Any) -> None:
    """Raise ``ValueError`` naming the option and listing the valid values when ``value`` is not one.

    Parameters
    ----------
    name
        Option name, used in the message.
    value
        The value given.
    allowed
        A ``typing.Literal[...]`` type or a sequence of valid values.

    Raises
    ------
    ValueError
        ``"<name>=<value> is not valid; valid values: ..."``. ``True`` does not pass for ``1`` (nor
        ``1`` for ``True``, or ``1.0`` for ``1``), although Python compares them equal.
    """
    valid = option_values(allowed)
    if not any(_same(value, v) for v in valid):
        raise ValueError(f"{name}={value!r} is not valid; valid values: {', '.join(map(repr, valid))}")



# ----------------------------------------------------------------------------- regions

#: Region of a host state: ``Africa`` for every African state (``country_codes.is_africa``: North
#: Africa, Egypt, Sudan and South Sudan included), otherwise its G-W/COW region (so "Middle East"
#: is the G-W region minus African states).
AFRICA = "Africa"


def host_region(is_africa: object, region: object) -> str:
    """Region label of one host state (:data:`AFRICA` rule above); ``"unknown"`` when not known."""
    try:
        african = bool(is_africa) and is_africa is not None
    except TypeError:  # pd.NA: not known to be African
        african = False
    if african:
        return AFRICA
    return region if isinstance(region, str) and region else "unknown"


def mission_region(host_regions: Iterable[str]) -> str | None:
    """The one region rule for a UN mission, used by the panels and the claims alike: **Africa when
    more than half of its hosts are African states**, else the most common region of its other
    hosts (ties: alphabetical). UNTSO (Egypt, Israel, Jordan, Lebanon, Syria) is Middle East; the
    Sudan missions and MINURSO are Africa; UNEF (Egypt, Israel) is Middle East. ``None`` when the
    mission has no host."""
    regs = [r for r in host_regions]
    if not regs:
        return None
    n_af = sum(r == AFRICA for r in regs)
    if n_af > len(regs) / 2:
        return AFRICA
    rest = Counter(r for r in regs if r != AFRICA)
    top = max(rest.values())
    return sorted(r for r, n in rest.items() if n == top)[0]
