"""The study loop's engine: review cards (FSRS), full-text search, export and import.

Everything here works on an open `reader.store.Library` and never imports Textual, so the
CLI and the UI share it. Modules load their dependencies lazily (fsrs, the analyzer) so
importing this package stays cheap. Every function that depends on the time takes `now`
(an aware datetime). Call everything from the thread that owns the library (the UI's store
worker): these calls read files, and building review cards may run the analyzer.

API for the UI (see each module for details):

Library (reader.store.library), additions::

    add_highlight(article_id, start, end, note="") -> HighlightRecord   # same span twice: same one
    highlights(article_id) -> list[HighlightRecord]                     # text order
    all_highlights(); highlight_counts() -> dict[str, int]; get_highlight(id)
    set_highlight_note(id, text) -> HighlightRecord                     # "" removes the note
    remove_highlight(id)                                                # and its review card
    add_tags(article_id, tags) / remove_tags(article_id, tags) -> ArticleRecord
    get_note(id); all_notes(); subscribe(listener) -> unsubscribe
    Note and highlight ids are never reused (persistent high-water marks).

reader.study.review::

    deck = ReviewDeck(library)                 # scheduler=, analyze= injectable
    deck.due_count(now) -> int                 # fast (no texts); UI badge
    deck.due_cards(now, limit=None) -> list[ReviewCard]   # may analyse finished articles
    deck.refresh_key_sentences()               # optional warm-up in a worker
    deck.rate(card.id, 1..4, now) -> datetime  # next due; NotFound if the passage is gone
    ReviewCard: id, kind ("highlight"|"note"|"key"), article_id, title, start, end,
                passage, context (sentence before), note (reveal on demand), due|None

reader.study.search::

    index = SearchIndex.open(library)          # builds/repairs/catches up; keep it open
    index.search(query, limit=20, mark=("[", "]")) -> list[SearchHit]
    SearchHit: article_id, title, kind ("article"|"note"|"highlight"), start, end,
               snippet, score — open the article at `start`
    index.notices (tell the reader once); index.close()

reader.study.export / reader.study.importer::

    export_json(library, ids=None) -> dict;  dumps(dict) -> str
    export_markdown(library, out_dir, ids=None, analyze=None) -> list[Path]
    import_snapshot(library, load_export(path)) -> ImportReport   # BadExport on bad files
"""

from __future__ import annotations
