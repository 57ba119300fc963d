"""Print-ready PDFs: fonts embedded as TrueType (Type 42), never Type 3, which journals
reject; minus signs, not hyphens; files still byte-identical between saves."""

import io
import logging
import re
import zlib

import matplotlib.pyplot as plt
import pytest
from fontTools.ttLib import TTFont

from lucarbon.core.logs import script_logging
from lucarbon.figures.breaks import format_break
from lucarbon.figures.style import LAYOUT_TABLES, save_figure, start
from pdf_fonts import font_subtypes

MINUS = "\u2212"


def draw(path, language: str, title: str) -> set[str]:
    """A small figure with negative ticks and ``title``, saved like every figure."""
    start({"language": language})
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([-2, 1], [-3, 4])
    ax.set_title(title)
    save_figure(fig, [path], 72, "Note: synthetic")
    return font_subtypes(path)


@pytest.mark.parametrize(("language", "title"), [("en", "net emission"), ("zh", "净排放 net")])
def test_figures_embed_truetype_and_no_type3(tmp_path, language, title):
    fonts = draw(tmp_path / "a.pdf", language, title)
    assert "Type3" not in fonts
    assert "CIDFontType2" in fonts or "TrueType" in fonts  # Type 42: TrueType outlines


def test_embedded_subsets_have_glyphs_but_no_layout_tables(tmp_path):
    """The fonts a PDF embeds keep their outlines and metrics, not the OpenType layout
    tables (lucarbon.figures.style.LAYOUT_TABLES), which only cost time to subset."""
    draw(tmp_path / "a.pdf", "en", "net emission")
    data = (tmp_path / "a.pdf").read_bytes()
    streams = re.findall(rb"/Length1 \d+.*?stream\r?\n(.*?)\r?\nendstream", data, re.S)
    assert streams  # one FontFile2 stream per embedded font (/Length1: its size unpacked)
    for stream in streams:
        font = TTFont(io.BytesIO(zlib.decompress(stream)))
        assert {"glyf", "hmtx", "cmap"} <= set(font.keys())
        assert not set(LAYOUT_TABLES) & set(font.keys())


def test_the_check_sees_type3_fonts(tmp_path):
    """With matplotlib's default fonttype 3 the check above fails. (Latin-1 text only: with
    the fallback fonts, matplotlib 3.11 cannot save − or Chinese glyphs as Type 3 at all.)"""
    with plt.rc_context({"pdf.fonttype": 3, "axes.unicode_minus": False}):
        fonts = draw(tmp_path / "a.pdf", "en", "net emission")
    assert "Type3" in fonts


def test_type42_pdfs_are_byte_identical(tmp_path):
    draw(tmp_path / "a.pdf", "zh", "净排放")
    draw(tmp_path / "b.pdf", "zh", "净排放")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_ticks_and_class_breaks_print_minus_signs():
    start({"language": "en"})
    fig, ax = plt.subplots()
    ax.set_xlim(-2, 2)
    fig.canvas.draw()
    ticks = [label.get_text() for label in ax.get_xticklabels()]
    plt.close(fig)
    assert ticks[0].startswith(f"{MINUS}2") and not any("-" in tick for tick in ticks)
    assert format_break(-1234.5) == f"{MINUS}1,234.5"
    assert format_break(0.25) == "0.25"


def test_font_subsetting_leaves_the_job_log_readable(tmp_path):
    """A figure job's log (INFO, as lucarbon.core.logs sets it) gets no fontTools glyph lists,
    which would bury (and look like) the missing-glyph warnings the workflow tests look for."""
    log_path = tmp_path / "figure.log"
    with script_logging(str(log_path)):
        draw(tmp_path / "a.pdf", "zh", "净排放")
    logging.shutdown()
    assert "Glyph" not in log_path.read_text()
