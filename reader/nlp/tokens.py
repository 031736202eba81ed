"""Word tokens as character spans, in the CoNLL-2003 style the entity model was trained on.

The entity model only ever saw Reuters text as tokenised for CoNLL-2003, so run-time text is cut
the same way: dotted abbreviations (U.S., U.N., Inc., J.) stay whole, clitics ('s, n't, 're) are
split off, hyphenated and slashed words (U.S.-led, 1996-08-22, 6-4, 1/2) and numbers with
separators (1,000.5, .500) stay whole, and every other punctuation mark is its own token, with
"--" and "..." kept together and a run of eight or more marks (markup, rules) as one token.
Curly quotes and apostrophes are treated like straight ones.
"""

from __future__ import annotations

import re

# Abbreviations whose final dot CoNLL keeps on the word (titles, company suffixes, months,
# US state forms). Case-sensitive on purpose: "Inc." but not "inc." at a sentence end.
_ABBREVIATIONS = (
    "Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Mt|Ft|Gen|Col|Lt|Sgt|Capt|Cmdr|Adm|Gov|Sen|Rep|Rev|Hon|Pres"
    "|Inc|Corp|Co|Ltd|Bros|Cos|Plc|Dept|Univ|Assn|Ave|Blvd|Rd|No|Nos|Vol|vs|etc|approx|est"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
    "|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo"
    "|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Tex|Va|Vt|Wash|Wis|Wyo"
)
_APOS = "'’"
_CLITIC = rf"(?:[nN][{_APOS}][tT]|[{_APOS}](?:[sS]|[rR][eE]|[vV][eE]|[lL][lL]|[mM]|[dD]))(?!\w)"

_TOKEN = re.compile(
    # A run of eight or more marks ("*_*_*_*_", "[[[[[[[[", a rule of "=") is one token: the
    # entity model reads it as a wall of "O" either way, and a megabyte of markup made into a
    # million one-character tokens took the tagger 25 s. Such runs never occur in the text the
    # word clusters are trained on, so the shipped models are unchanged by it.
    r"(?:[^\w\s]|_){8,}"
    # U.S., U.N., a.m., U.S.-led
    r"|(?:[A-Za-z]\.){2,}(?:-\w+)*"
    # Inc., Mr., Calif. and single capital initials (J. Smith)
    rf"|\b(?:{_ABBREVIATIONS}|[A-Z])\.(?!\w)"
    # 1,000.5  .500  1996-08-22  6-4  1/2  10-year  15:30  3rd  1990s
    r"|\.?\d+(?:[.,:]\d+)*\w*(?:[-/]\w+(?:[.,]\d+)*)*"
    # currency with a country prefix (C$, US$, HK$)
    r"|\b[A-Z]{1,2}\$"
    # clitics split off their host: 's 're n't (n't must win over the word that ends before it)
    rf"|{_CLITIC}"
    # the host of n't: "do" in don't, "ca" in can't
    rf"|\w+?(?=[nN][{_APOS}][tT](?!\w))"
    # words, kept whole across inner hyphens, slashes, ampersands (S&P) and non-clitic apostrophes
    rf"|\w+(?:(?:[-/&]|[{_APOS}](?![sS](?!\w)|[rR][eE](?!\w)|[vV][eE](?!\w)|[lL][lL](?!\w)"
    r"|[mM](?!\w)|[dD](?!\w)))\w+)*"
    # long dashes and ellipses as one token
    r"|-{2,}|\.{2,}|…"
    r"|\S",
)


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Token spans of `text[start:end]`, as offsets into `text`."""
    stop = len(text) if end is None else end
    return [m.span() for m in _TOKEN.finditer(text, start, stop)]
