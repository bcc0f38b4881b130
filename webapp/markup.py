"""A small Markdown subset for letters: paragraphs, headings, lists, bold; everything escaped.

Phone numbers and e-mail addresses in a text become ``tel:`` and ``mailto:``
links, so a person on a phone can call or write with one tap.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^\s*[-*]\s+")


#: an e-mail address as letters write them (no quoted local parts)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
#: a Norwegian phone number: eight digits, maybe in groups, maybe after +47; never
#: part of a longer run of digits (an organisation or account number)
_PHONE = re.compile(
    r"(?<![\d+])(?<!\d[ \u00a0])(?:\+47[ \u00a0]?)?\d(?:[ \u00a0]?\d){7}(?![ \u00a0]?\d)"
)


def _links(escaped: str) -> str:
    """``escaped`` (already HTML-escaped) with its phone numbers and e-mail addresses linked."""

    def email(match: re.Match[str]) -> str:
        return f'<a href="mailto:{match.group()}">{match.group()}</a>'

    def phone(match: re.Match[str]) -> str:
        digits = re.sub(r"[^\d+]", "", match.group())
        number = digits if digits.startswith("+") else "+47" + digits
        return f'<a href="tel:{number}">{match.group()}</a>'

    # addresses first, then numbers only outside the links just made
    parts = re.split(r"(<a [^>]*>.*?</a>)", _EMAIL.sub(email, escaped))
    return "".join(p if p.startswith("<a ") else _PHONE.sub(phone, p) for p in parts)


def contact_links(text: str) -> Markup:
    """``text`` escaped, its phone numbers as ``tel:`` and e-mail addresses as ``mailto:`` links."""
    return Markup(_links(str(escape(text))))


def _inline(text: str) -> str:
    return _links(_BOLD.sub(lambda m: f"<strong>{m.group(1)}</strong>", str(escape(text))))


def letter_html(text: str, *, top_heading: int = 2) -> Markup:
    """HTML for a letter body; ``#`` headings start at ``top_heading`` (the page has the h1)."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        heading = re.match(r"^(#{1,4})\s+(.*)$", lines[0])
        if heading and len(lines) == 1:
            level = min(6, top_heading + len(heading.group(1)) - 1)
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif all(_BULLET.match(line) for line in lines):
            items = "".join("<li>" + _inline(_BULLET.sub("", line)) + "</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return Markup("\n".join(out))
