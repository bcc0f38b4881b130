"""Stream many small reportlab PDFs into one PDF file, with memory flat in their number.

reportlab keeps every page of a document in memory until ``save()``. A batch run
renders a few packs at a time into a small PDF in memory and appends it here:
its objects are renumbered and written straight to the output file; only the
page references and byte offsets are kept (a few bytes per page) to write the
page tree and the cross-reference table at the end.

Only PDFs written by reportlab (classic xref table, direct /Length) are
accepted: this is not a general PDF merger.
"""

from __future__ import annotations

import gc
import re
from array import array
from collections.abc import Callable
from typing import BinaryIO

_REF = re.compile(rb"(\d+) 0 R\b")
_XREF_START = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_LENGTH = re.compile(rb"/Length (\d+)")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")


class PdfJoinError(Exception):
    """An appended PDF is not in the shape reportlab writes (a bug, not bad user input)."""


class PdfJoiner:
    """Append whole PDFs page by page to ``out`` (a binary file opened for writing)."""

    PAGES_ID = 1
    CATALOG_ID = 2
    INFO_ID = 3

    def __init__(self, out: BinaryIO, *, title: str = ""):
        self.out = out
        self.title = title
        # Plain machine integers (8 bytes each, not Python ints): these are the only
        # things that grow with the number of pages.
        self.offsets = array("q", [0, 0, 0, 0])  # index = object number; 1-3 written at close
        self.kids = array("q")
        self.pos = 0
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    @property
    def page_count(self) -> int:
        return len(self.kids)

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.pos += len(data)

    def append(self, pdf: bytes) -> int:
        """Copy every page of ``pdf`` to the end of the output; returns how many."""
        objects = _objects(pdf)
        trailer = pdf[pdf.rfind(b"trailer") :]
        root = _ref(trailer, b"/Root")
        info = _ref(trailer, b"/Info")
        pages_root = _ref(objects[root][0], b"/Pages")
        page_ids: list[int] = []
        tree_nodes: set[int] = set()
        _walk(objects, pages_root, page_ids, tree_nodes)
        skip = {root, info, *tree_nodes}
        numbers: dict[int, int] = {node: self.PAGES_ID for node in tree_nodes}
        for old in sorted(objects):
            if old not in skip:
                numbers[old] = len(self.offsets)
                self.offsets.append(0)

        def renumber(match: re.Match[bytes]) -> bytes:
            old = int(match[1])
            if old not in numbers:
                raise PdfJoinError(f"reference to unknown object {old}")
            return b"%d 0 R" % numbers[old]

        for old in sorted(objects):
            if old in skip:
                continue
            head, stream = objects[old]
            new = numbers[old]
            self.offsets[new] = self.pos
            self._write(b"%d 0 obj\n" % new + _REF.sub(renumber, head) + stream + b"endobj\n")
        self.kids.extend(numbers[p] for p in page_ids)
        return len(page_ids)

    def close(self) -> None:
        """Write the page tree, catalog, info, cross-reference table and trailer."""
        kids = b" ".join(b"%d 0 R" % k for k in self.kids)
        self.offsets[self.PAGES_ID] = self.pos
        self._write(
            b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [ %s ] >>\nendobj\n"
            % (self.PAGES_ID, len(self.kids), kids)
        )
        self.offsets[self.CATALOG_ID] = self.pos
        self._write(
            b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n"
            % (self.CATALOG_ID, self.PAGES_ID)
        )
        self.offsets[self.INFO_ID] = self.pos
        self._write(
            b"%d 0 obj\n<< /Producer (Deltaker) /Title (%s) >>\nendobj\n"
            % (self.INFO_ID, _pdf_string(self.title))
        )
        xref = self.pos
        lines = [b"xref\n0 %d\n" % len(self.offsets), b"0000000000 65535 f \n"]
        lines += [b"%010d 00000 n \n" % offset for offset in self.offsets[1:]]
        self._write(b"".join(lines))
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(self.offsets), self.CATALOG_ID, self.INFO_ID, xref)
        )


def _pdf_string(text: str) -> bytes:
    safe = text.encode("latin-1", "replace")
    return safe.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _ref(data: bytes, key: bytes) -> int:
    match = re.search(re.escape(key) + rb"\s+(\d+) 0 R", data)
    if not match:
        raise PdfJoinError(f"no {key.decode()} reference")
    return int(match[1])


def _walk(
    objects: dict[int, tuple[bytes, bytes]], node: int, pages: list[int], tree: set[int]
) -> None:
    head = objects[node][0]
    if b"/Type /Pages" in head:
        tree.add(node)
        kids = _KIDS.search(head)
        if not kids:
            raise PdfJoinError(f"page tree node {node} has no /Kids")
        for kid in _REF.finditer(kids[1]):
            _walk(objects, int(kid[1]), pages, tree)
    else:
        pages.append(node)


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Every object as (dictionary part, stream part incl. keywords) from the xref table."""
    start = _XREF_START.search(pdf)
    if not start:
        raise PdfJoinError("no startxref")
    pos = int(start[1])
    header = re.compile(rb"xref\s+0 (\d+)\s+").match(pdf, pos)
    if not header:
        raise PdfJoinError("no classic xref table")
    count = int(header[1])
    table = pdf[header.end() : header.end() + 20 * count]
    objects: dict[int, tuple[bytes, bytes]] = {}
    for number in range(1, count):
        entry = table[20 * number : 20 * number + 20]
        if entry[17:18] != b"n":
            continue
        offset = int(entry[:10])
        body_start = pdf.index(b"obj", offset) + 3
        end = pdf.index(b"endobj", body_start)
        stream_at = pdf.find(b"stream", body_start, end)
        if stream_at < 0:
            objects[number] = (pdf[body_start:end].lstrip(b"\r\n") or b"null\n", b"")
            continue
        head = pdf[body_start:stream_at]
        length = _LENGTH.search(head)
        if not length:
            raise PdfJoinError(f"stream object {number} without a direct /Length")
        data_start = stream_at + len(b"stream")
        data_start += 2 if pdf[data_start : data_start + 2] == b"\r\n" else 1
        data_end = data_start + int(length[1])
        tail = pdf.index(b"endstream", data_end) + len(b"endstream")
        objects[number] = (
            head.lstrip(b"\r\n"),
            b"stream\n" + pdf[data_start:data_end] + pdf[data_end:tail] + b"\n",
        )
    return objects


def release_memory() -> None:
    """Give memory freed by a finished chunk back to the system (glibc keeps it otherwise).

    reportlab builds each chunk from many short-lived strings; without this, a
    long run's resident size creeps up by fragmentation (bench/letters.py:
    +7 % from 100 to 1,000 packs without, about +3 % with).
    """
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes
        import ctypes.util

        name = ctypes.util.find_library("c")
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return None


_MALLOC_TRIM = _malloc_trim()
