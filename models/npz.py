"""Weights files that are byte-identical for identical arrays, so a retrain can be checked with sha256."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

__all__ = ["write_npz"]


def write_npz(path: str | os.PathLike, arrays: Mapping[str, np.ndarray]) -> None:
    """A .npz NumPy can load, written by hand rather than with np.savez_compressed, which stamps each member with
    the current time: fixed timestamps and a fixed order give the same bytes for the same arrays. Written beside the
    target and moved into place, so the app never finds a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())
    os.replace(tmp, path)
