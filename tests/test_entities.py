"""The shipped entity model on hand-written sentences: no corpus needed."""

from __future__ import annotations

import re
from pathlib import Path

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
