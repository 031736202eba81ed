"""Where a library lives, and what is inside it.

The data home is chosen by ``--home DIR``, else ``$READER_HOME``, else the platform's user
data directory (``platformdirs.user_data_dir("reader")``, e.g. ``~/.local/share/reader``).
Its layout::

    <home>/
      library.json          TinyDB: one record per article (title, author, source, words,
                            added_at, origin, tags) and the schema version. Listing the
                            library reads only this and progress/, never the texts.
      settings.json         TinyDB: settings such as "theme" and "wpm".
      progress/0.json … f.json
                            TinyDB: reading position, fraction read, time spent, last read,
                            finished. Split into 16 files by the first hex digit of the
                            article id, so the once-a-second progress save rewrites ~1/16 of
                            the progress data instead of one large file.
      notes/0.json … f.json TinyDB: notes {article_id, start, end, text, created_at,
                            updated_at}, split the same way, so adding a note rewrites only
                            that article's shard.
      highlights/0.json … f.json
                            TinyDB: highlights {article_id, start, end, note, created_at,
                            updated_at}, split the same way.
      review/0.json … f.json
                            TinyDB: review schedules {card, article_id, due (POSIX s),
                            state (fsrs Card.to_dict())}, split the same way.
      review/keys.json      TinyDB: key-sentence spans of finished articles (derived from
                            the analyses; safe to delete).
      counters.json         TinyDB: the next note and highlight ids (high-water marks), so
                            an id is never handed out twice in a home's life.
      search.sqlite         the full-text index (reader.study.search; safe to delete).
      articles/<id>.json.gz the cleaned article (title, author, published, source,
                            paragraphs) as gzipped JSON; <id> is the content hash, so the same
                            article imported twice is stored once.
      cache/                analyses written by reader.nlp.cache for reader.nlp.analyzer,
                            <sha256(text)[:16]>-<version>.json.gz; safe to delete.
      .lock                 held (OS file lock) by the one window that may write; it is
                            released by the OS if that process dies. Other windows open
                            read-only.

Every file is replaced atomically (temporary file in the same folder, fsync, rename, fsync of
the folder), so a crash leaves each file as it was after its last completed write. A file that
cannot be read is renamed ``<name>.corrupt-YYYYmmddTHHMMSSZ`` (never overwritten or deleted)
and the reader is told.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from reader.store.errors import HomeError, printable

HOME_ENV = "READER_HOME"


def content_key(text: str) -> str:
    """The name prefix of a text's entries in cache/.

    The store owns the naming, not the analyzer, because deleting an article moves that
    text's cached analyses to the trash with it, and the store imports nothing from the
    engine that writes them (reader.nlp.cache).
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def resolve_home(cli_home: str | os.PathLike[str] | None = None) -> Path:
    """--home beats $READER_HOME beats platformdirs.user_data_dir("reader"). Creates it (mkdir -p).

    An empty or blank --home or $READER_HOME counts as unset, so ``READER_HOME= reader``
    behaves like plain ``reader`` instead of using the current directory.
    """
    if cli_home is not None and str(cli_home).strip():
        chosen = Path(cli_home)
    elif os.environ.get(HOME_ENV, "").strip():
        chosen = Path(os.environ[HOME_ENV])
    else:
        import platformdirs  # only the default path needs it

        chosen = Path(platformdirs.user_data_dir("reader", appauthor=False))
    home = chosen.expanduser().absolute()
    if home.exists() and not home.is_dir():
        raise HomeError(
            f"The library folder {printable(home)} is a file, not a folder; choose another "
            "with --home or READER_HOME."
        )
    broken = _broken_link(home)
    if broken is not None:
        link, target = broken
        raise HomeError(
            f"The library folder {printable(link)} is a broken link to {printable(target)}; "
            "create that folder, fix the link, or choose another with --home or READER_HOME."
        )
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HomeError(
            f"Cannot create the library folder {printable(home)} ({exc.strerror or exc}); "
            "choose another with --home or READER_HOME."
        ) from exc
    return home


def _broken_link(home: Path) -> tuple[Path, str] | None:
    """The first of `home` and its parents that is a symlink to nothing, and its target.

    mkdir would only say "File exists" about it, which sends the reader looking for a file.
    """
    for path in (home, *home.parents):
        if path.exists():
            return None  # everything above an existing folder exists too
        if path.is_symlink():
            try:
                return path, os.readlink(path)
            except OSError:
                return path, "somewhere that cannot be read"
    return None
