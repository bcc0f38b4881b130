"""Hostile and broken files: a per-page result with a clear message each; the batch goes on."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from scan.sandbox import Limits, read_files

from . import hostile
from . import synthetic as syn

#: Tight limits keep the test quick; the bomb still needs far more than this.
TEST_LIMITS = Limits(memory_bytes=1 << 30, cpu_seconds_per_page=10, wall_seconds_per_page=30)


@pytest.fixture(scope="module")
def batch(tmp_path_factory, questionnaire):
    folder = tmp_path_factory.mktemp("hostile")
    rng = random.Random(5)
    files: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        files[name] = folder / name
        files[name].write_bytes(data)

    good = syn.fill_page(
        questionnaire,
        "nb",
        "standard",
        1,
        [syn.Mark("housing", "own", "cross")],
        syn.CONDITION_BY_NAME["normal"],
        rng,
    )
    syn.to_pdf([good.image], folder / "good.pdf")
    good_bytes = (folder / "good.pdf").read_bytes()
    put("empty.pdf", b"")
    put("truncated.pdf", good_bytes[: len(good_bytes) // 3])
    hostile.encrypted_pdf(folder / "encrypted.pdf")
    files["encrypted.pdf"] = folder / "encrypted.pdf"
    hostile.text_only_pdf(folder / "minutes.pdf")
    files["minutes.pdf"] = folder / "minutes.pdf"
    other = dataclasses.replace(questionnaire, id="another-study-form")
    foreign = syn.fill_page(other, "nb", "standard", 1, [], syn.CONDITION_BY_NAME["clean"], rng)
    syn.to_pdf([foreign.image], folder / "other-study.pdf")
    files["other-study.pdf"] = folder / "other-study.pdf"
    hostile.cat_photo(folder / "cat.jpg")
    files["cat.jpg"] = folder / "cat.jpg"
    put("huge.png", hostile.huge_png_header())
    put("huge-image.pdf", hostile.huge_image_pdf())
    put("bomb.pdf", hostile.flate_bomb_pdf())
    put("loop.pdf", hostile.looping_pdf())
    put("notes.txt", b"just some text\n")
    files["good.pdf"] = folder / "good.pdf"
    return files


@pytest.fixture(scope="module")
def results(batch, resolver):
    order = list(batch)
    return order, list(read_files([batch[name] for name in order], resolver, limits=TEST_LIMITS))


def _by_file(results):
    order, pages = results
    out: dict[str, list] = {}
    for page in pages:
        out.setdefault(page.file, []).append(page)
    return out


def test_the_batch_goes_on_and_every_page_has_one_result(results):
    order, pages = results
    by_file = _by_file(results)
    assert list(by_file) == order  # input order kept, nothing dropped
    assert [p.page_index for p in by_file["minutes.pdf"]] == [0, 1]
    good = by_file["good.pdf"]
    assert len(good) == 1 and good[0].status == "ok" and good[0].answers["housing"] == ["own"]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.pdf", "empty"),
        ("truncated.pdf", "damaged or cut short"),
        ("encrypted.pdf", "encrypted"),
        ("huge.png", "more pixels than the limit"),
        ("huge-image.pdf", "20000 x 20000 pixels"),
        ("bomb.pdf", "could not be read safely"),
        ("loop.pdf", "cannot be opened"),
        ("notes.txt", "not a PDF, PNG, JPEG or TIFF"),
    ],
)
def test_bad_files_are_clear_errors(results, name, words):
    pages = _by_file(results)[name]
    assert pages, name
    for page in pages:
        assert page.status == "error"
        assert words in page.message, page.message
        assert "Traceback" not in page.message


def test_pages_without_our_code_are_kept_with_a_thumbnail(results):
    by_file = _by_file(results)
    for name in ("minutes.pdf", "cat.jpg"):
        for page in by_file[name]:
            assert page.status == "unidentified"
            assert page.thumbnail and page.thumbnail.startswith(b"\x89PNG")
    (other,) = by_file["other-study.pdf"]
    assert other.status == "unknown_form"
    assert other.payload and "another-study-form" in other.payload
    assert other.thumbnail


def test_a_missing_file_is_an_error_result(tmp_path, resolver):
    (result,) = read_files([tmp_path / "nowhere.pdf"], resolver, limits=TEST_LIMITS)
    assert result.status == "error" and "does not exist" in result.message


def test_a_bomb_page_in_the_middle_costs_only_that_page(tmp_path, questionnaire, resolver):
    import io

    rng = random.Random(8)
    sheet = syn.fill_page(
        questionnaire,
        "nb",
        "standard",
        1,
        [syn.Mark("housing", "rent", "tick")],
        syn.Condition("scan", dpi=200, noise=3),
        rng,
    )
    buffer = io.BytesIO()
    sheet.image.convert("L").save(buffer, format="JPEG", quality=80)
    pdf = tmp_path / "mixed.pdf"
    pdf.write_bytes(hostile.pages_with_a_bomb(buffer.getvalue(), sheet.image.size))
    first, bomb, last = read_files([pdf], resolver, limits=TEST_LIMITS)
    assert (first.status, last.status) == ("ok", "ok")
    assert first.answers["housing"] == last.answers["housing"] == ["rent"]
    assert bomb.status == "error" and bomb.page_index == 1
    assert "could not be read safely" in bomb.message


def test_the_wall_clock_limit_ends_a_slow_worker(tmp_path, questionnaire, resolver):
    rng = random.Random(2)
    sheet = syn.fill_page(
        questionnaire, "nb", "standard", 1, [], syn.CONDITION_BY_NAME["clean"], rng
    )
    pdf = tmp_path / "slow.pdf"
    syn.to_pdf([sheet.image], pdf)
    # No worker can even start its interpreter in 10 ms: the limit must end it cleanly.
    hurried = Limits(wall_seconds_per_page=0.01)
    (result,) = read_files([pdf], resolver, limits=hurried)
    assert result.status == "error"
    assert "took longer than" in result.message
