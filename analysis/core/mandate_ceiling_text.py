"""Reading authorised ceilings in one paragraph of a Security Council resolution.

Applies the ceiling wording of the rules table (``mandate_rules.csv``, concept ``ceiling``, scopes
``ceiling_*``); :mod:`analysis.core.mandate_ceilings` runs it over the corpus.

Reading a paragraph
-------------------
Which paragraphs: operative paragraphs (with their sub-paragraphs) of any resolution that name
the mission, and in a resolution about a single UN PKO also those that name no mission or force
("Maintains the authorized troop ceiling at 3,550"); only with ceiling wording
(``ceiling_context``). A paragraph is cut into **segments** at ";" and before each verb that
starts a new clause ("..., and authorizes ..."). A segment counts when it decides
(``ceiling_decision``: "Decides", "Authorizes", "Endorses", "Maintains", ...) and is not led by
a verb that recalls, notes or intends (``ceiling_lead``: "Recalls the decision ... to increase";
"Takes note of the recommendation ... to reduce"); a segment that only continues ("and to
decrease ...") takes the status of the one before, a sub-paragraph that of its paragraph. Some
segments never count (``ceiling_segment`` skip: transfers between missions, changes "within the
authorized strength", intentions, national forces).

In a segment each **number** of persons (not a date, year, resolution or paragraph number) is
read for:

* its **component**: the noun after it (``ceiling_noun``: "troops", "military observers",
  "police personnel", "personnel of formed police units"; generic "personnel" and no noun look at
  the nearest head before it, ``ceiling_head``: "military component ... to a strength of 17,500",
  "police ceiling to 1,515 personnel"; "military and police ... 1,240 and 606, respectively").
  "19 formed police units comprising up to 140 personnel each" is 2,660 police
  (``ceiling_units``; small numbers written in words are read); units of unstated size make the
  component unknown. Civilians, corrections and customs officers are never counted;
* its **role**: the level being changed ("from 5,437 to 4,000"), a part of the total before it
  ("up to 11,100 military personnel, including the 260 military observers": 11,100), not a
  ceiling ("a minimum of", "approximately", "authorized by resolution 1967"), the ceiling itself
  ("to a maximum of", "consist of up to", "remain at") or a change ("an increase of 750", "by
  2,750", "an additional 2,000"), whose direction is the last increase/decrease verb before it;
  a number in a list takes the role of the one before it;
* its **mission**: the mission named nearest before it in the segment (else the paragraph's).

The totals of a component in a segment add up ("19,815 military personnel, 760 military
observers and staff officers" = 20,575 military), except a total that equals the sum of those
after it ("7,392 military personnel ... 7,200 troops and staff officers and 192 military
observers" = 7,392). A ceiling stated for both components together ("from 8,650 to 9,150") is a
change of 500 uniformed personnel whose split is not stated; a change of all uniformed personnel
with parts of one component gives the remainder to the other ("5,900 personnel, including up to
341 civilian police personnel": 341 police, 5,559 military).

**When**: the statement takes effect at adoption, or at the date the segment gives ("as from 15
September 2014", "by 30 June 2016", "as of 15 April 2019", "from October 2009 to May 2010": May
2010; "over a period of 12 to 18 months": 18 months after adoption; "over the course of this
mandate period": the date the resolution extends the mandate to). An increase with an "until"
date, or called temporary (``ceiling_segment`` temporary), is temporary; "extend ... the
temporary ..." (``extend``) prolongs the temporary increases of the resolutions it names (all
active ones when it names none) and postpones the drawdowns they scheduled. Within a resolution
a ceiling stated for a component replaces its changes taking effect at the same date ("reduce
the MONUSCO force by 2,000 troops, while maintaining an authorized troop ceiling of 19,815").

Source: United Nations (texts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from analysis.core.mandate_rules import rules

COMPONENTS = ("military", "police", "combined")
OPERATIONS = ("set", "increase", "decrease", "extend", "unknown")
MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"(?i)\b(?:{_DAY} ({MONTHS}),? (\d{{4}})|({MONTHS}) {_DAY},? (\d{{4}})|({MONTHS}),? (\d{{4}}))\b"
)
#: Numbers that are not persons: resolution/paragraph references, years, document symbols, spans.
_NOT_PERSONS = re.compile(
    r"(?i)\bparagraphs?\s*\d+\s*(?:to|-|–)\s*\d+"
    r"|\b(?:resolutions?|paragraphs?|paras?\.|sub-?paragraphs?|op|phase|annex|section|sector|"
    r"chapter|article|committee)\s*\d+(?:\s*\(\w{1,4}\))*(?:\s*(?:,|and|, and|or)\s*\d+(?:\s*\(\w{1,4}\))*)*"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\b|\b(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    r"|\(\d{4}\)|\b[A-Z]{1,4}(?:/[\w.]+)+|\b\d+\s*(?:-\s*)?(?:days?|months?|years?|weeks?|hours?|km|"
    r"kilometres?|per cent|percent|%)\b|\bCOVID-19\b|\b(?:19[4-9]\d|20[0-4]\d)\b"
)
_NUMBER = re.compile(r"(?<![\w#/.])(\d{1,3}(?:, ?\d{3})+|\d+)(?![\w#]|[.,]\d)")
_SPLIT = re.compile(
    r";\s*|(?<!\bunless it)(?<!Council),?\s+(?:and\s+)?"
    r"(?=(?:(?:further|also|therefore|in (?:that|this) respect),?\s+)*"
    r"(?:decides|authori[sz]es|endorses|approves|requests|expresses|calls|urges|recalls|stresses|takes note|"
    r"notes|welcomes|emphasi[sz]es|underlines|underscores|reaffirms|reiterates|invites|maintains|agrees|"
    r"encourages|affirms|supports|looks forward|demands|condemns|continues)\b)"
    r"|,?\s+and\s+(?=(?:to|be)\s+(?:further\s+)?(?:decrease|reduce|increase|raise|maintain)d?\b)",
    re.IGNORECASE,
)
_CONTINUES = re.compile(r"(?i)^(?:and\b|,)")
_UNTIL = re.compile(r"(?i)\b(?:until|till|up to|through)\s+(?:(?:the )?[^;,]{0,60}?\bon\s+)?$")
_FROM = re.compile(r"(?i)\b(?:by|as of|as from|with effect from|from|beginning|starting|effective)\s+$")
_RANGE = re.compile(
    r"(?i)\b(?:between|from|during the period(?: from)?|for the period(?: from)?)\s+@D(\d+)@#*\s+"
    r"(?:and|to|until|through)\s+@D(\d+)@"
)
_RELATIVE = re.compile(
    r"(?i)\b(?:over a period of|within|in the next)\s+(?:(\d+|\w+)\s+(?:to|-)\s+)?(\d+|\w+)\s+months"
)
_MANDATE_PERIOD = re.compile(
    r"(?i)over the course of (?:this|the) mandate(?: renewal)? period|"
    r"during (?:this|the) mandate(?: renewal)? period"
)
_MANDATE_UNTIL = re.compile(r"(?i)\bextend\w*\b[^;]{0,120}?\bmandate\b|\bmandate\b[^;]{0,120}?\buntil\b")


# ------------------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class _R:
    rule_id: str
    rx: re.Pattern
    value: str
    exclude: re.Pattern | None


@lru_cache(maxsize=1)
def _rules() -> dict[str, tuple[_R, ...]]:
    out: dict[str, list[_R]] = {}
    for r in rules():
        if r.concept != "ceiling":
            continue
        pat = r.pattern
        if r.scope == "ceiling_noun":
            pat = (
                r"^\s*(?:(?:United Nations|UN|additional|authori[sz]ed|unarmed|more|new|seconded)\s+)*(?:"
                + pat
                + ")"
            )
        ex = re.compile(r.exclude, re.IGNORECASE) if r.exclude else None
        out.setdefault(r.scope, []).append(_R(r.rule_id, re.compile(pat, re.IGNORECASE), r.value, ex))
    return {k: tuple(v) for k, v in out.items()}


def _first(scope: str, text: str) -> _R | None:
    return next((r for r in _rules().get(scope, ()) if r.rx.search(text)), None)


def _last_match(scope: str, text: str, weak: bool = False) -> tuple[_R, re.Match] | None:
    """The match (over the rules of ``scope``) that ends last in ``text`` (the nearest head); rules
    whose value ends in ``_weak`` count only when no other rule matches (``weak=True``)."""
    best: tuple[_R, re.Match] | None = None
    for r in _rules().get(scope, ()):
        if r.value.endswith("_weak") != weak:
            continue
        for m in r.rx.finditer(text):
            if (
                best is None
                or m.end() > best[1].end()
                or (m.end() == best[1].end() and m.start() < best[1].start())
            ):
                best = (r, m)
    if best is None and not weak:
        return _last_match(scope, text, weak=True)
    return best


# ------------------------------------------------------------------------------------- dates
def _month_end(ts: pd.Timestamp) -> pd.Timestamp:
    return ts + pd.offsets.MonthEnd(0)


def _dates(text: str) -> tuple[str, list[tuple[int, int, pd.Timestamp]]]:
    """``text`` with each date replaced by a same-length token ``@D<i>@...`` and the dates found
    (start, end, date; a month without a day is its last day)."""
    found: list[tuple[int, int, pd.Timestamp]] = []
    out = []
    last = 0
    for m in _DATE.finditer(text):
        g = m.groups()
        if g[0]:
            day, mon, year = int(g[0]), g[1], int(g[2])
        elif g[3]:
            day, mon, year = int(g[4]), g[3], int(g[5])
        else:
            day, mon, year = 0, g[6], int(g[7])
        month = MONTHS.split("|").index(mon.lower()) + 1
        try:
            d = pd.Timestamp(year, month, 1)
            d = _month_end(d) if day == 0 else pd.Timestamp(year, month, day)
        except ValueError:
            continue
        tok = f"@D{len(found)}@"
        out.append(text[last : m.start()] + tok.ljust(m.end() - m.start(), "#"))
        last = m.end()
        found.append((m.start(), m.end(), d))
    out.append(text[last:])
    return "".join(out), found


def _mask(text: str) -> tuple[str, list[tuple[int, int, pd.Timestamp]]]:
    """Dates tokenised and the digits of non-person numbers replaced by '#' (same length)."""
    t, dates = _dates(text)
    t = _NOT_PERSONS.sub(lambda m: re.sub(r"\d", "#", m.group(0)), t)
    return t, dates


def _number(s: str) -> float:
    s = s.strip().lower()
    return float(WORDS[s]) if s in WORDS else float(re.sub(r"[ ,]", "", s))


# ------------------------------------------------------------------------------------ parsing
@dataclass
class Mention:
    """One number of persons in a segment."""

    start: int
    end: int
    value: float
    component: str | None
    role: str  # total, part, old, skip
    op: str  # set or delta
    sign: int = 1
    rule_ids: list[str] = field(default_factory=list)
    unknown: bool = False  # units of unstated size
    parent: str | None = None  # the total this part belongs to
    noun: bool = False  # a noun of persons follows the number


@dataclass
class Statement:
    """What one segment decides about one component."""

    component: str
    operation: str
    value_n: float | None
    start: int
    end: int
    effective: pd.Timestamp | None = None  # None: at adoption
    until: pd.Timestamp | None = None
    is_temporary: bool = False
    is_conditional: bool = False
    extends: tuple[int, ...] = ()
    rule_ids: str = ""
    condition: str | None = None  # regex of what cancels a conditional statement
    old_n: float | None = None  # the level being changed, as the text states it ("from 5,437 to 4,000")


def segments(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, continues) of each segment of a paragraph (masked text)."""
    out, last = [], 0
    for m in _SPLIT.finditer(text):
        if m.start() > last:
            out.append((last, m.start()))
        last = m.end() if m.group(0).startswith(";") else m.start()
    out.append((last, len(text)))
    res = []
    for a, b in out:
        seg = text[a:b].strip()
        if seg:
            lead = seg.lstrip(" ,")
            res.append((a, b, bool(_CONTINUES.match(text[a:b].lstrip())) or not re.match(r"(?i)[a-z]", lead)))
    return res


def _component_of(
    text: str, seg_start: int, m_start: int, m_end: int, seg_end: int
) -> tuple[str | None, list[str], bool]:
    """Component of a number (noun after it, else the nearest head), its rules, whether it has a noun."""
    after = text[m_end:seg_end]
    noun = _first("ceiling_noun", after)
    if noun is not None and noun.value in ("military", "police", "other"):
        return noun.value, [noun.rule_id], True
    before = _last_match("ceiling_head", text[seg_start:m_start])
    if before is None:
        before = next(
            ((r, m) for r in _rules().get("ceiling_head", ()) for m in [r.rx.search(after[:120])] if m), None
        )
    if before is not None:
        return before[0].value.removesuffix("_weak"), [before[0].rule_id], noun is not None
    return ("combined", [noun.rule_id], True) if noun is not None else (None, [], False)


def _mentions(text: str, a: int, b: int) -> list[Mention]:
    """The numbers of persons in segment ``text[a:b]`` (masked text), with component and role."""
    seg = text[a:b]
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for r in _rules().get("ceiling_units", ()):
        for m in r.rx.finditer(seg):
            if r.value == "unknown":
                out.append(
                    Mention(a + m.start(), a + m.end(), 0.0, "police", "total", "set", 1, [r.rule_id], True)
                )
            else:
                value = _number(m.group(1)) * _number(m.group(2))
                out.append(
                    Mention(a + m.start(), a + m.end(), value, r.value, "total", "set", 1, [r.rule_id])
                )
            taken.append((m.start(), m.end()))
    for m in _NUMBER.finditer(seg):
        if any(s <= m.start() < e for s, e in taken):
            continue
        s, e = a + m.start(), a + m.end()
        comp, rids, noun = _component_of(text, a, s, e, b)
        out.append(Mention(s, e, _number(m.group(1)), comp, "total", "set", 1, rids, noun=noun))
    out.sort(key=lambda x: x.start)
    _roles(text, a, out)
    return out


def _roles(text: str, a: int, ms: list[Mention]) -> None:
    """Role, operation and sign of each mention (in place).

    After a total, a part marker ("including", "comprising") makes the following numbers of the
    same component its parts, and every following number a part of a total of all uniformed
    personnel, until a number of another component starts a new total."""
    last: Mention | None = None  # the last total
    part_of: str | None = None
    prev: Mention | None = None
    for x in ms:
        before, after = text[a : x.start], text[x.end : x.end + 80]
        if x.unknown:  # units of unstated size: a part, the old level, or the component unknown
            r = _first("ceiling_before", before)
            if part_of == x.component or (
                last is not None and _first("ceiling_part", text[last.end : x.start])
            ):
                x.role = "part"
            elif r is not None and r.value in ("old", "skip", "skip_bare"):
                x.role = r.value.removesuffix("_bare")
            else:
                last, part_of = x, None
            prev = x
            continue
        if last is not None and _first("ceiling_part", text[last.end : x.start]) is not None:
            part_of = last.component
        if part_of is not None and last is not None:
            if x.component is None or x.component == part_of:
                x.component, x.role, x.parent = part_of, "part", part_of
            elif part_of in ("combined", "military+police"):
                x.role, x.parent = "part", "combined"
            else:
                part_of = None
        if x.role == "part" and last is not None:
            x.op, x.sign = last.op, last.sign
            prev = x
            continue
        r = _first("ceiling_before", before)
        ra = _first("ceiling_after", after)
        if (r is not None and (r.value == "skip" or (r.value == "skip_bare" and not x.noun))) or (
            ra is not None and ra.value == "skip"
        ):
            x.role = "skip"
        elif r is not None and r.value == "old":
            x.role = "old"
        elif r is not None and r.value == "set":
            x.op = "set"
        elif (r is not None and r.value == "delta") or (ra is not None and ra.value == "delta"):
            verb = _last_match("ceiling_verb", before)
            if verb is not None:
                x.op, x.sign = "delta", (-1 if verb[0].value == "decrease" else 1)
            elif re.search(r"(?i)(?:additional|further|another)\s*(?:up to\s*)?$", before) or ra is not None:
                x.op = "delta"
        elif prev is not None and r is None and ra is None:
            x.op, x.sign = (
                prev.op,
                prev.sign,
            )  # a list: "an increase of 750 military personnel, 280 police ..."
        x.rule_ids += [rr.rule_id for rr in (r, ra) if rr is not None]
        if x.role == "total":
            last = x
        prev = x


def _dedupe(values: list[float]) -> list[float]:
    """Drop runs that add up to the total before them (a total and its breakdown)."""
    v = list(values)
    i = 0
    while i < len(v):
        for j in range(i + 2, len(v) + 1):
            if abs(sum(v[i + 1 : j]) - v[i]) < 0.5:
                del v[i + 1 : j]
                break
        i += 1
    return v


def _combine(xs: list[Mention]) -> tuple[str, float] | None:
    """Operation and value of a component's totals in one segment."""
    old = [m.value for m in xs if m.role == "old"]
    tot = [m for m in xs if m.role in ("total", "part")]
    sets = _dedupe([m.value for m in tot if m.op == "set"])
    deltas = [m.sign * m.value for m in tot if m.op == "delta"]
    if sets and old and xs[0].component == "combined":
        return ("increase" if sets[-1] > old[-1] else "decrease"), abs(sets[-1] - old[-1])
    if sets:
        return "set", float(sum(sets))
    if deltas and sum(deltas) != 0:
        d = float(sum(deltas))
        return ("increase" if d > 0 else "decrease"), abs(d)
    return None


def read_segment(text: str, a: int, b: int, *, temporary: bool = False) -> list[Statement]:
    """Statements of one segment (masked text): totals combined per component, the parts of a
    total of all uniformed personnel given to their components."""
    ms = [m for m in _mentions(text, a, b) if m.role in ("total", "part", "old")]
    seg = text[a:b]
    if "respectively" in {r.value for r in _rules().get("ceiling_segment", ()) if r.rx.search(seg)}:
        both = [m for m in ms if m.component == "military+police" and m.role == "total"]
        for m, c in zip(both, ("military", "police")):
            m.component = c
    for m in ms:
        if m.component == "military+police":
            m.component = "combined"
    ms = [m for m in ms if m.component in COMPONENTS]
    if not ms:
        return []
    out: dict[str, Statement] = {}
    for comp in COMPONENTS:
        own = [m for m in ms if m.component == comp and m.role in ("total", "old")]
        via = [m for m in ms if m.component == comp and m.role == "part" and m.parent == "combined"]
        xs = own if any(m.role == "total" for m in own) else via
        if not xs:
            continue
        rids = ";".join(dict.fromkeys(r for m in xs for r in m.rule_ids))
        span = (min(m.start for m in xs), max(m.end for m in xs))
        if any(m.unknown for m in xs):
            out[comp] = Statement(comp, "unknown", None, *span, rule_ids=rids)
            continue
        got = _combine(xs)
        if got is not None:
            old = [m.value for m in xs if m.role == "old"]
            out[comp] = Statement(comp, got[0], got[1], *span, rule_ids=rids, old_n=old[-1] if old else None)
    comb = out.get("combined")
    if comb is not None and comb.operation != "unknown":
        parts = [m for m in ms if m.role == "part" and m.parent == "combined" and m.component != "combined"]
        named = {m.component for m in parts}
        if {"military", "police"} <= set(out) and comb.operation == "set":
            del out["combined"]  # a total beside both components restates them
        elif parts:
            rest = (comb.value_n or 0.0) - sum(m.value for m in parts)
            rem = _first("ceiling_remainder", seg)
            other = {"military", "police"} - named
            to = rem.value if rem is not None else (other.pop() if len(other) == 1 else "combined")
            del out["combined"]
            if rest > 0.5:
                if to in out and out[to].operation == comb.operation:
                    out[to].value_n = (out[to].value_n or 0.0) + rest
                elif to not in out:
                    out[to] = Statement(
                        to, comb.operation, rest, comb.start, comb.end, rule_ids=comb.rule_ids
                    )
    res = list(out.values())
    for s in res:
        s.is_temporary = temporary
    return res


def _when(
    masked: str,
    dates: list[tuple[int, int, pd.Timestamp]],
    a: int,
    b: int,
    st: Statement,
    adopted: pd.Timestamp,
    mandate_until: pd.Timestamp | None,
    original: str,
) -> None:
    """Effective and until dates of a statement from its segment (in place)."""
    seg = masked[a:b]
    toks = {int(m.group(1)): m for m in re.finditer(r"@D(\d+)@", seg)}
    until, eff = [], []
    rng = _RANGE.search(seg)
    if rng:
        d1, d2 = dates[int(rng.group(1))][2], dates[int(rng.group(2))][2]
        verb = _last_match("ceiling_verb", masked[a : st.start])
        drawdown = st.operation == "decrease" or (
            st.operation == "set" and verb is not None and verb[0].value == "decrease"
        )
        if drawdown:
            eff.append(d2)  # "from October 2009 to May 2010, ... leaving UNMIL's military strength at 8,202"
        else:
            eff.append(d1)  # "for the period from 15 November 2005 to 31 March 2006"
            until.append(d2)
    for i, m in toks.items():
        if rng and i in (int(rng.group(1)), int(rng.group(2))):
            continue
        pre = seg[: m.start()]
        if _UNTIL.search(pre):
            until.append(dates[i][2])
        elif _FROM.search(pre):
            eff.append(dates[i][2])
    rel = _RELATIVE.search(original[a:b])
    if rel:
        n = rel.group(2)
        k = int(n) if n.isdigit() else WORDS.get(n.lower(), 0)
        if k:
            eff.append(adopted + pd.DateOffset(months=k))
    if _MANDATE_PERIOD.search(seg) and mandate_until is not None:
        eff.append(mandate_until)
    if re.search(r"(?i)with immediate effect", seg):
        eff = []
    if eff:
        e = min(eff) if st.operation == "increase" else max(eff)
        st.effective = e if e > adopted else None
    if until and (st.operation in ("increase", "extend") or st.is_temporary):
        st.until = max(until)
        if st.operation == "increase":
            st.is_temporary = True
    elif st.operation == "set" and st.is_temporary:
        st.is_temporary = False  # "for a temporary period ... will consist of": the ceiling itself


def _statuses(masked: str, decided: bool) -> list[tuple[int, int, bool, bool]]:
    """(start, end, continues, decides) of each segment: a segment decides when it is not led by a
    verb that recalls or notes (``ceiling_lead``) and has a decision before its first number
    (``ceiling_decision``), or continues one that decides ("and to decrease ..."; the first
    segment of a sub-paragraph continues its paragraph, ``decided``)."""
    out = []
    status = decided
    for a, b, cont in segments(masked):
        seg = masked[a:b]
        lead = seg.strip().lstrip(",").strip()
        dec = _first("ceiling_decision", seg)
        first = _NUMBER.search(seg)
        if _first("ceiling_lead", lead) is not None:
            status = False
        elif dec is not None and dec.rx.search(seg[: first.start() if first else len(seg)]):
            status = True
        elif not cont and not (a == 0 and decided):
            status = False
        out.append((a, b, cont, status))
    return out


def decides_at_end(text: str) -> bool:
    """Whether the last segment of an intro decides (its sub-paragraphs continue it)."""
    st = _statuses(_mask(text)[0], False)
    return bool(st) and st[-1][3]


def read_paragraph(
    text: str,
    adopted: pd.Timestamp,
    *,
    decided: bool = False,
    mandate_until: pd.Timestamp | None = None,
    mission_re: re.Pattern | None = None,
    other_re: re.Pattern | None = None,
    forces_re: re.Pattern | None = None,
) -> list[Statement]:
    """The ceiling statements of one paragraph (or sub-paragraph) text.

    ``decided``: the paragraph continues a deciding intro (a sub-paragraph of "Decides that
    UNMISET will consist of:"). ``mission_re`` / ``other_re``: names of the mission / of the other
    UN PKOs; a number counts only when the nearest of these names before it in its segment is the
    mission's (or none precedes it). ``forces_re``: names of the parallel forces; an extension that
    names one ("extend ... the authorization ... to the French forces") is not the mission's.
    """
    extends = any(r.value == "extend" and r.rx.search(text) for r in _rules().get("ceiling_segment", ()))
    if (_first("ceiling_context", text) is None and not extends) or _first("ceiling_paragraph", text):
        return []
    masked, dates = _mask(text)
    out: list[Statement] = []
    chain: list[tuple[int, int, list[Statement]]] = []  # a deciding segment and its continuations
    for a, b, cont, status in _statuses(masked, decided):
        if not cont:
            _share_date(masked, dates, chain, adopted)
            chain = []
        if not status:
            continue
        seg = masked[a:b]
        flags = {r.value: r for r in _rules().get("ceiling_segment", ()) if r.rx.search(seg)}
        if "skip" in flags:
            continue
        got: list[Statement]
        if "extend" in flags:
            if (mission_re is not None and not _belongs(text, a, b, mission_re, other_re)) or (
                forces_re is not None and forces_re.search(text[a:b])
            ):
                continue
            body = text[a:b]
            refs = re.findall(r"(?i)resolutions? ((?:\d{4}(?: \(\d{4}\))?(?:,? (?:and )?)?)+)", body)
            nums = tuple(sorted({int(x) for r in refs for x in re.findall(r"\b(\d{4})\b(?! ?\))", r)}))
            st = Statement("combined", "extend", None, a, b, extends=nums, rule_ids=flags["extend"].rule_id)
            stated = read_segment(masked, a, b)
            if stated:
                st.component, st.value_n = stated[0].component, stated[0].value_n
                st.start, st.end = stated[0].start, stated[0].end
            got = [st]
        else:
            got = read_segment(masked, a, b, temporary="temporary" in flags)
            if mission_re is not None:
                got = [x for x in got if _belongs(text, a, x.start, mission_re, other_re)]
        for st in got:
            st.is_conditional = "conditional" in flags
            st.condition = _condition(text[a:b]) if st.is_conditional else None
            _when(masked, dates, a, b, st, adopted, mandate_until, text)
        if not got and not _NUMBER.search(seg):
            _later_date(masked, dates, a, b, out, adopted)
        chain.append((a, b, got))
        out.extend(got)
    _share_date(masked, dates, chain, adopted)
    return out


_UNLESS = re.compile(
    r"(?i)\bunless (?:it|the (?:Security )?Council) decides,?(?: [^,;]*,)? to (\w+)((?: \w+){1,6})"
)
_ARTICLES = {"the", "a", "an", "its", "of", "and", "to", "in"}


def _condition(segment: str) -> str | None:
    """A regex of the decision that cancels an "unless" statement: "unless it decides to extend the
    mandate modification set forth ..." -> extend ... mandate modification."""
    m = _UNLESS.search(segment)
    if m is None:
        return None
    words = [w for w in m.group(2).split() if w.lower() not in _ARTICLES][:2]
    verb = m.group(1)[:-1] if m.group(1).endswith("e") else m.group(1)
    return rf"(?i)\b{verb}\w*\b[^;]{{0,100}}?\b" + r"\W+(?:\w+\W+){0,2}?".join(map(re.escape, words))


def _later_date(
    masked: str, dates: list, a: int, b: int, earlier: list[Statement], adopted: pd.Timestamp
) -> None:
    """A deciding segment without numbers that dates what an earlier one decided ("Endorses ... a
    reduction of an additional 1,460 personnel ..., and authorizes the Secretary-General to
    implement this recommendation during the period October 2008 to March 2009")."""
    open_ = [s for s in earlier if s.effective is None and s.operation in ("set", "decrease")]
    if not open_:
        return
    probe = Statement("combined", "decrease", None, a, b)
    _when(masked, dates, a, b, probe, adopted, None, masked)
    if probe.effective is not None:
        for s in open_:
            s.effective = probe.effective


def _share_date(
    masked: str, dates: list, chain: list[tuple[int, int, list[Statement]]], adopted: pd.Timestamp
) -> None:
    """A date closing a chain of segments ("... to a ceiling of 434 ..., and to decrease ... police
    ... to 310 ..., by 28 February 2017") applies to the chain's earlier statements when their
    segments give no date of their own."""
    if len(chain) < 2:
        return
    last = [s for s in chain[-1][2] if s.effective is not None and s.operation in ("set", "decrease")]
    if not last:
        return
    for a, b, sts in chain[:-1]:
        if re.search(r"@D\d+@", masked[a:b]):
            continue
        for s in sts:
            if s.effective is None and s.operation in ("set", "decrease") and not s.is_temporary:
                s.effective = last[0].effective


def _belongs(text: str, a: int, at: int, mission_re: re.Pattern, other_re: re.Pattern | None) -> bool:
    """Whether a number at ``at`` in the segment starting at ``a`` is the mission's: the nearest UN
    PKO named before it in the segment is the mission (or none is named before it)."""
    before = text[a:at]
    mine = [m.end() for m in mission_re.finditer(before)]
    other = [m.end() for m in other_re.finditer(before)] if other_re is not None else []
    if not mine and not other:
        return True
    return bool(mine) and (not other or max(mine) >= max(other))
