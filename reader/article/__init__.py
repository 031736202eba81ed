"""Articles from the files people have: web clips saved as text, and Markdown.

`read_text_file` / `decode_bytes` turn bytes into clean text or raise `InputError` with
one line the user can act on; `parse_article` turns that text into an `Article`.
Nothing here imports Textual. The parsers load on first use: the app imports this package
for `Article` on its way to the first paint, and their patterns take tens of milliseconds
to compile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.article.inputs import MAX_BYTES, InputError, clean_text, decode_bytes, read_text_file
from reader.article.model import Article

if TYPE_CHECKING:
    from reader.article.clip import parse_clip
    from reader.article.markdown import parse_markdown

__all__ = [
    "MAX_BYTES",
    "Article",
    "InputError",
    "clean_text",
    "decode_bytes",
    "parse_article",
    "parse_clip",
    "parse_markdown",
    "read_text_file",
]

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn"})


def __getattr__(name: str) -> Any:
    if name == "parse_clip":
        from reader.article.clip import parse_clip

        return parse_clip
    if name == "parse_markdown":
        from reader.article.markdown import parse_markdown

        return parse_markdown
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parse_article(raw: str, *, suffix: str = ".txt") -> Article:
    """Markdown for .md/.markdown files, a plain-text clip for anything else."""
    from reader.article.clip import parse_clip
    from reader.article.markdown import parse_markdown

    suffix = suffix.casefold()
    if suffix and not suffix.startswith("."):
        suffix = "." + suffix
    if suffix in MARKDOWN_SUFFIXES:
        return parse_markdown(raw)
    return parse_clip(raw)
