"""A coarse, human description of a browser ("Firefox on Android") from its User-Agent header.

Only the description is stored, never the header itself: it is enough for a person
to recognise their own devices, and too little to fingerprint anyone.
"""

from __future__ import annotations

import re

# Order matters: many browsers also name the ones they are built on.
BROWSERS = [
    (r"\bEdg(?:e|A|iOS)?/", "Edge"),
    (r"\b(?:OPR|Opera)/", "Opera"),
    (r"\bSamsungBrowser/", "Samsung Internet"),
    (r"\b(?:Firefox|FxiOS)/", "Firefox"),
    (r"\b(?:Chrome|Chromium|CriOS)/", "Chrome"),
    (r"\bVersion/[\d.]+.*\bSafari/", "Safari"),
]
SYSTEMS = [
    (r"\biPad\b", "iPad"),
    (r"\biPhone\b", "iPhone"),
    (r"\bAndroid\b", "Android"),
    (r"\bCrOS\b", "ChromeOS"),
    (r"\bWindows\b", "Windows"),
    (r"\bMac OS X\b|\bMacintosh\b", "macOS"),
    (r"\bLinux\b", "Linux"),
]
UNKNOWN = "Unknown browser"
MAX_LENGTH = 60


def describe(user_agent: str) -> str:
    """ "Chrome on Linux", "Safari on iPhone", "Firefox", or "Unknown browser"."""
    browser = _first(BROWSERS, user_agent)
    system = _first(SYSTEMS, user_agent)
    if browser and system:
        return f"{browser} on {system}"
    if system:
        return f"A browser on {system}"
    return browser or UNKNOWN


def _first(table: list[tuple[str, str]], user_agent: str) -> str:
    return next((name for pattern, name in table if re.search(pattern, user_agent)), "")
