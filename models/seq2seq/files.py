"""The shipped weights on disk: models/weights/attention.npz and models/weights/no_attention.npz.

Saving writes a temporary file and renames it, so the app never finds a half-written one. Loading checks the file
against a freshly built model of the stored config and raises WeightsError, saying how to rebuild, for a missing,
corrupt or foreign file.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ..npz import write_npz
from .model import MODEL_NAMES, Config, Seq2Seq, init_model

__all__ = ["WEIGHTS_DIR", "WeightsError", "load_model", "load_models", "parameter_count", "save_model",
           "training_settings", "weights_dir", "weights_path"]

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


def save_model(model: Seq2Seq, path: str | os.PathLike, training: Mapping | None = None) -> None:
    """Write the weights, the config and vocabularies, and (when given) the training settings they were trained
    with, so a check can compare the two models' training from the files alone."""
    arrays = {"config": np.array(json.dumps(asdict(model.config))), "src_vocab": np.array(model.src_vocab),
              "tgt_vocab": np.array(model.tgt_vocab),
              **({"training": np.array(json.dumps(dict(training), sort_keys=True))} if training is not None else {}),
              **{f"param_{k}": v.astype(np.float32) for k, v in model.params.items()}}
    write_npz(path, arrays)


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


def training_settings(path: str | os.PathLike) -> dict | None:
    """The training settings saved with a weights file (steps, batch size, learning rates, ...), None if absent."""
    try:
        with np.load(Path(path), allow_pickle=False) as data:
            return json.loads(str(data["training"])) if "training" in data.files else None
    except Exception as exc:
        raise WeightsError(f"weights file {path} is unreadable ({type(exc).__name__}: {exc}); {_REBUILD}") from None


def parameter_count(model: Seq2Seq) -> int:
    """How many trained numbers the model has (embeddings, GRUs, attention, output layer)."""
    return int(sum(v.size for v in model.params.values()))


def load_models() -> dict[str, Seq2Seq]:
    """Both shipped models, by name."""
    return {name: load_model(name) for name in MODEL_NAMES}
