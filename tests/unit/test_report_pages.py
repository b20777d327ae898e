"""Report pages (issue 12): labels dictionary, formatted tables, findings, the page renderer, the
index cards, the notebook cleaning, run keys on imported modules, and the browser check on a
rendered fixture page. Synthetic inputs only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import labels
from analysis.reporting import plan
from analysis.reporting.findings import fill_template, finding_text
from analysis.reporting.index import render_index
from analysis.reporting.render import PageContext, clean_notebook, render_page, stabilise_created
from analysis.reporting.tables import format_table, format_value, tidy_frame

# --------------------------------------------------------------------------- labels


def test_labels_dictionary_plain_words_units_and_fallback():
    assert labels.label("has_partnership") == "partnership operation"
    assert labels.describe("gdp_pc_usd") == "GDP per person (US dollars)"
    assert labels.describe("has_conflict") == "armed conflict"  # yes/no units are not shown
    assert labels.label("has_partnership_lag1") == "partnership operation (t-1)"
    assert labels.column_format("p_value") == "pvalue"
    labels.MISSING.discard("deaths_total_n")
    assert labels.label("deaths_total_n") == "deaths total" and "deaths_total_n" in labels.MISSING
    with pytest.raises(KeyError, match="no glossary term"):
        labels.term("no_such_term")
    g = labels.glossary(["odds_ratio", "odds_ratio", "has_partnership", "unknown"])
    assert [e["label"] for e in g] == ["odds ratio (OR)", "partnership operation"]


def test_every_labelled_variable_is_a_column_of_a_table_or_a_model_output():
    """The dictionary does not drift from the data: each variable names a real column."""
    text = (Path(__file__).parents[2] / "docs" / "codebook.md").read_text(encoding="utf-8")
    model_cols = {"term", "estimate", "std_error", "z", "p_value", "ratio", "ratio_ci_low", "ratio_ci_high",
                  "nobs", "events", "events_treated", "observed", "predicted", "specification", "label",
                  "reason", "log_gdp_pc", "log_population", "rate_per_1000"}
    from analysis.studies.casualties import FRAME_COLUMNS  # columns the casualty frames derive

    model_cols |= set(FRAME_COLUMNS)
    # columns built by the coup design, its inference and forecasts (analysis.studies.coup_*,
    # analysis.panels.regime, analysis.models.balance) and the Sahel study: frames, not tables
    model_cols |= {
        "has_partnership_theatre", "is_post_coup_deployment", "military_regime_months_n",
        "leader_tenure_years",
        "log1p_us_troops", "period_2001_2012", "period_2013_2024", "const", "t", "t2", "t3", "risk_coup_year",
        "percentile_coup_year", "status", "ci_low", "ci_high", "coup_country", "coup_date", "months_after",
        "is_listed", "mean_treated", "mean_untreated", "mean_untreated_weighted", "std_difference_before",
        "std_difference_after", "is_jihadist", "not_jihadist", "violence_type", "date_label",
        "date_start_precision", "date_end_precision", "dates_note",
    }
    unknown = [v for v in labels.variables() if v not in model_cols and f"`{v}`" not in text]
    assert not unknown, f"labels.yaml names columns the codebook does not know: {unknown}"


def test_country_names_one_spelling_per_state():
    codes = pd.DataFrame({
        "country_id_gw": [439, 439, 437, 437, 432],
        "year": [1980, 2020, 1990, 2020, 2020],
        "country_name": ["Upper Volta", "Burkina Faso (Upper Volta)", "Ivory Coast", "Cote d'Ivoire", "Mali"],
    })
    names = labels.country_names(codes)
    assert names == {439: "Burkina Faso", 437: "Côte d'Ivoire", 432: "Mali"} | {
        k: v for k, v in labels.country_spellings().items() if k not in (439, 437, 432)}
    framed = labels.name_countries(pd.DataFrame({"country_id_gw": [437, 999]}), names)
    assert framed["country"].tolist()[0] == "Côte d'Ivoire" and framed["country"].isna().tolist()[1]


# --------------------------------------------------------------------------- tables


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (1656, "count", "1,656"),
        (np.int64(1234567), "value", "1,234,567"),
        (2.5, "count", "2.50"),
        (0.9491, "ratio", "0.95"),
        (0.0714, "share", "7.1%"),
        (0.5, "share", "50%"),
        (0.00004, "pvalue", "< 0.001"),
        (0.9171, "pvalue", "0.917"),
        (2019.0, "year", "2019"),
        (None, "count", "—"),
        (np.nan, "ratio", "—"),
        (pd.NA, "value", "—"),
        (True, "value", "yes"),
        (0.0382, "value", "0.0382"),
        (1234.5678, "value", "1,235"),
        (float("inf"), "ratio", "∞"),
        (2100, "text", "2100"),
        (pd.Timestamp("2013-04-25"), "value", "2013-04-25"),
        (pd.Timestamp("2013-04-25 14:30"), "value", "2013-04-25 14:30"),
    ],
)
def test_format_value(value, kind, text):
    assert format_value(value, kind) == text


def test_format_table_no_index_labels_and_nothing_truncated():
    df = pd.DataFrame({"has_partnership": [True, False], "fatalities_n": [1200, 3],
                       "p_value": [0.0001, 0.5], "free text": ["a", None]}, index=[7, 3])
    html = format_table(df, caption="Table 1. Demo")
    assert "<th scope='col'>partnership operation</th>" in html
    assert "peacekeeper deaths (deaths)" in html and ">1,200<" in html and ">&lt; 0.001<" in html
    assert ">7<" not in html  # the leftover row labels are not a column
    assert ">—<" in html and "Table 1. Demo" in html
    big = pd.DataFrame({f"c{i}": range(80) for i in range(30)})
    out = format_table(big)
    assert out.count("<tr>") == 81 and "..." not in out  # every row and column
    grouped = pd.DataFrame({"n": [1, 2]}, index=pd.Index(["a", "b"], name="group"))
    assert list(tidy_frame(grouped).columns) == ["group", "n"]  # a named index is data
    with pytest.raises(ValueError, match="format of column 'x'"):
        format_table(df, formats={"x": "percent"})


def test_format_table_links_cells_and_hides_the_url_columns():
    df = pd.DataFrame({"resolution": ["S/RES/2100 (2013)", "S/RES/1 (1946)"],
                       "url": ["https://undocs.org/en/S/RES/2100(2013)", None], "n": [3, 4]})
    html = format_table(df, labels=False, links={"resolution": "url"})
    assert "<a href='https://undocs.org/en/S/RES/2100(2013)'>S/RES/2100 (2013)</a>" in html
    assert "<td>S/RES/1 (1946)</td>" in html  # no URL: plain text
    assert ">url<" not in html and "undocs.org/en/S/RES/2100(2013)'>" in html  # the URL column is not shown
    with pytest.raises(KeyError, match="links name column"):
        format_table(df, links={"resolution": "href"})
    hostile = pd.DataFrame({"a": ["x"], "u": ["' onmouseover='alert(1)"]})
    assert "onmouseover='alert" not in format_table(hostile, links={"a": "u"})  # attribute-escaped


def test_every_registered_source_has_a_plain_name():
    from analysis.data.registry import raw_files

    sources = {f.source for f in raw_files()}
    unnamed = sorted(s for s in sources if labels.source_label(s) == s)
    assert not unnamed, f"add a short name for these sources under 'sources' in labels.yaml: {unnamed}"
    assert labels.source_label("pema") == "mandates (PEMA)" and labels.source_label("nope") == "nope"


def test_ad_hoc_headers_are_plain_and_not_listed_as_missing():
    labels.MISSING.discard("mean_2013_2017")
    assert labels.plain_headers(["mean_2013_2017", "has_poc_mandate"]) == {
        "mean_2013_2017": "mean 2013 2017", "has_poc_mandate": "protection-of-civilians mandate"}
    format_table(pd.DataFrame({"mean_2013_2017": [1.5]}), labels=False)
    assert "mean_2013_2017" not in labels.MISSING  # only a shown dictionary header asks for a label


def test_reporter_page_beside_the_report(tmp_path):
    import json as _json

    from analysis.reporting import Reporter
    from analysis.reporting.browser import report_pages

    assert Reporter("", notebook="08_x").page("ev", title="T", parts=["<p>x</p>"]) is None  # writes nothing
    out = tmp_path / "reports" / "08_x" / "default"
    rep = Reporter(str(out), notebook="08_x")
    link = rep.page("has_ct_pve_language", title="Evidence: CT", parts=["<h2 id='y2015'>2015</h2>"],
                    intro="Source: United Nations.")
    assert link == "default/pages/has_ct_pve_language.html"
    page = (out / "pages" / "has_ct_pve_language.html").read_text()
    assert "href='../../../assets/report.css'" in page and "href='../../default.html'" in page
    assert "<h2 id='y2015'>2015</h2>" in page and "<script" not in page
    rep.save()
    assert _json.loads((out / "results.json").read_text())["pages"] == ["pages/has_ct_pve_language.html"]
    assert out / "pages" / "has_ct_pve_language.html" in report_pages(tmp_path / "reports")
    with pytest.raises(ValueError, match="page name"):
        rep.page("../x", title="T", parts=[])


# --------------------------------------------------------------------------- findings

EST = {"kind": "estimate", "term": "has_partnership", "estimator": "logit", "ratio": 0.949,
       "ratio_ci_low": 0.355, "ratio_ci_high": 2.538, "p_value": 0.92}
SAMPLE = {"rows": [1656, "state-years"], "units": [54, "states"], "events": [65, "coup attempts"],
          "events_treated": 5, "years": [1994, 2024]}


def _finding(**kw):
    base = {"key": "f", "question": "Q?", "estimate": "or", "outcome": "a coup attempt",
            "exposure": "a partnership operation", "sample": SAMPLE, "caveat": "Association only."}
    return {**base, **kw}


def test_finding_sentence_from_the_numbers():
    f = finding_text(_finding(), {"or": EST})
    assert f.status == "ok" and f.answer.startswith("No clear association: the odds of a coup attempt")
    assert "0.95 times" in f.answer and "95% CI 0.35 to 2.54, which includes 1" in f.answer
    assert f.sample == ("1,656 state-years, 54 states, 65 coup attempts (5 in partnership operation "
                        "state-years), 1994–2024")
    high = finding_text(_finding(), {"or": {**EST, "ratio": 2.3, "ratio_ci_low": 1.05, "ratio_ci_high": 5.1}})
    assert high.answer.startswith("Higher: the odds of a coup attempt were 2.30 times as high")
    irr = finding_text(_finding(), {"or": {**EST, "estimator": "negbin", "ratio_ci_high": 0.9}})
    assert irr.answer.startswith("Lower: the rate of") and irr.ratio_name == "incidence-rate ratio"
    # one rate is singular: "the rate of a coup attempt was", not "were" (odds stay plural)
    assert "the rate of a coup attempt was 0.95 times" in irr.answer


def test_degenerate_findings_are_said_not_numbered():
    f = finding_text(_finding(sample={**SAMPLE, "events_treated": 0}), {"or": EST})
    assert f.status == "degenerate" and "0.95" not in f.answer
    assert f.answer.startswith("No coup attempts in a partnership operation state-years")
    nan = finding_text(_finding(), {"or": {**EST, "ratio": None}})
    assert nan.status == "degenerate" and "Not estimable" in nan.answer
    inf = finding_text(_finding(), {"or": {**EST, "ratio_ci_high": None}})
    assert "no finite bounds" in inf.answer
    missing = finding_text(_finding(estimate="gone"), {})
    assert missing.status == "missing"


def test_answer_templates_take_numbers_from_results():
    res = {"n": {"kind": "value", "value": 27}, "share": {"kind": "value", "value": -0.2988},
           "C01.verdict": {"kind": "value", "value": "supported"}}
    assert fill_template("{n} claims, {share:share}, {C01.verdict}", res) == "27 claims, -29.9%, supported"
    years = {"peak_year": {"kind": "value", "value": 2015}, "peak_n": {"kind": "value", "value": 107088.0}}
    assert fill_template("{peak_n} in {peak_year}", years) == "107,088 in 2015"  # a year has no separator
    with pytest.raises(KeyError, match="not recorded: missing"):
        fill_template("{missing}", res)


# --------------------------------------------------------------------------- pages


def _nb(outputs, md="# Title of notebook\n\nIntro text.\n\n## 3. First part\n\nText."):
    return {"cells": [
        {"cell_type": "markdown", "source": md, "metadata": {}},
        {"cell_type": "code", "source": "x", "metadata": {"tags": ["parameters"]}, "outputs": []},
        {"cell_type": "code", "source": "y", "metadata": {}, "outputs": outputs},
    ], "metadata": {}}


RESULTS = {"notebook": "04_x", "param_set": "default", "parameters": {"lag": 2},
           "findings": [_finding()], "results": {"or": EST}, "notes": ["Coups are rare."],
           "glossary": ["odds_ratio"], "diagnostics": ["model: converged slowly"],
           "data_versions": {"sources": {"coups_powell_thyne": "V2022", "unsc_resolutions_unxml": "main"},
                             "tables": {"country_years": "abc"}, "code_version": "c0de"},
           "package_versions": {"peaceops": "0.1.0"}, "created": "2026-01-02T03:04:05+00:00"}


def test_page_has_header_findings_toc_sections_and_collapsed_noise():
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "{'a': 1}\n"},
        {"output_type": "stream", "name": "stderr", "text": "UserWarning: careful\n"},
        {"output_type": "execute_result", "data": {"text/plain": "0.274"}, "metadata": {}},
        {"output_type": "display_data", "data": {"text/html": "<div class=table-wrap>T1</div>"},
         "metadata": {"peaceops": {"kind": "table", "name": "t", "appendix": False}}},
        {"output_type": "display_data", "data": {"text/html": "<div>FULLMODEL</div>"},
         "metadata": {"peaceops": {"kind": "table", "name": "m", "appendix": True, "caption": "Full model"}}},
        {"output_type": "display_data", "data": {"image/png": "iVBOR", "text/plain": "<Figure>"},
         "metadata": {}},
    ]
    ctx = PageContext("04_x", "default", "the headline", {"default": "the headline", "firth": "Firth"},
                      {"lag": 1})
    html = render_page(_nb(outputs), RESULTS, ctx)
    assert "href='../index.html'" in html and "<h1>Title of notebook</h1>" in html
    assert "Parameter set <b>default</b>: the headline." in html and "href='firth.html'" in html
    assert "Results of 2026-01-02" in html and "rel=stylesheet href='../assets/report.css'" in html
    # findings before the contents, before the text
    assert html.index("Key findings") < html.index("Contents") < html.index("Intro text.")
    assert "No clear association" in html and "Caveat: Association only." in html
    assert "<h2 id='first-part'>1. First part</h2>" in html  # renumbered
    assert "T1" in html and html.index("T1") < html.index("id=appendix")
    assert html.index("FULLMODEL") > html.index("id=appendix") and "<summary>Full model</summary>" in html
    diag = html[html.index("id=diagnostics"):]
    noises = ("{&#x27;a&#x27;: 1}", "UserWarning: careful", "0.274", "converged slowly", "without rep.figure")
    for noise in noises:
        assert noise in diag, noise
    body = html[: html.index("id=appendix")]
    assert "0.274" not in body and "UserWarning" not in body and "iVBOR" not in html
    assert "odds ratio (OR)</dt>" in html  # glossary: listed term and the estimate's variable
    assert "partnership operation</dt>" in html
    assert "Powell &amp; Thyne (2011)" in html and "Source: United Nations." in html
    assert "<b>(changed by this set)</b>" in html  # lag 2 vs default 1
    assert "<script" not in html and "http://" not in html and "https://" not in html


def test_clean_notebook_drops_timestamps_and_image_bytes():
    pm = {"start_time": "t0", "end_time": "t1", "duration": 3.2, "version": "2.7"}
    nb = {"metadata": {"papermill": pm},
          "cells": [{"cell_type": "code", "metadata": {"execution": {"iopub.status.busy": "t"},
                                                       "papermill": {"start_time": "t",
                                                                     "status": "completed"}},
                     "outputs": [{"output_type": "display_data", "metadata": {},
                                  "data": {"image/png": "AAAA", "text/plain": "<Figure>"}}]}]}
    clean_notebook(nb)
    assert nb["metadata"]["papermill"] == {"version": "2.7"}
    cell = nb["cells"][0]
    assert "execution" not in cell["metadata"] and cell["metadata"]["papermill"] == {"status": "completed"}
    assert cell["outputs"][0]["data"] == {"text/plain": "<Figure>"}


def test_rerun_with_the_same_results_keeps_the_stamp(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps({"results": {"x": 1}, "created": "2026-01-01T00:00:00+00:00"}))
    new.write_text(json.dumps({"results": {"x": 1}, "created": "2026-02-02T00:00:00+00:00"}))
    assert stabilise_created(new, old) and json.loads(new.read_text())["created"].startswith("2026-01-01")
    new.write_text(json.dumps({"results": {"x": 2}, "created": "2026-02-02T00:00:00+00:00"}))
    assert not stabilise_created(new, old) and json.loads(new.read_text())["created"].startswith("2026-02")


def test_index_card_opens_with_findings_and_lists_every_set(tmp_path):
    d = tmp_path / "04_x"
    for label, ratio in (("default", 0.949), ("firth", 1.02)):
        (d / label).mkdir(parents=True)
        cells = [{"cell_type": "markdown", "source": "# Coups"}]
        (d / f"{label}.ipynb").write_text(json.dumps({"cells": cells}))
        (d / f"{label}.html").write_text("x")
        res = {**RESULTS, "param_set": label, "set_description": "Firth's logit" if label == "firth" else "",
               "results": {"or": {**EST, "ratio": ratio}}}
        (d / label / "results.json").write_text(json.dumps(res))
    html = render_index(tmp_path)
    assert "href='assets/report.css'" in html and "<style" not in html
    card = html[html.index("class=card"):]
    assert card.index("Key findings") < card.index("parameter set")
    assert "<td>Firth&#x27;s logit</td><td>odds ratio 1.02</td><td>0.35 to 2.54</td>" in card
    assert "href='04_x/firth.html'" in card and "href='04_x/default.html'" in card


# --------------------------------------------------------------------------- run keys


def test_run_key_follows_only_the_modules_a_notebook_imported(tmp_path, monkeypatch):
    pkg = tmp_path / "analysis"
    (pkg / "models").mkdir(parents=True)
    (pkg / "reporting").mkdir()
    for f in ("__init__.py", "labels.py", "models/__init__.py", "models/coups.py", "models/trends.py",
              "reporting/__init__.py", "reporting/render.py"):
        (pkg / f).write_text(f"# {f}\n")
    monkeypatch.setattr("analysis.config.PACKAGE_DIR", pkg)
    used = ["analysis", "analysis.models", "analysis.models.coups"]
    key, hashes = plan.code_component(used)
    assert "analysis.models.coups" in hashes and "analysis.models.trends" not in hashes
    assert hashes["analysis.reporting.findings"] == "missing"  # the renderer's modules always count
    (pkg / "models" / "trends.py").write_text("# changed, not imported\n")
    assert plan.code_component(used)[0] == key
    (pkg / "models" / "coups.py").write_text("# changed\n")
    assert plan.code_component(used)[0] != key
    key2 = plan.code_component(used)[0]
    (pkg / "labels.yaml").write_text("variables: {}\n")  # the dictionary beside analysis/labels.py
    assert plan.code_component(used)[0] != key2


# --------------------------------------------------------------------------- browser


@pytest.mark.slow
def test_browser_check_passes_a_rendered_page_and_catches_problems(tmp_path):
    pytest.importorskip("playwright")
    from analysis.reporting.browser import check_pages, screenshot_dir
    from analysis.reporting.render import write_assets

    if not (shutil.which("chromium") or Path("/usr/bin/chromium").is_file()):
        pytest.fail("Chromium is not installed: apt-get install -y chromium")
    root = tmp_path / "reports"
    d = root / "04_x"
    (d / "default" / "figures").mkdir(parents=True)
    write_assets(root)
    (d / "default" / "results.json").write_text(json.dumps(RESULTS))
    (d / "default.ipynb").write_text("{}")
    good = render_page(_nb([]), RESULTS, PageContext("04_x", "default"))
    (d / "default.html").write_text(good)
    (root / "index.html").write_text(render_index(root))
    report = check_pages(root)
    assert report.ok, report.summary()
    assert not any(p.name.endswith(".png") for p in root.rglob("*"))  # nothing added to the reports
    shots = sorted(p.name for p in screenshot_dir(root).iterdir())
    assert shots == ["04_x__default__1400.png", "04_x__default__390.png", "index__1400.png", "index__390.png"]
    bad = good.replace("<article>", "<article><div style='width:2000px'>wide</div><img src='nope.png'>"
                                    "<link rel=stylesheet href='https://cdn.example.org/x.css'>"
                                    "<img src='../../elsewhere.png'><a href='missing.html'>m</a>")
    (d / "default.html").write_text(bad)
    problems = check_pages(root, [d / "default.html"]).summary()
    assert "horizontal overflow" in problems and "image does not load: nope.png" in problems
    assert "request leaves the reports folder: https://cdn.example.org/x.css" in problems
    assert "request leaves the reports folder: file://" in problems
    assert "broken link: 04_x/missing.html" in problems


def test_labels_dictionary_refuses_a_key_given_twice(tmp_path, monkeypatch):
    """Two merges each added has_partnership_language; PyYAML kept the last one without a word."""
    f = tmp_path / "labels.yaml"
    f.write_text("variables:\n  x_n: {label: one}\n  x_n: {label: two}\n", encoding="utf-8")
    monkeypatch.setattr(labels, "LABELS_FILE", f)
    labels._dictionary.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"labels.yaml.*duplicate key 'x_n'.*line 3"):
            labels._dictionary()
    finally:
        labels._dictionary.cache_clear()
