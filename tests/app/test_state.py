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


def test_the_learners_sentence_follows_them_between_self_attention_and_multi_head():
    """A sentence typed on one page is there on the other, and back."""
    from tests.app.conftest import open_page

    at = open_page("pages/self_attention.py")
    at.text_area(key="sa_text").input("The dog chased the ball because it was fast.").run()
    at.switch_page("pages/multi_head.py").run()
    assert not at.exception
    assert at.text_input(key="mh_text").value == "The dog chased the ball because it was fast."
    at.text_input(key="mh_text").input("My sister reads books.").run()
    at.switch_page("pages/self_attention.py").run()
    assert not at.exception
    assert at.text_area(key="sa_text").value == "My sister reads books."
    assert "My" in at.caption[0].value or any("My" in c.value for c in at.caption)


def test_a_shared_link_sentence_beats_the_carried_one():
    from tests.app.conftest import open_page

    at = open_page("pages/multi_head.py", {"sentence": "Cats sleep."})
    assert at.text_input(key="mh_text").value == "Cats sleep."


def test_the_sentence_follows_onto_the_learning_page():
    from tests.app.conftest import open_page

    at = open_page("pages/self_attention.py")
    at.text_area(key="sa_text").input("The cat chased the dog because it was hungry.").run()
    at.switch_page("pages/learning.py").run()
    assert not at.exception
    assert at.session_state["ln_text"] == "The cat chased the dog because it was hungry."
