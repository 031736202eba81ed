"""Review cards: the passages a reader marked, brought back on an FSRS schedule.

Where cards come from (one card per source, ids from reader.store.records):

* every highlight ("h<id>"): the passage, its note revealed on demand;
* every note on a sentence ("n<id>"): the sentence, the note revealed on demand;
* every key sentence of a *finished* article ("k<article>:<start>-<end>"), taken from the
  article's analysis; skipped where a highlight covers exactly the same span.

A card is new until first rated (new cards are due at once); after that its fsrs
`Card.to_dict()` and its due time are saved in the store (review/<shard>.json). A card
whose passage, note or article is deleted simply stops being produced, and the store
drops its schedule with it.

Speed: `due_count` must answer in well under 200 ms on 5,000 articles and 20,000 notes
and highlights, so it touches no article text and no analysis. It counts from the
library's in-memory records and two compact indexes: the saved due times
(`Library.review_due_index`) and the key-sentence spans of finished articles
(`Library.key_sentence_index`). That second index is filled lazily by `due_cards` (or
`refresh_key_sentences`; the UI runs the analysis part in a worker before it shows a
count): a finished article whose key sentences were never computed is not counted until
then. What the count is made of (how many cards there are, and the sorted due times of
the scheduled ones) is kept per library until `Library.change_count` moves, the folder of
texts changes or a deck learns of a damaged text, so a repeated count is a bisection;
rebuilding it makes ~25,000 short-lived tuples, which is done with the cyclic GC paused
(see `_gc_paused`) so that a full collection of a big process cannot land inside it.

One count, wherever it is shown: the library's "N cards to review" and the review
screen's "N due" are both `due_count`, and it counts exactly the cards `due_cards` would
list at that moment (without a limit). So it leaves out the cards of an article whose text
file is missing (one listing of the texts folder per rebuild; the writer moves a damaged
text aside the first time anything reads it) or that a deck found damaged, and everything
a deck learns (damaged texts, key sentences it could not record) is kept per library, not
per deck, so a deck made for the library's status line sees what the review screen's saw.

A damaged or missing article text costs that article's cards, not the review: they are left
out and `ReviewDeck.notices` names the article and what to do. On a library opened
read-only (`reader review --list` beside the app) key sentences cannot be recorded, so they
are kept in memory for that library, and it lists the same cards a writable run would.

A key-sentence card is a cloze: `ReviewCard.cloze` is the span hidden from it, chosen by
reader.study.cloze from the article's cached analysis (no analysis: a number or a rare
word). `preview` says when a card would come back after each rating without recording
anything, and `rate(..., preview=...)` then records exactly the outcome that was shown
(fsrs fuzzes long intervals at random, so reviewing again could differ from the preview).

Scheduling is fsrs 6's `Scheduler`; pass your own (e.g. `enable_fuzzing=False` for exact
tests) or let the deck build one with the "review_retention" setting (default 0.9).
"""

from __future__ import annotations

import contextlib
import copy
import gc
import hashlib
import math
import os
import re
import threading
import weakref
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from reader.store.errors import DamagedFile, NotFound, StoreError
from reader.store.records import highlight_card_id, key_card_id, note_card_id

if TYPE_CHECKING:
    from pathlib import Path

    from fsrs import Card, Scheduler

    from reader.article import Article
    from reader.nlp.analysis import Analysis, Prose
    from reader.store.library import Library

__all__ = [
    "RATINGS",
    "CardKind",
    "RatingPreview",
    "ReviewCard",
    "ReviewDeck",
    "describe_due",
    "parse_card_id",
    "sentence_before",
    "short_interval",
]

CardKind = Literal["highlight", "note", "key"]
RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
RETENTION_SETTING = "review_retention"

_CARD_ID = re.compile(r"(?:h(\d+)|n(\d+)|k([0-9a-f]{16}):(\d+)-(\d+))")
# A sentence end for the fallback context: terminal punctuation, closing quotes, then space.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """Everything the Review screen shows for one card.

    `passage` is text[start:end] of the article; `context` the sentence before it ("" at
    the start of the article); `note` the reader's note, to be revealed on demand ("" for
    key sentences and for highlights without a note). `due` is None for a new card.
    `cloze` is, for a key sentence, the [start, end) offsets into the article (inside the
    passage) that the card hides and reveals as its answer; None for the others, and for
    a key sentence with nothing worth hiding.
    """

    id: str
    kind: CardKind
    article_id: str
    title: str
    start: int
    end: int
    passage: str
    context: str
    note: str
    due: datetime | None
    cloze: tuple[int, int] | None = None

    @property
    def is_new(self) -> bool:
        return self.due is None

    @property
    def answer(self) -> str:
        """The hidden words of a cloze card ("" for the others)."""
        if self.cloze is None:
            return ""
        return self.passage[self.cloze[0] - self.start : self.cloze[1] - self.start]

    def cloze_parts(self) -> tuple[str, str, str]:
        """The passage as (before, answer, after) around the blank; (passage, "", "")
        for a card that is not a cloze."""
        if self.cloze is None:
            return self.passage, "", ""
        a, b = self.cloze[0] - self.start, self.cloze[1] - self.start
        return self.passage[:a], self.passage[a:b], self.passage[b:]


@dataclass(frozen=True, slots=True)
class RatingPreview:
    """What each rating of one card would do, worked out at `now` and recorded by none.

    `outcomes` maps 1–4 to the fsrs card a review with that rating gives; `based_on` is
    the saved schedule they start from (None: a new card), so a preview made stale by a
    rating meanwhile is not recorded.
    """

    card_id: str
    now: datetime
    based_on: Mapping[str, object] | None
    outcomes: Mapping[int, Card]

    def interval(self, rating: int) -> timedelta:
        """How long until the card comes back after `rating`."""
        due: datetime = self.outcomes[rating].due
        return due - self.now


def parse_card_id(card_id: str) -> tuple[CardKind, str | None, int, int]:
    """(kind, article id or None, ref-or-start, end); ValueError for a malformed id.

    For "h"/"n" cards the third value is the highlight or note id and the fourth is 0.
    """
    match = _CARD_ID.fullmatch(card_id) if isinstance(card_id, str) else None
    if match is None:
        raise ValueError(f"{card_id!r} is not a review card id")
    if match.group(1):
        return "highlight", None, int(match.group(1)), 0
    if match.group(2):
        return "note", None, int(match.group(2)), 0
    return "key", match.group(3), int(match.group(4)), int(match.group(5))


def _utc(now: datetime) -> datetime:
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("`now` must be a timezone-aware datetime")
    return now.astimezone(UTC)


def schedule_gap(state: Mapping[str, object]) -> str | None:
    """What an fsrs schedule lacks for the scheduler to go on from it; None if nothing.

    fsrs asserts (rather than raises) on these, so they are checked before it sees them:
    a card being learnt needs its step, a card under review its stability and
    difficulty, one being relearnt all three. fsrs reads 0 as "none".
    """
    needs = {1: ("step",), 2: ("stability", "difficulty"), 3: ("stability", "difficulty", "step")}
    kind = state.get("state")
    if isinstance(kind, bool) or kind not in needs:
        return "not a review state"
    for name in needs[kind]:
        value = state.get(name)
        if value is None or (name != "step" and not value):
            return f"a card in that state needs its {name}"
    return None


def _folder_mark(folder: Path) -> int:
    """The texts folder's mtime: it moves when a text is added, removed or moved aside."""
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return -1


def _fsrs_card_id(card_id: str) -> int:
    """fsrs wants an int id (and sleeps 1 ms to invent one); derive a stable one instead."""
    return int(hashlib.sha256(card_id.encode("utf-8")).hexdigest()[:13], 16)


def sentence_before(text: str, start: int, analysis: Analysis | None = None) -> str:
    """The sentence ending before `start`, from the analysis when there is one.

    Without an analysis (never computed for this text) a punctuation heuristic finds it,
    which is good enough for a line of context on a review card.
    """
    if analysis is not None and analysis.text == text:
        previous = [s for s in analysis.sentences if s.end <= start]
        if not previous:
            return ""
        span = max(previous, key=lambda s: s.end)
        return text[span.start : span.end]
    head = text[:start].rstrip()
    if not head:
        return ""
    cut = 0
    for match in _SENTENCE_END.finditer(head):
        if match.end() < len(head):
            cut = match.end()
    return head[cut:]


@dataclass(frozen=True, slots=True)
class _Source:
    card_id: str
    kind: CardKind
    article_id: str
    start: int
    end: int
    note: str


@dataclass(frozen=True, slots=True)
class _Text:
    title: str
    text: str
    analysis: Analysis | None


@dataclass(frozen=True, slots=True)
class _Counts:
    """What due_count needs, as of `changes` (Library.change_count(), the texts folder's
    mtime, `_Known.version`).

    `cards` is how many cards there are; `dues` the sorted due times (POSIX s) of those
    with a schedule, one per card; `never` how many schedules have no usable due time
    (NaN: never due).
    """

    changes: tuple[int, int, int]
    cards: int
    dues: list[float]
    never: int


@dataclass
class _Known:
    """What decks of one library learnt that the library itself does not hold.

    `unrecorded`: key sentences found but not recorded (a read-only library, or the disk
    refused the write): derived data, kept here instead. `damaged`: articles whose text
    failed to load, with the (mtime, size) their file had then (None: missing), so a
    text written again is counted again. `version` moves with either.
    """

    counts: _Counts | None = None
    unrecorded: dict[str, tuple[str, list[tuple[int, int]]]] = field(default_factory=dict)
    damaged: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    version: int = 0


_KNOWN: weakref.WeakKeyDictionary[Library, _Known] = weakref.WeakKeyDictionary()
_KNOWN_LOCK = threading.Lock()


def _known(library: Library) -> _Known:
    with _KNOWN_LOCK:
        known = _KNOWN.get(library)
        if known is None:
            known = _KNOWN[library] = _Known()
        return known


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic collection while a burst of short-lived objects exists.

    The tuples the library hands over would otherwise trigger young collections, survive
    them into the old generation and so bring on a full collection, whose cost is that of
    every object in the process (hundreds of ms with the NLP models loaded). They are all
    freed before the collector is switched back on, so no collection is merely postponed.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class ReviewDeck:
    """Review cards of one open library; cheap to create. It holds only its notices (what
    it learns about the library, and the due count's figures, are kept per library, see
    the module doc).

    Call from the thread that owns the library (the UI's store worker). `analyze` turns an
    article text into its Analysis; by default reader.nlp.analyzer.analyze with the
    library's cache (slow the first time: call due_cards/refresh_key_sentences off the UI
    thread). `notices` collects one line per article whose cards were left out because its
    text is damaged or missing, for the caller to show once.
    """

    def __init__(
        self,
        library: Library,
        *,
        scheduler: Scheduler | None = None,
        analyze: Callable[[str], Analysis] | None = None,
    ) -> None:
        self.library = library
        self._scheduler = scheduler
        self._analyze = analyze
        self.notices: list[str] = []
        self._known = _known(library)
        self._told: set[str] = set()  # articles already named in `notices`

    # ------------------------------------------------------------------ scheduling

    @property
    def scheduler(self) -> Scheduler:
        if self._scheduler is None:
            from fsrs import Scheduler

            retention = self.library.get_setting(RETENTION_SETTING, 0.9)
            if not 0.7 <= retention <= 0.99:
                retention = 0.9
            self._scheduler = Scheduler(desired_retention=retention)
        return self._scheduler

    def rate(
        self, card_id: str, rating: int, now: datetime, *, preview: RatingPreview | None = None
    ) -> datetime:
        """Record an answer (1 Again, 2 Hard, 3 Good, 4 Easy); returns the next due time.

        With the card's `preview` (and no rating recorded since it was made), the outcome
        it showed is recorded, moved on by the time since the preview: the interval the
        reader was shown is the one they get.

        Raises ValueError for a rating outside 1–4 or a naive `now`, NotFound when the
        card's passage, note or article is gone, ReadOnlyError on a read-only library.
        """
        from fsrs import Rating

        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
            raise ValueError(
                f"a rating is 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), not {rating!r}"
            )
        when = _utc(now)
        source = self._source(card_id)
        saved = self.library.review_state(card_id, source.article_id)
        state = None if saved is None else saved.state
        if preview is not None and preview.card_id == card_id and preview.based_on == state:
            shift = max(timedelta(0), when - preview.now)
            card = copy.copy(preview.outcomes[rating])
            card.due += shift
            card.last_review = when
        else:
            card = self._fsrs_card(card_id, state, when)
            card, _log = self.scheduler.review_card(card, Rating(rating), review_datetime=when)
        due: datetime = card.due
        self.library.save_review_state(
            card_id, source.article_id, dict(card.to_dict()), due.timestamp()
        )
        return due

    def preview(self, card_id: str, now: datetime) -> RatingPreview:
        """When the card would come back after each rating, reviewed at `now`; records
        nothing. NotFound when its source is gone."""
        from fsrs import Rating

        when = _utc(now)
        source = self._source(card_id)
        saved = self.library.review_state(card_id, source.article_id)
        state = None if saved is None else saved.state
        card = self._fsrs_card(card_id, state, when)
        outcomes = {
            rating: self.scheduler.review_card(card, Rating(rating), review_datetime=when)[0]
            for rating in RATINGS
        }
        return RatingPreview(card_id, when, state, outcomes)

    def _fsrs_card(self, card_id: str, state: Mapping[str, object] | None, when: datetime) -> Card:
        from fsrs import Card

        card = Card(card_id=_fsrs_card_id(card_id), due=when)
        if state is not None and schedule_gap(state) is None:
            # A schedule fsrs cannot go on from (a hand-edited or damaged file) would stop
            # every review of the card: it starts again as a new card instead.
            with contextlib.suppress(KeyError, ValueError, TypeError, OverflowError):
                card = Card.from_dict(state)  # type: ignore[arg-type]
        return card

    def _source(self, card_id: str) -> _Source:
        kind, aid, first, second = parse_card_id(card_id)
        if kind == "highlight":
            try:
                highlight = self.library.get_highlight(first)
            except NotFound:
                raise NotFound("That card's highlight was removed.") from None
            return _Source(
                card_id, kind, highlight.article_id, highlight.start, highlight.end, highlight.note
            )
        if kind == "note":
            try:
                note = self.library.get_note(first)
            except NotFound:
                raise NotFound("That card's note was deleted.") from None
            return _Source(card_id, kind, note.article_id, note.start, note.end, note.text)
        assert aid is not None
        try:
            self.library.get(aid)
        except NotFound:
            raise NotFound("That card's article was deleted.") from None
        return _Source(card_id, kind, aid, first, second, "")

    # ------------------------------------------------------------------ the card set

    def _sources(self) -> tuple[list[_Source], list[str]]:
        """Every card source (notes' and highlights' texts left empty: `_resolve` fills
        in the few that are shown), and the article ids in library order."""
        order, finished, highlights, notes = self.library.review_sources()
        sources = [
            _Source(highlight_card_id(hid), "highlight", aid, start, end, "")
            for hid, aid, start, end in highlights
        ]
        sources += [
            _Source(note_card_id(nid), "note", aid, start, end, "")
            for nid, aid, start, end in notes
        ]
        if finished:
            marked = {(aid, start, end) for _, aid, start, end in highlights}
            for aid, (_version, key_spans) in self._key_index().items():
                if aid not in finished:
                    continue
                for start, end in key_spans:
                    if (aid, start, end) not in marked:
                        sources.append(
                            _Source(key_card_id(aid, start, end), "key", aid, start, end, "")
                        )
        return sources, order

    def _key_index(self) -> dict[str, tuple[str, list[tuple[int, int]]]]:
        """The recorded key sentences, with those kept in memory for this library on top."""
        index = self.library.key_sentence_index()
        unrecorded = self._known.unrecorded
        if unrecorded:
            index = {**index, **unrecorded}
        return index

    def due_count(self, now: datetime) -> int:
        """How many cards are due at `now` (new cards included): the one count every
        screen shows, equal to what `due_cards(now)` lists; touches no texts."""
        cutoff = _utc(now).timestamp()
        counts = self._counts()
        later = len(counts.dues) - bisect_right(counts.dues, cutoff)
        return counts.cards - later - counts.never

    def next_due(self, now: datetime) -> datetime | None:
        """When the next card that is not due at `now` becomes due; None if none will.

        For a screen showing `due_count` to count again then, rather than go stale."""
        cutoff = _utc(now).timestamp()
        dues = self._counts().dues
        index = bisect_right(dues, cutoff)
        if index >= len(dues):
            return None
        return datetime.fromtimestamp(dues[index], UTC)

    def _counts(self) -> _Counts:
        """The library's figures, rebuilt only when something in it changed."""
        library = self.library
        known = self._known
        # Read before the figures: a change meanwhile forces a rebuild next time.
        changes = (library.change_count(), _folder_mark(library.articles_dir), known.version)
        with _KNOWN_LOCK:
            counts = known.counts
        if counts is not None and counts.changes == changes:
            return counts
        with _gc_paused():
            counts = self._build_counts(changes)
        with _KNOWN_LOCK:
            known.counts = counts
        return counts

    def _readable(self, ids: Iterable[str]) -> set[str]:
        """Of these articles, those whose text is there and not known to be damaged: one
        listing of the texts folder, and a stat for each text found damaged."""
        from reader.store.content import SUFFIX, content_path

        try:
            present = {
                name[: -len(SUFFIX)]
                for name in os.listdir(self.library.articles_dir)
                if name.endswith(SUFFIX)
            }
        except OSError:
            return set()
        damaged = dict(self._known.damaged)
        folder = self.library.articles_dir
        return {
            aid
            for aid in ids
            if aid in present
            and (aid not in damaged or damaged[aid] != _signature(content_path(folder, aid)))
        }

    def _build_counts(self, changes: tuple[int, int, int]) -> _Counts:
        """The card sources of `_sources`, counted without making a _Source of each, and
        only those of articles whose text can be shown (as `due_cards` does)."""
        library = self.library
        order, finished, all_highlights, all_notes = library.review_sources()
        readable = self._readable(order)
        highlights = [h for h in all_highlights if h[1] in readable]
        notes = [n for n in all_notes if n[1] in readable]
        due_index = library.review_due_index()
        cards = len(highlights) + len(notes)
        # How many sources carry each scheduled card id (one, unless a file is damaged).
        per_card: Counter[str] = Counter()
        for hid, _aid, _start, _end in highlights:
            card_id = highlight_card_id(hid)
            if card_id in due_index:
                per_card[card_id] += 1
        for nid, _aid, _start, _end in notes:
            card_id = note_card_id(nid)
            if card_id in due_index:
                per_card[card_id] += 1
        if finished:
            marked = {(aid, start, end) for _, aid, start, end in highlights if aid in finished}
            for aid, (_version, key_spans) in self._key_index().items():
                if aid not in finished or aid not in readable:
                    continue
                for start, end in key_spans:
                    if (aid, start, end) not in marked:
                        cards += 1
                        card_id = key_card_id(aid, start, end)
                        if card_id in due_index:
                            per_card[card_id] += 1
        dues: list[float] = []
        never = 0
        for card_id, times in per_card.items():
            due = due_index[card_id][1]
            if math.isnan(due):
                never += times
            else:
                dues.extend([due] * times)
        dues.sort()
        return _Counts(changes, cards, dues, never)

    def due_cards(
        self, now: datetime, *, limit: int | None = None, analyze_missing: bool = True
    ) -> list[ReviewCard]:
        """The cards due at `now`: overdue ones first (oldest due first), then new ones in
        library and text order; at most `limit`.

        First brings the key sentences of finished articles up to date (see
        `refresh_key_sentences`; with analyze_missing=False only already-cached analyses
        are used). Loads the texts of the returned cards' articles only.
        """
        if limit is not None and (isinstance(limit, bool) or limit < 0):
            raise ValueError("limit must be a non-negative number")
        cutoff = _utc(now).timestamp()
        self.refresh_key_sentences(analyze_missing=analyze_missing)
        due_index = self.library.review_due_index()
        sources, order = self._sources()
        rank = {aid: i for i, aid in enumerate(order)}
        picked: list[tuple[tuple[int, float, int, int], _Source, float | None]] = []
        for source in sources:
            scheduled = due_index.get(source.card_id)
            if scheduled is None:
                key = (1, float(rank.get(source.article_id, len(rank))), source.start, source.end)
                picked.append((key, source, None))
            elif scheduled[1] <= cutoff:
                picked.append(((0, scheduled[1], 0, 0), source, scheduled[1]))
        picked.sort(key=lambda item: item[0])
        texts: dict[str, _Text | None] = {}
        chosen: list[tuple[_Source, float | None]] = []
        for _, source, due in picked:
            if limit is not None and len(chosen) >= limit:
                break
            try:
                resolved = self._source(source.card_id)
            except NotFound:
                continue
            if self._text(resolved.article_id, texts) is not None:
                chosen.append((resolved, due))
        return self._cards(chosen, texts)

    def card(self, card_id: str) -> ReviewCard:
        """One card by id, due or not; NotFound if its source is gone, DamagedFile if its
        article's text cannot be loaded."""
        source = self._source(card_id)
        saved = self.library.review_state(card_id, source.article_id)
        texts: dict[str, _Text | None] = {}
        if self._text(source.article_id, texts) is None:
            self.library.load_article(source.article_id)  # raises what kept the text out
            raise NotFound("That card's article was deleted.")
        return self._cards([(source, saved.due if saved else None)], texts)[0]

    def _text(self, aid: str, texts: dict[str, _Text | None]) -> _Text | None:
        """The article's title, text and cached analysis, loaded once per call into `texts`;
        None (and a notice, once per deck) when the text is damaged or missing."""
        if aid in texts:
            return texts[aid]
        from reader.nlp.analyzer import ANALYZER_VERSION
        from reader.nlp.cache import AnalysisCache

        loaded: _Text | None = None
        try:
            record = self.library.get(aid)
            article = self.library.load_article(aid)
        except NotFound:
            pass
        except DamagedFile as exc:
            self._tell(aid, exc)
        else:
            text = article.text
            cache = AnalysisCache(self.library.cache_dir, ANALYZER_VERSION)
            analysis = cache.get(text, article.prose_spans())
            loaded = _Text(record.title, text, analysis)
        texts[aid] = loaded
        return loaded

    def _tell(self, aid: str, exc: StoreError) -> None:
        """Name the article in `notices` (once per deck), and leave its cards out of every
        count of this library until its text is written again."""
        from reader.store.content import content_path
        from reader.study.export import skipped_notice, why_unreadable

        mark = _signature(content_path(self.library.articles_dir, aid))
        known = self._known
        with _KNOWN_LOCK:
            if aid not in known.damaged or known.damaged[aid] != mark:
                known.damaged[aid] = mark
                known.version += 1
        if aid in self._told:
            return
        self._told.add(aid)
        try:
            record = self.library.get(aid)
        except NotFound:
            return
        self.notices.append(skipped_notice(record, why_unreadable(exc), "review"))

    def _cards(
        self, chosen: Iterable[tuple[_Source, float | None]], texts: dict[str, _Text | None]
    ) -> list[ReviewCard]:
        """Cards of sources whose texts `_text` has loaded into `texts`."""
        from reader.study.cloze import choose_blank, word_counts

        counts: dict[str, Counter[str]] = {}
        cards: list[ReviewCard] = []
        for source, due in chosen:
            aid = source.article_id
            loaded = texts.get(aid)
            if loaded is None:
                continue
            title, text, analysis = loaded.title, loaded.text, loaded.analysis
            if analysis is not None and analysis.text != text:
                analysis = None
            cloze = None
            if source.kind == "key":
                cloze = choose_blank(
                    text,
                    source.start,
                    source.end,
                    analysis.entities if analysis is not None else (),
                    lambda: counts.setdefault(aid, word_counts(text)),  # noqa: B023 (used at once)
                )
            cards.append(
                ReviewCard(
                    id=source.card_id,
                    kind=source.kind,
                    article_id=aid,
                    title=title,
                    start=source.start,
                    end=source.end,
                    passage=text[source.start : source.end],
                    context=sentence_before(text, source.start, analysis),
                    note=source.note,
                    due=None if due is None else datetime.fromtimestamp(due, UTC),
                    cloze=cloze,
                )
            )
        return cards

    # ------------------------------------------------------------------ key sentences

    def refresh_key_sentences(self, *, analyze_missing: bool = True) -> int:
        """Record the key sentences of finished articles that have none recorded yet.

        Uses the analysis cache first (a file read); with analyze_missing, analyses the
        rest (slow: NLP models). Returns how many articles were added. What cannot be
        recorded (a read-only library, a disk that refuses the write) is kept in memory
        for this library instead, so its cards are still listed and counted.
        """
        from reader.nlp.analyzer import ANALYZER_VERSION
        from reader.nlp.cache import AnalysisCache

        library = self.library
        cache = AnalysisCache(library.cache_dir, ANALYZER_VERSION)
        found: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        for aid, article in self.pending_key_articles().items():
            text, prose = article.text, article.prose_spans()
            analysis = cache.get(text, prose)
            if analysis is None and analyze_missing:
                try:
                    analysis = self._run_analyze(text, prose)
                except Exception:  # nothing about one text may stop the review of the rest
                    continue
            if analysis is None or analysis.text != text:
                continue
            found[aid] = (ANALYZER_VERSION, _key_spans(analysis))
        return self._record(found)

    def record_key_sentences(self, analyses: Mapping[str, Analysis]) -> int:
        """Record the key sentences of these analyses (article id -> its analysis, made
        off the store's thread from `pending_key_articles`); returns how many articles."""
        from reader.nlp.analyzer import ANALYZER_VERSION

        found = {aid: (ANALYZER_VERSION, _key_spans(a)) for aid, a in analyses.items()}
        return self._record(found)

    def _record(self, found: dict[str, tuple[str, list[tuple[int, int]]]]) -> int:
        """In the store, or (where it cannot be written) in memory for this library."""
        library = self.library
        if not found:
            return 0
        if not library.read_only:
            try:
                library.set_key_sentences(found)
            except StoreError:  # read-only meanwhile, or a full disk: derived data
                pass
            else:
                return len(found)
        known = self._known
        with _KNOWN_LOCK:
            known.unrecorded.update(found)
            known.version += 1
        return len(found)

    def pending_key_articles(self) -> dict[str, Article]:
        """article id -> article, of the finished articles whose key sentences are not
        recorded for the current analyzer: what `refresh_key_sentences` has to analyse.

        Reads those texts (the store's thread); a damaged one is named in `notices` and
        left out.
        """
        from reader.nlp.analyzer import ANALYZER_VERSION

        library = self.library
        order, finished, _highlights, _notes = library.review_sources()  # no records built
        if not finished:
            return {}
        index = self._key_index()
        texts: dict[str, Article] = {}
        for aid in order:
            if aid not in finished or index.get(aid, ("", []))[0] == ANALYZER_VERSION:
                continue
            try:
                texts[aid] = library.load_article(aid)
            except NotFound:
                continue
            except DamagedFile as exc:
                self._tell(aid, exc)
            except Exception:  # nothing about one text may stop the review of the rest
                continue
        return texts

    def _run_analyze(self, text: str, prose: Prose) -> Analysis:
        from reader.nlp.analyzer import analyze, call_analyzer

        if self._analyze is not None:
            return call_analyzer(self._analyze, text, prose=prose)
        return analyze(text, self.library.cache_dir, prose=prose)


def _key_spans(analysis: Analysis) -> list[tuple[int, int]]:
    return sorted(
        (analysis.sentences[k.sentence].start, analysis.sentences[k.sentence].end)
        for k in analysis.key_sentences
        if 0 <= k.sentence < len(analysis.sentences)
    )


def describe_due(due: datetime, now: datetime) -> str:
    """'in 10 minutes', 'in 3 days': how a terminal tells the reader when a card returns."""
    seconds = max(0.0, (_utc(due) - _utc(now)).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            value = round(seconds / size)
            return f"in {value} {unit}{'' if value == 1 else 's'}"
    return "in less than a minute"


def short_interval(interval: timedelta) -> str:
    """'10 m', '3 d', '4 mo': a next interval short enough to sit beside a rating key."""
    seconds = max(0.0, interval.total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} m"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h"
    days = seconds / 86400
    if days < 60:
        return f"{round(days)} d"
    if days < 365:
        return f"{round(days / 30.44)} mo"
    years = days / 365.25
    return f"{years:.1f} y" if years < 10 else f"{round(years)} y"
