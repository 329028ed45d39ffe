"""The one way Attunement prints HTML to PDF: WeasyPrint (the `pdf` extra), fetching nothing.

Every resource a document links to — an image, a stylesheet, a font, over the network
or from a file — is refused, so a PDF is made only from the HTML and CSS given here.
The couple report (`attunement.insight.render.to_pdf`, the CLI and the web page) and the
therapist's session summary both come through `print_html`.
"""

from __future__ import annotations

from typing import Any, cast

from attunement.errors import AttunementError


def print_html(html: str, css: str | None = None) -> bytes:
    """The HTML (with an optional stylesheet) as a PDF document; nothing is fetched."""
    try:
        import weasyprint
        from weasyprint.urls import URLFetcher
    except ImportError:
        raise AttunementError(
            "PDF output needs the pdf extra: pip install 'attunement[pdf]'"
        ) from None

    class Refusing(URLFetcher):  # type: ignore[misc]
        """WeasyPrint's fetcher for this document: every address is refused."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            refuse(url)

    fetcher = Refusing()
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    stylesheets = [weasyprint.CSS(string=css, url_fetcher=fetcher)] if css else []
    return cast(bytes, document.write_pdf(stylesheets=stylesheets))


def refuse(url: str) -> None:
    """Refuse one address (WeasyPrint then leaves the resource out and goes on)."""
    raise ValueError(f"the PDF may not load {url}")
