"""import_xlsform: read the workbook (in a limited worker for outside files), build the form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from forms.isolation import Limits
from forms.model import Form, FormKind, Item, Text
from forms.rules import ID_PATTERN
from forms.workbook import (
    WORKER_LIMITS,
    Sheet,
    WorkbookError,
    read_isolated,
    read_workbook,
    worker_reply,
)

from .cells import cell_at, cell_text, find_sheet, read_header, read_settings
from .choices import read_choices
from .languages import default_language_of
from .problems import Problems, XLSFormErrors, single_error
from .question_types import is_required
from .result import XLSFormImport
from .survey import SurveyReader, as_ids, finish_sections, untranslated


def import_xlsform(
    path: str | Path,
    *,
    form_id: str | None = None,
    kind: FormKind = FormKind.QUESTIONNAIRE,
    sheets: list[Sheet] | None = None,
) -> XLSFormImport:
    """Read an XLSForm workbook and build the form (see the module text for every decision).

    Raises :class:`XLSFormErrors` listing every problem, each naming the sheet and row.
    """
    path = Path(path)
    display = str(path)
    errs = Problems(display)
    if sheets is None:  # else read already, in a worker (import_xlsform_isolated)
        try:
            sheets = read_workbook(path)
        except WorkbookError as exc:
            raise single_error(exc.message, display, sheet=exc.sheet) from None

    survey = find_sheet(sheets, "survey")
    if survey is None:
        names = ", ".join(repr(s.name) for s in sheets) or "none"
        raise single_error(f"no sheet named 'survey' (the sheets are: {names})", display)
    settings = read_settings(find_sheet(sheets, "settings"))
    default_language = default_language_of(settings, errs)
    the_id = _form_id(form_id, settings, path, errs)

    allow_duplicates = is_required(settings.get("allow_choice_duplicates", "")) is True
    choices_found = find_sheet(sheets, "choices")
    lists = read_choices(choices_found, default_language, errs, allow_duplicates)

    cols, header_row = read_header(
        survey,
        ("type", "name", "required", "relevant", "choice_filter", "appearance"),
        ("label", "hint"),
        default_language,
        errs,
    )
    if not header_row:
        raise single_error("the survey sheet is empty", display, sheet=survey.name)
    missing = [needed for needed in ("type", "name") if needed not in cols.single]
    if missing:
        found = ", ".join(cell_text(v) for v in dict(survey.rows)[header_row] if cell_text(v))
        errs.add(
            f"the header row has no {' or '.join(map(repr, missing))} column (found: {found})",
            survey.name,
            header_row,
        )
        raise XLSFormErrors(errs.errors)

    reader = SurveyReader(
        survey.name,
        cols,
        lists,
        choices_found.name if choices_found else "choices",
        default_language,
        errs,
    )
    for number, row in survey.rows:
        if number > header_row:
            reader.row(number, row)
    reader.close()
    if errs.errors:
        raise XLSFormErrors(errs.errors)
    if not reader.builder.sections:
        raise single_error(
            "there are no questions Deltaker can print (every row was skipped: "
            + "; ".join(str(w) for w in errs.warnings[:3])
            + ")"
            if errs.warnings
            else "there are no questions on the survey sheet",
            display,
            sheet=survey.name,
        )

    ignored = sorted(
        h
        for h, i in cols.others.items()
        if not h.startswith("_") and any(cell_at(r, i) for n, r in survey.rows if n > header_row)
    )
    if ignored:
        errs.warn(f"columns not used on paper: {', '.join(ignored)}", survey.name)

    found_languages = reader.languages
    languages = tuple(
        ([default_language] if default_language in found_languages else [])
        + [lang for lang in found_languages if lang != default_language]
    ) or (default_language,)
    title_text = settings.get("form_title") or the_id
    form = Form(
        id=the_id,
        kind=kind,
        title=Text(dict.fromkeys(languages, title_text)),
        sections=finish_sections(
            reader.builder.sections, languages, errs, survey.name, reader.names
        ),
        languages=languages,
        source=display,
    )
    if len(languages) > 1:
        form = _complete_languages(form, errs, survey.name)
    filters = {
        item: replace(cf, expression=as_ids(cf.expression, reader.names) or cf.expression)
        for item, cf in reader.choice_filters.items()
    }
    return XLSFormImport(form, tuple(errs.warnings), filters)


def _complete_languages(form: Form, errs: Problems, sheet: str) -> Form:
    """The form without the languages some question or choice is not written in (one warning
    each, instead of one error per text at ``deltaker check``).

    Paper prints one language per copy: a language column with gaps in the labels
    (CHT forms carry mostly empty ``hi``, ``sw``... columns) is left out, not
    printed half in another language. A missing hint or intro keeps the language,
    and ``deltaker check`` names the gap. When no language is complete, all are kept.
    """
    gaps = {lang: untranslated(form, lang) for lang in form.languages}
    # a language without some question or choice text is a column left mostly empty
    unasked = {
        lang
        for lang, where in gaps.items()
        if any(g.endswith((" label", " title")) or " choice " in g for g in where)
    }
    complete = tuple(lang for lang in form.languages if lang not in unasked)
    for lang in form.languages:
        if gaps[lang] and (lang in complete or not complete):
            count = len(gaps[lang])
            errs.warn(
                f"{count} text{'s have' if count > 1 else ' has'} no {lang!r} version "
                f"(first: {gaps[lang][0]}); another language is shown instead",
                sheet,
            )
        elif gaps[lang]:
            errs.warn(
                f"language {lang!r} left out: {len(gaps[lang])} text(s) have no {lang!r} "
                f"version (first: {gaps[lang][0]}); a form keeps only languages its "
                "questions, choices and section titles are all written in",
                sheet,
            )
    if not complete or complete == form.languages:
        return form

    def only(text: Text | None) -> Text | None:
        if text is None:
            return None
        kept = {k: v for k, v in text.values.items() if k in complete or k == "*"}
        return replace(text, values=kept, easy={k: v for k, v in text.easy.items() if k in kept})

    def item(it: Item) -> Item:
        return replace(
            it,
            label=only(it.label) or it.label,
            hint=only(it.hint),
            choices=tuple(replace(c, label=only(c.label) or c.label) for c in it.choices),
            scale_low=only(it.scale_low),
            scale_high=only(it.scale_high),
        )

    sections = tuple(
        replace(
            sec,
            title=only(sec.title),
            intro=only(sec.intro),
            items=tuple(item(it) for it in sec.items),
        )
        for sec in form.sections
    )
    return replace(
        form, languages=complete, title=only(form.title) or form.title, sections=sections
    )


def _form_id(form_id: str | None, settings: Mapping[str, str], path: Path, errs: Problems) -> str:
    """The id asked for, else the settings' form_id or the file name made into an id."""
    if form_id is not None:
        if not ID_PATTERN.match(form_id):
            raise single_error(
                f"form id {form_id!r} must be lower-case letters, digits, '_' or '-'", str(path)
            )
        return form_id
    wanted = settings.get("form_id") or path.stem
    the_id = re.sub(r"[^a-z0-9_-]+", "-", wanted.lower()).strip("-_")[:63] or "form"
    if the_id != wanted:
        errs.warn(f"form id {wanted!r} is stored as {the_id!r}", "settings")
    return the_id


def import_xlsform_isolated(
    path: str | Path,
    *,
    form_id: str | None = None,
    kind: FormKind = FormKind.QUESTIONNAIRE,
    limits: Limits = WORKER_LIMITS,
) -> XLSFormImport:
    """:func:`import_xlsform` with the workbook read in a worker with memory, CPU and time limits.

    For files from outside (DESIGN.md: untrusted spreadsheets are parsed at arm's
    length). Only the reading of the file, where a hostile workbook can do harm,
    runs in the worker; its cells come back as JSON text, so nothing but plain
    values crosses back, and the form is built from them here.
    """
    display = str(path)
    try:
        reply = read_isolated(
            "forms.xlsform.importer:read_in_worker", {"path": display}, file=display, limits=limits
        )
    except WorkbookError as exc:
        raise single_error(exc.message, exc.file or display, sheet=exc.sheet) from None
    sheets = [
        Sheet(sheet["name"], tuple((int(n), tuple(cells)) for n, cells in sheet["rows"]))
        for sheet in reply
    ]
    return import_xlsform(path, form_id=form_id, kind=kind, sheets=sheets)


def _read_sheets(request: dict[str, Any]) -> list[dict[str, Any]]:
    """In the worker: every sheet, cells as text (as :func:`cell_text` shows them)."""
    return [
        {
            "name": sheet.name,
            "rows": [
                [n, [None if v is None else cell_text(v) for v in cells]] for n, cells in sheet.rows
            ],
        }
        for sheet in read_workbook(request["path"])
    ]


#: The worker's entry (named in import_xlsform_isolated).
read_in_worker = worker_reply(_read_sheets)
