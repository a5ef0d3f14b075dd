"""python -m models.toy_tamil: rewrite the shipped held-out set (models/weights/held_out.json.gz) from the sampler."""

from .files import HELD_OUT_FILE, write_held_out
from .sampler import DEFAULT_SEED, N_TEST_PER_BUCKET, sample_held_out

__all__ = ["main"]


def main() -> None:
    write_held_out(HELD_OUT_FILE, sample_held_out(DEFAULT_SEED, N_TEST_PER_BUCKET), DEFAULT_SEED, N_TEST_PER_BUCKET)
    print(f"wrote {HELD_OUT_FILE}")


if __name__ == "__main__":
    main()
