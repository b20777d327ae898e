"""The browser check: every report page opened in headless Chromium at 1400 and 390 px.

``peaceops run --browser-check`` (``make reports-browser-check``) opens ``index.html`` and every
``<stem>/<set>.html`` (and the pages of evidence beside them, ``<stem>/<set>/pages/*.html``) under the
reports folder from its file URL, in Debian's Chromium driven by
Python ``playwright`` (``executable_path=/usr/bin/chromium``: no browser download), and fails
on

* horizontal overflow (the page is wider than the window; tables may scroll inside their box),
* an image that does not load,
* a console error or an uncaught script error,
* any request that leaves the reports folder (another folder, ``http(s)``, fonts, CDNs),
* a link to a file of the reports folder that does not exist.

It saves a screenshot of the first screen of each page at each width into
``reports-screenshots/`` beside the reports folder (git-ignored; outside it, so the
screenshots do not count in the folder's size). Install: ``apt-get install -y chromium`` and the dev
extra (``pip install -e '.[dev]'``, which holds ``playwright``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

#: Window sizes checked (width, height in CSS pixels): a desktop and a phone.
VIEWPORTS: tuple[tuple[int, int], ...] = ((1400, 900), (390, 844))
#: Chromium launch flags (no network services, no sandbox in containers, a fresh profile).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: Suffix of the folder beside the reports folder where screenshots go (``reports`` ->
#: ``reports-screenshots``).
SCREENSHOT_SUFFIX = "-screenshots"


def screenshot_dir(reports_dir: Path | str) -> Path:
    """Where the screenshots of ``reports_dir`` go: beside it, not in it."""
    root = Path(reports_dir).resolve()
    return root.with_name(root.name + SCREENSHOT_SUFFIX)

_OVERFLOW_JS = """() => {
  const w = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && r.width > 0) {
      let p = el.parentElement, clipped = false;
      while (p) { const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
        p = p.parentElement; }
      if (!clipped) out.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') +
                             ' right=' + Math.round(r.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: w, culprits: out.slice(0, 5)};
}"""
_IMAGES_JS = """async () => {
  const imgs = Array.from(document.images);
  imgs.forEach(i => { i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  return imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src'));
}"""
_LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"""


@dataclass
class PageCheck:
    """Problems found on one page at one width."""

    page: str
    width: int
    problems: list[str] = field(default_factory=list)
    screenshot: str = ""


@dataclass
class BrowserReport:
    """Outcome of :func:`check_pages`."""

    checks: list[PageCheck]

    @property
    def ok(self) -> bool:
        """Whether no page had a problem."""
        return not any(c.problems for c in self.checks)

    def summary(self) -> str:
        """One line per problem (or a line saying all pages passed)."""
        lines = [f"{c.page} @ {c.width}px: {p}" for c in self.checks for p in c.problems]
        pages = len({c.page for c in self.checks})
        return "\n".join(lines) if lines else f"{pages} page(s) passed at {len(VIEWPORTS)} widths"


def chromium_path() -> str:
    """Path of Debian's Chromium (``PEACEOPS_CHROMIUM`` overrides); error saying how to install it."""
    from analysis.errors import RunnerError

    cand = os.environ.get("PEACEOPS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(cand).is_file():
        raise RunnerError("Chromium not found: install it with `apt-get install -y chromium` "
                          "(or set PEACEOPS_CHROMIUM to its path)")
    return cand


def report_pages(reports_dir: Path) -> list[Path]:
    """``index.html``, every ``<stem>/<set>.html`` and every ``<stem>/<set>/pages/*.html`` under
    ``reports_dir``."""
    root = Path(reports_dir)
    pages = [root / "index.html"] if (root / "index.html").is_file() else []
    return pages + sorted(root.glob("[0-9][0-9]_*/*.html")) + sorted(root.glob("[0-9][0-9]_*/*/pages/*.html"))


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def _router(root: Path, outside: list[str]) -> Any:
    """A route handler letting through file URLs inside ``root`` (and data URLs) only."""

    def route(r: Any) -> None:
        url = r.request.url
        u = urlparse(url)
        local = u.scheme == "file" and _inside(Path(unquote(u.path)), root)
        if local or u.scheme in ("data", "about", "blob"):
            r.continue_()
            return
        outside.append(url)
        r.abort()

    return route


def check_pages(
    reports_dir: Path,
    pages: Sequence[Path] | None = None,
    *,
    screenshots: Path | None = None,
    viewports: Sequence[tuple[int, int]] = VIEWPORTS,
) -> BrowserReport:
    """Open each page at each viewport and collect its problems (see the module docstring).

    Parameters
    ----------
    reports_dir
        The reports folder: the only place a page may load anything from.
    pages
        Pages to check (default :func:`report_pages`).
    screenshots
        Folder for the screenshots (default :func:`screenshot_dir`, ``reports-screenshots``).
    viewports
        (width, height) pairs.
    """
    from playwright.sync_api import sync_playwright

    root = Path(reports_dir).resolve()
    pages = list(pages) if pages is not None else report_pages(root)
    shots = Path(screenshots) if screenshots else screenshot_dir(root)
    shots.mkdir(parents=True, exist_ok=True)
    checks: list[PageCheck] = []
    with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="peaceops-chromium-") as profile:
        browser = pw.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_path(),
            headless=True,
            args=list(CHROMIUM_FLAGS),
            viewport={"width": viewports[0][0], "height": viewports[0][1]},
        )
        try:
            for page_path in pages:
                rel = Path(page_path).resolve().relative_to(root).as_posix()
                for width, height in viewports:
                    check = PageCheck(rel, width)
                    outside: list[str] = []

                    page = browser.new_page()
                    page.set_viewport_size({"width": width, "height": height})
                    page.route("**/*", _router(root, outside))
                    console: list[str] = []

                    def on_console(m: Any, c: list[str] = console) -> None:
                        if m.type == "error":
                            c.append(m.text)

                    def on_error(e: Any, c: list[str] = console) -> None:
                        c.append(f"uncaught: {e}")

                    page.on("console", on_console)
                    page.on("pageerror", on_error)
                    page.goto(Path(page_path).resolve().as_uri(), wait_until="load")
                    broken = page.evaluate(_IMAGES_JS)
                    over = page.evaluate(_OVERFLOW_JS)
                    links = page.evaluate(_LINKS_JS)
                    name = rel.replace("/", "__").removesuffix(".html")
                    shot = shots / f"{name}__{width}.png"
                    page.evaluate("window.scrollTo(0, 0)")
                    page.screenshot(path=str(shot))
                    check.screenshot = str(shot)
                    page.close()
                    if over["scroll"] > over["width"]:
                        check.problems.append(
                            f"horizontal overflow: page {over['scroll']} px wide in a "
                            f"{over['width']} px window"
                            + (f" ({'; '.join(over['culprits'])})" if over["culprits"] else "")
                        )
                    check.problems += [f"image does not load: {src}" for src in broken]
                    check.problems += [f"console error: {m}" for m in console]
                    check.problems += [f"request leaves the reports folder: {u}" for u in outside]
                    if width == viewports[0][0]:
                        for href in links:
                            u = urlparse(href)
                            if u.scheme != "file":
                                continue
                            target = Path(unquote(u.path))
                            if not _inside(target, root):
                                check.problems.append(f"link leaves the reports folder: {href}")
                            elif not target.exists():
                                check.problems.append(f"broken link: {target.relative_to(root).as_posix()}")
                    checks.append(check)
        finally:
            browser.close()
    return BrowserReport(checks)
