"""UN Security Council resolutions 2000-2025: English texts (Akoma Ntoso XML) and metadata.

The United Nations (DGACM) publishes machine-readable copies of the resolutions in the
Akoma Ntoso for the UN schema (github.com/UNxml/SCresolutions). **The UN asks to be
acknowledged as the source**: every table, figure and report built from these files cites
"Source: United Nations" (see :data:`CITATION`).

Files (registered one by one in ``analysis/data/registry.csv``)
-----------------------------------------------------------------
* ``S_RES_<n>_<year>_E.xml`` - one resolution, English (1,528 files, 1,524 resolutions
  S/RES/1285-2811). Root ``akomaNtoso/statement[@name="resolution"]`` with ``meta`` (adoption
  date in ``FRBRWork/FRBRdate[@name="adoption"]``, the number in ``FRBRWork/FRBRthis``),
  ``coverPage``, ``preamble`` (recitals: ``container``/``block``/``p``), ``mainBody``
  (operative ``paragraph`` elements, sometimes inside ``section`` elements with their own
  ``crossHeading`` recitals) and sometimes ``attachments`` (annexes).
* ``data_extract_<year>.json`` - metadata, **JSON Lines** despite the name (26 files, 1,524
  lines): symbol, adoption date, agenda item, title, ``chapter_VII`` flag, votes.

Quirks handled
--------------
* **Split markup**: "<span>Acting</span> under Chapter VII" - text is extracted with
  ``itertext()`` and whitespace is collapsed (:func:`collapse`), never grepped from the bytes.
* **Paragraph structures vary** (:func:`parse_xml`): operative paragraphs hold ``num`` +
  ``content``, or ``num`` + ``list`` (``intro`` then ``point`` sub-paragraphs, nested); in a few
  2000-2001 files the number sits in its own empty paragraph and the text in the next one (the
  number is carried to that next paragraph); section headings are also coded as ``paragraph``
  (classes ``H1``/``H23``/``H4``..., or a paragraph holding only a ``subheading``): kind
  ``heading``; ``section`` elements (A, B, I, II...) keep their label in ``section`` and their
  ``crossHeading`` recitals are kind ``preambular`` with that section.
* **Resolutions filed twice**: S/RES/2464 (2019) has two English files (``S_RES_2464_2019_E.xml``
  and ``..._alt1.xml``), and S/RES/2193-2195 (adopted December 2014) are filed both in the 2014 and
  the 2015 folders upstream. Rule: keep the file without an ``_alt`` suffix, then the one whose
  file-name year is the year of the symbol, then the first by name; the other is recorded in
  ``alternate_file`` with ``is_alternate_text_identical`` (preamble and operative texts compared
  after whitespace collapse: identical for all four).
* **Number checks**: the number in the XML (``FRBRthis``) must equal the number in the file
  name; the metadata ``symbol`` must agree with ``resolution_number`` on its line; a metadata line
  whose number has an XML file must carry the same adoption year. A disagreement is an error
  naming the file (and the 1-based line of a metadata file).
* **Missing pieces are recorded, not errors**: no English text upstream for S/RES/2510 (2020)
  and 2589 (2021) (``has_text`` False, metadata only); no metadata line for 2770 and 2772
  (``has_metadata`` False, date from the XML).
* **Metadata dates** are free text ("28 June 2019"), with three exceptions ("19 November 2004
  in Nairobi", "2021-07-09 00:00:00", "2024-01-30 00:00:00"): the first date found is used; the
  XML ``FRBRdate`` is preferred where both exist.
* ``chapter_VII`` is ``"Chapter VII"``, ``""`` or ``"N.A."``: ``is_chapter_vii_meta`` True,
  False or NA. The flag also marks sanctions resolutions worded "Article 41" and misses a few
  that act under Chapter VII: the text decides, the flag is a check
  (:mod:`analysis.core.resolutions`).
* A few XML files carry the placeholder adoption date ``0001-01-01``: NA there, so the metadata
  date is used.
* Vote counts are strings ("15"): integers; empty = NA.

Parsing all 1,528 files takes about 2-3 s on one core (``benchmarks/bench_resolutions.py``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field as shared_field
from analysis.data.registry import RawFile, source_meta
from analysis.errors import DataError
from analysis.sources._base import ColumnOptions, LoaderSpec, raw_path, source_constants, validate

_C = source_constants("unsc_resolutions_unxml")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS

NS = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
XML_NAME = re.compile(r"^S_RES_(\d+)_(\d{4})_E(?:_alt(\d+))?\.xml$")
META_NAME = re.compile(r"^data_extract_(\d{4})\.json$")
#: Paragraph classes the UN uses for headings coded as ``paragraph``.
HEADING_CLASSES = frozenset({"H1", "H23", "H4", "H56", "HCh", "BLUEHeadingH2", "Caption"})
#: Paragraph kinds in ``sc_paragraphs``.
KINDS = ("formula", "preambular", "operative", "heading", "annex", "other")

_WS = re.compile(r"\s+")
#: A sub-paragraph label at the start of a text: "(a)", "a)", "(ii)", "a." (not a sentence).
_LABEL = re.compile(r"^\(?([a-z]{1,2}|[ivx]{1,5}|\d{1,2})\)\s|^([a-z])\.\s")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_TEXT_DATE = re.compile(rf"(\d{{1,2}})\s+({_MONTHS})\s+(\d{{4}})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _label(text: str) -> str | None:
    m = _LABEL.match(text)
    return (m.group(1) or m.group(2)) if m else None


def collapse(text: str) -> str:
    """Whitespace (tabs, CRLF, non-breaking spaces) collapsed to single spaces, stripped."""
    return _WS.sub(" ", text.replace("\u00a0", " ")).strip()


def _t(e: ET.Element) -> str:
    return e.tag[len(NS) :] if e.tag.startswith(NS) else e.tag


def _text(e: ET.Element | None) -> str:
    return collapse("".join(e.itertext())) if e is not None else ""


# ----------------------------------------------------------------------------------------- XML
@dataclass
class ParsedResolution:
    """One parsed XML file: the resolution's number, date and its paragraphs (dicts)."""

    file: str
    number: int
    year: int
    adoption_date: date | None
    symbol: str
    paragraphs: list[dict] = field(default_factory=list)


class _Walker:
    """Turns the preamble, main body and attachments into paragraph rows in document order."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.rows: list[dict] = []
        self.pending_num: str | None = None
        self.section: str | None = None
        self.last_num: str | None = None  # number of the latest numbered operative paragraph
        self.sub_label: str | None = None  # "(c)" of a labelled heading inside that paragraph
        self.cont = 0

    def add(
        self, kind: str, text: str, *, eid: str | None, num: str | None = None, sub: str | None = None
    ) -> None:
        if not text and kind != "operative":
            return
        number = None
        if num is not None:
            m = re.fullmatch(r"\(?(\d+)\)?\.?", num.strip())
            number = int(m.group(1)) if m else None
        self.rows.append(
            {
                "resolution_number": self.number,
                "paragraph_seq": len(self.rows) + 1,
                "paragraph_eid": eid,
                "kind": kind,
                "section": self.section,
                "number": number,
                "num_text": num,
                "subparagraph": sub,
                "text": text,
            }
        )

    def preamble(self, pre: ET.Element) -> None:
        for c in pre:
            kind = "formula" if _t(c) == "formula" else "preambular"
            self.add(kind, _text(c), eid=c.get("eId"))

    def body(self, parent: ET.Element) -> None:
        for c in parent:
            tag = _t(c)
            if tag == "section":
                num = c.find(NS + "num")
                old = self.section
                self.section = _text(num) or None
                self.last_num = None
                self.body(c)
                self.section = old
            elif tag == "num":
                continue
            elif tag == "crossHeading":
                self.last_num = None
                self.add("preambular", _text(c), eid=c.get("eId"))
            elif tag in ("heading", "subheading"):
                self.add("heading", _text(c), eid=c.get("eId"))
            elif tag == "paragraph":
                self.paragraph(c)
            elif tag in ("container", "p", "block"):
                self.add("other", _text(c), eid=c.get("eId"))
            else:
                self.add("other", _text(c), eid=c.get("eId"))

    def paragraph(self, p: ET.Element) -> None:
        children = list(p)
        tags = [_t(c) for c in children]
        num_el = p.find(NS + "num")
        num = _text(num_el) or None
        eid = p.get("eId")
        if "paragraph" in tags:  # nested paragraphs (rare): walk them
            self.body(p)
            return
        if p.get("class") in HEADING_CLASSES or (
            set(tags) <= {"num", "subheading", "heading"} and ("subheading" in tags or "heading" in tags)
        ):
            text = " ".join(x for x in (num, *(_text(c) for c in children if _t(c) != "num")) if x)
            lab = _label(text)
            self.sub_label = lab if self.last_num is not None else None
            self.cont = 0
            self.add("heading", text, eid=eid)
            return
        body = [c for c in children if _t(c) != "num"]
        if num is not None and not any(_text(c) for c in body):
            self.pending_num = num  # number in its own paragraph, text in the next one
            return
        if num is None and self.pending_num is not None:
            num, self.pending_num = self.pending_num, None
        else:
            self.pending_num = None
        if num is not None and not re.fullmatch(r"\(?\d+\)?\.?", num) and self.last_num is not None:
            # a lettered/roman "num" ("(a)", "ii)") is a sub-paragraph of the latest numbered one
            lab = num.strip("().: ")
            self.sub_label, self.cont = lab, 0
            lst = p.find(NS + "list")
            text = (
                _text(lst.find(NS + "intro")) if lst is not None else " ".join(_text(c) for c in body).strip()
            )
            self.add("operative", text, eid=eid, num=self.last_num, sub=lab)
            if lst is not None:
                self.points(lst, self.last_num, (lab,))
            return
        if num is None and self.last_num is not None and p.find(NS + "list") is None:
            # an unnumbered paragraph after a numbered one continues it (mandate lists coded as
            # sibling paragraphs: "(a) ...", or text under a labelled heading "(c) Protection ...")
            text = " ".join(_text(c) for c in body).strip()
            lab = _label(text)
            self.cont += 1
            if lab:
                self.sub_label, self.cont = lab, 0
                sub = lab
            elif self.sub_label is not None:
                sub = self.sub_label if self.cont == 1 else f"{self.sub_label}+{self.cont - 1}"
            else:
                sub = f"+{self.cont}"
            self.add("operative", text, eid=eid, num=self.last_num, sub=sub)
            return
        if num is not None:
            self.last_num, self.sub_label, self.cont = num, None, 0
        lst = p.find(NS + "list")
        if lst is None:
            self.add("operative", " ".join(_text(c) for c in body).strip(), eid=eid, num=num)
            return
        intro = lst.find(NS + "intro")
        self.add("operative", _text(intro), eid=eid, num=num)
        self.points(lst, num, ())
        for c in body:  # text after the list (alinea) or other siblings
            if _t(c) != "list":
                self.add("operative", _text(c), eid=c.get("eId"), num=num, sub="+")

    def points(self, lst: ET.Element, num: str | None, path: tuple[str, ...]) -> None:
        """Sub-paragraphs: ``point`` elements of ``list``/``sublist`` (nested at any depth)."""
        i = 0
        for pt in lst:
            tag = _t(pt)
            if tag in ("list", "sublist"):
                self.points(pt, num, path)
                continue
            if tag != "point":
                if tag not in ("intro", "num"):
                    self.add(
                        "operative",
                        _text(pt),
                        eid=pt.get("eId"),
                        num=num,
                        sub=(".".join(path) + "+") if path else "+",
                    )
                continue
            i += 1
            label = _text(pt.find(NS + "num")).strip("().–-—: ") or str(i)
            sub = (*path, label)
            own = [c for c in pt if _t(c) not in ("num", "list", "sublist", "point")]
            text = " ".join(_text(c) for c in own).strip()
            self.add("operative", text, eid=pt.get("eId"), num=num, sub=".".join(sub))
            for c in pt:
                if _t(c) in ("list", "sublist"):
                    intro = c.find(NS + "intro")
                    if intro is not None and _t(c) == "list" and text == "":
                        pass
                    self.points(c, num, sub)

    def attachments(self, att: ET.Element) -> None:
        self.section = "annex"
        for p in att.iter(NS + "p"):
            self.add("annex", _text(p), eid=p.get("eId"))
        self.section = None


def parse_xml(path: str | Path, *, expected_number: int | None = None) -> ParsedResolution:
    """Parse one resolution file into its number, adoption date and paragraph rows.

    Parameters
    ----------
    path
        An ``S_RES_<n>_<year>_E.xml`` file (Akoma Ntoso 3.0).
    expected_number
        Number the file must carry (default: the number in the file name).

    Raises
    ------
    DataError
        The file is not well-formed XML, is not a resolution, or its number (``FRBRthis``)
        disagrees with its file name.
    """
    p = Path(path)
    try:
        root = ET.parse(p).getroot()
    except ET.ParseError as exc:
        raise DataError(p, f"not well-formed XML: {exc}") from exc
    st = root.find(NS + "statement")
    if st is None or st.get("name") != "resolution":
        raise DataError(p, "no akomaNtoso/statement[@name='resolution'] element")
    work = st.find(f"{NS}meta/{NS}identification/{NS}FRBRWork")
    this = work.find(NS + "FRBRthis") if work is not None else None
    m = re.search(r"/(\d+)-(\d{4})/", this.get("value", "")) if this is not None else None
    if m is None:
        raise DataError(p, "no resolution number in FRBRWork/FRBRthis", column="FRBRthis")
    number, year = int(m.group(1)), int(m.group(2))
    if expected_number is None:
        fm = XML_NAME.match(p.name)
        expected_number = int(fm.group(1)) if fm else None
    if expected_number is not None and number != expected_number:
        raise DataError(
            p,
            f"resolution number {number} in the XML (FRBRthis) disagrees with the file "
            f"name / metadata number {expected_number}",
            column="FRBRthis",
        )
    adopted = None
    for d in work.iter(NS + "FRBRdate") if work is not None else ():
        if d.get("name") == "adoption" and d.get("date"):
            try:
                adopted = date.fromisoformat(d.get("date", ""))
            except ValueError as exc:
                raise DataError(p, f"bad adoption date {d.get('date')!r}", column="FRBRdate") from exc
            if adopted.year < 1945:  # placeholder '0001-01-01' in a few files: the metadata date is used
                adopted = None
    w = _Walker(number)
    pre = st.find(NS + "preamble")
    if pre is not None:
        w.preamble(pre)
    body = st.find(NS + "mainBody")
    if body is not None:
        w.body(body)
    att = st.find(NS + "attachments")
    if att is not None:
        w.attachments(att)
    return ParsedResolution(p.name, number, year, adopted, f"S/RES/{number} ({year})", w.rows)


# ------------------------------------------------------------------------------------ metadata
def _meta_date(text: str) -> date | None:
    m = _TEXT_DATE.search(text or "")
    if m:
        return datetime.strptime(f"{m.group(1)} {m.group(2)} {m.group(3)}", "%d %B %Y").date()
    m = _ISO_DATE.search(text or "")
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _count(v: object) -> int | None:
    s = str(v).strip() if v is not None else ""
    return int(s) if s.isdigit() else None


def read_metadata(path: str | Path) -> list[dict]:
    """Rows of one ``data_extract_<year>.json`` (JSON Lines) file, with file and 1-based line.

    A line that is not JSON, lacks ``symbol``, or whose ``symbol`` and ``resolution_number``
    disagree is an error naming the file and the line.
    """
    p = Path(path)
    rows = []
    with open(p, encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(p, f"not a JSON line: {exc}", line=i) from exc
            m = re.match(r"S/RES/(\d+)\s*\((\d{4})\)", str(d.get("symbol", "")))
            if m is None:
                raise DataError(p, f"bad symbol {d.get('symbol')!r}", column="symbol", line=i)
            n = int(m.group(1))
            rn = re.search(r"(\d+)", str(d.get("resolution_number") or ""))
            if rn is not None and int(rn.group(1)) != n:
                raise DataError(
                    p,
                    f"symbol {d['symbol']!r} disagrees with resolution_number {d['resolution_number']!r}",
                    column="resolution_number",
                    line=i,
                )
            flag = str(d.get("chapter_VII") or "").strip()
            rows.append(
                {
                    "resolution_number": n,
                    "symbol_year": int(m.group(2)),
                    "adoption_date_meta": _meta_date(str(d.get("adoption_date") or "")),
                    "adoption_date_text": d.get("adoption_date"),
                    "agenda_item": (d.get("agenda_item_name") or "").strip() or None,
                    "title": (d.get("resolution_title") or "").strip() or None,
                    "chapter_vii_meta_raw": flag,
                    "is_chapter_vii_meta": {"Chapter VII": True, "": False}.get(flag),
                    "votes_for_n": _count(d.get("MS_in_favour_count")),
                    "votes_against_n": _count(d.get("MS_against_count")),
                    "votes_abstaining_n": _count(d.get("MS_abstaining_count")),
                    "meta_file": p.name,
                    "meta_line": i,
                }
            )
    return rows


# ------------------------------------------------------------------------------------- loaders
def _registered() -> tuple[list[RawFile], list[RawFile]]:
    files = source_meta(SOURCE).files
    return ([f for f in files if XML_NAME.match(f.file)], [f for f in files if META_NAME.match(f.file)])


def _paths(files: Iterable[str | Path] | None, kind: str) -> list[Path]:
    if files is not None:
        return [Path(f) for f in files]
    xml, meta = _registered()
    chosen = xml if kind == "xml" else meta
    return [raw_path(SOURCE, f.file) for f in chosen]


@dataclass
class Corpus:
    """Everything parsed: the resolutions frame and the paragraphs frame."""

    resolutions: pd.DataFrame
    paragraphs: pd.DataFrame


def _preference(r: ParsedResolution) -> tuple[bool, bool, str]:
    """Sort key of the files of one resolution: the one kept sorts first (module docstring)."""
    m = XML_NAME.match(r.file)
    return (m is None or m.group(3) is not None, m is None or int(m.group(2)) != r.year, r.file)


def _primary(parsed: list[ParsedResolution]) -> tuple[dict[int, ParsedResolution], dict[int, list[str]]]:
    by_n: dict[int, list[ParsedResolution]] = {}
    for r in parsed:
        by_n.setdefault(r.number, []).append(r)
    out, alternates = {}, {}
    for n, rs in by_n.items():
        rs.sort(key=_preference)
        out[n] = rs[0]
        if len(rs) > 1:
            alternates[n] = [r.file for r in rs[1:]]
    return out, alternates


def _body_text(r: ParsedResolution) -> str:
    return " ".join(p["text"] for p in r.paragraphs if p["kind"] in ("preambular", "operative"))


def load_corpus(
    xml_files: Iterable[str | Path] | None = None, metadata_files: Iterable[str | Path] | None = None
) -> Corpus:
    """Parse every XML file and metadata file into the resolutions and paragraphs frames.

    Parameters
    ----------
    xml_files, metadata_files
        Files to read instead of the registered ones (synthetic fixtures in the upstream format);
        the registered files are hash-checked against the registry.

    Returns
    -------
    Corpus
        ``resolutions`` (:data:`SCHEMA_RESOLUTIONS`) and ``paragraphs``
        (:data:`SCHEMA_PARAGRAPHS`).
    """
    xp = _paths(xml_files, "xml")
    mp = _paths(metadata_files, "meta")
    parsed = [parse_xml(p) for p in xp]
    primary, alternates = _primary(parsed)
    meta: dict[int, dict] = {}
    for p in mp:
        for row in read_metadata(p):
            n = row["resolution_number"]
            if n in meta:
                raise DataError(
                    p,
                    f"resolution {n} has a second metadata line (first in "
                    f"{meta[n]['meta_file']} line {meta[n]['meta_line']})",
                    line=row['meta_line'],
                )
            x = primary.get(n)
            if x is not None and row["symbol_year"] != x.year:
                raise DataError(
                    p,
                    f"S/RES/{n}: metadata year {row['symbol_year']} disagrees with the XML "
                    f"year {x.year} ({x.file})",
                    column="symbol",
                    line=row['meta_line'],
                )
            meta[n] = row
    rows = []
    for n in sorted(set(primary) | set(meta)):
        x, m = primary.get(n), meta.get(n, {})
        alt = alternates.get(n)
        same = None
        if alt:
            others = [r for r in parsed if r.file in alt]
            same = all(_body_text(o) == _body_text(x) for o in others) if x is not None else None
        adopted = x.adoption_date if x is not None and x.adoption_date else m.get("adoption_date_meta")
        year = x.year if x is not None else m.get("symbol_year")
        paras = x.paragraphs if x is not None else []
        rows.append(
            {
                "resolution_number": n,
                "resolution_id_un": f"S/RES/{n}",
                "symbol": f"S/RES/{n} ({year})",
                "year": year,
                "adoption_date": pd.Timestamp(adopted) if adopted else pd.NaT,
                "adoption_date_meta": pd.Timestamp(m["adoption_date_meta"])
                if m.get("adoption_date_meta")
                else pd.NaT,
                "title": m.get("title"),
                "agenda_item": m.get("agenda_item"),
                "is_chapter_vii_meta": m.get("is_chapter_vii_meta"),
                "chapter_vii_meta_raw": m.get("chapter_vii_meta_raw"),
                "votes_for_n": m.get("votes_for_n"),
                "votes_against_n": m.get("votes_against_n"),
                "votes_abstaining_n": m.get("votes_abstaining_n"),
                "has_text": x is not None,
                "has_metadata": bool(m),
                "file": x.file if x is not None else None,
                "alternate_file": ";".join(alt) if alt else None,
                "is_alternate_text_identical": same,
                "meta_file": m.get("meta_file"),
                "meta_line": m.get("meta_line"),
                "paragraphs_n": len(paras),
                "operative_paragraphs_n": len(
                    {p["number"] for p in paras if p["kind"] == "operative" and p["number"] is not None}
                ),
            }
        )
    res = pd.DataFrame(rows)
    res = _typed(res, SCHEMA_RESOLUTIONS)
    paras = [p for n in sorted(primary) for p in primary[n].paragraphs]
    par = pd.DataFrame(paras, columns=list(SCHEMA_PARAGRAPHS.columns))
    par = _typed(par, SCHEMA_PARAGRAPHS)
    where = "unsc_resolutions_unxml (XML + metadata)"
    return Corpus(validate(res, SCHEMA_RESOLUTIONS, where), validate(par, SCHEMA_PARAGRAPHS, where))


def _typed(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    out = df.copy()
    for c, col in schema.columns.items():
        if c not in out.columns:
            out[c] = pd.NA
        t = str(col.dtype)
        if t.startswith("datetime64"):
            out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
        elif t == "boolean":
            out[c] = out[c].astype("boolean")
        else:
            out[c] = out[c].astype(t)
    return out[list(schema.columns)]


def load_resolutions(
    xml_files: Iterable[str | Path] | None = None, metadata_files: Iterable[str | Path] | None = None
) -> pd.DataFrame:
    """One row per resolution (text, metadata or both). Columns: :data:`SCHEMA_RESOLUTIONS`."""
    return load_corpus(xml_files, metadata_files).resolutions


def load_paragraphs(xml_files: Iterable[str | Path] | None = None) -> pd.DataFrame:
    """One row per paragraph or sub-paragraph of every resolution with English text, in document order.

    Columns: :data:`SCHEMA_PARAGRAPHS`.
    """
    return load_corpus(xml_files, []).paragraphs


_INT = ColumnOptions(nullable=True, checks=pa.Check.ge(0))

SCHEMA_RESOLUTIONS = pa.DataFrameSchema(
    {
        "resolution_number": pa.Column(
            "Int64", pa.Check.in_range(1, 9999), description="Resolution number (S/RES/<n>)."
        ),
        "resolution_id_un": pa.Column(
            "string",
            pa.Check.str_matches(r"^S/RES/\d+$"),
            description="Symbol without the year, 'S/RES/2480' (as in the curated tables).",
        ),
        "symbol": pa.Column(
            "string",
            pa.Check.str_matches(r"^S/RES/\d+ \(\d{4}\)$"),
            description="Full symbol 'S/RES/2480 (2019)'.",
        ),
        "year": shared_field("year", pa.Check.in_range(2000, 2025), description="Year in the symbol."),
        "adoption_date": pa.Column(
            "datetime64[ns]",
            nullable=True,
            description="Adoption date: XML FRBRdate 'adoption', else the metadata date.",
        ),
        "adoption_date_meta": pa.Column(
            "datetime64[ns]",
            nullable=True,
            description="Adoption date in the metadata (free text parsed); NA without a metadata line.",
        ),
        "title": pa.Column(
            "string",
            nullable=True,
            description="Metadata resolution_title, e.g. '... [on extension of the mandate of "
            "... (MINUSMA) until 30 June 2020]'; NA without metadata.",
        ),
        "agenda_item": pa.Column("string", nullable=True, description="Metadata agenda_item_name."),
        "is_chapter_vii_meta": pa.Column(
            "boolean",
            nullable=True,
            description="Metadata chapter_VII flag: True 'Chapter VII', False "
            "'', NA 'N.A.' or no metadata. A check, not the coding "
            "(it also flags 'Article 41' sanctions).",
        ),
        "chapter_vii_meta_raw": pa.Column("string", nullable=True, description="The flag as published."),
        "votes_for_n": pa.Column("Int64", **_INT, description="Members voting in favour."),
        "votes_against_n": pa.Column("Int64", **_INT, description="Members voting against."),
        "votes_abstaining_n": pa.Column("Int64", **_INT, description="Members abstaining."),
        "has_text": pa.Column("boolean", description="An English XML text exists (False: 2510, 2589)."),
        "has_metadata": pa.Column("boolean", description="A metadata line exists (False: 2770, 2772)."),
        "file": pa.Column("string", nullable=True, description="XML file used (registry name)."),
        "alternate_file": pa.Column(
            "string", nullable=True, description="Other XML file(s) of the same resolution, not used (2464)."
        ),
        "is_alternate_text_identical": pa.Column(
            "boolean",
            nullable=True,
            description="The alternate's preamble and operative text "
            "equal the used file's; NA without alternate.",
        ),
        "meta_file": pa.Column("string", nullable=True, description="Metadata file of the line."),
        "meta_line": pa.Column("Int64", nullable=True, description="1-based line in meta_file."),
        "paragraphs_n": pa.Column("Int64", pa.Check.ge(0), description="Rows in sc_paragraphs."),
        "operative_paragraphs_n": pa.Column(
            "Int64", pa.Check.ge(0), description="Distinct numbered operative paragraphs."
        ),
    },
    strict=True,
    unique=["resolution_number"],
    name="sources.unsc_resolutions",
)

SCHEMA_PARAGRAPHS = pa.DataFrameSchema(
    {
        "resolution_number": pa.Column("Int64", description="Resolution number."),
        "paragraph_seq": pa.Column(
            "Int64",
            pa.Check.ge(1),
            description="1-based position in the document (preamble, operative part, "
            "annexes): the paragraph id with resolution_number.",
        ),
        "paragraph_eid": pa.Column("string", nullable=True, description="eId attribute in the XML, if any."),
        "kind": pa.Column(
            "string",
            pa.Check.isin(list(KINDS)),
            description="formula ('The Security Council,'), preambular (recital, incl. "
            "'Acting under Chapter VII' and section cross-headings), operative "
            "(numbered paragraph or sub-paragraph), heading, annex, other.",
        ),
        "section": pa.Column(
            "string",
            nullable=True,
            description="Section label (A, B, I, II...) or 'annex'; NA outside sections.",
        ),
        "number": pa.Column("Int64", nullable=True, description="Operative paragraph number; NA otherwise."),
        "num_text": pa.Column("string", nullable=True, description="The number as printed ('19.')."),
        "subparagraph": pa.Column(
            "string",
            nullable=True,
            description="Sub-paragraph path, '.'-joined ('c.ii'); NA for the "
            "paragraph's own text (its intro); '+' marks text after a list.",
        ),
        "text": pa.Column("string", description="Text, whitespace collapsed (itertext)."),
    },
    strict=True,
    unique=["resolution_number", "paragraph_seq"],
    name="sources.unsc_paragraphs",
)


def _load_resolutions_checked() -> pd.DataFrame:
    return load_resolutions()


LOADERS = {
    "resolutions": LoaderSpec(
        _load_resolutions_checked,
        SCHEMA_RESOLUTIONS,
        "data_extract_2019.json",
        ("resolution_number",),
        year=None,
    ),
}
