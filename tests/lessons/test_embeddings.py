"""lessons.embeddings: tokenizer, truncation, lexicon coverage, deterministic vectors, positions."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attention_core import scaled_dot_product_attention, sinusoidal_positional_encoding
from lessons.embeddings import (
    D_MODEL,
    FEATURE_NAMES,
    MAX_TOKENS,
    PRESETS,
    Prepared,
    embed,
    in_lexicon,
    prepare,
    tokenize,
    word_vector,
)

ROOT = Path(__file__).resolve().parents[2]


def test_feature_names_are_readable_and_sized():
    assert len(FEATURE_NAMES) == D_MODEL
    assert D_MODEL % 8 == 0
    assert len(set(FEATURE_NAMES)) == D_MODEL
    for name in ("noun", "verb", "pronoun", "determiner", "animate", "object", "place", "time", "fruit", "company"):
        assert name in FEATURE_NAMES


def test_presets_are_the_blog_sentences():
    assert set(PRESETS.values()) == {
        "The report that the client who called yesterday requested is ready.",
        "The cat sat on the mat because it was tired",
        "The animal didn't cross the street because it was too tired",
        "Apple was juicy",
        "Apple stock crashed today",
    }


@pytest.mark.parametrize("sentence", list(PRESETS.values()))
def test_lexicon_covers_every_preset_token(sentence):
    missing = [t for t in tokenize(sentence) if not in_lexicon(t)]
    assert missing == []


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("The cat sat.", ["The", "cat", "sat", "."]),
        ("The animal didn't cross", ["The", "animal", "didn't", "cross"]),
        ("Hello, world!?", ["Hello", ",", "world", "!", "?"]),
        ("  spaced\tout\n\nwords  ", ["spaced", "out", "words"]),
        ("...", [".", ".", "."]),
        ("", []),
        ("   \n\t ", []),
        ("<script>alert(1)</script>", ["<", "script", ">", "alert", "(", "1", ")", "<", "/", "script", ">"]),
        ("I 👍🏽 it", ["I", "👍🏽", "it"]),  # skin tone stays with its emoji
        ("coder 👩\u200d💻!", ["coder", "👩\u200d💻", "!"]),  # a ZWJ sequence is one token
        ("தமிழ் மொழி", ["தமிழ்", "மொழி"]),  # Tamil vowel signs are marks: they stay inside the word
        ("it’s", ["it’s"]),
        ("zero\u200bwidth", ["zero", "width"]),  # invisible format characters separate, never show up
    ],
)
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


def test_tokenize_keeps_case_and_lookup_ignores_it():
    assert tokenize("APPLE Apple apple") == ["APPLE", "Apple", "apple"]
    assert np.array_equal(word_vector("APPLE"), word_vector("apple"))
    assert in_lexicon("Cat") and in_lexicon("CAT")


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_tokenize_never_raises_and_tokens_are_non_blank(text):
    tokens = tokenize(text)
    assert all(t and not t.isspace() for t in tokens)
    x = embed(prepare(text).tokens)
    assert x.shape == (min(len(tokens), MAX_TOKENS), D_MODEL)
    assert np.isfinite(x).all()


def test_lone_surrogates_do_not_raise():
    tokens = tokenize("a \ud800 b")
    assert tokens[0] == "a" and tokens[-1] == "b"
    assert np.isfinite(embed(tokens)).all()


def test_prepare_truncates_to_max_tokens():
    text = " ".join(f"w{i}" for i in range(100))
    p = prepare(text)
    assert isinstance(p, Prepared)
    assert p.tokens == [f"w{i}" for i in range(MAX_TOKENS)]
    assert p.truncated and p.n_original == 100


def test_prepare_short_text_not_truncated():
    p = prepare("The cat sat")
    assert p == Prepared(["The", "cat", "sat"], False, 3)
    exactly = prepare(" ".join(["x"] * MAX_TOKENS))
    assert not exactly.truncated and exactly.n_original == MAX_TOKENS


def test_ten_thousand_characters():
    text = ("The cat sat on the mat, தமிழ் 👍🏽 <b>bold</b>! " * 300)[:10_000]
    p = prepare(text)
    assert len(p.tokens) == MAX_TOKENS and p.truncated and p.n_original > MAX_TOKENS
    assert embed(p.tokens).shape == (MAX_TOKENS, D_MODEL)


def test_unknown_words_are_deterministic_distinct_and_bounded():
    a, b = word_vector("zyzzyva"), word_vector("quokka")
    assert a.shape == (D_MODEL,)
    assert np.array_equal(a, word_vector("zyzzyva"))
    assert np.array_equal(a, word_vector("ZYZZYVA"))
    assert not np.allclose(a, b)
    assert np.all(np.abs(a) <= 1.0)


def test_unknown_words_same_vector_in_another_process():
    # A new interpreter has a different str-hash salt; the vectors must not change.
    words = ["zyzzyva", "quokka", "தமிழ்", "👍🏽"]
    code = (
        "import json, sys; from lessons.embeddings import word_vector; "
        f"print(json.dumps([word_vector(w).tolist() for w in {words!r}]))"
    )
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
            env={"PYTHONHASHSEED": seed, "PATH": "", "PYTHONPATH": str(ROOT)},
        ).stdout
        assert np.array_equal(np.array(json.loads(out)), np.array([word_vector(w) for w in words]))


def test_unknown_vector_pinned_value():
    # Pinned so a change of hashing scheme (which would change every unknown word's vector) is noticed.
    v = word_vector("zyzzyva")
    raw = hashlib.shake_256(b"zyzzyva").digest(2 * D_MODEL)
    expected = np.frombuffer(raw, dtype=">u2") / 65535.0 * 2 - 1
    assert np.allclose(v, expected)


def test_word_vector_is_a_copy():
    v = word_vector("cat")
    v[:] = 99
    assert word_vector("cat").max() < 99


def test_embed_shapes_and_positions():
    tokens = tokenize("The cat sat on the mat")
    x = embed(tokens)
    assert x.shape == (6, D_MODEL) and x.dtype == np.float64
    assert np.array_equal(x[1], word_vector("cat"))
    xp = embed(tokens, positions=True)
    assert np.allclose(xp - x, sinusoidal_positional_encoding(6, D_MODEL))
    assert embed([]).shape == (0, D_MODEL)
    # the two "the"s are identical without positions, different with them
    assert np.array_equal(x[0], x[4]) and not np.allclose(xp[0], xp[4])


def _identity_weights(sentence):
    tokens = tokenize(sentence)
    x = embed(tokens)
    return tokens, scaled_dot_product_attention(x, x, x).weights


@pytest.mark.parametrize(
    ("sentence", "query", "expected"),
    [
        ("The cat sat on the mat because it was tired", "it", "cat"),
        ("The animal didn't cross the street because it was too tired", "it", "animal"),
        ("The report that the client who called yesterday requested is ready.", "ready", "report"),
        ("The report that the client who called yesterday requested is ready.", "requested", "client"),
        ("The report that the client who called yesterday requested is ready.", "who", "client"),
    ],
)
def test_lexicon_makes_blog_examples_work_with_identity_projections(sentence, query, expected):
    tokens, w = _identity_weights(sentence)
    row = w[tokens.index(query)]
    assert tokens[int(np.argmax(row))] == expected


def test_apple_is_between_fruit_and_company():
    apple = word_vector("Apple")
    fruit, company = FEATURE_NAMES.index("fruit"), FEATURE_NAMES.index("company")
    assert apple[fruit] == apple[company] > 0
    assert word_vector("juicy")[fruit] > 0 and word_vector("stock")[company] > 0


def test_apply_edits_accepts_numbers_and_rejects_the_rest():
    from lessons.embeddings import apply_edits

    x = embed(tokenize("The cat sat"))
    edits = [(1, "fruit", 2.5), (1, "noun", 3.0), (2, "verb", float("nan")), (0, "place", float("inf")),
             (0, "object", float("-inf")), (0, "animate", 1e9), (0, "time", -20.5), (7, "noun", 1.0),
             (-1, "noun", 1.0), (2, "nonsense", 1.0), (2, "state", -20.0)]
    new, rejected = apply_edits(x, edits)
    assert new[1, FEATURE_NAMES.index("fruit")] == 2.5 and new[1, FEATURE_NAMES.index("noun")] == 3.0
    assert new[2, FEATURE_NAMES.index("state")] == -20.0  # the limit itself is allowed
    assert rejected == [2, 3, 4, 5, 6, 7, 8, 9]
    changed = np.argwhere(new != x)
    assert {(int(r), FEATURE_NAMES[c]) for r, c in changed} <= {(1, "fruit"), (1, "noun"), (2, "state")}
    assert np.array_equal(x, embed(tokenize("The cat sat")))  # the input is left alone
    assert apply_edits(x, [(1, "fruit", 5.0)], limit=4.0)[1] == [0]
