"""Small README pictures from the e2e run's full-page screenshots: the top of each page, 700 px wide.

    python -m pytest tests/e2e        # writes artifacts/screenshots/<page>.png
    python -m tests.e2e.readme_screenshots
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from playground.navigation import PAGES

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "artifacts" / "screenshots"
TARGET = ROOT / "docs" / "screenshots"
WIDTH, TOP = 700, 1100 / 1400  # output width; how much of the page's top to keep, as height / source width
# The README's feature pictures: e2e screenshot stem -> (README picture stem, output width, top kept)
FEATURES = {
    "guess_revealed": ("feature_guess", WIDTH, TOP),
    "lesson_step7_answered": ("feature_lesson", WIDTH, TOP),
    "display_colorblind_multi_head": ("feature_colorblind", WIDTH, TOP),
    "layout_phone_self_attention": ("feature_phone", 300, 844 / 390),  # one phone screen
}


def shrink(stem: str, target: str, width: int, top: float = TOP) -> None:
    """The top of artifacts/screenshots/<stem>.png, `width` px wide, as docs/screenshots/<target>.png."""
    source = SOURCE / f"{stem}.png"
    if not source.exists():
        print(f"missing {source.relative_to(ROOT)}: run the e2e tests first")
        return
    with Image.open(source) as im:
        part = im.crop((0, 0, im.width, min(im.height, round(top * im.width))))
        small = part.resize((width, round(part.height * width / part.width)), Image.LANCZOS)
        small.convert("P", palette=Image.ADAPTIVE, colors=128).save(TARGET / f"{target}.png", optimize=True)
    print(f"wrote {(TARGET / f'{target}.png').relative_to(ROOT)}")


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for info in PAGES:
        shrink(Path(info.path).stem, Path(info.path).stem, WIDTH)
    for stem, (target, width, top) in FEATURES.items():
        shrink(stem, target, width, top)


if __name__ == "__main__":
    main()
