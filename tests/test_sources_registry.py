"""The registry of sources: which source reads a file (by suffix, then by its first bytes) or
a page (by media type), what unsupported kinds are told, and that every place that once
kept its own list of suffixes (the folder walk, the sample seeding, `reader add DIR`, the
app's add dialog) now asks the registry."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.seed as seed
from reader import cli
from reader.article import Article, InputError, parse_article, read_text_file
from reader.sources import Locator, registry
from reader.sources.folders import article_files
from reader.store import Library

PAGE = b"""<!DOCTYPE html>
<html><head><title>Tide barrier approved</title></head>
<body><article><h1>Tide barrier approved</h1>
<p>The Harbour Council of Port Ellery voted on Tuesday to build a tide barrier across the
mouth of the river Kell, ending a decade of argument over flooding in the old town.</p>
<p>Mayor Jonas Whitfield said the barrier would protect 4,200 homes from the winter storms
that flooded the harbour district three times in the last ten years.</p>
<p>The project will cost 310 million euros and work starts in the spring, according to the
lead contractor, who expects the barrier to be finished within four years.</p>
</article></body></html>
"""

CLIP = (
    "Ferry timetable changes\n\nThe ferry to the islands will leave an hour earlier from "
    "Monday, the harbour office said. Crews expect the change to last until spring.\n"
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("READER_HOME", str(home))
    return home


def _refusal(path: Path) -> str:
    with pytest.raises(InputError) as info:
        registry.read_path(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


# ------------------------------------------------------------------ choosing a source


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("clip.txt", "text"),
        ("clip.TEXT", "text"),
        ("notes.md", "markdown"),
        ("notes.Markdown", "markdown"),
        ("notes.mkdn", "markdown"),
        ("page.html", "html"),
        ("page.HTM", "html"),
    ],
)
def test_a_file_is_matched_by_its_suffix(tmp_path: Path, name: str, source: str) -> None:
    path = tmp_path / name
    path.write_text("whatever is inside", encoding="utf-8")  # the name decides, not the bytes
    found = registry.for_path(path)
    assert found is not None and found.name == source


def test_a_file_without_a_known_suffix_is_sniffed(tmp_path: Path) -> None:
    page = tmp_path / "saved-page"
    page.write_bytes(b"\xef\xbb\xbf  <!-- saved by a browser -->\n" + PAGE)
    clip = tmp_path / "clip.rst"
    clip.write_text(CLIP, encoding="utf-8")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert (found := registry.for_path(page)) is not None and found.name == "html"
    assert (found := registry.for_path(clip)) is not None and found.name == "text"
    assert registry.for_path(binary) is None
    # ...and read by what the sniffing found: the page's markup is gone.
    [article] = registry.read_path(page)
    assert article.title == "Tide barrier approved"
    assert not any("<p>" in p for p in article.paragraphs)


def test_markdown_is_never_guessed_from_content(tmp_path: Path) -> None:
    """A clip that happens to start with "# " keeps being read as a clip, as before."""
    path = tmp_path / "clip"
    path.write_text("# not a heading\n\n" + CLIP, encoding="utf-8")
    found = registry.for_path(path)
    assert found is not None and found.name == "text"
    assert registry.read_path(path)[0].paragraphs[0].startswith("# not a heading")


def test_html_on_stdin_is_sniffed_and_a_clip_stays_a_clip() -> None:
    [page] = registry.read_data(PAGE, Locator())
    assert page.title == "Tide barrier approved"
    [clip] = registry.read_data(CLIP.encode(), Locator())
    assert clip == parse_article(CLIP, suffix=".txt")


@pytest.mark.parametrize(
    ("media_type", "source"),
    [
        ("text/html", "html"),
        ("application/xhtml+xml", "html"),
        ("text/markdown", "markdown"),
        ("text/plain; charset=utf-8", "text"),
    ],
)
def test_a_media_type_names_its_source(media_type: str, source: str) -> None:
    found = registry.for_media_type(media_type)
    assert found is not None and found.name == source
    assert registry.for_media_type("application/zip") is None


def test_raw_markdown_served_as_text_plain_is_read_as_markdown() -> None:
    locator = Locator(url="https://example.org/notes/README.md", media_type="text/plain")
    [article] = registry.read_data(b"# Notes\n\nThe ferry leaves at nine.\n", locator)
    assert article.title == "Notes"
    assert registry.choose(b"", Locator(url="https://example.org/a", media_type="text/plain")) is (
        registry.for_media_type("text/plain")
    )


def test_a_declared_charset_is_used_for_a_text_page() -> None:
    """KOI8-R defeats every guess (unknown encoding): the server's charset is believed."""
    text = "Привет из порта\n\nПаром уходит в девять утра каждый день недели.\n"
    url = "https://example.org/a.txt"
    locator = Locator(url=url, media_type="text/plain", charset="koi8-r")
    [article] = registry.read_data(text.encode("koi8-r"), locator)
    assert article.title == "Привет из порта" and article.url == url


# ------------------------------------------------------------------ what is not read


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        (
            "book.epub",
            b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/epub+zip",
            "not a readable EPUB (not a zip archive, or cut short)",
        ),
        (
            "paper.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            "damaged PDF: the file is cut short (its end is missing)",
        ),
    ],
)
def test_epub_and_pdf_files_go_to_their_own_sources(
    tmp_path: Path, name: str, data: bytes, said: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert _refusal(path) == said  # the book's or paper's own reader judged it
    # Without the suffix, the bytes say what it is.
    bare = tmp_path / "download"
    bare.write_bytes(data)
    assert _refusal(bare) == said


def test_an_image_is_said_to_be_an_image(tmp_path: Path) -> None:
    for name, data in (("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(64)), ("photo", b"\xff\xd8\xff")):
        path = tmp_path / name
        path.write_bytes(data)
        assert _refusal(path).startswith("an image, not an article")


def test_a_text_file_holding_binary_keeps_its_precise_message(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"  # the name says text: the decoder's words, as always
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert _refusal(path) == "not a text file (a PNG image)"


@pytest.mark.parametrize(
    ("media_type", "said"),
    [
        ("application/epub+zip", "not a readable EPUB (not a zip archive, or cut short)"),
        ("application/pdf", "damaged PDF: the file is cut short (its end is missing)"),
        ("image/png", "an image, not an article"),
        ("application/zip", "not an article (application/zip)"),
    ],
)
def test_unsupported_media_types_are_told_in_one_line(media_type: str, said: str) -> None:
    url = "https://example.org/thing"
    with pytest.raises(InputError) as info:
        registry.read_data(b"%PDF-1.4 or anything", Locator(url=url, media_type=media_type))
    assert str(info.value).startswith(f"{url}: {said}")
    assert "\n" not in str(info.value)


def test_a_clip_that_is_all_boilerplate_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "menu.txt"
    path.write_text("Skip to content\nMenu\nSign in\nShare this article\n", encoding="utf-8")
    assert _refusal(path) == registry.NO_TEXT


# ------------------------------------------------------------------ behaviour kept


def test_text_and_markdown_read_exactly_as_before() -> None:
    samples = sorted(seed.samples_dir().glob("*"))
    assert samples
    for path in samples:
        expected = parse_article(read_text_file(path), suffix=path.suffix)
        assert registry.read_path(path) == [expected], path.name


# ------------------------------------------------------------------ one list of suffixes


class _Fake:
    """A source for a made-up format: it appears everywhere only if everywhere asks."""

    name = "fake"
    suffixes = frozenset({".fake"})
    media_types = frozenset({"application/x-fake"})

    def sniff(self, head: bytes) -> bool:
        return False

    def read(self, data: bytes, locator: Locator) -> list[Article]:
        text = data.decode("utf-8").strip()
        return [Article.from_paragraphs(f"Fake: {text[:20]}", None, None, None, [text])]


@pytest.fixture
def fake_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "SOURCES", (_Fake(), *registry.SOURCES))


def test_the_old_suffixes_are_all_still_supported() -> None:
    assert {".txt", ".md", ".markdown", ".text", ".html", ".htm"} <= set(
        registry.supported_suffixes()
    )


@pytest.mark.usefixtures("fake_format")
def test_the_folder_walk_asks_the_registry(tmp_path: Path) -> None:
    for name in ("a.fake", "b.html", "c.mdown", "d.txt", "e.png", "f.pdf"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found, refused = article_files(tmp_path)
    assert refused is None
    assert [Path(f).name for f in found] == ["a.fake", "b.html", "c.mdown", "d.txt", "f.pdf"]


@pytest.mark.usefixtures("fake_format")
def test_reader_add_of_a_folder_asks_the_registry(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    (folder / "odd.fake").write_text("a fake article body", encoding="utf-8")
    assert cli.main(["add", str(folder)]) == 0, capsys.readouterr().err
    with Library.open(home, read_only=True) as lib:
        assert [r.title for r in lib.articles()] == ["Fake: a fake article body"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["add", str(empty)]) == 2
    said = "no article files (.txt, .md, .epub, .pdf, .html, .fake) in this folder"
    assert said in capsys.readouterr().err


@pytest.mark.usefixtures("fake_format")
def test_the_sample_seeding_asks_the_registry(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "one.fake").write_text("seeded from a fake file", encoding="utf-8")
    (samples / "two.html").write_bytes(PAGE)
    (samples / "skip.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    monkeypatch.setattr(seed, "samples_dir", lambda: samples)
    with Library.open(home) as lib:
        assert seed.seed_if_empty(lib) == 2
        assert sorted(r.title for r in lib.articles()) == [
            "Fake: seeded from a fake f",
            "Tide barrier approved",
        ]


@pytest.mark.usefixtures("fake_format")
def test_the_add_dialog_completes_what_the_registry_reads(tmp_path: Path) -> None:
    from reader.ui.dialogs.add_article import AddArticleDialog

    folder = tmp_path / "downloads"
    folder.mkdir()
    for name in ("a.fake", "b.html", "c.png"):
        (folder / name).write_text("x", encoding="utf-8")
    with Library.open(tmp_path / "home") as lib:
        dialog = AddArticleDialog(lib)
    assert dialog.path_suggester.suffixes == registry.supported_suffixes()
    _completed, choices = dialog.path_suggester.complete(f"{folder}/")
    assert choices == ["a.fake", "b.html"]
    assert ".fake" in dialog.prompt and ".html" in dialog.prompt


def test_the_registry_knows_the_html_formats_without_importing_the_parser() -> None:
    from reader.sources.html import HtmlSource

    [lazy] = [s for s in registry.SOURCES if s.name == "html"]
    assert lazy.suffixes == HtmlSource.suffixes
    assert lazy.media_types == HtmlSource.media_types
