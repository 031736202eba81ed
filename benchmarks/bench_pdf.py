"""PDF text: the project's PDF source against pypdf's and pdfminer.six's plain
`extract_text()`, on PDFs this benchmark generates with reportlab, so the true text is known.

Each generated paper is set the way journals set theirs: two justified columns, words
hyphenated at line ends (and compounds such as "tide-gauge" broken at their own hyphen),
paragraphs marked by a first-line indent only, section headings in a larger bold face, a
running header with the paper's title on every page and the page number at the foot. The text
is made up here from a syllable table (original, copied from nowhere).

Word F1: the multiset of lower-cased words (\\w+ joined by inner hyphens or apostrophes) of
the extracted text against the true text (headings and body; never the running header or page
numbers), pooled over the papers. Order F1: the same over 4-word shingles, so text read in the
wrong column order, or a header left between two halves of a sentence, costs here. Import
seconds and peak RSS are for the project's source reading one 300-page paper in a fresh
process (peak RSS includes the interpreter and the libraries).
"""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.table import Row

SECTION = "PDF text"
SHINGLE = 4
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_ONSETS = ("b", "br", "c", "d", "f", "g", "gl", "h", "k", "l", "m", "n", "p", "pr", "r", "s",
           "st", "t", "tr", "v", "w")  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou")
_CODAS = ("", "", "", "n", "r", "s", "l", "m", "nd", "st", "ck")
_SHORT = ("the", "of", "and", "a", "to", "in", "is", "was", "for", "on", "as", "with", "by",
          "at", "from", "that", "it", "its", "near", "over")  # fmt: skip


@dataclass(slots=True)
class Paper:
    title: str
    sections: list[tuple[str, list[str]]]  # heading, paragraphs

    @property
    def text(self) -> str:
        """The true text: the title, each heading and paragraph, in reading order."""
        parts = [self.title]
        for heading, paragraphs in self.sections:
            parts += [heading, *paragraphs]
        return "\n\n".join(parts)


def _word(rng: random.Random) -> str:
    syllables = rng.choice((1, 2, 2, 3, 3, 4))
    return "".join(
        rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
    )


def make_paper(seed: int, sections: int = 6, paragraphs: int = 5) -> Paper:
    """A made-up paper: a small vocabulary, so words recur as in real prose, some of them
    compounds with a real hyphen."""
    rng = random.Random(seed)
    vocabulary = [_word(rng) for _ in range(400)]
    compounds = [f"{_word(rng)}-{_word(rng)}" for _ in range(12)]

    def sentence() -> str:
        words = []
        for _ in range(rng.randint(7, 22)):
            pick = rng.random()
            if pick < 0.35:
                words.append(rng.choice(_SHORT))
            elif pick < 0.38:
                words.append(rng.choice(compounds))
            else:
                words.append(rng.choice(vocabulary))
        if rng.random() < 0.3:
            words[rng.randrange(len(words))] += ","
        first = words[0]
        return first[0].upper() + first[1:] + " " + " ".join(words[1:]) + "."

    def title(n: int) -> str:
        words = [rng.choice(vocabulary).capitalize() for _ in range(n)]
        return " ".join(words)

    return Paper(
        title=title(4),
        sections=[
            (
                f"{i + 1} {title(rng.randint(1, 3))}",
                [" ".join(sentence() for _ in range(rng.randint(2, 6))) for _ in range(paragraphs)],
            )
            for i in range(sections)
        ],
    )


def _break_word(word: str, room: float, width: Callable[[str], float]) -> tuple[str, str] | None:
    """The longest head of `word` (with its hyphen) that fits in `room`: at its own hyphen,
    else between letters, leaving at least two letters on each side."""
    if "-" in word:
        head, _, tail = word.partition("-")
        if width(head + "-") <= room:
            return head + "-", tail
    for cut in range(len(word) - 2, 1, -1):
        if word[:cut].isalpha() and word[cut:].isalpha() and width(word[:cut] + "-") <= room:
            return word[:cut] + "-", word[cut:]
    return None


def _lines(text: str, measure: float, indent: float, width: Callable[[str], float]) -> list[str]:
    """Greedy line breaking with hyphenation, as a typesetter without a dictionary does."""
    words = text.split()
    lines: list[str] = []
    current: list[str] = []
    while words:
        word = words.pop(0)
        room = measure - (indent if not lines else 0)
        candidate = " ".join([*current, word])
        if width(candidate) <= room:
            current.append(word)
            continue
        used = width(" ".join(current) + " ") if current else 0.0
        broken = _break_word(word, room - used, width)
        if broken is not None:
            current.append(broken[0])
            words.insert(0, broken[1])
        else:
            words.insert(0, word)
        lines.append(" ".join(current))
        current = []
    if current:
        lines.append(" ".join(current))
    return lines


def render_pdf(paper: Paper, *, columns: int = 2, rows_first: bool = False) -> bytes:
    """The paper as a PDF, set by hand on a reportlab canvas (see the module docstring).

    `rows_first` writes each page's lines top to bottom across both columns, as producers
    that sort their text by height do, instead of column after column.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)
    canvas.setTitle(paper.title)
    canvas.setAuthor("Benchmark Author")
    page_width, page_height = A4
    margin, gutter = 54.0, 18.0
    measure = (page_width - 2 * margin - gutter * (columns - 1)) / columns
    body, size, leading = "Times-Roman", 10.0, 12.0
    top, bottom = page_height - margin - 20, margin + 10
    state = {"page": 1, "column": 0, "y": top, "top": top}
    ops: list[tuple[float, float, Callable[[], None]]] = []

    def draw(x: float, y: float, font: str, font_size: float, line: str, stretch: float) -> None:
        def op() -> None:
            text = canvas.beginText(x, y)
            text.setFont(font, font_size)
            text.setWordSpace(stretch)  # graphics state: it outlives the text object
            text.textLine(line)
            canvas.drawText(text)

        ops.append((y, x, op))

    def flush() -> None:
        if rows_first:
            ops.sort(key=lambda item: (-item[0], item[1]))
        for _, _, op in ops:
            op()
        ops.clear()
        canvas.showPage()

    def furniture() -> None:
        header = stringWidth(paper.title, "Helvetica", 8)
        draw((page_width - header) / 2, page_height - margin + 6, "Helvetica", 8, paper.title, 0)
        number = str(state["page"])
        draw(
            (page_width - stringWidth(number, "Helvetica", 8)) / 2,
            margin - 18,
            "Helvetica",
            8,
            number,
            0,
        )

    def room(height: float) -> None:
        if state["y"] - height >= bottom:
            return
        state["column"] += 1
        state["y"] = state["top"]
        if state["column"] == columns:
            flush()
            state["page"] += 1
            state["column"] = 0
            state["y"] = state["top"] = top
            furniture()

    def x0() -> float:
        return float(margin + state["column"] * (measure + gutter))

    def width(text: str) -> float:
        return float(stringWidth(text, body, size))

    furniture()
    draw(margin, state["y"], "Helvetica-Bold", 16, paper.title, 0)
    state["y"] -= 30
    state["top"] = state["y"]  # the title spans both columns: they start below it
    for heading, paragraphs in paper.sections:
        heading_lines = _lines(
            heading, measure, 0.0, lambda t: stringWidth(t, "Helvetica-Bold", 12)
        )
        room(leading * (3 + len(heading_lines)))
        state["y"] -= 6
        for line in heading_lines:
            draw(x0(), state["y"], "Helvetica-Bold", 12, line, 0)
            state["y"] -= 14
        state["y"] -= 4
        for paragraph in paragraphs:
            lines = _lines(paragraph, measure, 12.0, width)
            for index, line in enumerate(lines):
                room(leading)
                indent = 12.0 if index == 0 else 0.0
                gaps = line.count(" ")
                stretch = 0.0
                if index < len(lines) - 1 and gaps:
                    stretch = (measure - indent - width(line)) / gaps
                draw(x0() + indent, state["y"], body, size, line, stretch)
                state["y"] -= leading
    flush()
    canvas.save()
    return out.getvalue()


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text.replace("’", "'"))]


def f1(found: Counter[Any], truth: Counter[Any]) -> float:
    common = sum((found & truth).values())
    if not common:
        return 0.0
    precision, recall = common / sum(found.values()), common / sum(truth.values())
    return 2 * precision * recall / (precision + recall)


def shingles(tokens: list[str]) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def reader_text(data: bytes) -> str:
    from reader.sources.base import Locator
    from reader.sources.pdf import PdfSource

    articles = PdfSource().read(data, Locator(path="bench.pdf"))
    # The title is the article's metadata, shown above its text: it counts as read.
    return "\n\n".join(f"{a.title or ''}\n\n{a.text}" for a in articles)


def pypdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def pdfminer_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(io.BytesIO(data)))


SYSTEMS: dict[str, Callable[[bytes], str]] = {
    "reader (project)": reader_text,
    "pypdf extract_text()": pypdf_text,
    "pdfminer.six extract_text()": pdfminer_text,
}

_CHILD = """
import json, resource, sys, time
started = time.perf_counter()
from benchmarks.bench_pdf import SYSTEMS
data = open(sys.argv[1], "rb").read()
text = SYSTEMS[sys.argv[2]](data)
seconds = time.perf_counter() - started
open(sys.argv[3], "w", encoding="utf-8").write(text)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kept across exec: the fallback
try:  # VmHWM starts afresh with the new program, unlike ru_maxrss
    status = open("/proc/self/status", encoding="ascii").read()
    rss = int(status.split("VmHWM:")[1].split()[0]) / 1024
except (OSError, IndexError, ValueError):
    pass
print(json.dumps({"seconds": seconds, "rss": rss}))
"""


def _fresh_process(path: Path, system: str, out: Path) -> dict[str, float]:
    """One system reading the file in a process of its own: its time (imports included)
    and its peak memory, untouched by the others."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), system, str(out)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def quality(papers: int = 8) -> list[Row]:
    docs = [make_paper(seed) for seed in range(papers)]
    rows = []
    for rows_first in (False, True):
        pdfs = [render_pdf(doc, rows_first=rows_first) for doc in docs]
        order = "written row by row" if rows_first else "written column by column"
        for system, extract in SYSTEMS.items():
            found: Counter[str] = Counter()
            truth: Counter[str] = Counter()
            found_shingles: Counter[tuple[str, ...]] = Counter()
            true_shingles: Counter[tuple[str, ...]] = Counter()
            started = time.perf_counter()
            for doc, pdf in zip(docs, pdfs, strict=True):
                got, expected = words(extract(pdf)), words(doc.text)
                found.update(got)
                truth.update(expected)
                found_shingles.update(shingles(got))
                true_shingles.update(shingles(expected))
            rows.append(
                Row(
                    SECTION,
                    f"{papers} generated two-column papers, {order}",
                    system,
                    {
                        "word F1": f1(found, truth),
                        "order F1": f1(found_shingles, true_shingles),
                        "s/paper": (time.perf_counter() - started) / papers,
                    },
                )
            )
    return rows


def big(pages_wanted: int = 300) -> list[Row]:
    paper = make_paper(99, sections=pages_wanted * 3 // 2, paragraphs=8)
    pdf = render_pdf(paper)
    pages = pdf.count(b"/Type /Page\n")
    truth = Counter(words(paper.text))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "big.pdf", Path(tmp) / "text.txt"
        path.write_bytes(pdf)
        for system in SYSTEMS:
            result = _fresh_process(path, system, out)
            found = Counter(words(out.read_text(encoding="utf-8")))
            rows.append(
                Row(
                    SECTION + ": one long paper, each system in a fresh process",
                    f"generated paper, {pages} pages, {len(pdf) / 1e6:.1f} MB",
                    system,
                    {
                        "import seconds": result["seconds"],
                        "s/page": result["seconds"] / pages,
                        "peak RSS MB": result["rss"],
                        "word F1": f1(found, truth),
                    },
                )
            )
    return rows


def run(data: Path) -> list[Row]:
    del data  # every PDF here is generated
    return quality() + big()
