"""Benchmark: XLSForm import and the codebook on a large form, and on a padded sheet.

Writes (not timed) an XLSForm with N questions in three languages, groups and
choice lists, then times ``import_xlsform`` against a baseline measured in the
same run: reading the same cells with openpyxl's read-only mode and doing
nothing else (the floor any importer pays). Then times the codebook
(``codebook`` and ``write_codebook_xlsx``) of the imported form, and the import
of a small sheet padded to Excel's last row (1,048,576), as some real files are.
Each part runs in a fresh process so its peak RSS is its own.

    .venv/bin/python bench/xlsform.py [--questions 2000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

#: A real survey has tens to a few hundred questions; this many should import in seconds.
TARGET_SECONDS_PER_1000 = 5.0
TARGET_RSS_MB = 300.0
LANGS = (("Norsk (nb)", "nb"), ("Nynorsk (nn)", "nn"), ("English (en)", "en"))
CHOICES_PER_LIST = 6
QUESTIONS_PER_GROUP = 25


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_big(path: Path, questions: int) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    survey = wb.create_sheet("survey")
    survey.append(
        [
            "type",
            "name",
            *(f"label::{name}" for name, _ in LANGS),
            "hint::Norsk (nb)",
            "required",
            "relevant",
        ]
    )
    lists = max(1, questions // 50)
    for n in range(questions):
        if n % QUESTIONS_PER_GROUP == 0:
            if n:
                survey.append(["end group"])
            survey.append(["begin group", f"g{n}", *(f"Del {n} {code}" for _, code in LANGS)])
        kind = (
            "text",
            "integer",
            "date",
            f"select_one l{n % lists}",
            f"select_multiple l{n % lists}",
            "note",
        )[n % 6]
        survey.append(
            [
                kind,
                f"q{n}",
                *(f"Spørsmål {n} ({code})?" for _, code in LANGS),
                f"Hjelp {n}",
                "yes" if n % 3 == 0 else "no",
                f"${{q{n - 1}}} != ''" if n % 7 == 0 and n else None,
            ]
        )
    survey.append(["end group"])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", *(f"label::{name}" for name, _ in LANGS)])
    for list_no in range(lists):
        for c in range(CHOICES_PER_LIST):
            choices.append([f"l{list_no}", f"c{c}", *(f"Valg {c} {code}" for _, code in LANGS)])
    wb.save(path)


def write_padded(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label"])
    ws.append(["text", "a", "A?"])
    ws["A1048576"] = "text"
    ws["B1048576"] = "last"
    ws["C1048576"] = "The very last row?"
    wb.save(path)


def _baseline(path: str, out) -> None:
    import openpyxl

    start, cpu = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        cells = 0
        for ws in wb.worksheets:
            ws.reset_dimensions()
            for row in ws.iter_rows(values_only=True):
                cells += sum(1 for v in row if v is not None)
        wb.close()
    out.put(
        (
            "baseline: openpyxl read-only, every cell",
            time.perf_counter() - start,
            time.process_time() - cpu,
            peak_rss_mb(),
            f"{cells} cells",
        )
    )


def _import(path: str, label: str, out) -> None:
    from forms.xlsform import import_xlsform

    start, cpu = time.perf_counter(), time.process_time()
    result = import_xlsform(path)
    items = sum(1 for _ in result.form.items())
    out.put(
        (
            label,
            time.perf_counter() - start,
            time.process_time() - cpu,
            peak_rss_mb(),
            f"{items} items, {len(result.form.sections)} section(s), "
            f"{len(result.warnings)} warnings",
        )
    )


def _codebook(path: str, out) -> None:
    from forms.codebook import codebook, write_codebook_xlsx
    from forms.xlsform import import_xlsform

    form = import_xlsform(path).form
    start, cpu = time.perf_counter(), time.process_time()
    headers, rows = codebook(form, form.languages)
    table = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        write_codebook_xlsx(Path(tmp) / "codebook.xlsx", form, form.languages)
    out.put(
        (
            "codebook table + xlsx of the imported form",
            time.perf_counter() - start,
            time.process_time() - cpu,
            peak_rss_mb(),
            f"{len(rows)} rows; table alone {table * 1000:.0f} ms",
        )
    )


def _run(target, *args) -> tuple:
    ctx = multiprocessing.get_context("spawn")  # a fresh process: its own peak RSS
    out = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, out))
    proc.start()
    result = out.get()
    proc.join()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.xlsx"
        padded = Path(tmp) / "padded.xlsx"
        write_big(big, args.questions)
        write_padded(padded)
        print(
            f"XLSForm with {args.questions} questions, 3 languages: "
            f"{big.stat().st_size / 1024:.0f} kB; padded sheet: "
            f"{padded.stat().st_size / 1024:.0f} kB"
        )
        results = [
            _run(_baseline, str(big)),
            _run(_import, str(big), f"import_xlsform ({args.questions} questions)"),
            _run(_codebook, str(big)),
            _run(_import, str(padded), "import_xlsform (sheet padded to row 1,048,576)"),
        ]
    print(f"{'step':<50} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}  detail")
    for label, wall, cpu, rss, detail in results:
        print(f"{label:<50} {wall:8.2f} {cpu:8.2f} {rss:8.1f}  {detail}")
    base, imported = results[0], results[1]
    ratio = imported[2] / base[2] if base[2] else float("inf")
    per_1000 = imported[2] / args.questions * 1000
    print(
        f"import / baseline (cpu): {ratio:.2f}x; {per_1000:.2f} cpu s per 1,000 questions "
        f"(target under {TARGET_SECONDS_PER_1000:.0f}); peak RSS {imported[3]:.0f} MB "
        f"(target under {TARGET_RSS_MB:.0f})"
    )
    ok = per_1000 < TARGET_SECONDS_PER_1000 and imported[3] < TARGET_RSS_MB
    print("OK" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
