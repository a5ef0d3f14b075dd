"""Wording the bottleneck and reordering pages share: the models' names, a translation marked against its reference,
and why a typed sentence cannot be translated.

Words shown come from the toy language's fixed vocabularies; a visitor's typed text reaches a sentence only through
`quoted`, and nothing here goes through unsafe_allow_html.
"""

from __future__ import annotations

from collections.abc import Sequence

from lessons.seq2seq_views import MarkedWord

from ..formatting import quoted

# model name -> how the pages call it, in the order the pages show the two models
MODEL_LABELS = {"no_attention": "without attention", "attention": "with attention"}

CARDS_CAPTION = ("~~struck~~ ✗ marks a word that is not in the reference at that place; [missing: …] a reference word "
                 "the translation left out.")


def plural(count: int, word: str) -> str:
    """3, 'wrong word' -> '3 wrong words'; 1 -> '1 wrong word'."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def ratio_text(r: float) -> str:
    """A ratio of two influences, to read before "as much as": 0.0031 -> '1/323', 2.5 -> '2.5 times'."""
    if r >= 0.5:
        return f"{r:.2g} times"
    return f"1/{1 / r:,.0f}" if r > 1e-6 else f"{r:.1e} times"


def words(tokens: Sequence[str]) -> str:
    return " ".join(tokens)


def marked_markdown(marked: Sequence[MarkedWord]) -> str:
    """Words of a translation with wrong ones struck through and flagged ✗, missing ones named: never colour alone."""
    parts = []
    for word, status in marked:
        if status == "ok":
            parts.append(word)
        elif status == "wrong":
            parts.append(f"~~{word}~~ ✗")
        else:
            parts.append(f"[missing: *{word}*]")
    return " ".join(parts) if parts else "*(nothing: the model stopped at once)*"


def verdict(wrong: int, missing: int) -> str:
    """✓ when the translation is the reference (no wrong and no missing word), else how many of each."""
    if not wrong and not missing:
        return "✓ exactly the reference translation"
    return f"✗ {plural(wrong, 'wrong word')}, {plural(missing, 'missing word')}"


def card_title(name: str) -> str:
    return f"**{MODEL_LABELS[name].capitalize()}**"


# ---------------------------------------------------------------------------------------------------------------
# A typed sentence


def cut_warning(max_chars: int) -> str:
    return f"Only the first {max_chars} characters are read."


def type_hint(example: Sequence[str]) -> str:
    return "Type a few Tamil words separated by spaces, for example: " + words(example)


def too_long_warning(count: int, max_len: int) -> str:
    return (f"That is {count} tokens; the models were trained on sentences of at most {max_len} tokens, so longer "
            "ones are refused. Shorten it, or split it in two.")


def unknown_words_warning(unknown: Sequence[str]) -> str:
    """Names every unknown token (each shortened to 30 characters, at most 12 of them) in code style."""
    shown = ", ".join(quoted(t if len(t) <= 30 else t[:29] + "…") for t in unknown[:12])
    shown += " …" if len(unknown) > 12 else ""
    return (f"Not in the toy language's vocabulary ({len(unknown)} of them): {shown}. The model knows only the words "
            "the sentence builder offers; nothing is translated until every word is one of them.")


def vocabulary_title(count: int) -> str:
    return f"The {count} Tamil words the model knows"


def vocabulary(tokens: Sequence[str], glosses: Sequence[str]) -> str:
    return " · ".join(f"{w} *({g})*" for w, g in zip(tokens, glosses, strict=True))


def outside_grammar(reason: str) -> str:
    return (f"All words are known, but this is not a sentence of the toy grammar ({reason}), so there is no "
            "reference translation to compare with. The model translates it anyway.")
