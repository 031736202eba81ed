"""Plain-text web clips: the page as a browser copied it, chrome and all.

The rule is to be conservative: a line is dropped only when it matches a boilerplate
pattern or is wholly metadata; every other line is text. Short lines that are *sometimes*
chrome ("Home", "Email", "Video") are dropped only beside other chrome or outside the
article's body, so a one-word subheading or a one-sentence quote in the middle survives.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from enum import Enum

from reader.article.data_uris import drop_data_uris
from reader.article.inputs import clean_text
from reader.article.meta import AGENCIES, Meta, is_name, is_url, read_meta_line
from reader.article.model import Article

__all__ = ["parse_clip"]


class Kind(Enum):
    BLANK = "blank"
    DROP = "drop"  # boilerplate
    WEAK = "weak"  # chrome-like word: dropped only in chrome's company or outside the body
    META = "meta"
    TEXT = "text"


_STRONG = {
    "skip to content", "skip to main content", "skip to navigation", "skip to search",
    "skip to footer", "jump to content", "jump to navigation", "toggle navigation",
    "open menu", "close menu", "main menu", "open navigation", "close navigation",
    "advertisement", "advertisements", "advert", "ad", "sponsored", "sponsored content",
    "paid content", "paid post", "promoted content", "skip advertisement",
    "share this article", "share this story", "share this post", "share this page",
    "share this", "share article", "share story", "share this with", "share via",
    "copy link", "copy article link", "link copied", "gift article", "gift this article",
    "save article", "save story", "save for later", "read more", "continue reading",
    "read full article", "read the full article", "read full story", "show more", "load more",
    "see more", "view more", "view comments", "show comments", "leave a comment",
    "leave a reply", "post a comment", "add a comment", "join the conversation",
    "join the discussion", "sign in", "sign up", "log in", "log out", "sign out", "login",
    "subscribe", "subscribe now", "subscribe today", "back to top", "back to the top",
    "open in app", "download the app", "get the app", "listen to this article",
    "listen to article", "listen to this story", "print this article", "print this page",
    "email this article", "email this story", "cookie settings", "cookie policy",
    "cookie preferences", "accept cookies", "accept all cookies", "accept all", "reject all",
    "reject cookies", "manage preferences", "manage cookies", "manage consent",
    "manage settings", "allow all", "allow cookies", "report an error", "report a correction",
    "send us a tip", "text size", "font size", "enter your email", "enter your email address",
    "your email address", "email address", "follow us", "follow us on social media",
}  # fmt: skip

_WEAK = {
    "menu", "home", "search", "share", "facebook", "twitter", "x", "email", "e-mail",
    "linkedin", "whatsapp", "reddit", "pinterest", "telegram", "messenger", "flipboard",
    "threads", "bluesky", "mastodon", "instagram", "youtube", "tiktok", "print", "save",
    "saved", "comments", "comment", "tweet", "pin", "pin it", "close", "next", "previous",
    "prev", "more", "follow", "listen", "play", "pause", "audio", "video", "image", "photo",
    "photos", "gallery", "expand", "collapse", "loading", "loading...", "loading…", "top",
    "skip", "accept", "decline", "ok", "okay", "got it", "i agree", "agree", "learn more",
    "privacy policy", "privacy", "privacy notice", "terms of use", "terms of service",
    "terms and conditions", "contact us", "contact", "about us", "about", "newsletter",
    "newsletters", "account", "my account", "profile", "notifications", "edition",
    "a a", "aa", "bookmark", "like", "reply", "copy", "register", "settings", "language",
    "feedback", "sections", "navigation", "news", "latest", "live", "podcasts", "opinion",
    "world", "business", "politics", "sport", "sports", "tech", "technology", "science",
    "culture", "lifestyle", "entertainment", "health", "travel", "markets", "economy",
    "climate", "environment", "local", "national", "us", "uk", "europe", "asia", "africa",
    "americas", "middle east", "education", "food", "style", "arts", "books", "music",
    "film", "movies", "tv", "games", "weather", "obituaries", "jobs", "shop", "deals",
}  # fmt: skip

# Headings that open a footer box of links to other stories; what follows them is
# dropped until a line reads like prose again.
_FOOTER_HEADS = re.compile(
    r"(?:related(?:\s+(?:articles?|stories|content|coverage|posts|links|topics|reading))?"
    r"|more\s+(?:from|in|on)\s+.{1,40}|more\s+(?:stories|news|like\s+this|to\s+read)"
    r"|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)"
    r"|recommended(?:\s+(?:for\s+you|stories|reading|articles))?"
    r"|most\s+(?:read|popular|viewed|shared|commented)(?:\s+.{1,20})?"
    r"|trending(?:\s+(?:now|stories|today))?|popular(?:\s+now)?|read\s+next|what\s+to\s+read\s+next"
    r"|up\s+next|latest(?:\s+(?:news|stories|articles))?|top\s+stories|explore\s+more"
    r"|in\s+other\s+news|elsewhere\s+on\s+.{1,30}|(?:from\s+)?around\s+the\s+web"
    r"|(?:sponsored|promoted|partner)\s+(?:stories|content|links)|tags|topics|filed\s+under"
    r"|categories|more\s+stories\s+from\s+.{1,30}|don'?t\s+miss)\s*:?",
    re.IGNORECASE,
)

_STRONG_PATTERNS = re.compile(
    # "Related: Other story" promos and labelled tag lists.
    r"(?:related|read\s+more|see\s+also|also\s+read|read\s+also|more|recommended|watch"
    r"|listen|read\s+next|up\s+next|more\s+on\s+this(?:\s+story)?|tags?|topics?|filed\s+under"
    r"|categories|posted\s+in)\s*:\s*.+"
    # Advertising.
    r"|(?:advertisement|advert|sponsored)\s*[-–—:|]\s*.{0,40}"
    r"|(?:story|article)\s+continues\s+below(?:\s+(?:this\s+|the\s+)?(?:advertisement|advert|ad))?"
    r"|continue\s+reading\s+(?:below|the\s+main\s+story)|scroll\s+(?:down\s+)?to\s+continue.{0,30}"
    # Share and follow buttons.
    r"|share\s+(?:on|via|to|by)\s+\w+(?:\s+\w+)?|follow\s+(?:us|me)\s+on\s+.{1,40}"
    r"|listen\s*(?:\(|·|-)?\s*\d+[:.]?\d*\s*(?:min|mins|minutes)?\)?"
    # Subscription and account prompts.
    r"|already\s+(?:a\s+subscriber|subscribed|have\s+an\s+account|registered)\b.{0,60}"
    r"|(?:create|register\s+for)\s+(?:a|an|your)\s+(?:free\s+)?account.{0,60}"
    r"|thanks?(?:\s+you)?\s+for\s+(?:signing\s+up|subscribing|registering).{0,60}"
    r"|this\s+(?:article|story|content)\s+is\s+(?:for|available\s+to|exclusive\s+to)"
    r"\s+subscribers.{0,60}"
    # Footers.
    r"|(?:©|\(c\)\s|copyright\b).{0,200}|.{0,160}\ball\s+rights\s+reserved\b.{0,80}",
    re.IGNORECASE,
)
_PROMPT = re.compile(r"(?:subscribe|sign\s+up|sign\s+in|log\s+in|login)\b", re.IGNORECASE)
# A newsletter pitch names the newsletter and a sign-up cue, in either order. Searched as two
# words rather than as `newsletter.*cue`, whose `.*` rescans the rest of the line from every
# "newsletter" in it: quadratic on a long line of them.
_NEWSLETTER_WORD = re.compile(r"\bnewsletters?\b", re.IGNORECASE)
_SIGNUP_CUE = re.compile(r"\b(?:sign|subscribe|inbox|deliver|email)", re.IGNORECASE)
_SIGNUP_WORD = re.compile(r"\b(?:sign|subscribe|inbox|deliver|email)\b", re.IGNORECASE)
_COOKIE = re.compile(
    r"\b(?:we\s+use\s+cookies|this\s+(?:web)?site\s+uses\s+cookies|uses\s+cookies\s+to"
    r"|accept\s+(?:all\s+)?cookies|cookie\s+(?:policy|settings|preferences|notice|consent)"
    r"|by\s+continuing\s+to\s+(?:use|browse)|manage\s+(?:cookie|privacy|your)\s+"
    r"(?:preferences|settings|choices))",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"(?:image|photo|photograph|picture|illustration|video)(?:\s+(?:source|caption|credit))?"
    r"\s*[,:]\s*.{1,200}",
    re.IGNORECASE,
)
# Separators that begin with whitespace are tried only from the first character of its run
# (`(?<!\s)`): a match starting inside the run also starts at its beginning, so nothing is lost,
# and retrying every position of a 20,000-space run was quadratic.
_MENU_SEPARATORS = re.compile(r"(?:(?<!\s)\s+)?[|•·›»]\s*|(?<!\s)\s+/\s+|(?<!\s)\s+>\s+")
_BULLET = re.compile(r"(?:[-*•◦▪‣]\s+|\d{1,3}[.)]\s+|[a-z][.)]\s+)")
_COUNT = re.compile(r"\d[\d,.]*\s*[km]?")  # like and comment counts: "23", "1.2K"
_MID_SENTENCE = re.compile(r"[a-z0-9][.!?]['\"”’)]?\s+[A-Z]")
_LABELLED = re.compile(
    r"(?:by|written\s+by|source|posted|published|updated|last\s+updated|copyright|©)\b",
    re.IGNORECASE,
)
_ENDS_SENTENCE = re.compile(r"[.!?…:;]['\"”’)\]]*$")
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
_AGENCY_DATELINE = re.compile(
    r"[A-Z][A-Z .,'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,30})?\s*\((?P<agency>[^()]{2,30})\)\s*[-–—]"
)
_TITLE_SEPARATORS = re.compile(r"(?<!\s)\s+(?:[|–—:-]|::|·)\s+")
_ROLE_LINE = re.compile(
    r"(?:[\w&-]+\s+){0,4}(?:writer|reporter|correspondent|editor|columnist|contributor"
    r"|journalist|critic|analyst|producer|staff\s+writer)s?",
    re.IGNORECASE,
)
_IN_PLACE = re.compile(r"(?<!\s)\s+in\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}$")
_BY_ALONE = re.compile(r"(?:(?:written|posted|words|story|reporting)\s+)?by\s*:?", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> int:
    """Cached: the rules ask it of the same line several times, and a line may be 1 MB."""
    return len(_WORD.findall(text))


def _key(line: str) -> str:
    """A line reduced for matching against chrome lists: "› Share this article:" → same."""
    return re.sub(r"\s+", " ", line.strip(" \t|•·›»→←×✕✖+-–—:*#>()[]")).casefold()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold().rstrip(".!?")


def _is_menu(line: str) -> bool:
    """ "Home | World | Business" and breadcrumbs like "Home › World › Europe"."""
    parts = [p for p in _MENU_SEPARATORS.split(line) if p]
    if len(parts) < 2 or any(len(p.split()) > 3 or _ENDS_SENTENCE.search(p) for p in parts):
        return False
    return len(parts) >= 3 or _key(parts[0]) == "home"


def _strong(line: str) -> bool:
    key = _key(line)
    if not key or not any(ch.isalnum() for ch in key):
        return True  # rules, bullets and icons: "* * *", "|", "—"
    if key in _STRONG or _STRONG_PATTERNS.fullmatch(line.strip()):
        return True
    words = _words(line)
    if words <= 15 and _PROMPT.match(key):
        return True
    if words <= 30 and _is_newsletter_pitch(line):
        return True
    if words <= 80 and _COOKIE.search(line):
        return True
    return _CAPTION.fullmatch(line.strip()) is not None or _is_menu(line)


def _is_newsletter_pitch(line: str) -> bool:
    """ "Sign up for our newsletter", "The Briefing newsletter, in your inbox every morning"."""
    first = _NEWSLETTER_WORD.search(line)
    if first is None:
        return False
    if _SIGNUP_CUE.search(line, first.end()):
        return True
    cue = _SIGNUP_WORD.search(line)
    return cue is not None and _NEWSLETTER_WORD.search(line, cue.end()) is not None


def _is_pitch(line: str) -> bool:
    key = _key(line)
    return key in ("subscribe", "subscribe now", "sign up") or bool(
        _PROMPT.match(key) or _is_newsletter_pitch(line)
    )


def _sentence_like(line: str) -> bool:
    words = _words(line)
    return words >= 20 or (words >= 4 and bool(_ENDS_SENTENCE.search(line)))


def _title_like(line: str) -> bool:
    words = _words(line)
    if not 1 <= words <= 25 or len(line) > 200 or _BULLET.match(line):
        return False
    if re.search(r"[.,;:]$", line) and not line.endswith("..."):
        return False
    first_word = line.lstrip("\"'“‘").split()[0]
    return first_word[0].isupper() or first_word[0].isdigit() or first_word != first_word.lower()


def _continues(previous: str, line: str) -> bool:
    """Is `line` the rest of a sentence that `previous` (the line above it) left open?

    Hard-wrapped prose breaks anywhere, so a wrapped line can read "May 2004." or
    "Register reported that..."; such a line must not be taken for metadata or chrome.
    A headline followed directly by "By Jane Doe" must still let the byline through.
    """
    if _ENDS_SENTENCE.search(previous):
        return False
    if line[:1].islower() or _MID_SENTENCE.search(line):
        return True
    if len(previous) >= 60 and len(line) >= 60:
        return True
    return bool(_ENDS_SENTENCE.search(line)) and not _LABELLED.match(line)


@dataclass(slots=True)
class _Line:
    text: str
    kind: Kind
    meta: Meta | None = None


def _classify(lines: list[str]) -> list[_Line]:
    out: list[_Line] = []
    footer = False  # inside a "Related articles" box
    seen_body = False  # a prose paragraph has been seen, so footers can begin
    block: list[str] = []
    n = len(lines)
    for i, text in enumerate(lines):
        if not text:
            out.append(_Line(text, Kind.BLANK))
            if block and (len(block) > 1 or _sentence_like(" ".join(block))):
                seen_body = True
            block = []
            continue
        prev = out[-1] if out else None
        if prev is not None and prev.kind is Kind.TEXT and _continues(prev.text, text):
            # The middle of a hard-wrapped sentence is prose whatever it says.
            out.append(_Line(text, Kind.TEXT))
            block.append(text)
            continue
        if _strong(text):
            out.append(_Line(text, Kind.DROP))
            # A sign-up pitch after the article opens the page footer (upsell, "Free", ...).
            footer = footer or (seen_body and _is_pitch(text))
            continue
        if _FOOTER_HEADS.fullmatch(_key(text) + ("" if not text.endswith(":") else ":")):
            out.append(_Line(text, Kind.DROP))
            footer = footer or seen_body
            continue
        meta = read_meta_line(text)
        if meta is None and is_url(text) and (i < 8 or i >= n - 8):
            meta = Meta(url=text.rstrip(".,;)"))
        if meta is not None:
            out.append(_Line(text, Kind.META, meta))
            continue
        if footer:
            if _words(text) < 6 or not _sentence_like(text):
                out.append(_Line(text, Kind.DROP))
                continue
            footer = False
        key = _key(text)
        kind = Kind.WEAK if key in _WEAK or _COUNT.fullmatch(key) else Kind.TEXT
        out.append(_Line(text, kind))
        if kind is Kind.TEXT:
            block.append(text)
    return out


def _resolve_weak(lines: list[_Line]) -> None:
    """Weak chrome next to dropped chrome is chrome too ("Share" / "Facebook" / "Email")."""
    for order in (range(len(lines)), range(len(lines) - 1, -1, -1)):
        neighbour: Kind | None = None
        for i in order:
            line = lines[i]
            if line.kind is Kind.BLANK:
                continue
            if line.kind is Kind.WEAK and neighbour is Kind.DROP:
                line.kind = Kind.DROP
            neighbour = line.kind


def _drop_weak_runs(lines: list[_Line]) -> None:
    run: list[_Line] = []
    for line in [*lines, _Line("", Kind.TEXT)]:
        if line.kind is Kind.BLANK:
            continue
        if line.kind is Kind.WEAK:
            run.append(line)
            continue
        if len(run) >= 2:
            for weak in run:
                weak.kind = Kind.DROP
        run = []


def _blocks(lines: list[_Line], split_before: int = 0) -> list[list[int]]:
    """Runs of consecutive text (or still-undecided weak) lines.

    Before line `split_before` (the page header) a line break also ends a block unless
    the line plainly continues a wrapped sentence: headline, standfirst and byline are
    often pasted on consecutive lines and must not be joined into one paragraph.
    """
    blocks: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        if line.kind in (Kind.TEXT, Kind.WEAK):
            if current and i < split_before and not _continues(lines[i - 1].text, line.text):
                blocks.append(current)
                current = []
            current.append(i)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _header_end(lines: list[_Line]) -> int:
    """Index of the first line of the first prose paragraph (len(lines) if none)."""
    for block in _blocks(lines, len(lines)):
        if _body_like(lines, block):
            return block[0]
    return len(lines)


def _body_like(lines: list[_Line], block: list[int]) -> bool:
    text = " ".join(lines[i].text for i in block)
    return _words(text) >= 25 or (_words(text) >= 8 and bool(_ENDS_SENTENCE.search(text)))


def _pair_name_and_role(lines: list[_Line], header_end: int) -> None:
    """Bylines spread over two lines, or a bare name beside other metadata.

    "Sam Patel" over "Staff Writer", "Written by" over "Sam Patel", and "Omar Haddad in
    Lisbon" under "Tue 20 Feb 2024 11.42 GMT" are all one byline.
    """
    visible = [i for i, line in enumerate(lines) if line.kind is not Kind.BLANK]
    for a, b in itertools.pairwise(visible):
        first, second = lines[a], lines[b]
        if first.kind not in (Kind.TEXT, Kind.WEAK) or second.kind is not Kind.TEXT:
            continue
        name: str | None = None
        if is_name(first.text) and _ROLE_LINE.fullmatch(second.text):
            name = first.text
        elif _BY_ALONE.fullmatch(first.text) and is_name(second.text):
            name = second.text
        if name is not None:
            first.kind = second.kind = Kind.META
            first.meta, second.meta = Meta(author=name), Meta()
    # Neighbours that matter: text and metadata (chrome like "Follow" in between is skipped).
    # The first text line is the headline's place, and "Bold New Ideas" looks like a name.
    significant = [i for i, line in enumerate(lines) if line.kind in (Kind.TEXT, Kind.META)]
    first_text = next((i for i in significant if lines[i].kind is Kind.TEXT), -1)
    for k, i in enumerate(significant[:15]):
        line = lines[i]
        if line.kind is not Kind.TEXT or i == first_text or i >= header_end:
            continue  # names in the body are line-ups, signatures and venues, not bylines
        bare = _IN_PLACE.sub("", line.text)
        if len(bare.split()) > 4 or not is_name(bare):
            continue
        around = [significant[j] for j in (k - 1, k + 1) if 0 <= j < len(significant)]
        if any(lines[j].kind is Kind.META for j in around):
            line.kind = Kind.META
            line.meta = Meta(author=bare)


def _variants(text: str) -> list[str]:
    """A line and, for page titles like "Headline | The Daily Bugle", the headline part."""
    parts = _TITLE_SEPARATORS.split(text)
    out = [_norm(text)]
    if len(parts) >= 2:
        out.append(_norm(" ".join(parts[:-1])))
    return out


_FOOTER_CREDIT = re.compile(
    r"©|\(c\)|\bcopyright\b|all\s+rights\s+reserved|^more\s+(?:stories\s+)?from\b"
    r"|^elsewhere\s+on\b",
    re.IGNORECASE,
)


def _find_title(
    lines: list[_Line], units: list[list[int]], top: int
) -> tuple[int, str, str | None] | None:
    """The headline (index of its first copy, text) and any masthead, from the page header.

    `units` are the header's lines as blocks; `top` is the index of the first prose unit.
    """
    header = units[:top]
    # 1. A headline repeated (the page title, then the article's own heading).
    seen: dict[str, int] = {}
    for i in (i for b in header for i in b):
        text = lines[i].text
        if not _title_like(text):
            continue
        for v in _variants(text):
            if v in seen:
                j = seen[v]
                shorter = min((i, j), key=lambda k: len(lines[k].text))
                return j, lines[shorter].text, None
        for v in _variants(text):
            seen.setdefault(v, i)
    candidates = [b[0] for b in header if len(b) == 1 and _title_like(lines[b[0]].text)]
    # A site name that the footer repeats ("© 2024 The Valley Courier") is a masthead.
    credits = " \n ".join(
        _norm(line.text)
        for line in lines
        if line.kind is Kind.DROP and _FOOTER_CREDIT.search(line.text)
    )
    mastheads = [
        i
        for i in candidates
        if _words(lines[i].text) <= 5
        and re.search(rf"\b{re.escape(_norm(lines[i].text))}\b", credits)
    ]
    masthead = lines[mastheads[0]].text if mastheads else None
    pool = [i for i in candidates if i not in mastheads and lines[i].kind is Kind.TEXT]
    if not pool:
        return None
    dated = [
        i
        for i, line in enumerate(lines)
        if line.kind is Kind.META
        and line.meta is not None
        and (line.meta.author or line.meta.when())
    ]
    header_end = units[top][0] if top < len(units) else len(lines)
    if dated and (dated[0] < header_end or dated[0] < pool[-1] + 12):
        # 2. Headline, then standfirst, byline and dateline: the first title-like line
        # above the byline, skipping section labels ("Technology") when a longer one follows.
        before = [i for i in pool if i < dated[0]] or pool
        for k, i in enumerate(before):
            if _words(lines[i].text) > 2 or k == len(before) - 1:
                return i, lines[i].text, masthead
    # 3. No metadata: a short first line over prose is still a title.
    first = units[0]
    if (
        top >= 1
        and first[0] in pool
        and _words(lines[first[0]].text) <= 15
        and len(units) > 1
        and _body_like(lines, units[1])
    ):
        return first[0], lines[first[0]].text, masthead
    return None


def _drop_title_and_chrome(lines: list[_Line], title_at: int, title: str) -> str | None:
    """Remove the headline (all its copies) and the short chrome lines above it.

    Returns a masthead when a page title spelt "Headline | Site".
    """
    masthead = None
    key = _norm(title)
    for i, line in enumerate(lines):
        if line.kind not in (Kind.TEXT, Kind.WEAK):
            continue
        if i < title_at and _words(line.text) <= 8 and not _ENDS_SENTENCE.search(line.text):
            line.kind = Kind.DROP
            continue
        parts = _TITLE_SEPARATORS.split(line.text)
        if _norm(line.text) == key:
            line.kind = Kind.DROP
        elif len(parts) >= 2 and _norm(" ".join(parts[:-1])) == key and i <= title_at + 2:
            line.kind = Kind.DROP
            tail = parts[-1].strip()
            if _words(tail) <= 5 and _title_like(tail):
                masthead = masthead or tail
    return masthead


def _drop_nav_runs(lines: list[_Line], header_end: int) -> None:
    """Menus pasted one item per line above the article.

    Three or more short lines in a row are a menu only if chrome vouches for them (one is
    a chrome word, or dropped chrome touches the run): a short poem is not a menu.
    """
    run: list[int] = []
    vouched = False
    for i in [*range(header_end), -1]:
        line = lines[i] if i >= 0 else _Line("", Kind.BLANK)
        short = (
            line.kind in (Kind.TEXT, Kind.WEAK)
            and _words(line.text) <= 3
            and not _ENDS_SENTENCE.search(line.text)
            and not _BULLET.match(line.text)
        )
        if short:
            vouched = vouched or line.kind is Kind.WEAK
            run.append(i)
            continue
        vouched = vouched or line.kind is Kind.DROP
        if len(run) >= 3 and vouched:
            for j in run:
                lines[j].kind = Kind.DROP
        run = []
        vouched = line.kind is Kind.DROP


def _starts_item(line: str, previous: str, in_list: bool) -> bool:
    """Does `line` open a list item, or is it a wrapped line that happens to start "- "?

    Dashes and numbers also begin ordinary wrapped lines ("- filed in 1999 -", "14. The"),
    so they count as bullets only after a line that ends a sentence or inside a list.
    """
    m = _BULLET.match(line)
    if m is None:
        return False
    if line[0] in "•◦▪‣*":
        return True
    return in_list or bool(_ENDS_SENTENCE.search(previous))


def _join(lines: list[str]) -> str:
    """Join wrapped lines with spaces; a word split at a hyphen ("cash-|strapped") closes up."""
    parts = [lines[0]]
    for line in lines[1:]:
        last = parts[-1]
        hyphenated = len(last) >= 2 and last[-1] == "-" and last[-2].isalpha()
        parts.append(line if hyphenated and line[:1].isalpha() else " " + line)
    return "".join(parts)


def _breaks(previous: str, line: str, width: int) -> bool:
    """A line break that wrapping cannot explain: the next word would have fitted.

    A greedy wrapper fills each line, so a sentence ending on a line with room left for
    the next word means the break was there in the page: two paragraphs, not one.
    """
    if not _ENDS_SENTENCE.search(previous) or not (line[:1].isupper() or line[:1] in "\"“'‘"):
        return False
    return len(previous) + 1 + len(line.split()[0]) <= width


def _paragraphs(lines: list[_Line], header_end: int) -> list[str]:
    """Blocks into paragraphs: wrapped lines joined; unwrapped lines and list items split."""
    out: list[str] = []
    for block in _blocks(lines, header_end):
        texts = [lines[i].text for i in block]
        unwrapped = any(len(t) > 100 for t in texts[:-1])
        width = max(len(t) for t in texts)
        current: list[str] = []
        is_item = False  # the paragraph being built is a list item
        for t in texts:
            if not current:
                current, is_item = [t], _BULLET.match(t) is not None
                continue
            item = _starts_item(t, current[-1], is_item)
            if unwrapped or item or _breaks(current[-1], t, width):
                out.append(_join(current))
                current, is_item = [t], item
            else:
                current.append(t)
        if current:
            out.append(_join(current))
    return [re.sub(r"\s+", " ", p).strip() for p in out if p.strip()]


# More blank lines in a row than this are kept as this many. Every rule here that measures
# distance in lines looks at most 12 lines away, so no decision changes; a megabyte of blank
# lines stops costing every pass a million lines.
_MAX_BLANK_RUN = 16


def _cap_blank_runs(lines: list[str]) -> list[str]:
    out: list[str] = []
    run = 0
    for line in lines:
        run = run + 1 if not line else 0
        if run <= _MAX_BLANK_RUN:
            out.append(line)
    return out


def parse_clip(raw: str) -> Article:
    """A plain-text web clip as metadata and clean paragraphs; unknown fields are None."""
    text = drop_data_uris(clean_text(raw)).replace("\xa0", " ").replace("\u200b", "")
    lines = _classify(_cap_blank_runs([line.strip() for line in text.split("\n")]))
    header_end = _header_end(lines)
    for line in lines[header_end:]:
        if line.kind is Kind.WEAK and _COUNT.fullmatch(_key(line.text)):
            line.kind = Kind.TEXT  # in the body a number is content ("Att: 8,200")
    _resolve_weak(lines)
    _pair_name_and_role(lines, header_end)
    _drop_nav_runs(lines, header_end)
    header_end = _header_end(lines)
    units = _blocks(lines, header_end)
    top = next((k for k, b in enumerate(units) if b[0] >= header_end), len(units))

    title: str | None = None
    masthead: str | None = None
    found = _find_title(lines, units, top) if units else None
    if found is not None:
        title_at, title, masthead = found
        masthead = _drop_title_and_chrome(lines, title_at, title) or masthead

    # Weak chrome outside the prose (before its first sentence or after its last) goes,
    # and so do two or more weak lines in a row: "Share / Facebook / Twitter".
    prose = [i for i, ln in enumerate(lines) if ln.kind is Kind.TEXT and _sentence_like(ln.text)]
    for i, line in enumerate(lines):
        if line.kind is Kind.WEAK and (not prose or not prose[0] <= i <= prose[-1]):
            line.kind = Kind.DROP
    _drop_weak_runs(lines)
    for line in lines:
        if line.kind is Kind.WEAK:
            line.kind = Kind.TEXT

    meta = Meta()
    for line in lines:
        if line.kind is Kind.META and line.meta is not None:
            meta.merge(line.meta)
    paragraphs = _paragraphs(lines, _header_end(lines))
    source = meta.origin()
    if source is None:
        for p in paragraphs[:3]:
            m = _AGENCY_DATELINE.match(p)
            if m and m["agency"].casefold() in AGENCIES:
                source = AGENCIES[m["agency"].casefold()]
                break
    return Article.from_paragraphs(
        title=title,
        author=meta.author,
        published=meta.when(),
        source=source or masthead,
        paragraphs=paragraphs,
        url=meta.url,
    )
