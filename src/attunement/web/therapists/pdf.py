"""A therapist page printed to PDF by WeasyPrint, which fetches nothing from anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from attunement.errors import AttunementError

STYLE = Path(__file__).with_name("summary.css")


def render(html: str) -> bytes:
    """The HTML as a PDF; every linked resource is refused, so nothing is fetched."""
    try:
        import weasyprint
    except ImportError:
        raise AttunementError(
            "PDF output needs the pdf extra: pip install 'attunement[pdf]'"
        ) from None
    document = weasyprint.HTML(string=html, url_fetcher=_refuse)
    css = weasyprint.CSS(string=STYLE.read_text(encoding="utf-8"), url_fetcher=_refuse)
    return cast(bytes, document.write_pdf(stylesheets=[css]))


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the PDF may not load {url}")
