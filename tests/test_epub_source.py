"""EPUB books: the container → package → spine chain, chapters from nav.xhtml or toc.ncx,
metadata, hrefs with ../ and %20, footnotes linked to their notes, images as their alt
text, and one clear line for what cannot be read (DRM, damage, a zip bomb, no text).

The books are zipped here, file by file, so each test says exactly what is in its book;
the samples in ../shared/data/epub are read when they are present.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from reader import cli
from reader.article import Article, InputError
from reader.sources.base import Locator
from reader.sources.epub import DRM, EpubSource, read_epub
from reader.sources.registry import for_media_type, for_path, read_path
from reader.store import Library

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "epub"
CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)
METADATA = (
    '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:opf="http://www.idpf.org/2007/opf">'
    '<dc:identifier id="uid">urn:uuid:test</dc:identifier>'
    "<dc:title>The Harbour Book</dc:title><dc:creator>Ada Quay</dc:creator>"
    "<dc:language>en-GB</dc:language><dc:date>1921-03-04</dc:date>{extra}</metadata>"
)


def xhtml(body: str, title: str = "x") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{title}</title></head><body>{body}</body></html>"
    )


def zipped(files: dict[str, str | bytes], *, mimetype: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if mimetype:
            z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def book(
    docs: dict[str, str],
    *,
    nav: str | None = None,
    ncx: str | None = None,
    opf: str = "OEBPS/content.opf",
    extra_items: str = "",
    extra_files: dict[str, str | bytes] | None = None,
    metadata: str = "",
    version: str = "3.0",
    missing: tuple[str, ...] = (),
) -> bytes:
    """A book whose spine is `docs` (href relative to the OPF → XHTML), in that order."""
    folder = opf.rsplit("/", 1)[0] + "/" if "/" in opf else ""
    items: list[str] = []
    spine: list[str] = []
    files: dict[str, str | bytes] = {"META-INF/container.xml": CONTAINER.format(opf=opf)}
    for n, (href, text) in enumerate(docs.items()):
        items.append(f'<item id="d{n}" href="{href}" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="d{n}"/>')
        if href not in missing:
            files[folder + _unquoted(href)] = text
    if nav is not None:
        items.append('<item id="nav" href="nav.xhtml" properties="nav" '
                     'media-type="application/xhtml+xml"/>')  # fmt: skip
        files[folder + "nav.xhtml"] = nav
    toc = ""
    if ncx is not None:
        items.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
        files[folder + "toc.ncx"] = ncx
        toc = ' toc="ncx"'
    files[opf] = (
        f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="{version}" '
        f'unique-identifier="uid">{METADATA.format(extra=metadata)}'
        f"<manifest>{''.join(items)}{extra_items}</manifest>"
        f"<spine{toc}>{''.join(spine)}</spine></package>"
    )
    files.update(extra_files or {})
    return zipped(files)


def _unquoted(href: str) -> str:
    from urllib.parse import unquote

    return unquote(href)


def nav_doc(entries: str) -> str:
    return xhtml(f'<nav epub:type="toc"><h1>Contents</h1><ol>{entries}</ol></nav>')


def ncx_doc(points: str) -> str:
    return (
        '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" '
        f'version="2005-1"><head/><docTitle><text>T</text></docTitle><navMap>{points}</navMap></ncx>'
    )


def point(title: str, src: str, inner: str = "") -> str:
    return (
        f'<navPoint id="{abs(hash(title))}"><navLabel><text>{title}</text></navLabel>'
        f'<content src="{src}"/>{inner}</navPoint>'
    )


CHAPTER_1 = xhtml(
    '<section><h1 id="c1">Chapter One</h1><p>The harbour woke early.</p>'
    '<h2 id="s2">The Quay</h2><p>Boats waited at the quay.</p></section>'
)
CHAPTER_2 = xhtml("<h1>Chapter Two</h1><p>The tide came in at noon.</p>")


def read(data: bytes) -> Article:
    return read_epub(data, name="book.epub")


def chapter_texts(article: Article) -> list[tuple[str, int, str]]:
    return [
        (c.title, c.level, article.text[c.start : c.start + 12])
        for c in article.table_of_contents()
    ]


def test_an_epub3_book_reads_its_spine_in_order_with_the_navs_chapters() -> None:
    nav = nav_doc(
        '<li><a href="ch1.xhtml">One</a><ol><li><a href="ch1.xhtml#s2">The Quay</a></li></ol></li>'
        '<li><a href="ch2.xhtml">Two</a></li>'
    )
    article = read(book({"ch1.xhtml": CHAPTER_1, "ch2.xhtml": CHAPTER_2}, nav=nav))
    assert article.paragraphs == [
        "Chapter One",
        "The harbour woke early.",
        "The Quay",
        "Boats waited at the quay.",
        "Chapter Two",
        "The tide came in at noon.",
    ]
    assert [b.kind for b in article.blocks][:3] == ["heading", "paragraph", "heading"]
    # Each chapter starts at its heading's text, at its depth in the nav.
    assert chapter_texts(article) == [
        ("One", 1, "Chapter One\n"),
        ("The Quay", 2, "The Quay\n\nBo"),
        ("Two", 1, "Chapter Two\n"),
    ]


def test_the_metadata_comes_from_the_package_document() -> None:
    article = read(
        book({"ch1.xhtml": CHAPTER_1}, metadata="<dc:publisher>Tide Press</dc:publisher>")
    )
    assert (article.title, article.author, article.lang) == (
        "The Harbour Book",
        "Ada Quay",
        "en-GB",
    )
    assert (article.published, article.source) == ("1921-03-04", "Tide Press")


def test_an_epub2_book_takes_its_chapters_from_toc_ncx() -> None:
    ncx = ncx_doc(
        point("One", "ch1.xhtml", point("The Quay", "ch1.xhtml#s2")) + point("Two", "ch2.xhtml")
    )
    extra = (
        '<dc:creator opf:role="aut">Ben Dock</dc:creator>'
        '<dc:creator opf:role="edt">Ed Itor</dc:creator>'
    )
    article = read(
        book(
            {"ch1.xhtml": CHAPTER_1, "ch2.xhtml": CHAPTER_2}, ncx=ncx, version="2.0", metadata=extra
        )
    )
    assert chapter_texts(article) == [
        ("One", 1, "Chapter One\n"),
        ("The Quay", 2, "The Quay\n\nBo"),
        ("Two", 1, "Chapter Two\n"),
    ]
    assert article.author == "Ada Quay, Ben Dock"  # the editor is not an author


def test_hrefs_with_dot_dot_and_percent_encoding_resolve_inside_the_book() -> None:
    one = xhtml(
        '<h1>Chapter One</h1><p>See <a href="../Text/Chapter%20Two.xhtml#tide">the tide</a>.</p>'
    )
    two = xhtml('<h1>Chapter Two</h1><p id="tide">The tide came in at noon.</p>')
    nav = xhtml(
        '<nav epub:type="toc"><ol><li><a href="../Text/Chapter%20One.xhtml">One</a></li>'
        '<li><a href="../Text/Chapter%20Two.xhtml#tide">The tide</a></li></ol></nav>'
    )
    data = book(
        {"Text/Chapter%20One.xhtml": one, "Text/Chapter%20Two.xhtml": two},
        extra_items='<item id="nav" href="Nav/nav.xhtml" properties="nav" '
        'media-type="application/xhtml+xml"/>',
        extra_files={"OEBPS/Nav/nav.xhtml": nav},
    )
    article = read(data)
    assert "The tide came in at noon." in article.paragraphs
    assert chapter_texts(article) == [("One", 1, "Chapter One\n"), ("The tide", 1, "The tide cam")]
    [link] = article.links
    assert article.text[link.start : link.end] == "the tide"
    assert link.target is not None and article.text[link.target :].startswith("The tide came")


def test_a_missing_content_document_is_skipped_with_a_notice() -> None:
    data = book({"ch1.xhtml": CHAPTER_1, "gone.xhtml": CHAPTER_2}, missing=("gone.xhtml",))
    notices: list[str] = []
    article = read_epub(data, name="book.epub", notices=notices)
    assert article.paragraphs[0] == "Chapter One" and "Chapter Two" not in article.paragraphs
    assert notices == ["book.epub: skipped gone.xhtml: not in the file"]


def test_a_book_whose_content_documents_are_all_missing_is_one_line() -> None:
    data = book({"gone.xhtml": CHAPTER_2}, missing=("gone.xhtml",))
    with pytest.raises(InputError) as error:
        read(data)
    assert str(error.value) == (
        "book.epub: not a readable EPUB (none of its 1 content documents is in the file)"
    )


def _encryption(*uris: str) -> str:
    data = "".join(
        '<enc:EncryptedData xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
        '<enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>'
        f'<enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData>'
        for uri in uris
    )
    return (
        f'<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container">{data}</encryption>'
    )


def test_obfuscated_fonts_do_not_stop_a_book_being_read() -> None:
    data = book(
        {"ch1.xhtml": CHAPTER_1},
        extra_items='<item id="f" href="fonts/a.otf" media-type="font/otf"/>',
        extra_files={
            "OEBPS/fonts/a.otf": b"\x00garbled",
            "META-INF/encryption.xml": _encryption("OEBPS/fonts/a.otf"),
        },
    )
    assert read(data).paragraphs[0] == "Chapter One"


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


def titles(home: Path) -> list[str | None]:
    if not home.exists():
        return []
    with Library.open(home, read_only=True) as lib:
        return [r.title for r in lib.articles()]


def test_encrypted_content_documents_are_drm_in_one_line(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "locked.epub"
    path.write_bytes(
        book(
            {"ch1.xhtml": CHAPTER_1},
            extra_files={"META-INF/encryption.xml": _encryption("OEBPS/ch1.xhtml")},
        )
    )
    status, _, err = run(["add", str(path)], capsys)
    assert status == 2
    assert err.splitlines()[0] == f"reader: {path}: {DRM}"
    assert "protected by DRM" in DRM
    assert titles(home) == []


def test_add_stores_a_book(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "harbour.epub"
    path.write_bytes(book({"ch1.xhtml": CHAPTER_1, "ch2.xhtml": CHAPTER_2}))
    status, out, err = run(["add", str(path)], capsys)
    assert status == 0, err
    assert "1 added" in out
    assert titles(home) == ["The Harbour Book"]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="cut-in-half"),
        pytest.param(lambda data: b"this is not a zip archive at all\n" * 20, id="not-a-zip"),
        pytest.param(lambda data: zipped({"OEBPS/ch1.xhtml": CHAPTER_1}), id="no-container-xml"),
        pytest.param(
            lambda data: zipped({"META-INF/container.xml": CONTAINER.format(opf="x.opf")}),
            id="no-package-document",
        ),
    ],
)
def test_a_damaged_epub_is_one_line_and_stores_nothing(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: object
) -> None:
    assert callable(damage)
    path = tmp_path / "broken.epub"
    path.write_bytes(damage(book({"ch1.xhtml": CHAPTER_1 * 40})))
    status, _, err = run(["add", str(path)], capsys)
    assert status == 2
    lines = err.splitlines()
    assert lines[0].startswith(f"reader: {path}: not a readable EPUB (")
    assert "Traceback" not in err
    assert titles(home) == []


def test_a_zip_bomb_entry_is_refused_without_unpacking_it() -> None:
    from reader.sources import epub_package

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", CONTAINER.format(opf="content.opf"))
        with z.open("content.opf", "w", force_zip64=True) as entry:
            chunk = b" " * (1 << 20)
            for _ in range((epub_package.MAX_ENTRY_BYTES >> 20) + 1):
                entry.write(chunk)
    data = out.getvalue()
    assert len(data) < 1 << 20  # a small file that unpacks to more than the cap
    with pytest.raises(InputError) as error:
        read(data)
    assert "content.opf unpacks to more than 64 MB" in str(error.value)


def test_analyze_json_gives_the_books_chapters(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "harbour.epub"
    nav = nav_doc('<li><a href="ch1.xhtml">One</a></li><li><a href="ch2.xhtml">Two</a></li>')
    path.write_bytes(book({"ch1.xhtml": CHAPTER_1, "ch2.xhtml": CHAPTER_2}, nav=nav))
    status, out, err = run(["analyze", "--json", str(path)], capsys)
    assert status == 0, err
    data = json.loads(out)
    starts = [data["text"][c["start"] :].split("\n")[0] for c in data["chapters"]]
    assert [c["title"] for c in data["chapters"]] == ["One", "Two"]
    assert starts == ["Chapter One", "Chapter Two"]


# Footnotes, images and the rest of what a book's XHTML holds.


def test_footnotes_are_blocks_their_call_sites_link_to() -> None:
    one = xhtml(
        '<h1>Chapter One</h1><p>The harbour<a epub:type="noteref" href="#fn1">1</a> woke, '
        'the quay<a href="#fn2">2</a> too, and the bell<a href="notes.xhtml#n3">3</a>.</p>'
        '<aside epub:type="footnote" id="fn1"><p>Built in 1850.</p></aside>'
        '<p id="fn2"><a href="#ref2">back</a> Rebuilt twice.</p>'
    )
    notes = xhtml('<h1>Notes</h1><ol><li id="n3">Cast in bronze.</li></ol>')
    article = read(book({"ch1.xhtml": one, "notes.xhtml": notes}))
    assert "Built in 1850." in article.paragraphs
    assert "back Rebuilt twice." in article.paragraphs
    targets = {article.text[k.start : k.end]: k.target for k in article.links}
    assert targets["1"] is not None and article.text[targets["1"] :].startswith("Built in 1850.")
    assert targets["2"] is not None and article.text[targets["2"] :].startswith("back Rebuilt")
    assert targets["3"] is not None and article.text[targets["3"] :].startswith("Cast in bronze.")
    starts = {b.start for b in article.blocks}
    assert {targets["1"], targets["2"], targets["3"]} <= starts


def test_images_become_their_alt_text() -> None:
    one = xhtml(
        '<h1>Maps</h1><p><img src="map.png" alt="A map of the harbour"/></p>'
        '<p>The bell <img src="bell.png" alt="(a bell)"/> rang.</p>'
        '<figure><img src="quay.png" alt="ignored"/>'
        "<figcaption>The quay in 1900</figcaption></figure>"
        '<p><img src="cover.jpg" alt="cover"/></p><p><img src="deco.png" alt=""/>End.</p>'
    )
    data = book(
        {"ch1.xhtml": one},
        extra_items='<item id="cover" href="cover.jpg" properties="cover-image" '
        'media-type="image/jpeg"/>',
    )
    article = read(data)
    kinds = {article.block_text(b): b.kind for b in article.blocks}
    assert kinds["A map of the harbour"] == "caption"
    assert kinds["The bell (a bell) rang."] == "paragraph"
    assert kinds["The quay in 1900"] == "caption"
    assert "ignored" not in article.text and "cover" not in article.text
    assert kinds["End."] == "paragraph"


def test_ruby_page_breaks_scripts_and_media_fallbacks_are_not_read() -> None:
    one = xhtml(
        "<h1>Kusa</h1><p><ruby>草<rt>くさ</rt></ruby>枕</p>"
        '<p>Before<span epub:type="pagebreak" id="p7">7</span> after.</p>'
        "<script>alert('x')</script><canvas>Your Reading System does not support canvas.</canvas>"
        "<p>Last.</p>"
    )
    article = read(book({"ch1.xhtml": one}))
    assert article.paragraphs == ["Kusa", "草枕", "Before after.", "Last."]


def test_xhtml_with_html_entities_and_an_internal_dtd_reads_without_expanding_it() -> None:
    one = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY big "HUGEHUGEHUGE">]>'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>One&nbsp;&mdash;&amp;</h1>'
        "<p>A &big; word.</p></body></html>"
    )
    article = read(book({"ch1.xhtml": one}))
    assert article.paragraphs[0] == "One \u2014&"  # a no-break space is a space to a reader
    assert "HUGE" not in article.text


def test_the_registry_knows_epub_by_suffix_bytes_and_media_type(tmp_path: Path) -> None:
    data = book({"ch1.xhtml": CHAPTER_1})
    bare = tmp_path / "download"
    bare.write_bytes(data)
    assert for_path(tmp_path / "x.epub") is not None
    assert getattr(for_path(bare), "name", None) == "epub"
    assert getattr(for_media_type("application/epub+zip"), "name", None) == "epub"
    [article] = read_path(bare)
    assert article.title == "The Harbour Book"
    assert EpubSource().sniff(data[:4096])
    assert EpubSource().read(data, Locator(url="https://example.org/b"))[0].url == (
        "https://example.org/b"
    )


# The samples.

SAMPLE_FILES = sorted(SAMPLES.glob("*.epub")) if SAMPLES.is_dir() else []
MISSING_TEXT = {"kusamakura-preview.epub"}  # its content documents are not in this copy


@pytest.mark.skipif(not SAMPLE_FILES, reason="../shared/data/epub is not here")
@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_imports_or_says_why_in_one_line(path: Path) -> None:
    if path.name in MISSING_TEXT:
        with pytest.raises(InputError) as error:
            read_path(path)
        assert "not a readable EPUB (none of its" in str(error.value)
        return
    [article] = read_path(path)
    assert article.title and article.lang
    assert article.words > 300
    toc = article.table_of_contents()
    assert toc and all(0 <= c.start < len(article.text) for c in toc)
    assert all(article.text[c.start] != "\n" for c in toc)
    for link in article.links:
        assert link.target is None or 0 <= link.target <= len(article.text)
    assert Article.from_dict(article.to_dict()).chapters == article.chapters


@pytest.mark.skipif(not (SAMPLES / "wasteland.epub").is_file(), reason="sample not here")
def test_the_waste_lands_notes_are_linked_and_its_parts_are_chapters() -> None:
    [article] = read_path(SAMPLES / "wasteland.epub")
    assert [c.title for c in article.table_of_contents()][:2] == [
        "I. THE BURIAL OF THE DEAD",
        "II. A GAME OF CHESS",
    ]
    linked = [k for k in article.links if k.target is not None]
    assert len(linked) >= 50
    assert article.text[article.chapters[0].start :].startswith("I. THE BURIAL OF THE DEAD")


def test_the_cli_names_a_skipped_chapter_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader import cli

    path = tmp_path / "book.epub"
    path.write_bytes(
        book({"ch1.xhtml": CHAPTER_1, "gone.xhtml": CHAPTER_2}, missing=("gone.xhtml",))
    )
    assert cli.main(["add", str(path), "--home", str(tmp_path / "home")]) == 0
    err = capsys.readouterr().err
    assert f"reader: {path}: skipped gone.xhtml: not in the file\n" in err
    assert "Warning" not in err
