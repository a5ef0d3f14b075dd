"""The word-in-the-URL helpers shared by the self-attention and multi-head pages."""

from playground.state import word_index, word_param

TOKENS = ["The", "cat", "sat", "on", "the", "mat", "because", "the", "cat", "was", "tired"]


def test_every_token_round_trips_through_its_url_form():
    for i in range(len(TOKENS)):
        assert word_index(TOKENS, word_param(TOKENS, i)) == i


def test_repeats_are_numbered_and_case_is_a_fallback():
    assert word_param(TOKENS, 8) == "cat~2"
    assert word_index(TOKENS, "the~2") == 7
    assert word_index(TOKENS, "MAT") == 5


def test_nonsense_gives_none():
    for text in ("dog", "cat~3", "cat~0", "~", "~2", "", "cat~x"):
        assert word_index(TOKENS, text) is None, text
