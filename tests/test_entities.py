"""The shipped entity model on hand-written sentences: no corpus needed."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.nlp.analysis import LABELS, Mention, Span
from reader.nlp.entities import find_mentions, group_entities


def _sentences(text: str) -> list[Span]:
    return [Span(m.start(), m.end()) for m in re.finditer(r"[^.!?]+[.!?]", text)]


def _found(text: str) -> dict[str, str]:
    return {text[m.start : m.end]: m.label for m in find_mentions(text, _sentences(text))}


def test_person_org_and_place_in_news_sentences() -> None:
    text = (
        "Russian President Vladimir Putin met German Chancellor Angela Merkel in Berlin on "
        "Tuesday. Officials from the European Union and Microsoft Corp. attended the talks."
    )
    found = _found(text)
    assert found.get("Vladimir Putin") == "PERSON"
    assert found.get("Angela Merkel") == "PERSON"
    assert found.get("Berlin") == "PLACE"
    assert found.get("European Union") == "ORG"
    assert "Microsoft" in {k.split()[0] for k, v in found.items() if v == "ORG"}


def test_offsets_point_at_the_names_and_are_sorted() -> None:
    text = "Shares of Apple fell in New York. Tim Cook said Apple would recover."
    mentions = find_mentions(text, _sentences(text))
    assert mentions == sorted(mentions, key=lambda m: m.start)
    names = [text[m.start : m.end] for m in mentions]
    assert "New York" in names
    assert "Tim Cook" in names
    assert all(m.label in LABELS for m in mentions)
    assert all(text[m.start : m.end].strip() == text[m.start : m.end] for m in mentions)


def test_putin_groups_under_his_full_name() -> None:
    text = (
        "Vladimir Putin arrived in Paris on Monday. "
        "French officials said Putin would stay two days."
    )
    entities = group_entities(text, find_mentions(text, _sentences(text)))
    putin = [e for e in entities if "Putin" in e.name]
    assert len(putin) == 1
    assert putin[0].name == "Vladimir Putin"
    assert putin[0].label == "PERSON"
    assert putin[0].count == 2
    assert entities[0] is putin[0]  # most mentioned first


def test_ambiguous_surname_is_not_merged() -> None:
    text = "John Smith and Jane Smith met. Smith spoke."
    mentions = [
        Mention(0, 10, "PERSON"),
        Mention(15, 25, "PERSON"),
        Mention(31, 36, "PERSON"),
    ]
    entities = group_entities(text, mentions)
    assert sorted(e.name for e in entities) == ["Jane Smith", "John Smith", "Smith"]
    assert all(e.count == 1 for e in entities)


def test_exact_repeats_join_and_acronyms_join_their_org() -> None:
    text = "The International Monetary Fund said the IMF and the IMF staff agreed."
    mentions = [
        Mention(4, 31, "ORG"),
        Mention(41, 44, "ORG"),
        Mention(53, 56, "ORG"),
    ]
    entities = group_entities(text, mentions)
    assert len(entities) == 1
    assert entities[0].name == "International Monetary Fund"
    assert [text[s.start : s.end] for s in entities[0].mentions] == [
        "International Monetary Fund",
        "IMF",
        "IMF",
    ]


def test_empty_text_has_no_entities() -> None:
    assert find_mentions("", []) == []
    assert find_mentions("   ", [Span(0, 3)]) == []
    assert group_entities("", []) == []


def test_document_consistency_labels_repeats_alike() -> None:
    text = (
        "Barcelona beat Madrid 2-1 on Sunday. Barcelona coach Xavi praised the players. "
        "Fans of Barcelona celebrated."
    )
    mentions = find_mentions(text, _sentences(text))
    labels = {m.label for m in mentions if text[m.start : m.end] == "Barcelona"}
    assert len(labels) == 1


def test_titles_do_not_block_grouping() -> None:
    text = "David Crosby hit a jogger. Mr. Crosby stopped. Crosby was cooperative."
    mentions = [
        Mention(0, 12, "PERSON"),
        Mention(27, 37, "PERSON"),
        Mention(47, 53, "PERSON"),
    ]
    assert [text[m.start : m.end] for m in mentions] == ["David Crosby", "Mr. Crosby", "Crosby"]
    entities = group_entities(text, mentions)
    assert len(entities) == 1
    assert entities[0].name == "David Crosby"
    assert entities[0].count == 3


def test_exact_repeats_join_even_when_labels_disagree() -> None:
    text = "Jordan visited Jordan."
    mentions = [Mention(0, 6, "PERSON"), Mention(15, 21, "PLACE")]
    entities = group_entities(text, mentions)
    # Exact repeats join even when the tagger disagreed; the first label wins a tie.
    assert len(entities) == 1
    assert entities[0].label == "PERSON"
    assert entities[0].count == 2


def test_training_helpers_convert_extra_corpora(tmp_path: Path) -> None:
    from reader.nlp.train_ner import WNUT_TYPES, read_sentences, split_documents, to_iob2

    io_doc = [
        (["Acme", "Corp", "hired", "Ann", "Lee", "Bob"], ["I-ORG", "I-ORG", "O"] + ["I-PER"] * 3)
    ]
    assert to_iob2([io_doc])[0][0][1] == ["B-ORG", "I-ORG", "O", "B-PER", "I-PER", "I-PER"]
    path = tmp_path / "wnut.conll"
    path.write_text("en:Ann\tB-person\nen:likes\tO\nen:Kia\tB-product\n\nen:Oslo\tB-location\n")
    docs = read_sentences(path, WNUT_TYPES, strip="en:")
    assert docs == [[(["Ann", "likes", "Kia"], ["B-PER", "O", "B-MISC"])], [(["Oslo"], ["B-LOC"])]]
    long_doc = [(["a"], ["O"]), (["b"], ["O"]), (["c"], ["O"])]
    assert split_documents([long_doc], 1.0) == [[s] for s in long_doc]
    assert split_documents([long_doc], 0.0) == [long_doc]


def test_case_variants_share_word_classes() -> None:
    from reader.nlp.ner_features import FeatureExtractor, Lexicon

    lexicon = Lexicon(clusters={"tampa": ["1", "2", "3"], "Tampa": ["4", "5", "6"]})
    extractor = FeatureExtractor(lexicon)
    assert extractor._case_variants("TAMPA", "tampa") == ["lk2=2", "lk3=3", "tk2=5", "tk3=6"]
    assert extractor._case_variants("tampa", "tampa") == ["tk2=5", "tk3=6"]


def test_person_is_listed_without_a_leading_title() -> None:
    from reader.nlp.analysis import Mention
    from reader.nlp.entities import group_entities

    text = "Mayor Declan Whitcombe spoke. Later Whitcombe left."
    mentions = [Mention(0, 22, "PERSON"), Mention(36, 45, "PERSON")]
    (entity,) = group_entities(text, mentions)
    assert entity.name == "Declan Whitcombe"
    assert entity.count == 2
    assert text[entity.mentions[0].start : entity.mentions[0].end] == "Mayor Declan Whitcombe"


def test_shipped_lexicon_knows_towns_as_cities() -> None:
    """GeoNames towns reach the tagger as a CITY tag of their own, apart from country names."""
    from reader.nlp.entities import LEXICON_FILE
    from reader.nlp.ner_features import FeatureExtractor, Lexicon

    lexicon = Lexicon.load(LEXICON_FILE)
    assert "CITY-B" in lexicon.gazetteer["Tampere"]
    assert "CITY-I" in lexicon.gazetteer["Rapids"]  # Grand Rapids
    assert "CITY-B" not in lexicon.gazetteer.get("France", [])
    (feats,) = FeatureExtractor(lexicon).document([["in", "Tampere", "today"]])
    assert "g=CITY-B" in feats[1]
    assert "-1:g=CITY-B" in feats[2]


def test_word_classes_round_trip_and_lookup() -> None:
    """The compact GloVe class table finds every word it holds, and only those."""
    import json

    from reader.nlp.ner_features import WordClasses

    table = WordClasses.from_dict({"paris": ["3", "40"], "album": ["7", "12"], "zoo": ["1", "2"]})
    again = WordClasses.from_json(json.loads(json.dumps(table.to_json())))
    assert again.get("album") == ["7", "12"]
    assert again.get("paris") == ["3", "40"]
    assert again.get("zoo") == ["1", "2"]
    assert again.get("Paris") is None
    assert again.get("aaa") is None
    assert again.get("zzz") is None
    assert WordClasses([], []).get("paris") is None


@given(
    st.dictionaries(
        st.text(alphabet="abzé日\U0001f600-", min_size=1, max_size=5),
        st.tuples(st.integers(0, 900), st.integers(0, 3)),
        max_size=60,
    ),
    st.lists(st.text(alphabet="abzé日-", max_size=5), max_size=10),
)
def test_word_classes_find_what_a_dict_would(
    table: dict[str, tuple[int, int]], others: list[str]
) -> None:
    """Packed into one blob and arrays of ids (and read back from JSON), the classes of a
    vocabulary with accents, CJK and emoji are found exactly, and nothing else is."""
    from reader.nlp.ner_features import WordClasses

    plain = {word: [str(a), str(b)] for word, (a, b) in table.items()}
    packed = WordClasses.from_dict(plain)
    again = WordClasses.from_json(json.loads(json.dumps(packed.to_json())))
    assert len(again) == len(plain)
    assert again.words() == sorted(plain)
    for word in [*plain, *others]:
        assert packed.get(word) == plain.get(word)
        assert again.get(word) == plain.get(word)


def test_word_classes_read_a_slice_at_a_time_as_one_split() -> None:
    from reader.nlp.ner_features import _pieces

    for text in ["", "a", "a b", "ab cd ef gh", " a  b ", "abcdefgh"]:
        for size in (1, 2, 3, 100):
            assert [w for piece in _pieces(text, " ", size) for w in piece] == text.split(" ")


def test_shipped_lexicon_has_wikipedia_scale_word_classes() -> None:
    """Words the news text never had still get a class, and it reaches the tagger's features."""
    from reader.nlp.entities import LEXICON_FILE
    from reader.nlp.ner_features import FeatureExtractor, Lexicon

    lexicon = Lexicon.load(LEXICON_FILE)
    assert len(lexicon.glove) > 300_000
    award, bafta = lexicon.glove.get("award"), lexicon.glove.get("bafta")
    assert award is not None and bafta is not None
    (feats,) = FeatureExtractor(lexicon).document([["the", "Bafta", "went", "to", "her"]])
    assert f"gv1={bafta[0]}" in feats[1]
    assert f"-1:gv1={bafta[0]}" in feats[2]


def test_second_pass_sees_every_type_the_first_pass_gave_a_word() -> None:
    """Stage-2 votes: the majority type, the other types seen, and the longest name's type."""
    from reader.nlp.ner_features import FeatureExtractor

    sentences = [["Jordan", "won"], ["Michael", "Jordan", "smiled"], ["Jordan", "borders", "Iraq"]]
    first_pass = [["B-PER", "O"], ["B-PER", "I-PER", "O"], ["B-LOC", "O", "B-LOC"]]
    base = [[["b"] for _ in words] for words in sentences]
    out = FeatureExtractor.with_votes(sentences, base, first_pass)
    jordan = out[2][0]
    assert "v:maj=PER" in jordan
    assert "v:seen=LOC" in jordan
    assert "v:seen=PER" not in jordan  # the majority is not repeated
    assert "v:sup=PER" in jordan and "v:sup>1" in jordan  # "Michael Jordan"
    assert out[0][1] == ["b"]  # lower-case words get no votes
    assert "v:seen=LOC" not in out[2][2]  # Iraq was only ever LOC: nothing beside its majority
    assert base[2][0] == ["b"]  # the input lists are not modified


# ------------------------------------------------ grouping on the project's sample articles

SAMPLES = Path(__file__).resolve().parent.parent / "sample_articles"


@functools.cache
def _sample(name: str) -> tuple[str, tuple[tuple[str, str, int], ...]]:
    """The article's text and its entity list (name, label, count), as the pane gets it."""
    from reader.article import parse_article, read_text_file
    from reader.nlp.analyzer import analyze_text

    path = SAMPLES / name
    analysis = analyze_text(parse_article(read_text_file(path), suffix=path.suffix).text)
    return analysis.text, tuple((e.name, e.label, e.count) for e in analysis.entities)


def _names(name: str) -> dict[str, str]:
    return {n: label for n, label, _ in _sample(name)[1]}


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir()))
def test_no_name_is_listed_twice(sample: str) -> None:
    """ "Farquhar" ×17 and "Farquhar" ×1 (from "Dr. Farquhar") were two rows."""
    names = [n.casefold() for n, _, _ in _sample(sample)[1]]
    assert len(names) == len(set(names))


def test_a_person_with_and_without_title_is_one_entity() -> None:
    _, entities = _sample("the-lighthouse-keepers-archive.md")
    farquhar = [(n, label, c) for n, label, c in entities if "Farquhar" in n]
    # "Isobel Farquhar", "Dr. Isobel Farquhar", "Dr. Farquhar" and 17 of "Farquhar" alone
    assert farquhar == [("Isobel Farquhar", "PERSON", 21)]


def test_capitals_company_forms_and_surnames_join_their_entity() -> None:
    election = _names("election-night-coastal-province.txt")
    assert election.get("Port Selwyn") == "PLACE"  # and the dateline's "PORT SELWYN"
    assert "PORT SELWYN" not in election
    assert election.get("Howard Strand") == "PERSON"  # and "Strand conceded …", typed ORG
    assert "Strand" not in election
    orbital = _sample("orbital-freight-startup.txt")[1]
    assert ("Orbital Freight Systems Inc.", "ORG", 5) in orbital
    assert "Orbital Freight" not in {n for n, _, _ in orbital}


@pytest.mark.parametrize(
    ("sample", "not_names"),
    [
        ("city-council-brief.txt", {"Cllr", "Cllr."}),
        ("the-lighthouse-keepers-archive.md", {"Mrs.", "V.", "S.W.", "S.W. Lamp", "Remarks"}),
        ("the-lighthouse-keepers-archive.md", {"Celsius", "Lamp", "W. Sea", "S."}),
        ("river-restoration-science.txt", {"Celsius"}),
        ("the-case-for-slow-reading.md", {"Mark"}),
    ],
)
def test_what_is_no_entity_is_not_listed(sample: str, not_names: set[str]) -> None:
    text, _ = _sample(sample)
    assert all(n.split()[0] in text for n in not_names)  # the article does have them
    assert not not_names & set(_names(sample))


def test_council_titles_end_no_sentence() -> None:
    from reader.nlp.sentences import split_sentences

    text, _ = _sample("city-council-brief.txt")
    assert "Cllr. Priya Natarajan" in text
    ends = [text[s.start : s.end] for s in split_sentences(text)]
    assert not [s for s in ends if s.endswith("Cllr.")]
    assert _names("city-council-brief.txt").get("Ayesha Rahman") == "PERSON"


# ------------------------------------------------ the cases in small original texts


def _grouped(text: str, *names: tuple[str, str]) -> list[tuple[str, str, int]]:
    """Group mentions of `names` (each occurrence of each, with its label) as the tagger gave."""
    mentions = sorted(
        (
            Mention(m.start(), m.end(), label)
            for name, label in names
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        ),
        key=lambda m: (m.start, -m.end),
    )
    kept: list[Mention] = []
    for m in mentions:  # a longer name wins over one inside it
        if kept and m.start < kept[-1].end:
            if m.end - m.start > kept[-1].end - kept[-1].start:
                kept[-1] = m
            continue
        kept.append(m)
    return [(e.name, e.label, e.count) for e in group_entities(text, kept)]


def test_a_dateline_in_capitals_is_the_same_place() -> None:
    text = "MADRID, June 3 - Ministers met in Madrid on Monday."
    assert _grouped(text, ("MADRID", "PLACE"), ("Madrid", "PLACE")) == [("Madrid", "PLACE", 2)]


def test_a_company_joins_its_legal_name() -> None:
    text = "ASML Holding NV raised its forecast. ASML expects more orders."
    grouped = _grouped(text, ("ASML Holding NV", "ORG"), ("ASML", "ORG"))
    assert grouped == [("ASML Holding NV", "ORG", 2)]


def test_a_surname_the_tagger_typed_otherwise_joins_the_person() -> None:
    text = "Premier Howard Strand lost. Strand conceded at 2 a.m."
    grouped = _grouped(text, ("Howard Strand", "PERSON"), ("Strand", "ORG"))
    assert grouped == [("Howard Strand", "PERSON", 2)]


@pytest.mark.parametrize(
    ("text", "glued", "label", "names"),
    [
        (
            "Figures from the European Commission show 387 new cases.",
            "European Commission show 387",
            "ORG",
            ["European Commission"],
        ),
        ("Steelmaker Acerinox said profits rose.", "Steelmaker Acerinox", "ORG", ["Acerinox"]),
        (
            "Chip firms such as Samsung Electronics and Intel raised forecasts.",
            "Samsung Electronics and Intel",
            "ORG",
            ["Samsung Electronics", "Intel"],
        ),
    ],
)
def test_no_words_are_glued_onto_a_name(
    text: str, glued: str, label: str, names: list[str]
) -> None:
    assert sorted(n for n, _, _ in _grouped(text, (glued, label))) == sorted(names)


def test_glue_that_is_part_of_a_name_stays() -> None:
    text = (
        "Marks and Spencer, Samsung Electronics and Intel and the Department of Health and "
        "Human Services met de Gaulle."
    )
    grouped = _grouped(
        text,
        ("Marks and Spencer", "ORG"),
        ("Samsung Electronics and Intel", "ORG"),
        ("Department of Health and Human Services", "ORG"),
        ("de Gaulle", "PERSON"),
    )
    assert sorted(n for n, _, _ in grouped) == [
        "Department of Health and Human Services",
        "Intel",
        "Marks and Spencer",
        "Samsung Electronics",
        "de Gaulle",
    ]


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("The letter was signed by Mrs. and nobody else.", "Mrs.", "PERSON"),
        ("Section V. The numbers follow.", "V.", "PERSON"),
        ("Wind from the S.W. all day.", "S.W.", "PLACE"),
        ("Mark three sentences. Then stop.", "Mark", "PERSON"),
        ("It reached 40 degrees Celsius at noon.", "Celsius", "MISC"),
        ("In the Remarks column he wrote his remarks.", "Remarks", "ORG"),
    ],
)
def test_what_is_no_name_is_dropped(text: str, name: str, label: str) -> None:
    assert _grouped(text, (name, label)) == []


def test_a_verb_opening_an_instruction_is_no_name_but_the_same_word_as_a_name_is() -> None:
    assert _grouped("Mark three sentences. Then stop.", ("Mark", "PERSON")) == []
    text = "Mark said the plan would work. Later Mark left for Oslo."
    assert _grouped(text, ("Mark", "PERSON")) == [("Mark", "PERSON", 2)]
