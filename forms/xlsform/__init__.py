"""Import an XLSForm (.xlsx or old .xls) as a Deltaker form.

XLSForm is the spreadsheet format of ODK and KoboToolbox: a ``survey`` sheet (a
row per question), a ``choices`` sheet (the answer lists) and an optional
``settings`` sheet. ``import_xlsform(path)`` returns an :class:`XLSFormImport`
with the :class:`forms.model.Form` and the warnings about what was left out.
Every problem is an :class:`XLSFormError` naming the file, the sheet, the row
and what to fix; all problems of one file are raised together in
:class:`XLSFormErrors` (a :class:`forms.errors.DefinitionErrors`). A broken or
hostile file is never a traceback.

Decisions (a paper form cannot do everything a phone app does):

* Types: ``text``/``string``/``phone number`` -> short text (long text when the
  appearance holds ``multiline``); ``integer``/``int``/``decimal`` -> number;
  ``date``; ``note`` -> information text; ``select_one L`` / ``select one from L``
  -> single choice; ``select_multiple L`` / ``select all that apply from L`` ->
  multiple choice. Choice lists keep their values and order.
* ``or_other`` (and the old ``or specify other``) adds a choice ``other``
  ("Other") and a short-text item ``<name>_other`` shown when ``other`` is
  picked, as ODK does.
* Metadata and computed fields (``start``, ``end``, ``today``, ``deviceid``,
  ``calculate``, ``hidden``, ...) have nothing to print: skipped with a warning.
* Everything a paper form cannot hold (``geopoint``, ``image``, ``audio``,
  ``time``, repeats, loops, external choice files, ...) is an error naming the
  row and the type. A repeat's contents are not reported again.
* Groups become sections. A group at any depth is a section of its own, in sheet
  order (nested groups are flattened); questions that follow a nested group
  inside its parent go into a continuation section ``<parent>__2``, ``__3``...
  with the parent's title. Questions outside any group go into sections
  ``section_1``, ``section_2``... A group's ``relevant`` is joined with ``and``
  onto each question inside it; its hint becomes the section's introduction.
* ``relevant`` is kept as a string on the item (the web form may use it; paper
  prints every question). A note's ``relevant`` must be one answer to one
  choice question (paper prints it in words, forms.references); any other
  conditional note is left out with a warning. ``${name}`` in a text becomes
  ``{{id}}`` for a question (a blank line on paper, the earlier answer on the
  web), else a blank line, with a warning. ``choice_filter`` and the extra columns of the choices
  sheet it refers to are kept in :attr:`XLSFormImport.choice_filters`; paper
  prints every choice. A conditional ``required`` (an expression) becomes not
  required, with a warning.
* Names become ids in lower case (warned when that changes them; ``${Name}``
  references follow); an id, and a choice name, must fit Deltaker's stable keys
  (letters, digits, ``_`` and ``-``). A choice question needs two choices.
* HTML and Markdown in labels and hints (shown by ODK on a phone) are removed,
  with a warning: paper prints plain text.
* Languages: ``label::English (en)`` takes the code in brackets; ``label::English``,
  ``label:Norsk`` and the like are looked up by name in ``langcodes``' table of
  language names in every language (English -> en, Norsk/Norwegian Bokmål -> nb,
  Nynorsk -> nn, Tetun -> tet, Português -> pt, Kiswahili -> sw, ...), exactly:
  a name the table does not have is an error, not a guess; a bare code
  (``label::nb``) is used as it is when it is a real code. ``label`` without a language is the
  settings' ``default_language``, else ``en``. Headers and sheet names are read
  without regard to case, spaces or underscores (``list name`` = ``list_name``).
* Duplicate choices in one list are an error, unless the settings say
  ``allow_choice_duplicates: yes``; then the first is kept, with a warning.
"""

from forms.workbook import read_workbook

from .cells import plain_text
from .form_file import form_yaml
from .importer import import_xlsform, import_xlsform_isolated
from .languages import LANGUAGE_NAMES, language_code
from .problems import ImportWarning, XLSFormError, XLSFormErrors
from .question_types import SIMPLE_TYPES, SKIPPED_TYPES, UNSUPPORTED_TYPES
from .result import ChoiceFilter, XLSFormImport

__all__ = [
    "LANGUAGE_NAMES",
    "SIMPLE_TYPES",
    "SKIPPED_TYPES",
    "UNSUPPORTED_TYPES",
    "ChoiceFilter",
    "ImportWarning",
    "XLSFormError",
    "XLSFormErrors",
    "XLSFormImport",
    "form_yaml",
    "import_xlsform",
    "import_xlsform_isolated",
    "language_code",
    "plain_text",
    "read_workbook",
]
