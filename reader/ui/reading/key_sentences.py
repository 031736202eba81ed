"""The key sentences: the pane, their marks in the text (`t`), and how many (`+`, `-`)."""

from __future__ import annotations

from reader.store.settings import KEY_SENTENCES, key_sentence_count
from reader.ui.panes.key_sentences import KeyItem, KeySentencesPane
from reader.ui.reading.base import ReadingBase


class KeySentencesMixin(ReadingBase):
    _key_choice: int | None = None
    """The count chosen with + and - in this window; None: the library's setting."""

    def _key_count(self) -> int | None:
        """How many key sentences to show; None: the article's own default."""
        if self._key_choice is not None:
            return self._key_choice
        return key_sentence_count(self.library.get_setting(KEY_SENTENCES, None))

    def _waiting(self, doing: str) -> str:
        """What a pane says while its scope's analysis is not in yet."""
        index = self.chapter_index()
        if self.scope == "chapter" and index is not None:
            return f"Chapter {index + 1}: {doing}…"
        done = len(self.parts)
        return f"The whole book: {done} of {len(self.chapters)} chapters analysed…"

    def _show_key_sentences(self) -> None:
        """The pane and the marks in the text, cut from the ranking the analysis keeps."""
        analysis = self._keys_analysis()
        if analysis is None:
            if (self.scope == "chapter" or self.book_mode) and not self.analysis_failed:
                self.query_one(KeySentencesPane).show_message(self._waiting("ranking sentences"))
            return
        keys: list[KeyItem] = []
        key_spans: list[tuple[int, int]] = []
        for rank, key in enumerate(analysis.top_key_sentences(self._key_count()), 1):
            if 0 <= key.sentence < len(analysis.sentences):
                span = analysis.sentences[key.sentence]
                index = self.view.sentence_at(span.start)
                if any(k.sentence == index for k in keys):
                    continue  # not a sentence the view holds (in code, say): one per sentence
                keys.append(KeyItem(rank, index, self.text[span.start : span.end]))
                key_spans.append((span.start, span.end))
        pane = self.query_one(KeySentencesPane)
        pane.show_key_sentences(keys, analysis.ranked, scope=self.scope_label())
        self.view.set_key_sentences(key_spans)

    def action_key_sentences(self, step: int) -> None:
        """+ and -: one key sentence more or fewer, remembered for the whole library."""
        analysis = self._keys_analysis()
        if analysis is None:
            self.notify("The key sentences are still being ranked.", severity="warning")
            return
        ranked = analysis.ranked
        if ranked == 0:
            self.notify("This article has no key sentences.", severity="warning")
            return
        shown = len(analysis.top_key_sentences(self._key_count()))
        wanted = max(1, min(ranked, shown + step))
        if wanted == shown:
            self.notify(
                f"All {ranked} ranked sentences are shown." if step > 0 else "One is the fewest.",
                severity="warning",
            )
            return
        self._key_choice = wanted
        if not self.library.read_only:  # a read-only window keeps the choice until it closes
            self._write(lambda: self.library.set_setting(KEY_SENTENCES, wanted))
        self._show_key_sentences()

    def action_toggle_key(self) -> None:
        shown = self.view.toggle_key()
        self.notify("Key sentences highlighted." if shown else "Key-sentence highlighting off.")
