"""The toy Tamil -> English corpus: determinism, lengths, held-out split, the blog's sentence, the slot builder."""

from __future__ import annotations

import gzip
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import toy_tamil as tt


@pytest.fixture(scope="module")
def corpus() -> tt.Corpus:
    return tt.make_corpus(n_train=3000)


def test_blog_sentence_is_built_and_translated_as_in_the_blog():
    s = tt.build(tt.BLOG_SLOTS)
    assert s.source == ("நாளைக்குள்", "அந்த", "report-ஐ", "அனுப்ப", "முடியுமா")
    assert " ".join(s.english) == "can you send the report by tomorrow"
    assert s.glosses == ("tomorrow-by", "that", "report-OBJ", "to-send", "can-you?")


def test_blog_sentence_is_in_the_training_set_and_not_held_out(corpus):
    assert tt.BLOG_SOURCE in {s.source for s in corpus.train}
    assert tt.BLOG_SOURCE not in {s.source for s in corpus.test}
    blog = next(s for s in corpus.train if s.source == tt.BLOG_SOURCE)
    assert blog.english == tt.BLOG_ENGLISH


def test_corpus_is_deterministic_for_a_seed(corpus):
    again = tt.make_corpus(n_train=3000)
    assert again == corpus
    other = tt.make_corpus(seed=7, n_train=50, per_bucket=5)
    assert other.test != corpus.test[:25]


def test_train_and_test_are_disjoint_by_sentence(corpus):
    assert not {s.source for s in corpus.train} & {s.source for s in corpus.test}
    assert len({s.source for s in corpus.test}) == len(corpus.test)


def test_lengths_span_3_to_50_and_every_bucket_is_filled(corpus):
    lengths = [len(s.source) for s in corpus.train]
    assert min(lengths) >= tt.MIN_SOURCE_LEN and max(lengths) == tt.MAX_SOURCE_LEN == 50
    assert set(range(3, 51)) <= set(lengths)
    labels = [tt.bucket_of(len(s.source)) for s in corpus.test]
    assert None not in labels
    assert {lab: labels.count(lab) for lab in set(labels)} == {f"{a}-{b}": tt.N_TEST_PER_BUCKET for a, b in tt.LENGTH_BUCKETS}
    assert len(tt.LENGTH_BUCKETS) >= 4 and tt.LENGTH_BUCKETS[-1][0] >= 40  # the paper's long sentences


def test_long_sentences_carry_many_open_class_words(corpus):
    """What makes one vector too small: a long sentence names many people, places, hours and things, each of
    which must reach the English unchanged."""
    open_class = set(tt.NAMES) | set(tt.CITIES) | set(tt.HOURS) | set(tt.OBJECTS)
    long = [s for s in corpus.test if len(s.source) >= 40]
    counts = [sum(w in open_class for w in s.english) for s in long]
    assert np.mean(counts) >= 8, np.mean(counts)
    assert len(set(tt.NAMES)) >= 20 and len(set(tt.CITIES)) >= 15 and len(tt.HOURS) == 12


def test_translation_is_a_function_of_the_source(corpus):
    seen: dict[tuple[str, ...], tuple[str, ...]] = {}
    for s in corpus.train + corpus.test:
        assert seen.setdefault(s.source, s.english) == s.english


def test_every_token_has_a_gloss_and_every_word_is_in_the_vocabularies(corpus):
    src, tgt = set(tt.source_vocabulary()), set(tt.target_vocabulary())
    for s in corpus.train[:500] + corpus.test:
        assert len(s.glosses) == len(s.source)
        assert "?" not in s.glosses
        assert set(s.source) <= src and set(s.english) <= tgt
        assert s.glosses == tuple(tt.gloss(t) for t in s.source)
    assert tt.gloss("not-a-word") == "?"


def test_source_is_verb_final_and_english_puts_the_modal_first():
    s = tt.build({"kind": "can", "verb": "check", "subject": "-", "time": "by_friday", "object": "invoice"})
    assert s.source[-2:] == ("சரிபார்க்க", "முடியுமா")
    assert s.english[:3] == ("can", "you", "check")
    q = tt.build({"kind": "should", "verb": "read", "subject": "we", "object": "it"})
    assert " ".join(q.english) == "should we read it" and q.source == ("நாங்கள்", "அதை", "படிக்க", "வேண்டுமா")
    p = tt.build({"kind": "past", "verb": "send", "subject": "i", "time": "yesterday", "place": "office",
                  "recipient": "manager", "recipient_det": "my", "object": "report", "object_det": "this",
                  "adj_opinion": "urgent", "adj_age": "new", "manner": "quickly"})  # fmt: skip
    assert p.source == ("நான்", "நேற்று", "office-இல்", "என்", "manager-க்கு", "இந்த", "அவசரமான", "புதிய",
                        "report-ஐ", "விரைவாக", "அனுப்பினேன்")  # fmt: skip
    assert " ".join(p.english) == "i quickly sent this urgent new report to my manager at the office yesterday"


def test_clauses_join_with_connectors():
    a = {"kind": "past", "verb": "finish", "subject": "i", "object": "report"}
    b = {"kind": "can", "verb": "check", "object": "it", "time": "by_tomorrow"}
    s = tt.build([a, b], ["so"])
    assert " ".join(s.english) == "i finished the report so can you check it by tomorrow"
    assert "அதனால்" in s.source


@pytest.mark.parametrize(
    ("clauses", "connectors", "needle"),
    [
        ({"kind": "past", "verb": "send", "subject": "i", "time": "by_tomorrow"}, (), "time"),  # past + future time
        ({"kind": "future", "verb": "send", "subject": "we", "time": "yesterday"}, (), "time"),
        ({"kind": "can", "verb": "send", "subject": "i"}, (), "subject"),  # "can you" has no subject slot
        ({"kind": "past", "verb": "send"}, (), "subject"),  # a statement needs one
        ({"kind": "can", "verb": "read", "recipient": "manager", "object": "file"}, (), "recipient"),
        ({"kind": "can", "verb": "send", "recipient": "manager"}, (), "object"),  # "send to the manager" needs what
        ({"kind": "can", "verb": "send", "object": "it", "object_det": "the"}, (), "object_det"),
        ({"kind": "can", "verb": "send", "adj_age": "new"}, (), "adj_age"),  # an adjective with no noun
        ({"kind": "can", "verb": "send", "recipient_det": "my"}, (), "recipient_det"),
        ({"kind": "maybe", "verb": "send"}, (), "kind"),
        ({"kind": "can", "verb": "eat"}, (), "verb"),
        ({"kind": "can", "verb": "send", "colour": "red"}, (), "colour"),
        ({"kind": ["can"], "verb": "send"}, (), "kind"),  # not a string
        ({"kind": "can", "verb": "send", "object": None}, (), "object"),
        ([{"kind": "can", "verb": "send"}, {"kind": "past", "verb": "read", "subject": "i"}], ["but"], "question"),
        ([{"kind": "past", "verb": "send", "subject": "i"}, {"kind": "can", "verb": "read"}], ["then"], "then"),
        ([{"kind": "past", "verb": "send", "subject": "i"}, {"kind": "can", "verb": "read"}], ["or"], "connector"),
        ([{"kind": "past", "verb": "send", "subject": "i"}, {"kind": "can", "verb": "read"}], [], "connector"),
        ([{"kind": "past", "verb": "send", "subject": "i"}] * 5, ["then"] * 4, "1 to 4"),
    ],
)
def test_builder_refuses_ungrammatical_choices(clauses, connectors, needle):
    with pytest.raises(ValueError, match=needle):
        tt.build(clauses, connectors)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_sequence_of_offered_options_builds_a_grammatical_sentence(data):
    """Walking the drop-downs in order, whatever is picked, gives a sentence the corpus could contain."""
    chosen: dict[str, str] = {}
    for slot in tt.builder_slots():
        options = tt.slot_options(slot.name, chosen)
        assert options, slot.name
        chosen[slot.name] = data.draw(st.sampled_from([o.key for o in options]), label=slot.name)
    s = tt.build(chosen)
    assert tt.MIN_SOURCE_LEN <= len(s.source) <= 16
    assert set(s.source) <= set(tt.source_vocabulary())
    assert set(s.english) <= set(tt.target_vocabulary())
    assert tt.tokenize(" ".join(s.source)).ok
    assert tt.parse(s.source) == s


def test_builder_slots_list_labels_and_options():
    slots = tt.builder_slots(tt.BLOG_SLOTS)
    names = [s.name for s in slots]
    assert names[:2] == ["kind", "verb"] and "object" in names and "time" in names
    time_slot = next(s for s in slots if s.name == "time")
    assert {"by_tomorrow", "-"} <= {o.key for o in time_slot.options}
    assert "yesterday" not in {o.key for o in time_slot.options}  # a request is about the future
    assert all(o.english for s in slots for o in s.options)
    with pytest.raises(ValueError, match="unknown slot"):
        tt.slot_options("colour", {})


def test_sample_sentence_respects_the_length_range():
    rng = np.random.default_rng(0)
    for lo, hi in [(3, 3), (20, 30), (29, 30), (48, 50)]:
        assert all(lo <= len(tt.sample_sentence(rng, (lo, hi)).source) <= hi for _ in range(5))
    with pytest.raises(ValueError, match="length"):
        tt.sample_sentence(rng, (51, 60))


def test_tokenize_splits_strips_punctuation_and_names_unknown_words():
    t = tt.tokenize("  நாளைக்குள் அந்த report-ஐ அனுப்ப முடியுமா?  ")
    assert t.tokens == tt.BLOG_SOURCE and t.ok and t.unknown == () and t.max_len == 50
    bad = tt.tokenize("நாளைக்குள் <b>hello</b> report-ஐ foo foo")
    assert not bad.ok and bad.unknown == ("<b>hello</b>", "foo")
    assert "<b>hello</b>" in bad.problem and "foo" in bad.problem


def test_tokenize_empty_too_long_and_unicode_normalisation():
    assert not tt.tokenize("").ok and "empty" in tt.tokenize("   ?! ").problem
    long = tt.tokenize(" ".join(["அந்த"] * 51))
    assert not long.ok and "51" in long.problem and "50" in long.problem
    decomposed = unicodedata.normalize("NFD", "நாளைக்குள் அனுப்ப முடியுமா")
    assert tt.tokenize(decomposed).ok
    with pytest.raises(ValueError, match="string"):
        tt.tokenize(None)  # type: ignore[arg-type]


def test_parse_recovers_every_held_out_sentence_and_the_blog_sentence():
    for s in tt.held_out_set()[::7]:
        assert tt.parse(s.source) == s
    assert tt.parse(tt.BLOG_SOURCE).english == tt.BLOG_ENGLISH


@pytest.mark.parametrize(
    ("tokens", "needle"),
    [
        (["அந்த", "அனுப்ப", "முடியுமா"], "determiner"),
        (["report-ஐ", "நாளைக்குள்", "அனுப்ப", "முடியுமா"], "order"),
        (["நான்", "அனுப்பினோம்"], "agree"),
        (["அடுத்த", "அனுப்ப", "முடியுமா"], "வாரம்"),
        (["வாரம்", "அனுப்ப", "முடியுமா"], "must follow"),
        (["அனுப்ப"], "needs"),
        (["நான்", "நேற்று"], "no verb"),
        (["நான்", "நாளை", "அனுப்பினேன்"], "time"),
        (["அனுப்ப", "முடியுமா", "அதன்", "பிறகு", "நான்", "அனுப்பினேன்"], "question"),
        (["நான்", "அனுப்பினேன்", "பிறகு", "நான்", "அனுப்பினேன்"], "அதன்"),
        (["நான்", "அனுப்பினேன்", "அதன்", "நான்", "அனுப்பினேன்"], "பிறகு"),
        (["அனுப்ப", "முடியுமா", "முடியுமா"], "second time"),
        (["hello", "அனுப்ப", "முடியுமா"], "hello"),
        (["குமார்", "அனுப்பினேன்"], "agree"),
        (["ஐந்து", "அனுப்ப", "முடியுமா"], "மணிக்கு"),
        (["மணிக்கு", "அனுப்ப", "முடியுமா"], "hour"),
        (["நாளைக்குள்", "ஐந்து", "மணிக்கு", "அனுப்ப", "முடியுமா"], "hour"),
        (["அந்த", "குமாருக்கு", "அதை", "அனுப்ப", "முடியுமா"], "recipient_det"),
        (["குமார்", "குமாருடன்", "அதை", "அனுப்பினார்"], "companion"),
        ([], "empty"),
    ],
)
def test_parse_explains_why_tokens_are_not_a_sentence(tokens, needle):
    with pytest.raises(ValueError, match=needle):
        tt.parse(tokens)


def test_toy_tamil_words_mean_what_their_glosses_say():
    """Exclusive நாங்கள் ("we") pairs with exclusive எங்கள் ("our"); "and then" is அதன் பிறகு; "fix" is சரிசெய்ய."""
    ours = tt.build({"kind": "past", "verb": "send", "subject": "we", "object": "report", "object_det": "our"})
    assert ours.source == ("நாங்கள்", "எங்கள்", "report-ஐ", "அனுப்பினோம்")
    assert " ".join(ours.english) == "we sent our report"
    assert "நம்" not in tt.source_vocabulary() and "திருத்த" not in tt.source_vocabulary()
    then = tt.build([{"kind": "past", "verb": "fix", "subject": "i", "object": "it"},
                     {"kind": "future", "verb": "send", "subject": "we", "object": "it"}], ["then"])  # fmt: skip
    assert then.source == ("நான்", "அதை", "சரிசெய்தேன்", "அதன்", "பிறகு", "நாங்கள்", "அதை", "அனுப்புவோம்")
    assert " ".join(then.english) == "i fixed it and then we will send it"
    assert then.glosses[3:5] == ("that-of", "after")
    assert tt.parse(then.source) == then


def test_names_take_their_case_endings_as_tamil_writes_them():
    """The dative (to) and sociative (with) fuse onto a name by its last letter; a named subject takes the
    respectful third-person verb; an hour goes with a day, not with a deadline."""
    s = tt.build({"kind": "future", "verb": "send", "subject": "kumar", "time": "tomorrow", "hour": "five",
                  "place": "chennai", "companion": "priya", "recipient": "ravi", "object": "report"})
    assert s.source == ("குமார்", "நாளை", "ஐந்து", "மணிக்கு", "சென்னையில்", "பிரியாவுடன்", "ரவிக்கு", "report-ஐ",
                        "அனுப்புவார்")
    assert " ".join(s.english) == "kumar will send the report to ravi with priya in chennai at five tomorrow"
    assert s.glosses == ("Kumar", "tomorrow", "five", "o'clock-at", "Chennai-in", "Priya-with", "Ravi-to",
                         "report-OBJ", "will-send-he/she")
    assert tt.parse(s.source) == s
    forms = {t for t in tt.source_vocabulary()}
    assert {"குமாருக்கு", "குமாருடன்", "அருணுக்கு", "லட்சுமிக்கு", "லட்சுமியுடன்", "மீனாவுக்கு", "மீனாவுடன்",
            "சரிபார்த்தார்", "எழுதுவார்"} <= forms
    past = tt.build({"kind": "past", "verb": "check", "subject": "meena", "time": "on_friday", "object": "it"})
    assert past.source == ("மீனா", "வெள்ளிக்கிழமை", "அதை", "சரிபார்த்தார்")
    assert " ".join(past.english) == "meena checked it on friday"
    assert [o.key for o in tt.slot_options("hour", {"kind": "can", "time": "by_tomorrow"})] == ["-"]
    assert "kumar" not in {o.key for o in tt.slot_options("recipient", {"subject": "kumar", "kind": "past"})}


def test_shipped_held_out_file_is_what_the_sampler_draws(tmp_path):
    # pages read the held-out set from a file (17 ms instead of ~1.4 s of sampling on a first visit): it must be
    # exactly the sampled set, and `python -m models.toy_tamil` must rewrite it byte for byte
    sampled = tt.sample_held_out(tt.DEFAULT_SEED, tt.N_TEST_PER_BUCKET)
    assert tt.read_held_out(tt.HELD_OUT_FILE, tt.DEFAULT_SEED, tt.N_TEST_PER_BUCKET) == sampled
    assert tt.read_held_out(tt.HELD_OUT_FILE, tt.DEFAULT_SEED, 7) is None  # written for another bucket size
    assert tuple(tt.held_out_set()) == sampled
    tt.write_held_out(tmp_path / "h.json.gz", sampled, tt.DEFAULT_SEED, tt.N_TEST_PER_BUCKET)
    # the same JSON (gzip's own bytes differ between Python and zlib builds)
    assert gzip.decompress((tmp_path / "h.json.gz").read_bytes()) == gzip.decompress(tt.HELD_OUT_FILE.read_bytes())
    assert len(tt.held_out_set(seed=7, per_bucket=3)) == 3 * len(tt.LENGTH_BUCKETS)  # other sets are sampled
