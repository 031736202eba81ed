"""The reading view shows the document's structure: headings, lists, quotes, code, tables,
marks and links, with the cursor, highlights, notes and links keys working across them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import TextArea

from reader.article import Article
from reader.article.document import DocumentBuilder, Run
from reader.nlp.analysis import Analysis, KeySentence, Span
from reader.store import Library
from reader.ui.app import ReaderApp
from reader.ui.dialogs.links import LinksDialog
from reader.ui.dialogs.note import NoteDialog
from reader.ui.screens.reading import ReadingScreen, StatusLine
from reader.ui.widgets.article_view import ArticleView
from tests.conftest import FIXED_NOW, barrier_article, fake_analyze
from tests.ui_helpers import burst, keys_handled, make_app, reading, settle

LONG_LINE = (
    "    result = compute_the_answer(first_argument, second_argument, third_argument,"
    " fourth_argument)  # the end"
)
CODE = "\n".join(
    [
        "def tide(level):",
        "    if level > 3:",
        "        return 'high'",
        LONG_LINE,
        "",
        "    return 'low'",
    ]
)
URL = "https://coast.example/story"
HARBOUR = "https://harbour.example/tides"
ARCHIVE = "https://archive.example/"


def structure_article(url: str | None = URL) -> Article:
    """Every block kind: headings, marks and links, a nested list, numbered items, nested
    quotes, code with a long line, a wide table, a rule and a caption."""
    b = DocumentBuilder()
    b.prose("heading", ["Getting started"], level=1)
    b.prose(
        "paragraph",
        [
            "The tide tables are ",
            Run("published", frozenset({"emphasis"})),
            " every week. See ",
            Run("the harbour site", href=HARBOUR),
            " and ",
            Run("the archive", href=ARCHIVE),
            " for more. Read them ",
            Run("carefully", frozenset({"strong"})),
            " before sailing.",
        ],
    )
    b.prose(
        "list_item",
        [
            "First item of the list, which is long enough to wrap onto a second line "
            "in an eighty column terminal window."
        ],
        level=1,
    )
    b.prose("list_item", ["A nested point under the first item."], level=2)
    b.prose("list_item", ["Second item."], level=1)
    b.prose("list_item", ["Step one is to check the gauge."], level=1, number=1)
    b.prose("list_item", ["Step two is to log it."], level=1, number=2)
    b.prose(
        "quote",
        [
            "The sea is patient, and it keeps its appointments with the shore twice a day, "
            "every day, without fail."
        ],
        level=1,
    )
    b.prose("quote", ["A quote inside the quote."], level=2)
    b.prose("heading", ["The code"], level=2)
    b.paragraph("Here is the script we run each morning.")
    b.code(CODE, "python")
    b.prose(
        "paragraph",
        ["After the code comes a table of ", Run("gauges", frozenset({"code"})), "."],
    )
    b.table(
        [
            ["Station", "Level", "Trend", "Remarks"],
            [
                "Brackenmouth",
                "1.8 m",
                "rising",
                "the barrier closed at high water and stayed shut until the morning tide",
            ],
            ["Norfolk", "0.9 m", "falling", "calm"],
        ]
    )
    b.rule()
    b.prose("caption", ["Figure 1: the gauge at dawn."])
    b.prose("heading", ["Afterwards"], level=3)
    b.paragraph("Nobody was hurt. The harbour reopened at dawn.")
    return Article.from_builder(
        b,
        title="Structure test",
        author="Helen Marsh",
        published="2024-02-20",
        source="Coast News",
        url=url,
    )


_SENTENCE = re.compile(r"\S.*?[.!?](?=\s|$)|\S.*\S|\S")


def prose_analyze(text: str, prose: list[tuple[int, int]] | None = None) -> Analysis:
    """The fake analyzer, reading only the prose blocks and splitting each on its own (a
    heading without a full stop is a sentence too), as the engine does."""
    spans = prose if prose is not None else [(0, len(text))]
    sentences: list[Span] = []
    for start, end in spans:
        for block in re.finditer(r"[^\n]+", text[start:end]):
            base = start + block.start()
            for match in _SENTENCE.finditer(block.group()):
                sentences.append(Span(base + match.start(), base + match.end()))
    longest = max(range(len(sentences)), key=lambda i: sentences[i].end - sentences[i].start)
    keys = [KeySentence(longest, 1.0)] if sentences else []
    return Analysis(text, sentences, fake_analyze(text).entities, keys)


def browser(opened: list[str]) -> Any:
    """A stand-in for webbrowser.open that notes the address."""

    def open_url(url: str, *args: Any, **kwargs: Any) -> bool:
        opened.append(url)
        return True

    return open_url


def add(home: Path, article: Article) -> str:
    with Library.open(home) as lib:
        return lib.add_article(article).article.id


def structure_app(home: Path, article: Article | None = None) -> ReaderApp:
    article_id = add(home, article or structure_article())
    return ReaderApp(home, analyzer=prose_analyze, now=lambda: FIXED_NOW, open_article=article_id)


async def all_rows(pilot: Any, view: ArticleView) -> list[str]:
    """Every row of the laid-out article as drawn, page by page."""
    rows: dict[int, str] = {}
    height = view.scrollable_content_region.height
    for top in range(0, view.rows(), height):
        view.scroll_to(y=top, animate=False, immediate=True)
        await pilot.pause()
        first = round(view.scroll_offset.y)
        for number, line in enumerate(view.visible_text().split("\n")):
            rows[first + number] = line
    view.scroll_to(y=0, animate=False, immediate=True)
    await pilot.pause()
    return [rows[r] for r in sorted(rows)]


def line_with(rows: list[str], needle: str) -> int:
    return next(i for i, row in enumerate(rows) if needle in row)


def style_of(view: ArticleView, needle: str) -> str:
    """The style the view draws `needle` with (it must be one segment on screen)."""
    for y in range(view.scrollable_content_region.height):
        for segment in view.render_line(y):
            if needle in segment.text:
                return str(segment.style)
    raise AssertionError(f"{needle!r} not on screen")


def status(app: ReaderApp) -> str:
    return reading(app).query_one(StatusLine).status.plain


def sentence_index(view: ArticleView, text: str, words: str) -> int:
    return next(i for i, (s, _) in enumerate(view.sentences) if text[s:].startswith(words))


async def cursor_to(pilot: Any, screen: ReadingScreen, words: str) -> None:
    target = sentence_index(screen.view, screen.text, words)
    while screen.view.cursor != target:
        await pilot.press("j" if screen.view.cursor < target else "k")


async def test_every_block_kind_is_drawn_with_its_structure(
    home: Path, wait_for_workers: Any
) -> None:
    app = structure_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        view = reading(app).view
        rows = await all_rows(pilot, view)
        first = rows[line_with(rows, "• First item")]
        wrapped = rows[line_with(rows, "• First item") + 1]
        text_at = first.index("First")
        # Hanging indent: the wrapped line lines up under the text, not under the bullet.
        assert wrapped[:text_at].strip() == "" and wrapped[text_at] != " "
        nested = rows[line_with(rows, "◦ A nested point")]
        assert nested.index("◦") == first.index("•") + 2
        assert rows[line_with(rows, "1. Step one")].index("1.") == first.index("•")
        assert "2. Step two is to log it." in rows[line_with(rows, "Step two")]
        # Quotes: a bar on every wrapped line, one per level.
        quote = [r for r in rows if "│" in r and ("sea" in r or "every day" in r)]
        assert len(quote) == 2 and all(r.lstrip().startswith("│ ") for r in quote)
        assert rows[line_with(rows, "A quote inside")].lstrip().startswith("│ │ A quote")
        # Code: verbatim in a box, its indentation kept, the long line cut with "›".
        assert "╭─ python" in rows[line_with(rows, "def tide") - 1]
        assert "│     if level > 3:" in rows[line_with(rows, "if level")]
        assert "│         return 'high'" in rows[line_with(rows, "return 'high'")]
        long_row = rows[line_with(rows, "compute_the_answer")]
        assert long_row.rstrip().endswith("›") and "fourth_argument" not in long_row
        assert rows[line_with(rows, "return 'low'") + 1].lstrip().startswith("╰")
        # The table: columns aligned, a rule under the header row.
        table = [rows[line_with(rows, name)] for name in ("Station", "Brackenmouth", "Norfolk")]
        bars = [[m.start() for m in re.finditer("│", row)] for row in table]
        assert bars[0] == bars[1] == bars[2] and len(bars[0]) == 3
        assert table[0].index("Level") == table[1].index("1.8 m") == table[2].index("0.9 m")
        assert "┼" in rows[line_with(rows, "Station") + 1]
        # The break: a short line in the middle of the column.
        rule = next(r for r in rows if set(r.strip()) == {"─"} and len(r.strip()) < 40)
        assert 0 < len(rule.strip()) < 40 and rule.index("─") > 20
        assert "Figure 1: the gauge at dawn." in rows[line_with(rows, "Figure 1")]
        # Level 1-2 headings get a blank line more above them.
        code_heading = line_with(rows, "The code")
        assert rows[code_heading - 1] == rows[code_heading - 2] == ""
        # Marks, links and headings are styled; code has syntax colours.
        assert "italic" in style_of(view, "published")
        assert "bold" in style_of(view, "carefully")
        assert "underline" in style_of(view, "the harbour site")
        assert "bold" in style_of(view, "Getting started")
        view.scroll_to(y=line_with(rows, "def tide") - 2, animate=False, immediate=True)
        await pilot.pause()
        assert style_of(view, "def") != style_of(view, "tide")
        assert "bold" in style_of(view, "Station")  # the header row
        # The decoration is not text: a cell maps back to the character drawn in it.
        view.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        text = view.doc.text
        for needle, lead in (("A quote inside", "│ │ "), ("A nested point", "  ◦ ")):
            y = next(i for i, r in enumerate(view.visible_text().split("\n")) if needle in r)
            assert view.offset_at(view._margin + len(lead), y) == text.index(needle)
        wrapped_y = line_with(rows, "• First item") + 1
        word = rows[wrapped_y][text_at:].split()[0]
        assert view.offset_at(text_at, wrapped_y) == text.index(word, text.index("First item"))


async def test_status_names_the_section_and_the_cursor_skips_code(
    home: Path, wait_for_workers: Any
) -> None:
    app = structure_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        text = screen.text
        assert "§ Getting started" in status(app)
        await cursor_to(pilot, screen, "Here is the script")
        assert "§ The code" in status(app)
        await pilot.press("j")  # over the code block, to the paragraph after it
        start, _ = screen.view.cursor_span
        assert text[start:].startswith("After the code comes")
        await cursor_to(pilot, screen, "Nobody was hurt")
        assert "§ Afterwards" in status(app)
        code = next(b for b in screen.article.blocks if b.kind == "code")
        table = next(b for b in screen.article.blocks if b.kind == "table")
        for s, _e in screen.view.sentences:
            assert not code.start <= s < code.end and not table.start <= s < table.end


async def test_sentences_an_analyzer_finds_in_code_are_not_the_cursors(
    home: Path, wait_for_workers: Any
) -> None:
    """An analyzer that reads the code too (the plain fake) cannot put the cursor there,
    nor a key sentence twice in the pane."""
    article_id = add(home, structure_article())
    app = make_app(home, open_article=article_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        code = next(b for b in screen.article.blocks if b.kind == "code")
        assert screen.view.sentences
        assert all(not code.start <= s < code.end for s, _ in screen.view.sentences)


async def test_highlight_on_a_list_item_and_note_on_a_quote_keep_their_offsets(
    home: Path, wait_for_workers: Any
) -> None:
    article = structure_article()
    article_id = add(home, article)
    app = ReaderApp(home, analyzer=prose_analyze, now=lambda: FIXED_NOW, open_article=article_id)
    item = next(b for b in article.blocks if article.block_text(b).startswith("First item"))
    quote = next(b for b in article.blocks if b.kind == "quote")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await cursor_to(pilot, screen, "First item")
        await pilot.press("h")
        await cursor_to(pilot, screen, "The sea is patient")
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        dialog.query_one(TextArea).insert("Twice a day.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "✎" in screen.view.visible_text()
        await pilot.press("ctrl+q")
    with Library.open(home, read_only=True) as lib:
        highlights = [(h.start, h.end) for h in lib.highlights(article_id)]
        notes = [(n.start, n.end, n.text) for n in lib.notes(article_id)]
    assert highlights == [(item.start, item.end)]
    assert notes == [(quote.start, quote.end, "Twice a day.")]


async def test_l_lists_the_sentence_links_and_enter_opens_one(
    home: Path, wait_for_workers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", browser(opened))
    app = structure_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await cursor_to(pilot, screen, "See the harbour site")
        await pilot.press("l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LinksDialog)
        assert dialog.heading == "Links in this sentence"
        assert [href for _, href in dialog.links] == [HARBOUR, ARCHIVE]
        assert [text for text, _ in dialog.links] == ["the harbour site", "the archive"]
        await pilot.press("j", "enter")
        await settle(pilot, wait_for_workers)
        assert opened == [ARCHIVE]
        assert reading(app) is screen
        # A sentence without links: the links on screen instead.
        await cursor_to(pilot, screen, "Read them")
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LinksDialog)
        assert app.screen.heading == "Links on screen"
        await pilot.press("escape")
        await pilot.pause()
        assert opened == [ARCHIVE]


async def test_o_opens_the_original_page_or_says_there_is_none(
    home: Path, wait_for_workers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", browser(opened))
    app = structure_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("o")
        await settle(pilot, wait_for_workers)
        assert opened == [URL]
    plain = add(home, barrier_article())
    app = make_app(home, open_article=plain)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("o")
        await settle(pilot, wait_for_workers)
        assert opened == [URL]
        assert any("no original page" in str(n.message) for n in app._notifications)


async def test_arrows_scroll_the_code_on_screen_sideways(home: Path, wait_for_workers: Any) -> None:
    app = structure_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        view = screen.view
        code = next(i for i, b in enumerate(screen.article.blocks) if b.kind == "code")
        await cursor_to(pilot, screen, "Here is the script")
        top = view.row_of(screen.article.blocks[code].start) - 3
        view.scroll_to(y=top, animate=False, immediate=True)
        await pilot.pause()
        assert "compute_the_answer" in view.visible_text()
        assert view.wide_block_on_screen() == code
        cursor = view.cursor
        await pilot.press("right", "right", "right")
        assert view.sideways(code) > 0
        shown = view.visible_text()
        long_row = next(r for r in shown.split("\n") if "argument" in r)
        assert "fourth_argument" in long_row and long_row.lstrip().startswith("‹")
        assert "│         return 'high'" not in shown  # the whole box moved, not one line
        assert "Here is the script we run each morning." in shown  # the prose stayed
        assert view.cursor == cursor
        await pilot.press("left", "left", "left", "left")
        assert view.sideways(code) == 0
        assert "│         return 'high'" in view.visible_text()


async def test_without_wide_code_on_screen_the_arrows_say_so(
    home: Path, wait_for_workers: Any
) -> None:
    app = structure_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        assert reading(app).view.wide_block_on_screen() is None  # the code is further down
        await pilot.press("right")
        await pilot.pause()
        assert any("No wide code" in str(n.message) for n in app._notifications)


async def test_a_burst_of_keys_ends_where_slow_typing_does(
    tmp_path: Path, wait_for_workers: Any
) -> None:
    keys = ["j"] * 12 + ["right", "right", "k", "left", "j", "j"]
    ends = []
    for fast in (False, True):
        home = tmp_path / ("fast" if fast else "slow")
        home.mkdir()
        app = structure_app(home)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, wait_for_workers)
            view = reading(app).view
            if fast:
                burst(app, *keys)
                await keys_handled(pilot)
            else:
                for key in keys:
                    await pilot.press(key)
            await pilot.pause()
            shifts = [view.sideways(i) for i in range(len(view.doc.blocks))]
            ends.append((view.cursor, shifts, status(app), view.visible_text()))
    assert ends[0] == ends[1]
    assert any(ends[0][1])
