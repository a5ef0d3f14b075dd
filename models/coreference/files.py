"""The shipped files: models/weights/coreference.npz (the trained weights) and coreference_snapshots.npz (the
weights at about 16 steps of the same training, step 0 to the last, for the page's "How it formed" slider).

Both are written as zip archives with fixed timestamps and float32 arrays, so rebuilding gives the same bytes.
Loading checks every array against the config stored in the file and raises WeightsError, naming the file and
the rebuild command, for a missing, damaged or foreign file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..npz import write_npz
from .corpus import VOCAB
from .model import ModelConfig, Params, param_shapes

__all__ = ["SNAPSHOTS_PATH", "Snapshot", "WEIGHTS_PATH", "WeightsError", "as_stored", "load_shipped",
           "load_snapshots", "save_shipped", "save_snapshots"]

WEIGHTS_DIR = Path(__file__).resolve().parents[1] / "weights"
WEIGHTS_PATH = WEIGHTS_DIR / "coreference.npz"
SNAPSHOTS_PATH = WEIGHTS_DIR / "coreference_snapshots.npz"
REBUILD = "rebuild it with `python -m models.coreference train`"


class WeightsError(Exception):
    """A shipped file is missing, unreadable or does not match the model; the message says which and how to rebuild."""


class Snapshot(NamedTuple):
    step: int
    params: Params
    heldout_accuracy: float  # on the sentence structures never trained
    loss: float  # mean cross-entropy of the pointer on the held-out structures' sentences


def _header(config: ModelConfig) -> dict[str, np.ndarray]:
    return {"config": np.array(json.dumps(config.to_dict(), sort_keys=True)), "vocab": np.array(VOCAB)}


def _arrays(params: Params, prefix: str = "") -> dict[str, np.ndarray]:
    return {f"{prefix}{k}": v.astype(np.float32) for k, v in params.arrays.items()}


def as_stored(params: Params) -> Params:
    """The weights as the files hold them: rounded to float32 (then float64 again, for the arithmetic)."""
    return Params(params.config, {k: v.astype(np.float32).astype(np.float64) for k, v in params.arrays.items()})


def save_shipped(params: Params, path: str | os.PathLike = WEIGHTS_PATH) -> None:
    write_npz(Path(path), {**_header(params.config), **_arrays(params, "param_")})


def save_snapshots(snapshots: list[Snapshot], path: str | os.PathLike = SNAPSHOTS_PATH) -> None:
    arrays = _header(snapshots[0].params.config)
    arrays |= {"steps": np.array([s.step for s in snapshots], np.int64),
               "heldout_accuracy": np.array([s.heldout_accuracy for s in snapshots]),
               "loss": np.array([s.loss for s in snapshots])}
    for i, s in enumerate(snapshots):
        arrays |= _arrays(s.params, f"s{i:02d}_")
    write_npz(Path(path), arrays)


def _read(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        raise WeightsError(f"weights file {path} is missing; {REBUILD}")
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except Exception as exc:  # truncated, not a zip, bad CRC: all the same to a page
        raise WeightsError(f"weights file {path} is damaged ({type(exc).__name__}: {exc}); {REBUILD}") from None


def _params(path: Path, data: dict[str, np.ndarray], prefix: str) -> Params:
    try:
        config = ModelConfig(**json.loads(str(data["config"])))
        vocab = tuple(str(w) for w in data["vocab"])
    except Exception as exc:
        raise WeightsError(f"weights file {path} has no readable config ({exc}); {REBUILD}") from None
    if vocab != VOCAB:
        raise WeightsError(f"weights file {path} was trained on another vocabulary; {REBUILD}")
    arrays, problems = {}, []
    for name, shape in param_shapes(config).items():
        value = data.get(prefix + name)
        if value is None or value.shape != shape or not np.isfinite(value).all():
            problems.append(name)
        else:
            arrays[name] = value.astype(np.float64)
    if problems:
        raise WeightsError(f"weights file {path} does not match the model (parameters {problems}); {REBUILD}")
    return Params(config, arrays)


def load_shipped(path: str | os.PathLike = WEIGHTS_PATH) -> Params:
    """The trained weights (float64 in memory). WeightsError if missing, damaged or foreign."""
    path = Path(path)
    return _params(path, _read(path), "param_")


def load_snapshots(path: str | os.PathLike = SNAPSHOTS_PATH) -> list[Snapshot]:
    """The training snapshots, step 0 first. WeightsError if missing, damaged or foreign."""
    path = Path(path)
    data = _read(path)
    try:
        steps, acc, loss = (data[k] for k in ("steps", "heldout_accuracy", "loss"))
    except KeyError as exc:
        raise WeightsError(f"snapshots file {path} lacks {exc}; {REBUILD}") from None
    return [Snapshot(int(s), _params(path, data, f"s{i:02d}_"), float(a), float(lo))
            for i, (s, a, lo) in enumerate(zip(steps, acc, loss, strict=True))]
