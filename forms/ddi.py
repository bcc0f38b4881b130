"""The codebook as DDI-Codebook 2.5 XML: what archives (Sikt, ICPSR, CESSDA) read.

``ddi_codebook(forms, title=..., language=...)`` is pure and returns the XML
document as bytes; the variables are the results columns of forms.codebook
(the names ``deltaker export`` writes), one ``fileDscr`` per form (its
``results.<form>`` file) and one ``var`` per column with its label, question
text, categories (value and label of every option; 1/0 for a multiple-choice
option's column) and format. The document is valid against the DDI Alliance's
XML schema (tests/forms/data/ddi holds it, with its source and licence).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from forms.codebook import Column, columns
from forms.model import Form, ItemType, Text

NAMESPACE = "ddi:codebook:2_5"
SCHEMA_LOCATION = "https://ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: Item types whose columns hold numbers (the rest hold text or dates).
NUMERIC_TYPES = frozenset(
    {
        ItemType.SINGLE_CHOICE,
        ItemType.MULTIPLE_CHOICE,
        ItemType.YES_NO,
        ItemType.SCALE,
        ItemType.NUMBER,
        ItemType.CONSENT,
    }
)
#: Whether a column's values are categories ("discrete") or measured ("contin").
CONTINUOUS_TYPES = frozenset({ItemType.NUMBER})


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), attrs)
    if text is not None:
        element.text = text
    return element


def _text(text: Text | None, language: str) -> str:
    return " ".join(text.get(language).split()) if text is not None else ""


def _variable(parent: ET.Element, column: Column, number: int, file_id: str, language: str) -> None:
    item = column.item
    var = _sub(
        parent,
        "var",
        ID=f"V{number}",
        name=column.name,
        files=file_id,
        intrvl="contin" if item.type in CONTINUOUS_TYPES else "discrete",
    )
    question = _text(item.label, language)
    if column.value is not None:
        option = next(o for o in item.options() if o.value == column.value)
        _sub(var, "labl", f"{question}: {_text(option.label, language)}")
    else:
        _sub(var, "labl", question)
    qstn = _sub(var, "qstn")
    _sub(qstn, "qstnLit", question)
    if item.hint is not None:
        _sub(qstn, "ivuInstr", _text(item.hint, language))
    if column.value is not None:
        categories = [("1", "marked"), ("0", "not marked")]
    elif item.type in (ItemType.SINGLE_CHOICE, ItemType.YES_NO, ItemType.CONSENT):
        categories = [(o.value, _text(o.label, language)) for o in item.options()]
    elif item.type == ItemType.SCALE:
        categories = [(o.value, o.value) for o in item.options()]
        categories[0] = (categories[0][0], _text(item.scale_low, language) or categories[0][0])
        categories[-1] = (categories[-1][0], _text(item.scale_high, language) or categories[-1][0])
    else:
        categories = []
    for value, label in categories:
        category = _sub(var, "catgry")
        _sub(category, "catValu", value)
        _sub(category, "labl", label)
    attrs = {"type": "numeric" if item.type in NUMERIC_TYPES else "character", "schema": "other"}
    if item.type == ItemType.DATE:
        attrs |= {"category": "date", "formatname": "YYYY-MM-DD"}
    _sub(var, "varFormat", **attrs)


def ddi_codebook(
    forms: Sequence[Form],
    *,
    title: str,
    language: str,
    produced: dt.date | None = None,
) -> bytes:
    """The DDI-Codebook 2.5 document describing every results column of ``forms``."""
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("xsi", _XSI)
    root = ET.Element(
        _q("codeBook"),
        {
            "version": "2.5",
            f"{{{_XSI}}}schemaLocation": f"{NAMESPACE} {SCHEMA_LOCATION}",
            _XML_LANG: language,
        },
    )
    doc = _sub(root, "docDscr")
    doc_citation = _sub(doc, "citation")
    _sub(_sub(doc_citation, "titlStmt"), "titl", f"Codebook: {title}")
    production = _sub(doc_citation, "prodStmt")
    day = (produced or dt.date.today()).isoformat()
    _sub(production, "prodDate", day, date=day)
    _sub(production, "software", "Deltaker")
    study = _sub(root, "stdyDscr")
    _sub(_sub(_sub(study, "citation"), "titlStmt"), "titl", title)
    for n, form in enumerate(forms, start=1):
        file = _sub(root, "fileDscr", ID=f"F{n}")
        text = _sub(file, "fileTxt")
        _sub(text, "fileName", f"results.{form.id}")
        _sub(text, "fileCont", _text(form.title, language))
    data = _sub(root, "dataDscr")
    number = 0
    for n, form in enumerate(forms, start=1):
        for column in columns(form):
            number += 1
            _variable(data, column, number, f"F{n}", language)
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
