"""The held-out sentences on disk (models/weights/held_out.json.gz), so pages read them in milliseconds instead of
sampling them on a first visit. `python -m models.toy_tamil` rewrites the file from the sampler.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from pathlib import Path

from .grammar import Sentence
from .lexicon import gloss

__all__ = ["HELD_OUT_FILE", "read_held_out", "write_held_out"]

HELD_OUT_FILE = Path(__file__).resolve().parents[1] / "weights" / "held_out.json.gz"


def write_held_out(path: str | Path, sentences: Sequence[Sentence], seed: int, per_bucket: int) -> None:
    """Store sentences (drawn with `seed`, `per_bucket` per length bucket) as gzipped JSON: one [source, English] pair
    of space-joined tokens each (glosses follow from the source); no timestamp in the gzip header, so a rewrite on
    the same Python and zlib gives the same bytes."""
    rows = [[" ".join(s.source), " ".join(s.english)] for s in sentences]
    data = json.dumps({"seed": seed, "per_bucket": per_bucket, "sentences": rows},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    Path(path).write_bytes(gzip.compress(data, mtime=0))


def read_held_out(path: str | Path, seed: int, per_bucket: int) -> tuple[Sentence, ...] | None:
    """The stored sentences, or None when the file was written for another seed or bucket size."""
    data = json.loads(gzip.decompress(Path(path).read_bytes()))
    if (data["seed"], data["per_bucket"]) != (seed, per_bucket):
        return None
    rows = data["sentences"]
    out = []
    for source, english in rows:
        tamil = tuple(source.split())
        out.append(Sentence(tamil, tuple(english.split()), tuple(gloss(t) for t in tamil)))
    return tuple(out)
