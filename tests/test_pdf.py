"""One PDF path for the report and the therapist's summary, and it fetches nothing."""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from attunement import pdf
from attunement.errors import AttunementError


@pytest.fixture
def loopback_server():
    """A server on a loopback port that counts every request made to it."""
    hits: list[str] = []

    class Counting(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_a_printed_document_fetches_none_of_what_it_links_to(loopback_server, tmp_path):
    pytest.importorskip("weasyprint")
    address, hits = loopback_server
    local = tmp_path / "secret.css"
    local.write_text("body { color: red }")
    html = f"""<!doctype html><html><head>
        <link rel="stylesheet" href="{address}/style.css">
        <link rel="stylesheet" href="file://{local}">
        <style>@import url("{address}/imported.css");
        @font-face {{ font-family: x; src: url("{address}/font.woff2"); }}</style>
        </head><body><p>Words</p><img src="{address}/picture.png" alt="a picture"></body></html>"""

    document = pdf.print_html(html, css=f'body {{ background: url("{address}/background.png") }}')

    assert document.startswith(b"%PDF")
    assert hits == []


def test_the_refusal_names_the_address():
    with pytest.raises(ValueError, match=r"may not load http://example\.invalid/x\.png"):
        pdf.refuse("http://example.invalid/x.png")


def test_without_weasyprint_printing_asks_for_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(AttunementError, match=r"pip install 'attunement\[pdf\]'"):
        pdf.print_html("<p>x</p>")
