"""Benchmark: load and check a study folder (`deltaker check`), at the example's size and scaled up.

Prints, for the example study and for a synthetic study of many forms and
items: seconds per load, seconds per full check (load + readability of every
text), the ratio of load time to a baseline measured in the same run (plain
`yaml.load` of the same files with PyYAML's fastest safe loader, the least any
YAML loader must do), and the peak RSS of the process.

    .venv/bin/python bench/check.py [--forms 20] [--items 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forms.load import load_study  # noqa: E402 - after the path set-up above
from forms.validate import check_study  # noqa: E402

EXAMPLE = ROOT / "examples" / "u-sving"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic_study(target: Path, forms: int, items: int) -> None:
    """The example study plus ``forms`` questionnaires of ``items`` items each."""
    shutil.copytree(EXAMPLE, target)
    for f in range(forms):
        lines = [
            "kind: questionnaire",
            f"title: {{nb: Skjema {f}, nn: Skjema {f}, en: Form {f}}}",
            "items:",
        ]
        for i in range(items):
            lines += [
                f"  - id: q{i}",
                "    type: single_choice",
                "    label:",
                f"      nb: Hvor ofte har du fått hjelp med ting nummer {i} det siste året?",
                f"      nn: Kor ofte har du fått hjelp med ting nummer {i} det siste året?",
                f"      en: How often did you get help with thing number {i} in the last year?",
                "    choices:",
                "      - {value: often, label: {nb: Ofte, nn: Ofte, en: Often}}",
                "      - value: sometimes",
                "        label: {nb: Noen ganger, nn: Nokre gonger, en: Sometimes}",
                "      - {value: never, label: {nb: Aldri, nn: Aldri, en: Never}}",
            ]
        (target / "forms" / f"extra{f:03d}.yaml").write_text("\n".join(lines) + "\n")


def measure(label: str, path: Path, repeat: int) -> None:
    files = [p for p in path.rglob("*.yaml")]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    baseline = best_of(repeat, lambda: [yaml.load(p.read_text(), Loader=loader) for p in files])
    load = best_of(repeat, lambda: load_study(path))
    check = best_of(repeat, lambda: check_study(path))
    study = load_study(path)
    items = sum(1 for form in study.forms for _ in form.items())
    texts = len(check_study(path).texts)
    print(
        f"{label}: {len(study.forms)} forms, {items} items, {texts} texts; "
        f"load {load * 1000:.1f} ms, check {check * 1000:.1f} ms, "
        f"baseline {baseline * 1000:.1f} ms, "
        f"load/baseline {load / baseline:.2f}, peak RSS {peak_rss_mb():.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=20)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    measure("example study", EXAMPLE, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big"
        synthetic_study(big, args.forms, args.items)
        measure(f"example + {args.forms} x {args.items} items", big, max(1, args.repeat // 2))


if __name__ == "__main__":
    main()
