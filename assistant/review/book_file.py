"""`./wegwijzer gespreksboek`: the conversation book as one HTML file (its style sheet inside, so
it opens anywhere and prints well), and as PDF with Debian's Chromium when asked."""

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Optional

from assistant.content import municipal_directory
from assistant.content.override_checks import override_store
from assistant.review.book import Book, build_book
from assistant.review.texts import place_for
from assistant.runtime.widget_setup import CHROMIUM
from assistant.settings import WEB_PUBLIC_DIR
from assistant.staff.pages import templates

STYLE_SHEET = WEB_PUBLIC_DIR / "beheer" / "boek.css"


def book_html(book: Book) -> str:
    return templates.get_template("boek_los.html").render(boek=book, stijl=STYLE_SHEET.read_text(encoding="utf-8"))


def write_book(code: Optional[str], folder: Path, pdf: bool = False) -> List[Path]:
    """Writes gespreksboek[-<code>].html (and .pdf) into `folder`; returns the files written."""
    place = None
    if code:
        directory = municipal_directory.load()
        place = place_for(code, directory, override_store(directory))
        if place is None:
            raise SystemExit(f"Gemeente {code} ken ik niet. Gebruik een CBS-code, bijvoorbeeld GM0363.")
    folder.mkdir(parents=True, exist_ok=True)
    html = folder / f"gespreksboek{'-' + code if code else ''}.html"
    html.write_text(book_html(build_book(place)), encoding="utf-8")
    written = [html]
    if pdf:
        written.append(_print_to_pdf(html))
    return written


def _print_to_pdf(html: Path) -> Path:
    """Chromium prints the page with the book's print style (A4, no browser header or footer)."""
    if not CHROMIUM.exists():
        raise SystemExit(f"Voor een PDF is Chromium nodig ({CHROMIUM}): apt-get install -y chromium")
    pdf = html.with_suffix(".pdf")
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"]
    subprocess.run(
        [*command, f"--print-to-pdf={pdf}", html.resolve().as_uri()], check=True, capture_output=True, timeout=120
    )
    return pdf


def main(argv: List[str]) -> None:
    parser = argparse.ArgumentParser(prog="wegwijzer gespreksboek", description=__doc__)
    parser.add_argument("--gemeente", help="het boek van deze gemeente (CBS-code, bijvoorbeeld GM0363)")
    parser.add_argument("--out", type=Path, required=True, help="de map waar het boek komt")
    parser.add_argument("--pdf", action="store_true", help="ook als PDF (met Chromium)")
    arguments = parser.parse_args(argv)
    started = time.perf_counter()
    written = write_book(arguments.gemeente.upper() if arguments.gemeente else None, arguments.out, arguments.pdf)
    for path in written:
        print(f"Geschreven: {path}")
    print(f"Klaar in {time.perf_counter() - started:.1f} s.", file=sys.stderr)
