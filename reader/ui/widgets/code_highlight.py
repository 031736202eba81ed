"""Syntax colours for a code block, as styled ranges over its text.

Pygments is imported only when a code block first comes on screen (it is heavy, and most
articles have no code), and a block is lexed once: the view keeps the ranges. Colours are
Rich's ANSI syntax themes, foreground only, so the code box's own background (and any
highlight or search hit over the code) shows through in every app theme.
"""

from __future__ import annotations

from rich.style import Style

GUESS_LIMIT = 20_000
"""Characters of code worth guessing a language for; longer unlabelled code stays plain."""

Spans = list[tuple[int, int, Style]]


def _lexer(code: str, language: str | None) -> object | None:
    # Pygments ships no type hints (and types-Pygments is not a dependency).
    from pygments.lexers import get_lexer_by_name, guess_lexer  # type: ignore[import-untyped]
    from pygments.util import ClassNotFound  # type: ignore[import-untyped]

    options = {"stripnl": False, "ensurenl": False, "tabsize": 0}
    try:
        if language:
            found: object = get_lexer_by_name(language.strip().lower(), **options)
            return found
        if len(code) > GUESS_LIMIT:
            return None
        lexer = guess_lexer(code, **options)
    except ClassNotFound:
        return None
    return None if type(lexer).__name__ == "TextLexer" else lexer


def syntax_spans(code: str, language: str | None, *, dark: bool) -> Spans:
    """[start, end) ranges of `code` (relative to its start) with their colours, in order;
    none for a language Pygments does not know and cannot guess."""
    from pygments.lexer import Lexer  # type: ignore[import-untyped]
    from rich.syntax import ANSI_DARK, ANSI_LIGHT, ANSISyntaxTheme

    lexer = _lexer(code, language)
    if not isinstance(lexer, Lexer):
        return []
    theme = ANSISyntaxTheme(ANSI_DARK if dark else ANSI_LIGHT)
    spans: Spans = []
    for index, token, value in lexer.get_tokens_unprocessed(code):
        style = theme.get_style_for_token(token)
        style = Style(color=style.color, bold=style.bold, italic=style.italic)
        if not value or not style or (style.color is None and not style.bold):
            continue
        end = index + len(value)
        if spans and spans[-1][1] == index and spans[-1][2] == style:
            spans[-1] = (spans[-1][0], end, style)
        else:
            spans.append((index, end, style))
    return spans
