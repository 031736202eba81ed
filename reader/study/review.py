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
`refresh_key_sentences`, which the UI can run in a worker): a finished article whose key
sentences were never computed is not counted until then. What the count is made of (how
many cards there are, and the sorted due times of the scheduled ones) is kept per library
until `Library.change_count` moves, so a repeated count is a bisection; rebuilding it
makes ~25,000 short-lived tuples, which is done with the cyclic GC paused (see
`_gc_paused`) so that a full collection of a big process cannot land inside it.

A damaged or missing article text costs that article's cards, not the review: they are left
out and `ReviewDeck.notices` names the article and what to do. On a library opened
read-only (`reader review --list` beside the app) key sentences cannot be recorded, so the
deck keeps those it found in memory for itself, and lists the same cards a writable run
would.

Scheduling is fsrs 6's `Scheduler`; pass your own (e.g. `enable_fuzzing=False` for exact
tests) or let the deck build one with the "review_retention" setting (default 0.9).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import math
import re
import threading
import weakref
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from reader.store.errors import DamagedFile, NotFound, StoreError
from reader.store.records import highlight_card_id, key_card_id, note_card_id

if TYPE_CHECKING:
    from fsrs import Scheduler

    from reader.nlp.analysis import Analysis
    from reader.store.library import Library

__all__ = [
    "RATINGS",
    "CardKind",
    "ReviewCard",
    "ReviewDeck",
    "describe_due",
    "parse_card_id",
    "sentence_before",
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

    @property
    def is_new(self) -> bool:
        return self.due is None


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
    """What due_count needs, as of `changes` (Library.change_count()).

    `cards` is how many cards there are; `dues` the sorted due times (POSIX s) of those
    with a schedule, one per card; `never` how many schedules have no usable due time
    (NaN: never due).
    """

    changes: int
    cards: int
    dues: list[float]
    never: int


_COUNTS: weakref.WeakKeyDictionary[Library, _Counts] = weakref.WeakKeyDictionary()
_COUNTS_LOCK = threading.Lock()


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
    """Review cards of one open library; cheap to create. It holds only its notices and the
    key sentences it could not record (the due count's figures are kept per library, see
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
        # Key sentences found but not recorded (a read-only library, or the disk refused
        # the write): derived data, so kept here for this deck instead.
        self._unrecorded: dict[str, tuple[str, list[tuple[int, int]]]] = {}
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

    def rate(self, card_id: str, rating: int, now: datetime) -> datetime:
        """Record an answer (1 Again, 2 Hard, 3 Good, 4 Easy); returns the next due time.

        Raises ValueError for a rating outside 1–4 or a naive `now`, NotFound when the
        card's passage, note or article is gone, ReadOnlyError on a read-only library.
        """
        from fsrs import Card, Rating

        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
            raise ValueError(
                f"a rating is 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), not {rating!r}"
            )
        when = _utc(now)
        source = self._source(card_id)
        saved = self.library.review_state(card_id, source.article_id)
        card = Card(card_id=_fsrs_card_id(card_id), due=when)
        if saved is not None and schedule_gap(saved.state) is None:
            # A schedule fsrs cannot go on from (a hand-edited or damaged file) would stop
            # every review of the card: it starts again as a new card instead.
            with contextlib.suppress(KeyError, ValueError, TypeError, OverflowError):
                card = Card.from_dict(saved.state)  # type: ignore[arg-type]
        card, _log = self.scheduler.review_card(card, Rating(rating), review_datetime=when)
        due: datetime = card.due
        self.library.save_review_state(
            card_id, source.article_id, dict(card.to_dict()), due.timestamp()
        )
        return due

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
        """The recorded key sentences, with those this deck holds in memory on top."""
        index = self.library.key_sentence_index()
        if self._unrecorded:
            index = {**index, **self._unrecorded}
        return index

    def due_count(self, now: datetime) -> int:
        """How many cards are due at `now` (new cards included); touches no texts."""
        cutoff = _utc(now).timestamp()
        counts = self._counts()
        later = len(counts.dues) - bisect_right(counts.dues, cutoff)
        return counts.cards - later - counts.never

    def _counts(self) -> _Counts:
        """The library's figures, rebuilt only when something in it changed."""
        library = self.library
        changes = library.change_count()  # before reading: a change meanwhile forces a rebuild
        if self._unrecorded:  # this deck's own figures: not to be shared with other decks
            with _gc_paused():
                return self._build_counts(changes)
        with _COUNTS_LOCK:
            counts = _COUNTS.get(library)
        if counts is not None and counts.changes == changes:
            return counts
        with _gc_paused():
            counts = self._build_counts(changes)
        with _COUNTS_LOCK:
            _COUNTS[library] = counts
        return counts

    def _build_counts(self, changes: int) -> _Counts:
        """The card sources of `_sources`, counted without making a _Source of each."""
        library = self.library
        _order, finished, highlights, notes = library.review_sources()
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
                if aid not in finished:
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
        from reader.store.analysis_cache import AnalysisCache

        loaded: _Text | None = None
        try:
            record = self.library.get(aid)
            text = self.library.load_article(aid).text
        except NotFound:
            pass
        except DamagedFile as exc:
            self._tell(aid, exc)
        else:
            analysis = AnalysisCache(self.library.cache_dir, ANALYZER_VERSION).get(text)
            loaded = _Text(record.title, text, analysis)
        texts[aid] = loaded
        return loaded

    def _tell(self, aid: str, exc: StoreError) -> None:
        from reader.study.export import skipped_notice, why_unreadable

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
        cards: list[ReviewCard] = []
        for source, due in chosen:
            aid = source.article_id
            loaded = texts.get(aid)
            if loaded is None:
                continue
            title, text, analysis = loaded.title, loaded.text, loaded.analysis
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
                )
            )
        return cards

    # ------------------------------------------------------------------ key sentences

    def refresh_key_sentences(self, *, analyze_missing: bool = True) -> int:
        """Record the key sentences of finished articles that have none recorded yet.

        Uses the analysis cache first (a file read); with analyze_missing, analyses the
        rest (slow: NLP models). Returns how many articles were added. What cannot be
        recorded (a read-only library, a disk that refuses the write) is kept in this
        deck's memory instead, so its cards are still listed.
        """
        from reader.nlp.analyzer import ANALYZER_VERSION
        from reader.store.analysis_cache import AnalysisCache

        library = self.library
        index = self._key_index()
        todo = [
            r.id
            for r in library.articles()
            if r.finished and index.get(r.id, ("", []))[0] != ANALYZER_VERSION
        ]
        if not todo:
            return 0
        cache = AnalysisCache(library.cache_dir, ANALYZER_VERSION)
        found: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        for aid in todo:
            try:
                text = library.load_article(aid).text
            except NotFound:
                continue
            except DamagedFile as exc:
                self._tell(aid, exc)
                continue
            except Exception:  # nothing about one text may stop the review of the rest
                continue
            analysis = cache.get(text)
            if analysis is None and analyze_missing:
                analysis = self._run_analyze(text)
            if analysis is None:
                continue
            spans = sorted(
                (analysis.sentences[k.sentence].start, analysis.sentences[k.sentence].end)
                for k in analysis.key_sentences
                if 0 <= k.sentence < len(analysis.sentences)
            )
            found[aid] = (ANALYZER_VERSION, spans)
        if not found:
            return 0
        if library.read_only:
            self._unrecorded.update(found)
            return len(found)
        try:
            library.set_key_sentences(found)
        except StoreError:  # read-only meanwhile, or a full disk: derived data, keep it here
            self._unrecorded.update(found)
        return len(found)

    def _run_analyze(self, text: str) -> Analysis:
        if self._analyze is not None:
            return self._analyze(text)
        from reader.nlp.analyzer import analyze

        return analyze(text, self.library.cache_dir)


def describe_due(due: datetime, now: datetime) -> str:
    """'in 10 minutes', 'in 3 days': how a terminal tells the reader when a card returns."""
    seconds = max(0.0, (_utc(due) - _utc(now)).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            value = round(seconds / size)
            return f"in {value} {unit}{'' if value == 1 else 's'}"
    return "in less than a minute"
