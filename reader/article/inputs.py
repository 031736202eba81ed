"""Reading the files people actually have: bytes of unknown provenance become clean text.

A reading app is handed whatever is lying around (a PDF by mistake, a clip saved by an
old Windows editor, a terminal log full of colour codes). Every failure has to become
one line the user can act on, so each check here raises `InputError` with the file's name.
"""

from __future__ import annotations

import codecs
import re
import stat
import unicodedata
from pathlib import Path

__all__ = ["MAX_BYTES", "InputError", "clean_text", "decode_bytes", "read_text_file"]

#: Larger files are refused: no article is that long, and a mistaken multi-gigabyte
#: argument must not be read into memory.
MAX_BYTES = 20 * 1024 * 1024


class InputError(Exception):
    """A file that cannot be read as an article; `str()` is one line naming the file."""

    def __init__(self, name: str, problem: str) -> None:
        # A file name with a newline in it must not break the one-line promise.
        name = _CONTROL.sub("?", name.replace("\n", "?"))
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


# Magic numbers of the binary files most often passed by mistake; naming the kind
# tells the user what went wrong better than "binary data" alone.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/EPUB document)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "an executable program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# ESC-introduced sequences (CSI colour codes, OSC titles/hyperlinks, two-byte escapes) and
# their 8-bit C1 forms. They are removed whole so no "[31m" debris is left in the text.
_CSI_OSC = (
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI ... final byte (colours, cursor moves)
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"  # OSC ... BEL/ST
)
# A DCS/SOS/PM/APC string is removed only when its terminator (ST) follows; the body is taken
# possessively and an unterminated string handled in `_strip_escape`. Requiring the terminator
# in the pattern made every introducer of a long unterminated run rescan it: quadratic.
_ANSI = re.compile(
    _CSI_OSC
    + r"|(?P<dcs>\x1b[PX^_]|[\x90\x98\x9e\x9f])(?P<body>[^\x1b\x9c\n]*+)(?P<st>\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"  # any other escape, and a lone ESC
)
_CSI_OSC_ONLY = re.compile(_CSI_OSC)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
_NEWLINES = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028]")


def size_text(n: int) -> str:
    """ "1.5 MB", "12 KB", "80 bytes": as the size limits' messages say them."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    if n >= 1024:
        return f"{n / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{n} bytes"


def _too_large(name: str, size: int, limit: int) -> InputError:
    return InputError(name, f"too large ({size_text(size)}; the limit is {size_text(limit)})")


def _strip_escape(m: re.Match[str]) -> str:
    """What removing one escape sequence leaves: nothing, unless it is an unterminated string.

    An unterminated DCS/SOS/PM/APC string is not a string: its ESC-form introducer counts as a
    two-byte escape (removed), its 8-bit introducer stays (for `_CONTROL`), and its body is
    ordinary text, in which only 8-bit CSI and OSC sequences can occur (it holds no ESC).
    """
    if m["dcs"] is None or m["st"] is not None:
        return ""
    introducer = "" if m["dcs"].startswith("\x1b") else m["dcs"]
    return introducer + _CSI_OSC_ONLY.sub("", m["body"])


def clean_text(text: str) -> str:
    """Newlines as \\n, no terminal escapes, no control characters but \\n and \\t.

    Idempotent, so the parsers can apply it to strings that did not come through
    `decode_bytes` (tests, the clipboard, the store) without harm.
    """
    text = _NEWLINES.sub("\n", text).replace("\u2029", "\n\n")
    text = _ANSI.sub(_strip_escape, text)
    return _CONTROL.sub("", text)


def _looks_binary(data: bytes) -> bool:
    """True for data a text editor would show as garbage.

    NUL never occurs in 8-bit text; other C0 controls (besides tab, newline, carriage
    return, form feed and ESC) are rare, so more than a few percent of them means binary.
    """
    if b"\x00" in data:
        return True
    sample = data[:65536]
    odd = sum(1 for b in sample if b < 0x20 and b not in b"\t\n\r\x0c\x1b")
    return odd > max(2, len(sample) // 50)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 that lost its BOM: mostly-ASCII text has NUL in every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls >= half * 0.6 and even_nuls == 0:
        codec = "utf-16-le"
    elif even_nuls >= half * 0.6 and odd_nuls == 0:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    bad = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\x0c")
    return None if bad else text


def _utf8_reading(data: bytes) -> tuple[str, int, int]:
    """`data` read as UTF-8 with damage replaced; how many non-ASCII characters are real, how
    many replaced."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    return text, good, bad


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few damaged bytes (two files pasted together, a truncated download).

    Many valid multi-byte characters and few bad bytes mean UTF-8: reading it as cp1252
    instead would garble every "’" into "â€™" to save one character.
    """
    text, good, bad = _utf8_reading(data)
    return text if good >= 3 and bad * 3 <= good else None


def _per_line(data: bytes) -> str | None:
    """A file that is UTF-8 in most lines and a legacy encoding in the others, line by line.

    A UTF-8 article with a Latin-1 part pasted in (or the reverse) has no single right
    encoding: reading it all as cp1252 turns every "’" of the UTF-8 lines into "â€™", all as
    UTF-8 turns every "é" of the others into "\ufffd". Each line is read on its own instead:
    valid UTF-8 as UTF-8; a line that is still mostly UTF-8 (a damaged character beside good
    ones) as UTF-8 with the damage replaced; the rest together, as one legacy text, so the
    encoding is judged on all of them rather than guessed from one short line. None unless
    most lines are valid UTF-8 and at least one of them is more than ASCII: otherwise there
    is no UTF-8 half, and the whole-file readings apply.
    """
    lines = data.splitlines(keepends=True)
    decoded: list[str | None] = []
    valid = utf8_evidence = 0
    for line in lines:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            damaged, good, bad = _utf8_reading(line)
            decoded.append(damaged if good >= bad > 0 else None)
            continue
        valid += 1
        utf8_evidence += not line.isascii()
        decoded.append(text)
    if not utf8_evidence or valid * 2 <= len(lines):
        return None
    legacy_lines = [line for line, text in zip(lines, decoded, strict=True) if text is None]
    if legacy_lines:
        reading = _legacy_reading(b"".join(legacy_lines))
        if reading is None:
            return None
        codec = reading[1]
        try:
            legacy = iter([line.decode(codec) for line in legacy_lines])
        except (UnicodeDecodeError, LookupError):
            return None
        decoded = [text if text is not None else next(legacy) for text in decoded]
    return "".join(text or "" for text in decoded)


# Non-letters that legitimately sit inside words in Western text: it’s, well–known, a·b.
_IN_WORD_OK = {"’", "‘", "–", "—", "·", "\xa0"}


def _plausible_western(text: str) -> bool:
    """Does a cp1252 reading look like Western European prose rather than mojibake?

    Cyrillic or Greek bytes read as cp1252 turn nearly every letter into an accented one
    ("Ïðèâåò"); Central European bytes put symbols inside words ("Za¿ó³æ"). Real
    English, French or German text has few accented letters and no such symbols.
    """
    letters = accented = 0
    for i, ch in enumerate(text):
        if ch.isalpha():
            letters += 1
            accented += not ch.isascii()
        elif (
            not ch.isascii()
            and ch not in _IN_WORD_OK
            and 0 < i < len(text) - 1
            and text[i - 1].isalpha()
            and text[i + 1].isalpha()
        ):
            return False
    return letters > 0 and accented <= letters * 0.3


def _legacy_reading(data: bytes) -> tuple[str, str] | None:
    """Decode a legacy 8-bit or CJK encoding: the text and its codec, or None when no
    reading is convincing.

    Windows-1252 is by far the most common legacy encoding of English clips, and
    charset-normalizer, on short texts, often prefers cp1250 or cp1257 and turns
    "crème" into "crčme"; so a cp1252 reading that looks like Western prose wins.
    Otherwise charset-normalizer's best reading is accepted only if it is clean *and*
    recognisably a language: anything less is a guess, and a guess garbles the article.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if _plausible_western(text):
            return text, "cp1252"

    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.chaos <= 0.1 and best.coherence >= 0.2:
        return str(best), best.encoding
    return None


def _legacy(data: bytes) -> str | None:
    """The text of `_legacy_reading`, for callers that do not need the codec."""
    reading = _legacy_reading(data)
    return None if reading is None else reading[0]


def decode_bytes(data: bytes, name: str, *, max_bytes: int | None = None) -> str:
    """Bytes of a file or of stdin as clean text, or `InputError` naming `name`.

    `max_bytes` defaults to `MAX_BYTES`, read at call time so tests can lower it.
    """
    limit = MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        raise _too_large(name, len(data), limit)
    if not data:
        raise InputError(name, "empty file")
    text: str | None = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(name, f"damaged text: invalid {codec.upper()}") from None
            break
    if text is None:
        for magic, kind in _MAGIC:
            if data.startswith(magic):
                raise InputError(name, f"not a text file ({kind})")
        text = _utf16_without_bom(data)
    if text is None:
        if _looks_binary(data):
            raise InputError(name, "not a text file (binary data)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _per_line(data) or _mostly_utf8(data) or _legacy(data)
            if text is None:
                raise InputError(
                    name, "unknown text encoding (save it as UTF-8 and try again)"
                ) from None
    text = clean_text(text)
    if not text.strip():
        problem = "empty file" if not text else "no text (only whitespace)"
        raise InputError(name, problem)
    return text


def read_text_file(path: Path | str, *, max_bytes: int | None = None) -> str:
    """The text of the file at `path`, or `InputError` with one line saying what is wrong."""
    limit = MAX_BYTES if max_bytes is None else max_bytes
    return decode_bytes(read_file_bytes(path, max_bytes=limit), str(path), max_bytes=limit)


def read_file_bytes(path: Path | str, *, max_bytes: int | None = None) -> bytes:
    """The bytes of the file at `path`, or `InputError` with one line saying what is wrong.

    Every format's reader starts here, so a bad file is refused in the same words whatever
    its format. The size limit is checked before reading, so a huge file costs nothing; it
    is checked again on what was read, for files (pipes, /proc) whose size is not known in
    advance.
    """
    name = str(path)
    p = Path(path)
    limit = MAX_BYTES if max_bytes is None else max_bytes
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except NotADirectoryError:
        raise InputError(name, "no such file (a parent is not a directory)") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as e:
        raise InputError(name, f"cannot read ({e.strerror or e})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(name, "is a directory, not a file")
    if stat.S_ISREG(st.st_mode) and st.st_size > limit:
        raise _too_large(name, st.st_size, limit)
    try:
        with p.open("rb") as f:
            data = f.read(limit + 1)
    except PermissionError:
        raise InputError(name, "permission denied (cannot read)") from None
    except OSError as e:
        raise InputError(name, f"cannot read ({e.strerror or e})") from None
    if len(data) > limit:  # a pipe or device: its size was unknown until read
        cap = size_text(limit)
        raise InputError(name, f"too large (more than {cap}; the limit is {cap})")
    return data
