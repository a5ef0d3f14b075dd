"""The held-out evaluation shipped next to the weights (models/weights/evaluation.json), so the Bottleneck page draws
its accuracy curve on a first visit without translating the 2,000 held-out sentences with both models first.

`python -m models.seq2seq evaluate` (and `train`, once it has saved new weights) writes it: for each model, whether
its greedy translation of each held-out sentence matches the reference exactly, as a string of 0s and 1s in
held-out order, and the sentence's BLEU counts (clipped 1- to 4-gram matches, output length, reference length),
from which corpus BLEU of any group of sentences follows. Each entry is keyed by the sha256 of the model's weights file and of the held-out set, so new
weights (or a changed toy language) make it stale: `stored_exact` then returns None and the page translates live.
tests/models/test_stored_evaluation.py checks the file against a live translation of a sample.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from models import toy_tamil

from .bleu import MAX_ORDER, BleuStats, bleu_stats
from .decoding import translate_batch
from .files import load_model, weights_dir
from .model import MODEL_NAMES

__all__ = ["EVALUATION_FILE", "evaluate_and_write", "exact_flags", "file_sha256", "held_out_sha256", "sentence_bleu",
           "stored_bleu", "stored_exact", "write_evaluation"]

EVALUATION_FILE = "evaluation.json"


def file_sha256(path: str | os.PathLike) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def held_out_sha256(sentences: Sequence[toy_tamil.Sentence]) -> str:
    """A fingerprint of the sentences and their references, in order."""
    text = "\n".join(" ".join(s.source) + "\t" + " ".join(s.english) for s in sentences)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def exact_flags(translations: Sequence[Sequence[str]], sentences: Sequence[toy_tamil.Sentence]) -> list[bool]:
    """For each sentence, whether its translation equals the reference word for word."""
    return [tuple(out) == tuple(s.english) for out, s in zip(translations, sentences, strict=True)]


def sentence_bleu(translations: Sequence[Sequence[str]], sentences: Sequence[toy_tamil.Sentence]) -> list[BleuStats]:
    """For each sentence, its translation's BLEU counts against the reference."""
    return [bleu_stats(tuple(out), s.english) for out, s in zip(translations, sentences, strict=True)]


def _pack(stats: Sequence[BleuStats]) -> str:
    return ";".join(",".join(map(str, (*b.matches, b.hyp_len, b.ref_len))) for b in stats)


def _unpack(text: str) -> list[BleuStats]:
    out = []
    for row in text.split(";") if text else []:
        *matches, hyp, ref = (int(x) for x in row.split(","))
        if len(matches) != MAX_ORDER:
            raise ValueError(f"a BLEU row needs {MAX_ORDER + 2} numbers, got {row!r}")
        out.append(BleuStats(tuple(matches), tuple(max(hyp - n, 0) for n in range(MAX_ORDER)), hyp, ref))
    return out


def write_evaluation(folder: str | os.PathLike, sentences: Sequence[toy_tamil.Sentence],
                     flags: dict[str, Sequence[bool]], bleu: dict[str, Sequence[BleuStats]] | None = None) -> Path:
    """Write `folder`/evaluation.json for the models in `flags` (name -> one flag per sentence) and, when given, their
    BLEU counts (name -> one BleuStats per sentence), keyed by the sha256 of `folder`/<name>.npz and of `sentences`.
    Written to a temporary file and renamed (never half-written)."""
    folder = Path(folder)
    held_out = held_out_sha256(sentences)
    entries = {name: {"weights_sha256": file_sha256(folder / f"{name}.npz"), "held_out_sha256": held_out,
                      "sentences": len(f), "exact": "".join("1" if x else "0" for x in f),
                      **({"bleu": _pack(bleu[name])} if bleu and name in bleu else {})}
               for name, f in flags.items()}
    path = folder / EVALUATION_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"what": "exact match of each model's greedy translation of each held-out sentence "
                                       "(1 = equal to the reference), in held-out order, and its BLEU counts "
                                       "(matches of 1- to 4-grams, output length, reference length); written by "
                                       "`python -m models.seq2seq evaluate`",
                               "models": entries}, indent=1) + "\n")
    os.replace(tmp, path)
    return path


def evaluate_and_write(folder: str | os.PathLike, sentences: Sequence[toy_tamil.Sentence]
                       ) -> tuple[dict[str, list[bool]], dict[str, list[BleuStats]]]:
    """Translate `sentences` with both models in `folder`, write evaluation.json there, return the exact-match flags
    and the BLEU counts, by model name."""
    folder = Path(folder)
    outputs = {name: translate_batch(load_model(name, folder / f"{name}.npz"), [s.source for s in sentences])
               for name in MODEL_NAMES}
    flags = {name: exact_flags(out, sentences) for name, out in outputs.items()}
    bleu = {name: sentence_bleu(out, sentences) for name, out in outputs.items()}
    write_evaluation(folder, sentences, flags, bleu)
    return flags, bleu


def _fresh_entry(name: str, sentences: Sequence[toy_tamil.Sentence], folder: str | os.PathLike | None) -> dict | None:
    folder = Path(folder) if folder is not None else weights_dir()
    try:
        entry = json.loads((folder / EVALUATION_FILE).read_text())["models"][name]
        fresh = (entry["weights_sha256"] == file_sha256(folder / f"{name}.npz")
                 and entry["held_out_sha256"] == held_out_sha256(sentences))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return entry if fresh and isinstance(entry, dict) else None


def stored_exact(name: str, sentences: Sequence[toy_tamil.Sentence], folder: str | os.PathLike | None = None
                 ) -> list[bool] | None:
    """The shipped flags of model `name` on `sentences`, or None when there are none for these weights and these
    sentences (no file, another model's weights, another held-out set, a damaged file)."""
    entry = _fresh_entry(name, sentences, folder)
    exact = entry.get("exact") if entry else None
    if not isinstance(exact, str) or len(exact) != len(sentences) or set(exact) - {"0", "1"}:
        return None
    return [c == "1" for c in exact]


def stored_bleu(name: str, sentences: Sequence[toy_tamil.Sentence], folder: str | os.PathLike | None = None
                ) -> list[BleuStats] | None:
    """The shipped BLEU counts of model `name`, one per sentence, or None as for `stored_exact`."""
    entry = _fresh_entry(name, sentences, folder)
    try:
        stats = _unpack(entry["bleu"]) if entry and isinstance(entry.get("bleu"), str) else None
    except ValueError:
        return None
    return stats if stats is not None and len(stats) == len(sentences) else None
