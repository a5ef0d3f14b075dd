"""The evaluation shipped next to the weights (models/weights/coreference_evaluation.json), so the Learning page's
first visitor (and every test that opens the page) reads its scores instead of running the model over some 7,000
held-out sentences first.

`python -m models.coreference evaluate` (and `train`, once it has saved new weights) writes what
`analysis.evaluate` returns, keyed by three fingerprints of what those numbers depend on: the weights file's bytes,
the corpus (every set's sentences and answers, in order: the baselines are fitted on the training set) and the
source of the code that computes them (the forward pass and the measures). Any of them changed makes the file
stale: `stored_evaluation` returns None and the page evaluates live. tests/models/test_coreference_stored.py checks
the file against a live evaluation.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .analysis import evaluate
from .corpus import Corpus, Sentence, make_corpus
from .files import WEIGHTS_DIR, WEIGHTS_PATH, load_shipped

__all__ = ["EVALUATION_PATH", "evaluate_and_write", "evaluation_key", "stored_evaluation", "write_evaluation"]

EVALUATION_NAME = "coreference_evaluation.json"
EVALUATION_PATH = WEIGHTS_DIR / EVALUATION_NAME
_HERE = Path(__file__).resolve().parent
CODE_FILES = ("model.py", "analysis.py")  # the forward pass and the measures: new code, new numbers
# every key `evaluate` returns: a file missing one is damaged, not merely old
MEASURES = ("heldout_accuracy", "resolving_head", "resolution_heldout", "minimal_pairs", "structure_heldout",
            "adjective_frame_heldout", "outside_check", "never_trained_pairs", "lookup_baseline",
            "slot_rule_baseline", "head_resolution")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sentence_line(s: Sentence) -> str:
    return f"{' '.join(s.tokens)}\t{s.ref_index}\t{s.other_index}\t{s.adjective}\t{s.structure}"


def corpus_sha256(corpus: Corpus) -> str:
    """A fingerprint of every set of the corpus: its name, then each sentence with its answer, in order."""
    lines = []
    for name, sentences in corpus._asdict().items():
        lines.append(f"## {name}")
        for item in sentences:  # a sentence, or a minimal pair of two
            lines.extend(_sentence_line(s) for s in (item if name in ("minimal_pairs", "validation_pairs") else (item,)))
    return _sha256("\n".join(lines).encode("utf-8"))


def code_sha256() -> str:
    return _sha256(b"".join((_HERE / name).read_bytes() for name in CODE_FILES))


def evaluation_key(weights_path: str | os.PathLike = WEIGHTS_PATH, corpus: Corpus | None = None) -> dict[str, str]:
    """What the stored numbers depend on: {weights_sha256, corpus_sha256, code_sha256}."""
    return {"weights_sha256": _sha256(Path(weights_path).read_bytes()),
            "corpus_sha256": corpus_sha256(corpus or make_corpus()), "code_sha256": code_sha256()}


def write_evaluation(result: dict, weights_path: str | os.PathLike = WEIGHTS_PATH, corpus: Corpus | None = None,
                     path: str | os.PathLike = EVALUATION_PATH) -> Path:
    """Write `result` (what `evaluate` returned for the weights in `weights_path`) to `path` with its key. Written
    to a temporary file and renamed: never half-written."""
    path = Path(path)
    body = {"what": "`python -m models.coreference evaluate` of the weights whose sha256 is below, on the corpus "
                    "and with the code whose sha256 are below; the Learning page reads it instead of evaluating",
            "key": evaluation_key(weights_path, corpus), "evaluation": result}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, indent=1) + "\n")
    os.replace(tmp, path)
    return path


def evaluate_and_write(weights_path: str | os.PathLike = WEIGHTS_PATH, corpus: Corpus | None = None,
                       path: str | os.PathLike | None = None) -> dict:
    """Evaluate the weights in `weights_path` live and store the result (by default next to the weights file)."""
    corpus = corpus or make_corpus()
    result = evaluate(load_shipped(weights_path), corpus)
    write_evaluation(result, weights_path, corpus, path or Path(weights_path).with_name(EVALUATION_NAME))
    return result


def stored_evaluation(weights_path: str | os.PathLike = WEIGHTS_PATH, corpus: Corpus | None = None,
                      path: str | os.PathLike | None = None) -> dict | None:
    """The stored `evaluate` result for these weights, corpus and code, or None when there is none (no file, a
    damaged one, or one written for other weights, another corpus or other code)."""
    path = Path(path) if path is not None else Path(weights_path).with_name(EVALUATION_NAME)
    try:
        body = json.loads(path.read_text())
        fresh = body["key"] == evaluation_key(weights_path, corpus)
        result = body["evaluation"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not fresh or not isinstance(result, dict) or any(k not in result for k in MEASURES):
        return None
    return result
