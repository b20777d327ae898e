"""Figure files: the smaller of an SVG (text kept as text) and a 200-dpi palette PNG, their data as
CSV, and the ``<figure>`` HTML the report shows; all byte-reproducible.

Used by :meth:`analysis.reporting.Reporter.figure` (and re-exported by
:mod:`analysis.reporting.reporter`).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping
from typing import Any

#: Resolution of saved figures (dots per inch); the page shows them at 96 CSS px per inch, so a
#: point of text in the figure is a point on the page.
FIGURE_DPI = 200
#: CSS pixels per inch of figure (the page shows figures at their natural size, at most the
#: column width).
CSS_PX_PER_INCH = 96
#: Significant digits of the floats stored in ``results.json`` and figure CSVs.
FLOAT_DIGITS = 10


def png_bytes(fig: Any, dpi: int = FIGURE_DPI) -> bytes:
    """The figure as PNG bytes at ``dpi``, reduced to a 256-colour palette, without metadata.

    The same figure gives the same bytes (no timestamp or software tag is written).
    """
    from PIL import Image

    buf = io.BytesIO()
    # the intermediate PNG is read back at once: stored uncompressed (the pixels are the same)
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None},
                pil_kwargs={"compress_level": 0})
    buf.seek(0)
    im = Image.open(buf).convert("RGB")
    im = im.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    im.save(out, format="PNG", optimize=True)
    return out.getvalue()


#: SVG attributes holding coordinates, whose numbers :func:`compact_svg` rounds.
_SVG_GEOMETRY = re.compile(
    r'(\s(?:d|x|y|x1|x2|y1|y2|width|height|cx|cy|r|rx|ry|transform|points|viewBox)=")([^"]*)(")'
)
_SVG_NUMBER = re.compile(r"-?\d+\.\d+")


def _round_svg_number(m: re.Match[str]) -> str:
    s = f"{float(m.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def compact_svg(text: str) -> str:
    """matplotlib's SVG with coordinates rounded to 0.01 pt (1/7200 inch, far below a screen
    pixel) and without indentation: about a sixth smaller, drawn the same.

    Only geometry attributes (``d``, ``x``, ``y``, ``width``, ``transform`` ...) are touched:
    text content (tick labels, titles) and styles keep every digit.
    """
    text = _SVG_GEOMETRY.sub(
        lambda m: m.group(1) + " ".join(_SVG_NUMBER.sub(_round_svg_number, m.group(2)).split()) + m.group(3),
        text,
    )
    return re.sub(r"\n\s+", "\n", text)


def svg_bytes(fig: Any) -> bytes:
    """The figure as SVG bytes: text kept as text (selectable, searchable, small), no date or
    creator in the metadata and element ids from a fixed salt, so the same figure gives the same
    bytes. Fonts fall back along matplotlib's sans-serif list to the reader's ``sans-serif``."""
    import matplotlib

    # The font drawn (the list's first, DejaVu Sans, bundled with matplotlib) stays first, so the
    # layout is unchanged; the rest of matplotlib's ten-name fallback list, written into every text
    # element's style, is cut to two common fonts (the browser ends with its own sans-serif).
    fonts = [*matplotlib.rcParams["font.sans-serif"][:1], "Verdana", "Arial"]
    rc: dict[Any, Any] = {"svg.fonttype": "none", "svg.hashsalt": "peaceops", "svg.image_inline": True,
          "font.sans-serif": fonts}
    buf = io.BytesIO()
    with matplotlib.rc_context(rc):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return compact_svg(buf.getvalue().decode("utf-8")).encode("utf-8")


#: An SVG of at most this many bytes is kept without drawing the PNG. Drawing and compressing the
#: 200-dpi PNG is most of a figure's cost (0.2-0.5 s each), and a small SVG is the smaller file
#: anyway: over the 186 figures of the committed reports, every SVG up to 68.7 KB beat its PNG
#: (the smallest SVG that lost was 68.7 KB, against a 64.7 KB PNG), so this bound picks the same
#: format for all of them while only 23 figures draw both.
SVG_KEEP_BYTES = 64_000
#: A figure of more artists (lines, patches, texts ...) than this has its SVG and PNG drawn at
#: once, each in a forked child from the figure as it is (:func:`_both_from_the_figure_as_it_is`),
#: the PNG's child killed when the SVG is small enough: such figures usually need both (every
#: figure of the reports that drew its PNG had over 500 artists).
PARALLEL_ARTISTS = 500


def svg_size(svg: bytes, dpi: int = FIGURE_DPI) -> tuple[int, int]:
    """Width and height in pixels at ``dpi`` of an SVG written by matplotlib (from its size in
    points, 72 to the inch)."""
    m = re.search(rb'<svg[^>]*?\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"', svg[:4096])
    if m is None:
        raise ValueError("SVG without a width and height in points (not written by matplotlib?)")
    return round(float(m.group(1)) * dpi / 72), round(float(m.group(2)) * dpi / 72)


def figure_file(
    fig: Any, dpi: int = FIGURE_DPI, svg_keep_bytes: int = SVG_KEEP_BYTES
) -> tuple[str, bytes, tuple[int, int]]:
    """The figure as an SVG (:func:`svg_bytes`) or a PNG (:func:`png_bytes`), whichever is smaller.

    The SVG is drawn first; one of at most ``svg_keep_bytes`` is kept without drawing the PNG
    (:data:`SVG_KEEP_BYTES`). A larger one is compared with the PNG and the smaller file kept; on
    a tie the PNG. A figure of many artists has both drawn at once, each from the figure as it is
    (:data:`PARALLEL_ARTISTS`), the same files with or without a second core.

    Returns
    -------
    (format, bytes, (width_px, height_px))
        ``"svg"`` or ``"png"``, the file's bytes and the figure's size in pixels at ``dpi``
        (the PNG's size; for an SVG, its size in points at ``dpi``), from which the page sizes
        the image at 96 CSS px per inch.
    """
    if len(fig.findobj()) > PARALLEL_ARTISTS:
        svg, png = _both_from_the_figure_as_it_is(fig, dpi, svg_keep_bytes)
        if png is None:
            return "svg", svg, svg_size(svg, dpi)
    else:
        svg = svg_bytes(fig)
        if len(svg) <= svg_keep_bytes:
            return "svg", svg, svg_size(svg, dpi)
        png = png_bytes(fig, dpi=dpi)
    if len(svg) < len(png):
        return "svg", svg, svg_size(svg, dpi)
    return "png", png, png_size(png)


def _both_from_the_figure_as_it_is(fig: Any, dpi: int, svg_keep_bytes: int) -> tuple[bytes, bytes | None]:
    """The SVG and (unless the SVG is at most ``svg_keep_bytes``) the PNG of a large figure, both
    drawn from the figure as it is now, each in a forked child (:class:`analysis.models.forked.Child`).

    Drawing changes a figure (constrained layout starts from the positions of the last draw), so
    a PNG drawn after the SVG can differ from one drawn first by a hundredth of a point. Here
    neither sees the other's draw, wherever it is drawn: this process draws only what a child
    could not, the SVG on the untouched figure and the PNG, when both failed (or without fork),
    on a copy of the figure taken before (pickle; an unpicklable figure draws its PNG after the
    SVG). The files are therefore the same with two cores, one core or ``PEACEOPS_SERIAL=1``.
    """
    import pickle

    from analysis.models.forked import Child

    svg_child = Child(lambda: svg_bytes(fig))
    png_child = Child(lambda: png_bytes(fig, dpi=dpi))
    try:
        ok_svg, svg = svg_child.outcome()
    except BaseException:
        png_child.cancel()
        raise
    if ok_svg and len(svg) <= svg_keep_bytes:
        png_child.cancel()
        return svg, None
    ok_png, png = png_child.outcome()
    if ok_svg and ok_png:
        return svg, png
    copy = None
    if not ok_svg and not ok_png:  # this process draws both: the PNG on a copy taken now
        try:
            copy = pickle.dumps(fig, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - e.g. a lambda tick formatter: drawn after the SVG
            copy = None
    if not ok_svg:
        svg = svg_bytes(fig)
        if len(svg) <= svg_keep_bytes:
            return svg, None
    if not ok_png:
        png = png_bytes(pickle.loads(copy) if copy is not None else fig, dpi=dpi)
    return svg, png


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def smallest_text_pt(fig: Any) -> float | None:
    """Font size (points) of the smallest visible, non-empty text of the figure."""
    from matplotlib.text import Text

    sizes = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip():
            continue
        if t.axes is not None and not t.axes.get_visible():
            continue
        sizes.append(float(t.get_fontsize()))
    return min(sizes) if sizes else None


def figure_csv(data: Any) -> str:
    """CSV text of a figure's data: no default index, floats to 10 significant digits."""
    import pandas as pd

    from analysis.reporting.tables import tidy_frame

    frame = tidy_frame(pd.DataFrame(data))
    return frame.to_csv(index=False, float_format=f"%.{FLOAT_DIGITS}g", lineterminator="\n")


def figure_html(rec: Mapping[str, Any], src: str, csv: str | None = None) -> str:
    """``<figure>`` of a figure record: image at its natural size (96 px per inch), numbered
    caption with title and description, alt text, link to its data."""
    e = lambda s: html.escape(str(s), quote=True)  # noqa: E731
    w = round(int(rec.get("width_px") or 0) * CSS_PX_PER_INCH / FIGURE_DPI)
    h = round(int(rec.get("height_px") or 0) * CSS_PX_PER_INCH / FIGURE_DPI)
    size = f" width='{w}' height='{h}'" if w and h else ""
    links = f" <a class=data-link href='{e(csv)}' download>Data (CSV)</a>" if csv else ""
    desc = f" <span class=fig-desc>{e(rec['description'])}</span>" if rec.get("description") else ""
    return (
        f"<figure class=fig id='fig-{e(rec['name'])}'><a href='{e(src)}'>"
        f"<img src='{e(src)}' alt='{e(rec.get('alt') or rec['title'])}'{size} loading='lazy'></a>"
        f"<figcaption><b>Figure {rec['number']}.</b> {e(rec['title'])}{desc}{links}</figcaption></figure>"
    )

