"""PDF documents: reading order, mended hyphens, no page furniture, headings, chapters,
metadata, and one clear line for what cannot be read (a password, no text layer, damage).

The PDFs are drawn here with reportlab, line by line at known places, so each test knows
exactly which word breaks where; the pypdf sample files are read when they are present.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader import cli
from reader.article import InputError
from reader.sources.base import Locator
from reader.sources.pdf import NEEDS_PASSWORD, NO_TEXT_LAYER, WRONG_PASSWORD, PdfSource
from reader.sources.registry import read_path
from reader.store import Library

pytest.importorskip("reportlab")

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "pdf" / "pypdf_samples"
NO_TEXT = {
    "cmyk-image.pdf",
    "grayscale-image.pdf",
    "imagemagick-ASCII85Decode.pdf",
    "imagemagick-CCITTFaxDecode.pdf",
    "imagemagick-lzw.pdf",
}
PASSWORD = "libreoffice-writer-password.pdf"

# Two columns of four lines on each of two pages. The left column of page 1 breaks
# "harbourmaster" at a line end (a typesetter's hyphen) and "well-known" at its own hyphen;
# "well-known" also appears whole inside a line, as a real document's words recur.
LEFT_1 = [
    "The harbour council met to weigh the",
    "tidal barrier plan. The harbour-",
    "master spoke first and the well-",
    "known engineer spoke after him.",
]
RIGHT_1 = [
    "Residents queued along the quay to",
    "hear a well-known voice on the gates",
    "and stayed until the vote was taken",
    "late on a cold and windy night.",
]
LEFT_2 = [
    "The gates were tested in spring and",
    "held against the highest tide of the",
    "decade without a single fault in the",
    "motors that drive them shut at dusk.",
]
RIGHT_2 = [
    "The trust will publish its report in",
    "the autumn with the figures for every",
    "closure since the barrier was built",
    "along with the cost of running it.",
]
HEADER = "The Tidal Review"


def _canvas(out: io.BytesIO, **options: object) -> Any:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    return Canvas(out, pagesize=A4, invariant=True, **options)


def _lines(canvas: Any, x: float, y: float, lines: list[str], size: float = 10) -> None:
    for index, line in enumerate(lines):
        canvas.setFont("Times-Roman", size)
        canvas.drawString(x, y - index * 12, line)


def _row_by_row(canvas: Any, left: list[str], right: list[str], top: float) -> None:
    """Both columns written one row at a time, as producers that sort by height do."""
    for index, (a, b) in enumerate(zip(left, right, strict=True)):
        _lines(canvas, 54, top - index * 12, [a])
        _lines(canvas, 310, top - index * 12, [b])


def _furniture(canvas: Any, page: int) -> None:
    canvas.setFont("Helvetica", 8)
    canvas.drawCentredString(297, 800, HEADER)
    canvas.drawCentredString(297, 30, str(page))


def paper(
    *, title: str | None = "Tides", author: str | None = "Helen Marsh", **options: object
) -> bytes:
    """Two pages: a 20-point title, a 14-point section heading on each, two columns of
    10-point text, the running header and the page number; an outline to both sections."""
    out = io.BytesIO()
    canvas = _canvas(out, **options)
    if title is not None:
        canvas.setTitle(title)
    if author is not None:
        canvas.setAuthor(author)
    _furniture(canvas, 1)
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawString(54, 740, "Tides and the Barrier")
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(54, 700, "The Vote")
    canvas.bookmarkPage("vote", fit="XYZ", top=716)
    canvas.addOutlineEntry("The Vote", "vote", level=0)
    _row_by_row(canvas, LEFT_1, RIGHT_1, 680)
    canvas.showPage()
    _furniture(canvas, 2)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(54, 740, "The Tests")
    canvas.bookmarkPage("tests", fit="XYZ", top=756)
    canvas.addOutlineEntry("The Tests", "tests", level=0)
    _row_by_row(canvas, LEFT_2, RIGHT_2, 720)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def read(data: bytes, password: str | None = None) -> tuple[str | None, str | None, str]:
    article = PdfSource().read(data, Locator(path="x.pdf", password=password))[0]
    return article.title, article.author, article.text


def article_of(data: bytes) -> Any:
    return PdfSource().read(data, Locator(path="x.pdf"))[0]


def problem(data: bytes, password: str | None = None) -> str:
    with pytest.raises(InputError) as caught:
        PdfSource().read(data, Locator(path="x.pdf", password=password))
    return caught.value.problem


def test_two_columns_are_read_column_by_column_even_when_written_row_by_row() -> None:
    _, _, text = read(paper())
    order = [
        "weigh the tidal", "engineer spoke after", "Residents queued", "windy night",
        "The gates were", "motors that drive", "The trust will", "cost of running",
    ]  # fmt: skip
    positions = [text.index(phrase) for phrase in order]
    assert positions == sorted(positions)


def test_a_word_broken_at_a_line_end_is_joined_but_a_real_hyphen_stays() -> None:
    _, _, text = read(paper())
    assert "The harbourmaster spoke" in text
    assert "the well-known engineer" in text
    assert "harbour-" not in text and "harbour- master" not in text


def test_running_header_and_page_numbers_are_gone() -> None:
    _, _, text = read(paper())
    assert HEADER not in text
    assert not any(block.strip() in {"1", "2"} for block in text.split("\n\n"))


def test_headings_come_from_font_size_ranked_by_size() -> None:
    article = article_of(paper(title=None))
    headings = [(article.block_text(b), b.level) for b in article.blocks if b.kind == "heading"]
    # The 20-point title is the article's title, not a heading; both sections rank alike.
    assert article.title == "Tides and the Barrier"
    assert headings == [("The Vote", 1), ("The Tests", 1)]
    paragraphs = [b for b in article.blocks if b.kind == "paragraph"]
    assert paragraphs and all("The Vote" not in article.block_text(b) for b in paragraphs)


def test_two_heading_sizes_make_two_levels() -> None:
    out = io.BytesIO()
    canvas = _canvas(out)
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawString(54, 760, "The Book of Tides")
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(54, 720, "Part One")
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(54, 690, "The first gate")
    _lines(canvas, 54, 670, LEFT_2)
    canvas.save()
    article = article_of(out.getvalue())
    headings = [(article.block_text(b), b.level) for b in article.blocks if b.kind == "heading"]
    assert headings == [("Part One", 1), ("The first gate", 2)]


def test_the_outline_becomes_the_chapters_at_their_headings() -> None:
    article = article_of(paper())
    chapters = [(c.title, article.text[c.start : c.start + 9]) for c in article.chapters]
    assert chapters == [("The Vote", "The Vote\n"), ("The Tests", "The Tests")]


def test_metadata_gives_title_and_author() -> None:
    title, author, text = read(paper(title="Tides", author="Helen Marsh"))
    assert (title, author) == ("Tides", "Helen Marsh")
    assert text.startswith("Tides and the Barrier")  # not the title: a heading of the text


def test_without_a_title_the_first_pages_largest_line_is_the_title() -> None:
    # reportlab writes "untitled" when no title is set: a placeholder, not a title.
    title, author, text = read(paper(title=None, author=None))
    assert (title, author) == ("Tides and the Barrier", None)
    assert "Tides and the Barrier" not in text


def _encrypted() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    return paper(encrypt=StandardEncryption("tide-secret", ownerPassword="owner", strength=128))


def test_a_password_opens_an_encrypted_pdf() -> None:
    data = _encrypted()
    assert problem(data) == NEEDS_PASSWORD
    assert problem(data, password="wrong") == WRONG_PASSWORD
    assert "harbourmaster" in read(data, password="tide-secret")[2]


def _image_only() -> bytes:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    picture = io.BytesIO()
    Image.new("L", (40, 40), 128).save(picture, format="PNG")
    out = io.BytesIO()
    canvas = _canvas(out)
    canvas.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 50, 50, 400, 400)
    canvas.save()
    return out.getvalue()


def test_an_image_only_pdf_says_it_has_no_text_layer() -> None:
    assert problem(_image_only()) == NO_TEXT_LAYER


def test_a_truncated_pdf_is_one_line() -> None:
    data = paper()
    assert problem(data[: len(data) // 2]).startswith("damaged PDF")


# The command line.


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("READER_HOME", str(home))
    return home


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def titles(home: Path) -> list[str]:
    if not home.exists():
        return []
    with Library.open(home, read_only=True) as lib:
        return [r.title for r in lib.articles()]


def test_add_with_the_right_password_stores_it(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted())
    status, out, _ = run(["add", "--password", "tide-secret", str(path)], capsys)
    assert status == 0 and "1 added" in out
    assert titles(home) == ["Tides"]


@pytest.mark.parametrize(
    ("extra", "said"), [([], NEEDS_PASSWORD), (["--password", "wrong"], WRONG_PASSWORD)]
)
def test_add_without_the_right_password_is_one_line_and_stores_nothing(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], said: str
) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted())
    status, _, err = run(["add", *extra, str(path)], capsys)
    assert status == 2
    assert err.splitlines()[0] == f"reader: {path}: {said}"
    assert titles(home) == []


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (_image_only, NO_TEXT_LAYER),
        (lambda: paper()[: len(paper()) // 2], "damaged PDF"),
    ],
)
def test_unreadable_pdfs_are_one_line_exit_2_and_nothing_stored(
    home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[], bytes],
    said: str,
) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(make())
    status, _, err = run(["add", str(path)], capsys)
    assert status == 2
    assert err.splitlines()[0].startswith(f"reader: {path}: {said}")
    assert len([line for line in err.splitlines() if path.name in line]) == 1
    assert titles(home) == []


def test_analyze_json_has_the_chapters(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tides.pdf"
    path.write_bytes(paper())
    status, out, _ = run(["analyze", "--json", str(path)], capsys)
    assert status == 0
    data = json.loads(out)
    assert [c["title"] for c in data["chapters"]] == ["The Vote", "The Tests"]
    assert all(data["text"][c["start"] :].startswith(c["title"]) for c in data["chapters"])


def test_a_pdf_on_stdin_or_without_its_suffix_is_read(tmp_path: Path) -> None:
    path = tmp_path / "download"
    path.write_bytes(paper())
    assert "harbourmaster" in read_path(path)[0].text


# The pypdf sample files.


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="the pypdf samples are not here")
@pytest.mark.parametrize(
    "name", sorted(p.name for p in SAMPLES.glob("*.pdf")) if SAMPLES.is_dir() else []
)
def test_every_sample_imports_or_gets_its_one_clear_line(name: str) -> None:
    path = SAMPLES / name
    if name in NO_TEXT:
        with pytest.raises(InputError) as caught:
            read_path(path)
        assert caught.value.problem == NO_TEXT_LAYER
    elif name == PASSWORD:
        with pytest.raises(InputError) as caught:
            read_path(path)
        assert caught.value.problem == NEEDS_PASSWORD
        assert read_path(path, password="openpassword")[0].text.startswith("Lorem ipsum")
    else:
        article = read_path(path)[0]
        assert article.text.strip() and article.blocks


@pytest.mark.skipif(not (SAMPLES / "multicolumn.pdf").is_file(), reason="no samples")
def test_the_two_column_sample_reads_in_column_order() -> None:
    text = read_path(SAMPLES / "multicolumn.pdf")[0].text
    assert "adipiscing vitae, felis" in text  # a sentence running across the line ends
