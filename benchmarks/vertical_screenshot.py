"""Screenshot of a vertical chapter of the fixtures' weekly book (docs/img/weekly-vertical.png).

    .venv/bin/python -m benchmarks.vertical_screenshot [--chapter 3] [--out docs/img/…png]

Builds ``digestkit weekly fixtures/ --vertical --embed-fonts --punctuation`` (the seed
was typed with half-width commas, which lie on their side in a column), unpacks it and renders one
chapter's XHTML in headless Chromium (Debian's ``chromium``), so the picture shows what the
embedded Noto subsets and the vertical stylesheet give, not the fonts of this machine's
fontconfig alone. A vertical-rl page grows to the left and headless Chromium captures from the
document's left edge, so the window is made as wide as the chapter and the right-hand end (where
the chapter starts) is cropped out.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit("chromium is not installed (apt-get install chromium)")


def screenshot(xhtml: Path, out: Path, *, width: int, height: int, scale: float = 1.0) -> None:
    """Render ``xhtml`` headless at ``width``×``height`` CSS px into ``out`` (PNG)."""
    subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--virtual-time-budget=10000", f"--force-device-scale-factor={scale}",
         f"--window-size={width},{height}", f"--screenshot={out}", xhtml.as_uri()],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip


def main() -> None:
    from PIL import Image

    import digestkit

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chapter", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "weekly-vertical.png")
    ap.add_argument("--crop", type=int, default=760, help="width kept (CSS px)")
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--scale", type=float, default=1.25)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "w.epub"
        digestkit.weekly(
            ROOT / "fixtures",
            book,
            vertical=True,
            embed_fonts=True,
            punctuation=True,
            progress=False,
        )
        with zipfile.ZipFile(book) as zf:
            zf.extractall(Path(tmp) / "book")
        page = Path(tmp) / "book" / "EPUB" / f"chapter-{args.chapter:03d}.xhtml"
        wide = Path(tmp) / "wide.png"
        screenshot(page, wide, width=8000, height=args.height, scale=args.scale)
        im = Image.open(wide)
        # the chapter's columns end where the ink ends; keep the right-hand ``crop`` px
        bbox = Image.eval(im.convert("L"), lambda v: 255 - v).getbbox() or (0, 0, *im.size)
        right = bbox[2] + int(16 * args.scale)
        left = max(0, right - int(args.crop * args.scale))
        im.crop((left, 0, right, im.size[1])).save(args.out, optimize=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
