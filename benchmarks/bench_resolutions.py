"""Security Council resolutions: what parsing and coding 1,554 files add to a cold build, in one run.

Run with ``python benchmarks/bench_resolutions.py`` (also part of ``make bench``). Reported, never
asserted (the machine is shared: re-measure before comparing):

* fetch_s        - copying + verifying the 1,554 files from the mirror into an empty raw cache;
* parse_s        - :func:`analysis.sources.unsc_resolutions_unxml.load_corpus` alone (XML + JSON Lines);
* naive_parse_s  - ``xml.etree.ElementTree.parse`` of every XML file, nothing else (the floor);
* tables_s       - cold build of the resolution tables (sc_resolutions ... sc_mandates_monthly, with
                   the ceiling statements sc_ceilings,
                   without the tables they share with the rest of the build: un_missions,
                   mandates_monthly), i.e. what the source adds to a cold build;
* warm_s         - the same build again (a no-op: every table cached);
* cpu_s          - process CPU time of the cold build of those tables (user + system).

Results are printed and written to ``benchmarks/results/resolutions.json`` (git-ignored).
"""

from __future__ import annotations

import json
import os
import resource
import tempfile
import time
import xml.etree.ElementTree as ET

from _common import write_results  # importing _common puts the project on sys.path

TABLES = ("sc_resolutions", "sc_paragraphs", "sc_mission_resolutions", "sc_ceilings", "sc_mandate_codings",
          "sc_mandate_partnerships", "sc_mandates_monthly")
SHARED = ("un_missions", "mandates_monthly", "un_mission_hosts", "country_codes")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> dict:
    with tempfile.TemporaryDirectory() as td:
        os.environ["PEACEOPS_DATA_DIR"] = td
        from analysis.data import build
        from analysis.data.fetch import fetch
        from analysis.data.registry import source_meta
        from analysis.sources import unsc_resolutions_unxml as ux

        t0 = time.perf_counter()
        fetch(["unsc_resolutions_unxml"], progress=False)
        t_fetch = time.perf_counter() - t0
        build(list(SHARED), progress=False)  # tables the resolution tables share with the rest of the build
        xml = [f.local_path for f in source_meta("unsc_resolutions_unxml").files if f.file.endswith(".xml")]
        t0 = time.perf_counter()
        for p in xml:
            ET.parse(p)
        t_naive = time.perf_counter() - t0
        t0 = time.perf_counter()
        ux.load_corpus()
        t_parse = time.perf_counter() - t0
        from analysis.core import resolutions

        resolutions._corpus_cached.cache_clear()  # the build parses again, from cold
        c0, t0 = _cpu(), time.perf_counter()
        cold = build(list(TABLES), progress=False)
        t_tables, cpu = time.perf_counter() - t0, _cpu() - c0
        t0 = time.perf_counter()
        warm = build(list(TABLES), progress=False)
        t_warm = time.perf_counter() - t0
    res = {
        "files": len(xml),
        "fetch_s": round(t_fetch, 3),
        "naive_parse_s": round(t_naive, 3),
        "parse_s": round(t_parse, 3),
        "tables_s": round(t_tables, 3),
        "cpu_s": round(cpu, 3),
        "warm_s": round(t_warm, 3),
        "tables_built_cold": cold.built,
        "tables_built_warm": warm.built,
        "seconds_by_table": {k: round(v, 3) for k, v in cold.seconds.items() if k in TABLES},
        "ratio_parse_over_naive": round(t_parse / t_naive, 2),
        "ratio_warm_over_cold": round(t_warm / t_tables, 4),
        "cores": os.cpu_count(),
        "load_average": os.getloadavg()[0],
    }
    write_results("resolutions", res)
    print(json.dumps(res, indent=2))
    return res


if __name__ == "__main__":
    main()
