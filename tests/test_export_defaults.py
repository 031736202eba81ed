"""Where an export goes by default, and how an export tells of articles never analysed
(reader.ui.dialogs.export, reader.cli.study, reader.study.unanalysed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from reader import cli
from reader.nlp.analyzer import ANALYZER_VERSION
from reader.nlp.cache import AnalysisCache
from reader.store import Library
from reader.ui.dialogs.export import ExportDialog, default_folder
from reader.ui.screens.library import LibraryScreen
from tests.conftest import fake_analyze
from tests.ui_helpers import burst, keys_handled, make_app


def analyse_in_cache(home: Path, article_id: str) -> None:
    """As opening the article in the app with the real analyzer leaves it."""
    with Library.open(home) as lib:
        text = lib.load_article(article_id).text
        AnalysisCache(lib.cache_dir, ANALYZER_VERSION).put(fake_analyze(text))


def warnings(app: Any) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "warning"]


def test_the_default_folder_is_in_the_data_home(
    seeded_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READER_HOME", str(seeded_home))
    with Library.open(seeded_home) as lib:
        assert default_folder(lib) == str(seeded_home / "reader-export")
        lib.set_setting("export_dir", "/somewhere/chosen")
        assert default_folder(lib) == "/somewhere/chosen"  # the last folder used wins


async def test_enter_on_the_offered_folder_exports_into_the_home(
    seeded_home: Path, barrier_id: str
) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(100, 30)) as pilot:
        await keys_handled(pilot)
        burst(app, "E")
        await keys_handled(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        offered = dialog.query_one(Input).value
        assert offered == str(seeded_home / "reader-export")
        assert "~" not in offered
        burst(app, "enter")
        await keys_handled(pilot)
        assert isinstance(app.screen, LibraryScreen)
    assert len(list((seeded_home / "reader-export").glob("*.md"))) == 3


async def test_export_all_names_the_articles_never_analysed(
    seeded_home: Path, barrier_id: str, tmp_path: Path
) -> None:
    analyse_in_cache(seeded_home, barrier_id)
    out = tmp_path / "out"
    app = make_app(seeded_home)
    async with app.run_test(size=(100, 30)) as pilot:
        await keys_handled(pilot)
        burst(app, "E", "ctrl+u", *str(out), "enter")
        await keys_handled(pilot)
        said = [w for w in warnings(app) if "no summary" in w]
        assert len(said) == 1
        assert said[0].startswith("2 articles have no summary (never analysed): ")
        assert "Orbital freight startup raises funds" in said[0]
        assert "A quiet week in parliament" in said[0]
        assert "Brackenmouth" not in said[0]
        assert any("Exported 3 articles" in n.message for n in app._notifications)
    pages = {p.name: p.read_text("utf-8") for p in out.glob("*.md")}
    assert "## Summary" in pages["brackenmouth-tide-barrier-closes.md"]
    assert "## Summary" not in pages["a-quiet-week-in-parliament.md"]


async def test_an_export_of_analysed_articles_warns_of_nothing(
    seeded_home: Path, tmp_path: Path
) -> None:
    with Library.open(seeded_home, read_only=True) as lib:
        ids = [r.id for r in lib.articles()]
    for article_id in ids:
        analyse_in_cache(seeded_home, article_id)
    app = make_app(seeded_home)
    async with app.run_test(size=(100, 30)) as pilot:
        await keys_handled(pilot)
        burst(app, "E", "ctrl+u", *str(tmp_path / "out"), "enter")
        await keys_handled(pilot)
        assert warnings(app) == []
        assert any("Exported 3 articles" in n.message for n in app._notifications)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_the_cli_export_names_the_articles_never_analysed(
    seeded_home: Path, barrier_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    analyse_in_cache(seeded_home, barrier_id)
    home = ["--home", str(seeded_home)]
    md = ["--format", "markdown", "--out", str(tmp_path / "md")]
    status, out, err = run([*home, "export", "--all", *md], capsys)
    assert status == 0 and err == ""
    wrote, said = out.splitlines()
    assert wrote.startswith("Wrote 3 Markdown files")
    assert said.startswith("2 articles have no summary (never analysed): ")
    assert "A quiet week in parliament" in said and "Brackenmouth" not in said
    assert "--analyze" in said
    status, out, err = run([*home, "export", barrier_id, *md], capsys)
    assert status == 0 and out.splitlines() == [f"Wrote 1 Markdown file to {tmp_path / 'md'}"]


def test_the_cli_export_with_analyze_leaves_no_summary_out(
    seeded_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    import reader.nlp.analyzer

    monkeypatch.setattr(
        reader.nlp.analyzer, "analyze", lambda text, cache_dir=None: fake_analyze(text)
    )
    md = ["--format", "markdown", "--out", str(tmp_path / "md"), "--analyze"]
    status, out, err = run(["--home", str(seeded_home), "export", "--all", *md], capsys)
    assert status == 0 and err == ""
    assert out.splitlines() == [f"Wrote 3 Markdown files to {tmp_path / 'md'}"]
    for page in (tmp_path / "md").glob("*.md"):
        assert "## Summary" in page.read_text("utf-8"), page.name
