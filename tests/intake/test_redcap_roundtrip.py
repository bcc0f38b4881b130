"""A real REDCap dictionary imported, printed, filled in, scanned and exported to .sav and .dta.

The instrument race_and_ethnicity of REDCapR's "simple" project (a checkbox and
a radio field) goes through `deltaker redcap`, `study load`, `blank`, the scan
simulator's pen crosses and scanner damage, `deltaker scan` and `deltaker
export --format sav|dta`; pyreadstat reads the files back and the values and
labels are the truth.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pyreadstat
from PIL import ImageDraw
from sqlalchemy import select

from intake.db import make_engine, read_scope
from intake.models import LayoutMap
from tests.scan import synthetic as syn
from webapp.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "u-sving"
DICTIONARY = ROOT / "tests" / "forms" / "data" / "redcap" / "redcapr-simple.csv"
DPI = 150
#: What the person crosses: race 2 (Asian) and 5 (White), ethnicity 1 (NOT Hispanic or Latino).
TRUTH = {("race", "2"), ("race", "5"), ("ethnicity", "1")}


def run(monkeypatch, capsys, db_url, data_dir, *args) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["deltaker", *args, "--data", str(data_dir), "--db", db_url])
    capsys.readouterr()
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def fill(pdf_path: Path, layout: dict, out: Path) -> None:
    pdf = pdfium.PdfDocument(str(pdf_path))
    rng = random.Random(7)
    scale = DPI / 72
    images = []
    for index, page in enumerate(layout["pages"]):
        image = pdf[index].render(scale=scale).to_pil().convert("RGB")
        draw = ImageDraw.Draw(image)
        for f in page["fields"]:
            if f["kind"] == "choice" and (f["item"], f["value"]) in TRUTH:
                x, y, w, h = (v * scale for v in f["box"])
                syn.draw_mark(draw, (x, y, x + w, y + h), "cross", DPI, rng)
        cond = syn.Condition("scan", dpi=DPI, angle=0.3, noise=2)
        images.append(syn.degrade(image, cond, rng, tuple(layout["page_size"])))
    pdf.close()
    syn.to_pdf(images, out, dpi=DPI)


def test_redcap_form_printed_scanned_and_exported(tmp_path, monkeypatch, capsys, db_url, data_dir):
    def deltaker(*args):
        return run(monkeypatch, capsys, db_url, data_dir, *args)

    study = tmp_path / "study"
    shutil.copytree(EXAMPLE, study)
    form_file = study / "forms" / "race_and_ethnicity.yaml"
    code, out, err = deltaker(
        "redcap", str(DICTIONARY), "--form", "race_and_ethnicity", "--out", str(form_file)
    )
    assert code == 0, err
    assert deltaker("study", "load", str(study))[0] == 0
    blank = tmp_path / "blank.pdf"
    code, out, err = deltaker("blank", "race_and_ethnicity", "--copies", "1", "--out", str(blank))
    assert code == 0, err
    engine = make_engine(db_url)
    try:
        with read_scope(engine) as session:
            layout = next(
                m.map
                for m in session.scalars(select(LayoutMap))
                if m.form_version.form_key == "race_and_ethnicity"
            )
    finally:
        engine.dispose()
    scanned = tmp_path / "returned.pdf"
    fill(blank, layout, scanned)
    code, out, err = deltaker("scan", str(scanned))
    assert code == 0, err

    for fmt in ("sav", "dta"):
        code, out, err = deltaker("export", "--format", fmt, "--out", str(tmp_path / f"r.{fmt}"))
        assert code == 0, err
        path = tmp_path / f"r.race_and_ethnicity.{fmt}"
        reader = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
        frame, meta = reader(str(path), user_missing=True)
        assert len(frame) == 1, fmt
        row = frame.iloc[0]
        assert row["channel"] == "paper"
        marked = {c.split("__")[1] for c in frame.columns if c.startswith("race__") and row[c] == 1}
        assert marked == {"2", "5"}, fmt
        assert all(
            row[c] == 0 for c in frame.columns if c.startswith("race__") and c[6:] not in marked
        )
        assert row["ethnicity"] == 1
        labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
        assert labels["race__2"] == "Race (Select all that apply): Asian"
        assert labels["ethnicity"] == "Ethnicity"
        assert meta.variable_value_labels["ethnicity"][1] == "NOT Hispanic or Latino"
        assert meta.variable_value_labels["ethnicity"][0] == "Unknown / Not Reported"
