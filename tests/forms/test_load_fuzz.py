"""Whatever a person does to a study file, loading ends in a Study or in DefinitionErrors.

Hypothesis mutates the example study's files (deletes, duplicates and edits
lines, drops in YAML's special characters) and checks that loading never
raises anything else and that every error points at a real file and line.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.errors import DefinitionErrors
from forms.load import load_study
from forms.model import Study

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "u-sving"
FILES = sorted(str(p.relative_to(EXAMPLE)) for p in EXAMPLE.rglob("*") if p.is_file())
SPECIAL = [
    ":", ": ", "-", "- ", " ", "  ", "\t", '"', "'", "{", "}", "[", "]", "&a ", "*a", "#", "|",
    ">", "?", "%", "@", "`", "\x00", "\x85", "\ufeff", "\u2028", "é", "ø",
    "!!python/name:os.system ",
]  # fmt: skip

mutation = st.tuples(
    st.sampled_from(["delete", "duplicate", "insert", "replace_char", "truncate"]),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=10_000),
    st.sampled_from(SPECIAL),
)


@settings(
    max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(name=st.sampled_from(FILES), mutations=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_study_loads_or_reports_definition_errors(name, mutations):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "study"
        shutil.copytree(EXAMPLE, root)
        path = root / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for kind, a, b, special in mutations:
            if not lines:
                break
            i = a % len(lines)
            if kind == "delete":
                del lines[i]
            elif kind == "duplicate":
                lines.insert(i, lines[i])
            elif kind == "insert":
                lines.insert(i, special + "\n")
            elif kind == "replace_char" and lines[i]:
                j = b % len(lines[i])
                lines[i] = lines[i][:j] + special + lines[i][j + 1 :]
            elif kind == "truncate":
                lines = lines[:i]
        path.write_text("".join(lines), encoding="utf-8")
        try:
            study = load_study(root)
        except DefinitionErrors as exc:
            assert exc.errors
            for error in exc.errors:
                assert error.message and "\n" not in error.message
                assert error.file and error.file.startswith(str(root))
                if error.line is not None:
                    text = Path(error.file).read_text(encoding="utf-8", errors="replace")
                    assert 1 <= error.line <= len(text.splitlines()) + 1
        else:
            assert isinstance(study, Study)
