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
WIDTH, TOP = 700, 1100  # output width; how much of the page's top (in source pixels) to keep


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for info in PAGES:
        stem = Path(info.path).stem
        source = SOURCE / f"{stem}.png"
        if not source.exists():
            print(f"missing {source.relative_to(ROOT)}: run the e2e tests first")
            continue
        with Image.open(source) as im:
            top = im.crop((0, 0, im.width, min(im.height, TOP)))
            small = top.resize((WIDTH, round(top.height * WIDTH / top.width)), Image.LANCZOS).convert("P", palette=Image.ADAPTIVE, colors=128)
            small.save(TARGET / f"{stem}.png", optimize=True)
        print(f"wrote {(TARGET / f'{stem}.png').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
