"""The shipped weights on disk: models/weights/attention.npz and models/weights/no_attention.npz.

Saving writes a temporary file and renames it, so the app never finds a half-written one. Loading checks the file
against a freshly built model of the stored config and raises WeightsError, saying how to rebuild, for a missing,
corrupt or foreign file.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .model import MODEL_NAMES, Config, Seq2Seq, init_model

__all__ = ["WEIGHTS_DIR", "WeightsError", "load_model", "load_models", "save_model", "weights_dir", "weights_path"]

WEIGHTS_DIR = Path(__file__).resolve().parents[1] / "weights"  # models/weights
_REBUILD = "rebuild them with `python -m models.seq2seq train`"


class WeightsError(Exception):
    """A shipped weights file is missing, unreadable or inconsistent; the message says which and how to rebuild."""


def weights_dir() -> Path:
    """The folder the shipped weights are read from: the package's `models.seq2seq.WEIGHTS_DIR`, read at each call,
    so setting that one attribute (as tests do) points every loader of the package at another folder."""
    package = sys.modules.get(__package__)
    return Path(getattr(package, "WEIGHTS_DIR", WEIGHTS_DIR))


def weights_path(name: str) -> Path:
    if name not in MODEL_NAMES:
        raise ValueError(f"model name must be one of {MODEL_NAMES}, got {name!r}")
    return weights_dir() / f"{name}.npz"


def save_model(model: Seq2Seq, path: str | os.PathLike) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(
        tmp,
        config=np.array(json.dumps(asdict(model.config))),
        src_vocab=np.array(model.src_vocab),
        tgt_vocab=np.array(model.tgt_vocab),
        **{f"param_{k}": v.astype(np.float32) for k, v in model.params.items()},
    )
    os.replace(tmp, path)  # never leave a half-written file where the app looks


def load_model(name: str = "attention", path: str | os.PathLike | None = None) -> Seq2Seq:
    """Load shipped weights ("attention" or "no_attention"). WeightsError if missing, corrupt or inconsistent."""
    path = Path(path) if path is not None else weights_path(name)
    if not path.is_file():
        raise WeightsError(f"weights file {path} is missing; {_REBUILD}")
    try:
        with np.load(path, allow_pickle=False) as data:
            config = Config(**json.loads(str(data["config"])))
            src_vocab = tuple(str(w) for w in data["src_vocab"])
            tgt_vocab = tuple(str(w) for w in data["tgt_vocab"])
            params = {k[6:]: data[k] for k in data.files if k.startswith("param_")}
    except Exception as exc:  # truncated, not a zip, bad CRC, missing keys, foreign config: all the same to a page
        raise WeightsError(f"weights file {path} is corrupt ({type(exc).__name__}: {exc}); {_REBUILD}") from None
    expected = init_model(config, dtype=np.float32)
    problems = [k for k in expected.params if k not in params or params[k].shape != expected.params[k].shape]
    problems += [k for k, v in params.items() if not np.isfinite(v).all()]
    if problems or src_vocab != expected.src_vocab or tgt_vocab != expected.tgt_vocab:
        what = f"parameters {sorted(set(problems))}" if problems else "vocabularies"
        raise WeightsError(f"weights file {path} does not match the model ({what} differ); {_REBUILD}")
    return Seq2Seq(config, params, src_vocab, tgt_vocab)


def load_models() -> dict[str, Seq2Seq]:
    """Both shipped models, by name."""
    return {name: load_model(name) for name in MODEL_NAMES}
