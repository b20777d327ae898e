"""Command-line interface: ``peaceops data fetch | build | check | versions | cite | describe | codebook``,
``peaceops run`` (execute the parameterized notebooks into ``reports/``) and ``peaceops multiverse``
(fit a question's specification grid outside the notebook)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence

from analysis.errors import PeaceopsError


def _cmd_fetch(args: argparse.Namespace) -> int:
    from analysis.data.fetch import fetch

    res = fetch(args.sources or None, mirror=args.mirror, allow_download=not args.no_download,
                progress=not args.quiet)
    counts: dict[str, int] = {}
    for r in res:
        counts[r.how] = counts.get(r.how, 0) + 1
    print(f"{len(res)} files verified (" + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) + ")")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from analysis.data.store import build

    t0 = time.perf_counter()
    rep = build(args.tables or None, force=args.force, progress=not args.quiet)
    for name, status in rep.status.items():
        why = f"  ({rep.reasons[name]})" if name in rep.reasons else ""
        print(f"{status:7s} {name:28s} {rep.seconds[name]:6.2f}s{why}")
    print(f"{len(rep.built)} built, {len(rep.status) - len(rep.built)} cached "
          f"in {time.perf_counter() - t0:.1f}s")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from analysis.data.check import check_all

    results = check_all()
    bad = [r for r in results if not r.ok and not r.skipped]
    skipped = [r for r in results if r.skipped]
    for r in results:
        if not r.ok or args.verbose:
            status = "SKIP" if r.skipped else "ok  " if r.ok else "FAIL"
            print(f"{status} {r.what}: {r.detail}")
    print(f"{len(results) - len(bad) - len(skipped)} passed, {len(bad)} failed"
          + (f", {len(skipped)} skipped" if skipped else ""))
    return 1 if bad or skipped else 0


def _cmd_versions(args: argparse.Namespace) -> int:
    from analysis.data.registry import files_digest, raw_files, source_meta, sources

    if args.files:
        rows = [(f.source, f.file, f.version, f.sha256[:12], f"{f.year_start}-{f.year_end}")
                for f in raw_files() if not args.sources or f.source in args.sources]
        header = ("source", "file", "version", "sha256", "years")
    else:
        # one line per source; a source with many files (the UN resolutions: 1,554) shows its file
        # count and one digest over all its (file, sha256) pairs; --files lists every file
        rows = []
        for s in sources():
            if args.sources and s not in args.sources:
                continue
            m = source_meta(s)
            if len(m.files) == 1:
                name, digest = m.files[0].file, m.files[0].sha256[:12]
            else:
                name, digest = f"{len(m.files)} files, {m.bytes:,} bytes", files_digest(m.files)[:12]
            rows.append((s, name, m.version, digest, f"{m.year_start}-{m.year_end}"))
        header = ("source", "file(s)", "version", "sha256", "years")
    widths = [min(48, max(len(str(r[i])) for r in [header, *rows])) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(str(v)[: widths[i]].ljust(widths[i]) for i, v in enumerate(r)).rstrip())
    return 0


def _cmd_cite(args: argparse.Namespace) -> int:
    from analysis.data.registry import bibtex, sources

    keys = args.keys or sources()
    unknown = [k for k in keys if k not in sources()]
    if unknown:
        print(f"unknown source(s): {', '.join(unknown)}; known: {', '.join(sources())}", file=sys.stderr)
        return 2
    print("\n\n".join(bibtex(k) for k in keys))
    return 0


def _cmd_describe(args: argparse.Namespace) -> int:
    from analysis.data.codebook import table_markdown
    from analysis.data.tables import specs

    spec = specs().get(args.table)
    if spec is None:
        print(f"unknown table {args.table!r}; known: {', '.join(sorted(specs()))}", file=sys.stderr)
        return 2
    print(table_markdown(spec))
    return 0


def _cmd_codebook(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis.config import checkout_root
    from analysis.data.codebook import codebook_markdown
    from analysis.data.hashing import atomic_write_text

    root = checkout_root()
    if args.output:
        out = Path(args.output)
    elif root is not None:
        out = root / "docs" / "codebook.md"
    else:
        print("error: the package is installed, not run from a checkout: name the file with -o FILE",
              file=sys.stderr)
        return 2
    atomic_write_text(out, codebook_markdown())
    print(f"wrote {out}")
    return 0


def _cmd_where(args: argparse.Namespace) -> int:
    from analysis.config import where

    rows = [(loc.name, str(loc.path) if loc.path is not None else "-", loc.why) for loc in where()]
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    for name, path, why in rows:
        print(f"{name:{w0}s}  {path:{w1}s}  {why}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from analysis.data.store import table_names
    from analysis.data.tables import specs

    for n in table_names():
        s = specs()[n]
        print(f"{n:28s} {s.unit:28s} PK {', '.join(s.primary_key)}")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis.reporting.check import CHECK_RTOL, check_reports
    from analysis.reporting.execute import run_notebooks
    from analysis.reporting.kernel import KERNEL_NAME, ensure_kernel
    from analysis.reporting.params import CliValue
    from analysis.reporting.plan import DEFAULT_SET, describe_notebooks, discover

    if args.install_kernel:
        print(f"Jupyter kernel {KERNEL_NAME!r}: {ensure_kernel()}")
        return 0
    if args.list:
        nbs = discover(args.notebooks_dir, args.notebooks)
        print(describe_notebooks(nbs))
        return 0
    if args.browser_check:
        from analysis.config import reports_path
        from analysis.reporting.browser import check_pages, screenshot_dir

        rdir = Path(args.reports_dir) if args.reports_dir else reports_path()
        report = check_pages(rdir)
        print(report.summary())
        print(f"screenshots: {screenshot_dir(rdir)}")
        return 0 if report.ok else 1
    overrides: dict[str, object] = {}
    origin: dict[str, str] = {}
    if args.params_file:
        import yaml

        from analysis.data.yamlsafe import load_yaml, yaml_error

        path = Path(args.params_file)
        try:
            values = load_yaml(path.read_text(encoding="utf-8")) or {}
        except OSError as exc:
            print(f"error: -f {path}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        except yaml.YAMLError as exc:
            print(f"error: -f {path}, {yaml_error(exc)}", file=sys.stderr)
            return 2
        if not isinstance(values, dict):
            print(f"error: -f {path}: expected a flat mapping of parameter: value", file=sys.stderr)
            return 2
        overrides.update(values)
        origin.update({k: f"-f {path.name}" for k in values})
    for name, raw in args.param or []:
        overrides[name] = CliValue(raw)
        origin[name] = "-p"
    common = {
        "jobs": args.jobs,
        "notebooks_dir": args.notebooks_dir,
        "reports_dir": args.reports_dir,
        "progress": not args.quiet,
    }
    sets = args.set or [DEFAULT_SET]
    if args.check:
        if overrides or args.all_sets or args.name:
            print("error: --check compares the committed sets: no -p/-f/--all-sets/--name", file=sys.stderr)
            return 2
        t0 = time.perf_counter()
        rep = check_reports(args.notebooks, sets=sets, **common)
        for key, diffs in rep.differences.items():
            print(f"{'ok  ' if not diffs else 'DIFF'} {key}")
            for d in diffs:
                print(f"       {d}")
        bad = sum(bool(d) for d in rep.differences.values())
        print(
            f"{len(rep.differences) - bad} agree, {bad} differ (relative tolerance {CHECK_RTOL:g}) "
            f"in {time.perf_counter() - t0:.0f}s"
        )
        return 0 if rep.ok else 1
    t0 = time.perf_counter()
    summary = run_notebooks(
        args.notebooks,
        sets=sets,
        all_sets=args.all_sets,
        overrides=overrides,
        override_origin=origin,
        name=args.name,
        force=args.force,
        timeout=args.timeout,
        wait=args.wait,
        keep_notebooks=args.keep_notebooks,
        **common,
    )
    width = max((len(o.stem) + len(o.label) + 3 for o in summary.outcomes), default=0)
    for o in summary.outcomes:
        status = "FAILED" if o.status == "failed" else o.status
        extra = f"{o.seconds:6.1f}s  ({o.reason})" if o.status != "cached" else ""
        print(f"{status:7s} {f'{o.stem} [{o.label}]':{width}s} {extra}".rstrip())
        if o.error:
            print(f"  {o.stem} [{o.label}] {o.error}")
    n = len(summary.outcomes)
    print(
        f"{n} run(s): {summary.count('ran')} ran, {summary.count('cached')} cached, "
        f"{len(summary.failed)} failed in {time.perf_counter() - t0:.0f}s"
        + (f"; index {summary.index}" if summary.index else "")
    )
    return 1 if summary.failed else 0


def _cmd_multiverse(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis.config import processed_dir
    from analysis.data.hashing import atomic_write
    from analysis.models.multiverse import curve_summary, fit_many, load_grid, null_test, verdict
    from analysis.studies.multiverse import grid_path, load_tables, question_data

    grid = load_grid(grid_path(args.question))
    if args.list:
        for d, vals in grid.dimensions.items():
            print(f"{d:12s} {', '.join(vals)}  (headline: {grid.headline.get(d)})")
        for rule, n in grid.excluded_by_rule():
            print(f"rule (line {rule.line}): {n} combinations left out: {' '.join(rule.why.split())}")
        print(f"{grid.size()} specifications; sets: " + ", ".join(f"{k} ({grid.size(k)})" for k in grid.sets))
        return 0
    restrict: dict[str, list[str]] = {}
    for item in args.restrict or []:
        dim, _, vals = item.partition("=")
        if not vals:
            print(f"error: --restrict {item!r}: expected DIMENSION=VALUE[,VALUE...]", file=sys.stderr)
            return 2
        restrict[dim.strip()] = [v.strip() for v in vals.split(",") if v.strip()]
    sel = grid.restriction(args.set) if args.set else {}
    sel = {**sel, **grid.restriction(restrict, where="--restrict")}
    specs = grid.specs(sel or None)
    cache = None if args.no_cache else Path(args.cache_dir) if args.cache_dir else \
        processed_dir() / "multiverse" / args.question
    data = question_data(args.question, load_tables(args.question))
    opts = dict(backend=args.backend, n_jobs=args.jobs, scheduler=args.scheduler, progress=not args.quiet)
    res = fit_many(specs, data, cache=cache, **opts)  # type: ignore[arg-type]
    run = res.attrs["run"]
    out = Path(args.output) if args.output else processed_dir() / "multiverse" / f"{args.question}.csv"
    atomic_write(out, lambda p: res.to_csv(p, index=False))
    fps = run["fits_per_second"]
    print(f"{len(specs)} specifications: {run['fitted']} fitted, {run['cached']} cached, {run['failed']} "
          f"not estimable in {run['seconds']:.1f}s ({run['backend']}, {run['n_jobs']} workers"
          + (f", {fps:.1f} fits/s" if fps else "") + f"); results in {out}")
    for st, n in res["status"].value_counts().items():
        print(f"  {st:15s} {n}")
    head = grid.headline_spec()
    summary = curve_summary(res, headline=head.id if (res["spec_id"] == head.id).any() else None)
    null_p = None
    if args.null and summary.headline_sign:
        ok = [s for s in specs if s.id in set(res.loc[res["status"] == "ok", "spec_id"])]
        nt = null_test(ok, data, res, resamples=args.null, sign=summary.headline_sign, seed=args.seed,
                       cache=None if cache is None else Path(f"{cache}-null"), **opts)  # type: ignore[arg-type]
        null_p = nt.p_values["median"]
        print("null p-values: " + ", ".join(f"{k} {v:.3f}" for k, v in nt.p_values.items()))
    print(verdict(summary, null_p=null_p))
    return 0


def make_parser() -> argparse.ArgumentParser:
    """The argument parser (unknown commands and options fail with usage help)."""
    p = argparse.ArgumentParser(prog="peaceops", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true", help="log progress")
    top = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    data = top.add_parser("data", help="raw files and core tables")
    sub = data.add_subparsers(dest="data_command", required=True, metavar="SUBCOMMAND")

    f = sub.add_parser("fetch", help="put every registered raw file into data/raw, sha256-verified")
    f.add_argument("sources", nargs="*", metavar="SOURCE", help="source ids (default: all)")
    f.add_argument("--mirror", metavar="DIR", help="mirror folder laid out as <source>/<file>")
    f.add_argument("--no-download", action="store_true", help="never use the network")
    f.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    f.set_defaults(func=_cmd_fetch)

    b = sub.add_parser("build", help="build core tables (cached by content hash)")
    b.add_argument("tables", nargs="*", metavar="TABLE", help="tables (default: all)")
    b.add_argument("--force", action="store_true", help="rebuild even if inputs are unchanged")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=_cmd_build)

    c = sub.add_parser("check", help="re-validate raw files, loaders and tables; non-zero exit on failure")
    c.add_argument("--verbose", action="store_true", help="also list passing checks")
    c.set_defaults(func=_cmd_check)

    v = sub.add_parser("versions", help="table of sources, files, versions and hashes")
    v.add_argument("sources", nargs="*", metavar="SOURCE", help="source ids (default: all)")
    v.add_argument("--files", action="store_true",
                   help="one line per file (default: one per source; a multi-file source shows its file "
                        "count and one digest over its files' sha256)")
    v.set_defaults(func=_cmd_versions)

    ci = sub.add_parser("cite", help="BibTeX for sources, generated from the registry")
    ci.add_argument("keys", nargs="*", metavar="KEY", help="source ids (default: all)")
    ci.set_defaults(func=_cmd_cite)

    d = sub.add_parser("describe", help="unit, primary key, coverage and columns of a table")
    d.add_argument("table", metavar="TABLE")
    d.set_defaults(func=_cmd_describe)

    cb = sub.add_parser("codebook", help="write the codebook generated from the schemas (docs/codebook.md)")
    cb.add_argument("-o", "--output", metavar="FILE",
                    help="output file (default in a checkout: docs/codebook.md; required otherwise)")
    cb.set_defaults(func=_cmd_codebook)

    w = sub.add_parser("where", help="the folders in use (raw, processed, curated, mirror, notebooks, "
                       "reports) and why each was chosen")
    w.set_defaults(func=_cmd_where)

    ls = sub.add_parser("list", help="list tables with unit and primary key")
    ls.set_defaults(func=_cmd_list)

    r = top.add_parser(
        "run",
        help="execute notebooks into reports/ or --out DIR (validated parameters, cached, atomic)",
        description="Execute the parameterized notebooks (notebooks/NN_*.ipynb, paired with their jupytext "
        ".py source) with papermill on the 'peaceops' kernel into reports/<stem>/<set>.ipynb|.html and "
        "reports/<stem>/<set>/ (results.json, figures), then regenerate reports/index.html. Runs whose "
        "notebook, parameters, data, package code and package versions are unchanged are skipped. "
        "An installed package (not a checkout) runs the notebooks bundled with it into the folder "
        "named by --out DIR.",
    )
    r.add_argument(
        "notebooks",
        nargs="*",
        metavar="NOTEBOOK",
        help="stem (02_robust_mandates), number prefix (02) or path; default: all notebooks",
    )
    r.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="override a parameter; VALUE is parsed as YAML (3, 0.5, true, '[2000, 2008]')",
    )
    r.add_argument("-f", "--params-file", metavar="PARAMS.yaml", help="flat mapping of parameter overrides")
    g = r.add_mutually_exclusive_group()
    g.add_argument(
        "--set",
        action="append",
        metavar="NAME",
        help="parameter set from notebooks/params/<stem>.yaml (repeatable; default: default)",
    )
    g.add_argument(
        "--all-sets",
        action="store_true",
        help="every parameter set of each notebook except 'test' (the test suite's set)",
    )
    r.add_argument(
        "--name", metavar="LABEL", help="output label of a run with -p/-f overrides (default: <set>-custom)"
    )
    r.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="runs in parallel (default 1)")
    r.add_argument("--force", action="store_true", help="execute even when nothing changed")
    r.add_argument(
        "--keep-notebooks",
        action="store_true",
        help="keep the executed notebook <set>.ipynb of every run (default: of the default set and of "
        "runs with -p/-f only; the other sets keep their page, results.json and figures)",
    )
    r.add_argument(
        "--check",
        action="store_true",
        help="re-execute the default sets into a temporary folder and compare their results with "
        "the committed reports/<stem>/default/results.json (relative tolerance 1e-6)",
    )
    r.add_argument("--list", action="store_true", help="list notebooks, parameters and sets; run nothing")
    r.add_argument(
        "--browser-check",
        action="store_true",
        help="open every page of reports/ in headless Chromium at 1400 and 390 px; fail on overflow, "
        "images that do not load, console errors, requests leaving the folder; save screenshots",
    )
    r.add_argument(
        "--install-kernel",
        action="store_true",
        help="register the 'peaceops' Jupyter kernel for this interpreter and exit",
    )
    r.add_argument("--timeout", type=float, metavar="SECONDS", help="per-cell timeout (default: none)")
    r.add_argument(
        "--wait",
        type=float,
        metavar="SECONDS",
        help="how long a run waits for a run of the same notebook and label already going on (default: "
        "as long as it takes; 0: stop at once with 'already running (pid N)')",
    )
    r.add_argument("--notebooks-dir", metavar="DIR", help=argparse.SUPPRESS)
    r.add_argument(
        "-o",
        "--out",
        dest="reports_dir",
        metavar="DIR",
        help="folder to render the reports into (default in a checkout: reports/; required when the "
        "package is installed: the notebooks bundled with it are run)",
    )
    r.add_argument("--reports-dir", dest="reports_dir", metavar="DIR", help=argparse.SUPPRESS)
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    r.set_defaults(func=_cmd_run)

    m = top.add_parser(
        "multiverse",
        help="fit a question's specification grid (specification curve) outside the notebook",
        description="Fit every specification of a question's grid (analysis/studies/grids/QUESTION.yaml) "
        "with the chosen backend, caching each result (an interrupted run resumes), write the tidy "
        "results as CSV and print the curve's summary and verdict.",
    )
    m.add_argument("question", choices=["casualties", "coups"], help="which grid")
    m.add_argument("--backend", choices=["serial", "joblib", "dask"], default="joblib",
                   help="serial, local processes (joblib, default) or Dask distributed")
    m.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="workers (default: all cores; with --backend dask and no --scheduler, the size of "
                        "the "
                        "LocalCluster started for the run)")
    m.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="address of a running Dask scheduler")
    m.add_argument("--set", metavar="NAME", help="a named set of the grid (e.g. test)")
    m.add_argument("--restrict", action="append", metavar="DIM=V1,V2",
                   help="keep only these values of a dimension (repeatable)")
    m.add_argument("--null", type=int, default=0, metavar="R",
                   help="also run the permutation test of the curve with R permutations")
    m.add_argument("--seed", type=int, default=20260801, help="seed of the permutations")
    m.add_argument("--cache-dir", metavar="DIR",
                   help="per-specification cache (default data/processed/multiverse/"
                   "QUESTION)")
    m.add_argument("--no-cache", action="store_true", help="fit everything, store nothing")
    m.add_argument("-o", "--output", metavar="FILE.csv",
                   help="results file (default data/processed/multiverse/"
                   "QUESTION.csv)")
    m.add_argument("--list", action="store_true", help="list dimensions, rules and sets; fit nothing")
    m.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    m.set_defaults(func=_cmd_multiverse)
    return p


def _os_error(exc: OSError) -> str:
    """One line for a failed file operation: what, which file, what to do."""
    import errno

    what = exc.strerror or type(exc).__name__
    where = f": {exc.filename}" if exc.filename else ""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        todo = ("make it writable, or work elsewhere: PEACEOPS_DATA_DIR=DIR for data/, "
                "--reports-dir DIR for reports/")
    elif exc.errno == errno.ENOSPC:
        todo = "free some disk space and run the command again (finished outputs are complete)"
    elif exc.errno == errno.ENOENT:
        todo = "check the path (`peaceops data fetch` restores missing raw files)"
    else:
        todo = "fix the file system problem and run the command again"
    return f"error: {what}{where}; {todo}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``peaceops`` console script.

    Errors the user can act on end with one line on stderr (no traceback): the package's own
    errors, file-system errors (permissions, a full disk), a damaged parquet file, Ctrl-C (exit
    130). Writes are atomic, so whatever was interrupted is redone by running the command again.
    """
    args = make_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted: outputs written so far are complete; run the command again to finish",
              file=sys.stderr)
        return 130
    except PeaceopsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyError as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(_os_error(exc), file=sys.stderr)
        return 1
    except Exception as exc:
        if type(exc).__module__.startswith("pyarrow"):
            print(f"error: {type(exc).__name__}: {exc}; a parquet file under data/processed may be "
                  "damaged: `peaceops data check` finds and rebuilds it", file=sys.stderr)
            return 1
        raise


def console() -> int:
    """The ``peaceops`` console script: :func:`main` on the command line's arguments.

    The process ends right after, so the objects it made are first moved into the garbage
    collector's permanent generation (``gc.freeze``): the interpreter's exit then does not walk
    every object of pandas, pandera and the notebook tooling (0.3 s of a rerun). Exit handlers run
    as usual.
    """
    import gc

    rc = main()
    gc.freeze()
    return rc


if __name__ == "__main__":  # pragma: no cover
    sys.exit(console())
