"""Per-article data split over 16 small files by the first hex digit of the article id.

A progress save (once a second while reading) or a new note then rewrites about 1/16 of
that kind of data, so its cost does not grow with the size of the library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from tinydb.table import Document

from reader.store.db import Db
from reader.store.errors import NotFound
from reader.store.fields import Doc
from reader.store.ids import is_article_id

SHARDS = "0123456789abcdef"


def shard_of(article_id: str) -> int:
    return int(article_id[0], 16)


def article_key(article_id: str) -> int:
    """The TinyDB document id of an article (and of its progress record): the hash as an int."""
    if not isinstance(article_id, str) or not is_article_id(article_id):
        raise NotFound(f"There is no article with id {article_id!r} in the library.")
    return int(article_id, 16)


def article_key_or_zero(article_id: str) -> int:
    """The article's document id, or 0 (never a document id) for a malformed id."""
    return int(article_id, 16) if is_article_id(article_id) else 0


class Shards:
    """The 16 files of one kind of data, each holding one table named `table`."""

    def __init__(self, dbs: list[Db], table: str) -> None:
        self.dbs = dbs
        self.table = table

    def of(self, article_id: str) -> Db:
        """The file holding the article's documents; the id must be well formed."""
        return self.dbs[shard_of(article_id)]

    def raw(self, article_id: str) -> dict[str, Doc]:
        return self.of(article_id).raw(self.table)

    def raws(self) -> list[dict[str, Doc]]:
        """Every shard's documents (cached, never mutate them), indexed by shard number."""
        return [db.raw(self.table) for db in self.dbs]

    def docs(self) -> Iterator[tuple[str, Doc]]:
        """(document id, document) over every shard."""
        for db in self.dbs:
            yield from db.raw(self.table).items()

    def is_empty(self) -> bool:
        return not any(db.raw(self.table) for db in self.dbs)

    def remove_matching(self, shard: int, which: Callable[[Doc], bool]) -> int:
        """Remove the shard's documents `which` accepts, in one write; how many there were."""
        db = self.dbs[shard]
        doomed = [int(key) for key, doc in db.raw(self.table).items() if which(doc)]
        if doomed:
            db.table(self.table).remove(doc_ids=doomed)
        return len(doomed)

    def insert(
        self, documents: Iterable[tuple[int, Document]], *, replacing: bool = False
    ) -> list[Document]:
        """Insert (shard, document) pairs with one write per shard; the documents, as written.

        `replacing` first drops documents already under the same ids (restores of progress).
        """
        groups: dict[int, list[Document]] = {}
        for shard, document in documents:
            groups.setdefault(shard, []).append(document)
        for shard, batch in groups.items():
            if replacing:
                self.dbs[shard].insert_replacing(self.table, batch)
            else:
                self.dbs[shard].table(self.table).insert_multiple(batch)
        return [document for batch in groups.values() for document in batch]
