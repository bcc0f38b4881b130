"""study.yaml `consent_changes:`: the study author's mark on each changed consent text.

A good mark loads into the model (and the model into the database and back);
every kind of bad mark is one clear message with study.yaml's line, and
`deltaker study load` then writes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from forms.errors import DefinitionErrors
from forms.load import load_study
from forms.model import ChangeKind
from forms.version import study_text_version
from tests.webapp.pipeline import EXAMPLE

GOOD = """
consent_changes:
  - item: audio
    version: 3f2a9c1e
    kind: material
    reason: The sound is now shared with a second researcher.
    what_changed:
      nb: Nå får også en annen forsker høre lydopptaket.
      nn: No får også ein annan forskar høyre lydopptaket.
      en: Now another researcher will also hear the sound recording.
  - item: quotes
    version: 3f2a9c1e
    kind: minor
    reason: A typo.
"""


def _study(tmp_path: Path, marks: str) -> tuple[Path, int]:
    """A copy of the example study with ``marks`` appended; the line the marks start on."""
    folder = tmp_path / "study"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "study.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    first = text.count("\n") + 1  # the line of the "consent_changes:" key (marks start with \n)
    path.write_text(text + marks.lstrip("\n"), encoding="utf-8")
    return folder, first


def test_good_marks_load(tmp_path):
    folder, _ = _study(tmp_path, GOOD)
    study = load_study(folder)
    audio, quotes = study.consent_changes
    assert (audio.item, audio.version, audio.kind) == ("audio", "3f2a9c1e", ChangeKind.MATERIAL)
    assert audio.what_changed is not None
    assert audio.what_changed.get("nn").startswith("No får")
    assert quotes.kind == ChangeKind.MINOR and quotes.what_changed is None
    assert study.consent_change("audio", "3f2a9c1e") is audio
    assert study.consent_change("audio", "00000000") is None
    # the marks are about versions, not a text of the information letter
    assert study_text_version(study) == study_text_version(load_study(EXAMPLE))


def test_marks_are_stored_and_read_back(tmp_path):
    from intake.definitions import consent_changes_from_json, study_to_json

    folder, _ = _study(tmp_path, GOOD)
    study = load_study(folder)
    assert consent_changes_from_json(study_to_json(study)) == study.consent_changes


#: (marks, [(line offset from the consent_changes key, message)])
BAD = {
    "not a list": ("consent_changes: audio\n", [(0, "consent_changes: expected a list")]),
    "unknown item": (
        """
consent_changes:
  - item: audoi
    version: 3f2a9c1e
    kind: minor
    reason: A typo.
""",
        [(1, "consent change #1 (audoi): 'audoi' is not a consent item, a consent form or "
             "'information_letter'; did you mean 'audio'?")],
    ),
    "bad version": (
        """
consent_changes:
  - item: audio
    version: latest
    kind: minor
    reason: A typo.
""",
        [(2, "consent change #1 (audio) version: 'latest' is not a text version")],
    ),
    "unknown kind": (
        """
consent_changes:
  - item: audio
    version: 3f2a9c1e
    kind: major
    reason: A typo.
""",
        [(3, "consent change #1 (audio) kind: unknown value 'major'")],
    ),
    "missing reason": (
        """
consent_changes:
  - item: audio
    version: 3f2a9c1e
    kind: minor
""",
        [(1, "consent change #1 (audio): missing key 'reason'")],
    ),
    "empty reason": (
        """
consent_changes:
  - item: audio
    version: 3f2a9c1e
    kind: minor
    reason: ""
""",
        [(4, "consent change #1 (audio) reason: the text is empty")],
    ),
    "material without what changed": (
        """
consent_changes:
  - item: audio
    version: 3f2a9c1e
    kind: material
    reason: Shared with another researcher.
""",
        [(1, "consent change #1 (audio): a material change needs what_changed")],
    ),
    "what changed missing a language": (
        """
consent_changes:
  - item: audio
    version: 3f2a9c1e
    kind: material
    reason: Shared with another researcher.
    what_changed:
      nb: Nå får også en annen forsker høre lydopptaket.
      en: Now another researcher will also hear the sound recording.
""",
        [(6, "consent change #1 (audio) what_changed: missing the 'nn' translation")],
    ),
    "what changed on a minor change": (
        """
consent_changes:
  - item: audio
    version: 3f2a9c1e
    kind: minor
    reason: A typo.
    what_changed:
      nb: Skrivefeil.
      nn: Skrivefeil.
      en: A typo.
""",
        [(5, "consent change #1 (audio): what_changed is printed only in re-consent letters")],
    ),
    "marked twice": (
        """
consent_changes:
  - item: quotes
    version: 3f2a9c1e
    kind: minor
    reason: A typo.
  - item: quotes
    version: 3f2a9c1e
    kind: minor
    reason: The same typo.
""",
        [(5, "consent change #2 (quotes): the change of 'quotes' to version 3f2a9c1e is "
             "marked twice (first at line ")],
    ),
    "unknown key": (
        """
consent_changes:
  - item: quotes
    version: 3f2a9c1e
    kind: minor
    reasn: A typo.
""",
        [(4, "consent change #1: unknown key 'reasn'; did you mean 'reason'?"),
         (1, "consent change #1 (quotes): missing key 'reason'")],
    ),
    "no version": (
        """
consent_changes:
  - item: quotes
    kind: minor
    reason: A typo.
""",
        [(1, "consent change #1: missing key 'version'")],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_marks_are_one_clear_message_with_the_line(tmp_path, case):
    marks, expected = BAD[case]
    folder, first = _study(tmp_path, marks)
    with pytest.raises(DefinitionErrors) as caught:
        load_study(folder)
    got = [(e.line, e.message) for e in caught.value.errors]
    assert len(got) == len(expected), got
    for (line, message), (offset, start) in zip(got, expected, strict=True):
        assert message.startswith(start), message
        assert line == first + offset, (line, message)
    assert all(e.file and e.file.endswith("study.yaml") for e in caught.value.errors)


def test_a_bad_mark_loads_nothing(tmp_path, deltaker, engine):
    from sqlalchemy import func, select

    from intake.db import read_scope
    from intake.models import StudyRecord

    folder, first = _study(tmp_path, BAD["unknown kind"][0])
    run = deltaker("study", "load", str(folder))
    assert run.returncode != 0
    assert f"study.yaml:{first + 3}" in run.stderr and "unknown value 'major'" in run.stderr
    assert "Traceback" not in run.stderr
    with read_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(StudyRecord)) == 0
    check = deltaker("check", str(folder))
    assert check.returncode == 1 and "unknown value 'major'" in check.stdout


def test_what_changed_is_checked_for_easy_language(tmp_path):
    from forms.validate import check_study

    folder, _ = _study(
        tmp_path,
        GOOD.replace(
            "en: Now another researcher will also hear the sound recording.",
            "en: Notwithstanding the aforementioned considerations, supplementary "
            "investigators, institutional collaborators and affiliated organisations "
            "will henceforth additionally access, transcribe and systematically "
            "characterise sound recordings.",
        ),
    )
    report = check_study(folder)
    flagged = [t.text.where for t in report.warnings if t.text.language == "en"]
    assert "study.yaml consent change audio 3f2a9c1e" in flagged
