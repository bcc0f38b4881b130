"""Web benchmark: simulated citizens answering the example study against `deltaker serve`.

Starts `deltaker serve` (waitress) on a fresh SQLite database with the example
study loaded and N participants invited, then runs N citizens at once. Each
opens the QR link, reads the letter, consents, answers the questionnaire page
by page, sends it, and sends the last page a second time (a double click).
Prints requests per second, latency percentiles, the server's peak RSS, and
checks that every submission is stored exactly once. Last, 50 addresses
(127.0.10.x: Linux routes 127/8 to the loopback) send wrong links past the
site's limits while each opens its own valid link: the share of valid links
refused is printed (target 0 %). A baseline of one citizen
alone is measured first in the same run. Two rounds of N citizens follow: with
reading time between pages (a few seconds, as people on phones take; the p95
target applies here) and with none at all (saturation: every request queued
at once, which shows the server's throughput ceiling). Before them, anonymous
visitors (no cookie) view the public pages: the rows this writes to the SQLite
file, per 1,000 views (target 0), and their throughput beside a 404's.

With ``--workers N --db URL`` (PostgreSQL) the same citizens then answer
`deltaker serve --workers N` (gunicorn) on that database, in a schema of the
bench's own: requests per second and p95 against the one-process SQLite
figures measured above, and every submission stored exactly once.

    .venv/bin/python bench/web.py [--citizens 50] [--threads 8] [--think 1.0-3.0]
                                  [--workers 2 --db postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "examples" / "u-sving"
TARGET_P95_MS = 200.0
#: the wrong-link burst: this many source addresses (127.0.10.x), each sending this many
#: wrong links (together past the site's 1,000), each opening its own valid link twice
BURST_ADDRESSES = 50
BURST_WRONG_LINKS = 25
#: what a visitor without a session can open; none of it may write a row
ANONYMOUS_PAGES = ("/", "/code", "/staff/login", "/start", "/information")
ANONYMOUS_VIEWS = 1000
TARGET_ANONYMOUS_ROWS = 0
#: tries, 0.1 s apart, for the server to listen (a minute: the machine may be busy)
SERVER_START_TRIES = 600
BY_KIND: dict[str, list[float]] = {}
#: citizens answering once before the many-process rounds, so that every web process
#: has drawn every page once (the one-process run has its baseline citizen for that)
WARM_CITIZENS = 4
COOKIE = "deltaker_session"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(data_dir: Path, count: int, db_url: str | None = None) -> list[str]:
    """Load the study and invite ``count`` people; their link tokens."""
    from forms.load import load_study
    from intake.db import open_database, session_scope
    from intake.invitations import issue_invitation
    from intake.models import Participant
    from intake.secrets import load_secret
    from intake.studies import load_study_into_db
    from webapp.settings import Settings

    settings = Settings.resolve(str(data_dir), db_url)
    engine = open_database(settings)
    secret = load_secret(data_dir)
    tokens = []
    with session_scope(engine) as db:
        load_study_into_db(db, load_study(EXAMPLE))
        for n in range(count):
            person = Participant(
                code=f"P-B{n:03d}", language="nb", status="invited", group="families"
            )
            db.add(person)
            db.flush()
            tokens.append(issue_invitation(db, person, secret).token)
    engine.dispose()
    return tokens


class Citizen:
    """One person on one phone: a keep-alive connection and the session cookie."""

    def __init__(
        self,
        port: int,
        timings: list[float],
        lock: threading.Lock,
        think: tuple[float, float] = (0.0, 0.0),
        seed: int = 0,
    ):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.think = think
        self.random = random.Random(seed)
        self.cookie = ""
        self.timings = timings
        self.lock = lock

    def read_page(self) -> None:
        """The time a person spends reading and tapping before the next request."""
        low, high = self.think
        if high > 0:
            time.sleep(self.random.uniform(low, high))

    def request(self, method: str, path: str, form: dict | list | None = None):
        if method == "POST":
            self.read_page()
        headers = {"Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = time.perf_counter() - started
        with self.lock:
            self.timings.append(elapsed)
            kind = re.sub(r"/r/[^?]+.*", "/r/TOKEN", re.sub(r"/\d+$", "/N", path))
            BY_KIND.setdefault(f"{method} {kind}", []).append(elapsed)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith(COOKIE + "="):
                self.cookie = value.split(";", 1)[0].split("=", 1)[1]
        return response.status, response.getheader("Location"), text

    def answer(self, token: str) -> None:
        self.read_page()  # people open their letters at different moments, not all at once
        status, location, _ = self.request("GET", f"/r/{token}?p=1")
        assert status == 303, status
        status, _, _ = self.request("GET", location)
        assert status == 200, status
        status, _, page = self.request("GET", "/consent")
        boxes = re.findall(r'name="(q_[a-z_]+)" type="checkbox" value="yes"', page)
        form = {"csrf_token": csrf(page), **{name: "yes" for name in boxes}}
        status, location, _ = self.request("POST", "/consent", form)
        assert status == 303, (status, location)
        last = None
        while location.startswith("/questions/"):
            status, _, page = self.request("GET", location)
            form = {"csrf_token": csrf(page)}
            for name, value in re.findall(
                r'name="(q_[a-z0-9_]+)" type="radio" value="([^"]+)"', page
            ):
                form.setdefault(name, value)
            last = (location, form)
            status, location, _ = self.request("POST", location, form)
            assert status == 303, (status, location)
        assert location == "/thanks", location
        self.request("GET", "/thanks")
        # the same last page sent again (a double click): must not store a second response
        status, location, _ = self.request("POST", last[0], last[1])
        assert status == 303 and location == "/thanks", (status, location)


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


CONSENT_KIND = "POST /consent"


def consent_median_ms(before: int) -> float:
    """The median POST /consent time of the requests after the first ``before``."""
    values = BY_KIND.get(CONSENT_KIND, [])[before:]
    return statistics.median(values) * 1000 if values else float("nan")


def run_citizens(
    port: int, tokens: list[str], think: tuple[float, float] = (0.0, 0.0)
) -> tuple[list[float], float, list[str]]:
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(tokens))

    def one(token: str) -> None:
        citizen = Citizen(port, timings, lock, think, seed=hash(token))
        try:
            start.wait()
            citizen.answer(token)
        except Exception as exc:  # noqa: BLE001 - a benchmark reports every failure
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            citizen.connection.close()

    threads = [threading.Thread(target=one, args=(t,)) for t in tokens]
    consents = len(BY_KIND.get(CONSENT_KIND, []))
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    if len(tokens) > 1:
        print(
            f"  ({len(tokens)} citizens{', reading' if think[1] else ', no pauses'}: "
            f"POST /consent median {consent_median_ms(consents):.0f} ms)"
        )
    return timings, seconds, errors


def wrong_link_burst(port: int, tokens: list[str]) -> tuple[int, int, int, int]:
    """Valid links opened during a wrong-link burst from many addresses.

    Returns (wrong links sent, of them answered 429, valid links opened, of them refused).
    """
    counts = {"wrong": 0, "wrong429": 0, "valid": 0, "refused": 0}
    lock = threading.Lock()

    def get(connection: http.client.HTTPConnection, path: str) -> int:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status

    def one(index: int) -> None:
        source = f"127.0.10.{index + 1}"
        connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=60, source_address=(source, 0)
        )
        try:
            for n in range(BURST_WRONG_LINKS):
                status = get(connection, f"/r/wrong-{index}-{n}-AAAAAAAAAAAAAAAA")
                with lock:
                    counts["wrong"] += 1
                    counts["wrong429"] += status == 429
                if n in (BURST_WRONG_LINKS // 2, BURST_WRONG_LINKS - 1):
                    status = get(connection, f"/r/{tokens[index]}")
                    with lock:
                        counts["valid"] += 1
                        counts["refused"] += status != 303
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts["wrong"], counts["wrong429"], counts["valid"], counts["refused"]


def lost_or_duplicated(counts: dict[str, list[int]], expected: int, where: str = "") -> list[str]:
    """Print how many answers of each form were stored; the problems: any lost or doubled."""
    problems = []
    for form in ("consent", "families"):
        per_person = counts.get(form, [])
        lost = expected - len(per_person)
        duplicated = sum(n - 1 for n in per_person if n > 1)
        print(
            f"{form:<10} responses stored: {sum(per_person)} for {len(per_person)} of "
            f"{expected} people; lost {lost}, duplicated {duplicated}"
        )
        if lost or duplicated:
            problems.append(f"{where}{form}: lost {lost}, duplicated {duplicated}")
    return problems


def stored(data_dir: Path, db_url: str | None = None) -> dict[str, list[int]]:
    """How many responses each participant has per form."""
    from sqlalchemy import select

    from intake.db import make_engine, read_scope
    from intake.models import FormVersion, Participant, Response
    from webapp.settings import Settings

    engine = make_engine(Settings.resolve(str(data_dir), db_url).db_url)
    counts: dict[str, dict[str, int]] = {}
    with read_scope(engine) as db:
        rows = db.execute(
            select(Participant.code, FormVersion.form_key)
            .join(Response, Response.participant_id == Participant.id)
            .join(FormVersion, Response.form_version_id == FormVersion.id)
        )
        for code, form in rows:
            counts.setdefault(form, {}).setdefault(code, 0)
            counts[form][code] += 1
    engine.dispose()
    return {form: sorted(per.values()) for form, per in counts.items()}


def rows_per_table(data_dir: Path) -> dict[str, int]:
    """Rows in every table of the SQLite file, counted by SQLite itself."""
    from webapp.settings import DB_FILE_NAME

    with sqlite3.connect(data_dir / DB_FILE_NAME) as con:
        tables = [
            name
            for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def anonymous_views(port: int, paths: tuple[str, ...], count: int) -> tuple[float, int]:
    """``count`` GETs spread over ``paths``, no cookie kept; seconds taken and cookies set."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookies = 0
    started = time.perf_counter()
    for n in range(count):
        connection.request("GET", paths[n % len(paths)])
        response = connection.getresponse()
        response.read()
        cookies += any(h.lower() == "set-cookie" for h, _ in response.getheaders())
    seconds = time.perf_counter() - started
    connection.close()
    return seconds, cookies


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def report(label: str, timings: list[float], seconds: float) -> float:
    ms = sorted(t * 1000 for t in timings)
    p50 = statistics.median(ms)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    rate = len(ms) / seconds
    print(
        f"{label:<28} {len(ms):5d} requests in {seconds:6.2f} s = {rate:7.1f} req/s; "
        f"p50 {p50:6.1f} ms, p95 {p95:6.1f} ms, max {ms[-1]:6.1f} ms"
    )
    return p95


def family_rss_mb(pid: int) -> float:
    """Peak RSS of a server and every process it started (gunicorn's workers), summed."""
    total = peak_rss_mb(pid)
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text:
            total += peak_rss_mb(int(status.parent.name))
    return total


def start_server(data_dir: Path, port: int, extra: list[str], env: dict[str, str]):
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "deltaker"), "serve", "--port", str(port), *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(SERVER_START_TRIES):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server


@contextmanager
def postgres_schema(base_url: str):
    """A fresh schema in the PostgreSQL database ``base_url``: the URL that works in it."""
    import secrets
    from urllib.parse import quote

    from sqlalchemy import text

    from intake.db import make_engine

    schema = "bench_" + secrets.token_hex(5)
    admin = make_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def warm_up(port: int, connections: int = 8, views: int = 25) -> None:
    """Anonymous pages over several connections at once, so every web process has booted
    and drawn its pages once before anything is measured (gunicorn listens before its
    workers have built their apps)."""
    threads = [
        threading.Thread(target=anonymous_views, args=(port, ANONYMOUS_PAGES, views))
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def many_processes(args, think: tuple[float, float], sqlite: dict[str, float]) -> list[str]:
    """The citizens against `deltaker serve --workers N` on ``--db`` (PostgreSQL)."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="deltaker-bench-web-pg-") as tmp:
        data_dir = Path(tmp)
        with postgres_schema(args.db) as db_url:
            tokens = prepare(data_dir, 2 * args.citizens + WARM_CITIZENS, db_url)
            warm, tokens = tokens[:WARM_CITIZENS], tokens[WARM_CITIZENS:]
            port = free_port()
            env = dict(os.environ, DELTAKER_DATA=str(data_dir), DELTAKER_DATABASE_URL=db_url)
            extra = ["--workers", str(args.workers), "--threads", str(args.threads)]
            server = start_server(data_dir, port, extra, env)
            try:
                warm_up(port)
                run_citizens(port, warm)  # as the one-process run's baseline citizen does
                reading, reading_s, errors = run_citizens(port, tokens[: args.citizens], think)
                burst, burst_s, burst_errors = run_citizens(port, tokens[args.citizens :])
                rss = family_rss_mb(server.pid)
            finally:
                server.send_signal(signal.SIGINT)
                server.wait(timeout=30)
            print(
                f"deltaker serve --workers {args.workers} (gunicorn, {args.threads} threads "
                "each), PostgreSQL"
            )
            p95 = report(
                f"{args.citizens} citizens, read {think[0]:g}-{think[1]:g} s", reading, reading_s
            )
            burst_p95 = report(f"{args.citizens} citizens, no pauses", burst, burst_s)
            rate = len(burst) / burst_s
            print(
                f"against one process on SQLite, no pauses: {rate / sqlite['rate']:.2f}x "
                f"requests per second, p95 {burst_p95 / sqlite['p95']:.2f}x; "
                f"with reading: p95 {p95:.0f} ms against {sqlite['reading_p95']:.0f} ms; "
                f"peak RSS of all its processes {rss:.0f} MB"
            )
            counts = stored(data_dir, db_url)
            problems += errors + burst_errors
            problems += lost_or_duplicated(counts, len(tokens) + len(warm), "PostgreSQL ")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--threads", type=int, default=8, help="threads per web process")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="also run the citizens against `serve --workers N` on --db (PostgreSQL)",
    )
    parser.add_argument(
        "--db",
        default=os.environ.get("DELTAKER_TEST_POSTGRES_URL", ""),
        help="PostgreSQL URL for --workers (default: DELTAKER_TEST_POSTGRES_URL); "
        "the bench works in a schema of its own and drops it",
    )
    parser.add_argument(
        "--think",
        default="1.0-3.0",
        metavar="LOW-HIGH",
        help="seconds a citizen reads before each send (default 1.0-3.0)",
    )
    args = parser.parse_args()
    if args.workers > 1 and not args.db:
        parser.error(
            "--workers needs --db postgresql+psycopg://... (or DELTAKER_TEST_POSTGRES_URL)"
        )
    print(f"{os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory(prefix="deltaker-bench-web-") as tmp:
        data_dir = Path(tmp)
        low, high = (float(x) for x in args.think.split("-"))
        tokens = prepare(data_dir, 2 * args.citizens + 1 + BURST_ADDRESSES)
        burst_tokens = tokens[2 * args.citizens + 1 :]
        tokens = tokens[: 2 * args.citizens + 1]
        port = free_port()
        env = dict(os.environ, DELTAKER_DATA=str(data_dir))
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "deltaker"),
                "serve",
                "--port",
                str(port),
                "--threads",
                str(args.threads),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(SERVER_START_TRIES):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            before = rows_per_table(data_dir)
            anon_seconds, anon_cookies = anonymous_views(port, ANONYMOUS_PAGES, ANONYMOUS_VIEWS)
            after = rows_per_table(data_dir)
            missing_seconds, _ = anonymous_views(port, ("/no-such-page",), ANONYMOUS_VIEWS)
            anon_rows = sum(max(0, after[t] - before.get(t, 0)) for t in after)
            baseline, base_seconds, base_errors = run_citizens(port, tokens[:1])
            timings, seconds, errors = run_citizens(
                port, tokens[1 : args.citizens + 1], (low, high)
            )
            burst, burst_seconds, burst_errors = run_citizens(port, tokens[args.citizens + 1 :])
            rss = peak_rss_mb(server.pid)
            wrong, wrong429, valid, refused = wrong_link_burst(port, burst_tokens)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=20)
        print(
            f"deltaker serve (waitress, {args.threads} threads), SQLite, {os.cpu_count()} CPU cores"
        )
        base_p95 = report("baseline: 1 citizen alone", baseline, base_seconds)
        p95 = report(f"{args.citizens} citizens, read {low:g}-{high:g} s", timings, seconds)
        burst_p95 = report(f"{args.citizens} citizens, no pauses", burst, burst_seconds)
        sqlite = {"rate": len(burst) / burst_seconds, "p95": burst_p95, "reading_p95": p95}
        print(
            f"p95 ratio against one citizen alone: {p95 / base_p95:.1f}x reading, "
            f"{burst_p95 / base_p95:.1f}x no pauses; server peak RSS {rss:.0f} MB"
        )
        print(
            f"wrong-link burst from {BURST_ADDRESSES} addresses: {wrong} wrong links "
            f"({wrong429} answered 429); valid links refused: {refused} of {valid} "
            f"= {100 * refused / max(valid, 1):.0f} % (target 0 %)"
        )
        if refused:
            problems_burst = [f"{refused} of {valid} valid links refused during a burst"]
        else:
            problems_burst = []
        per_thousand = anon_rows * 1000 / ANONYMOUS_VIEWS
        print(
            f"anonymous GETs ({', '.join(ANONYMOUS_PAGES)}): {ANONYMOUS_VIEWS} views, "
            f"rows written per 1,000: {per_thousand:g} (target {TARGET_ANONYMOUS_ROWS}), "
            f"cookies set: {anon_cookies}; {ANONYMOUS_VIEWS / anon_seconds:.0f} req/s "
            f"against {ANONYMOUS_VIEWS / missing_seconds:.0f} req/s for a 404"
        )
        counts = stored(data_dir)
        expected = 2 * args.citizens + 1
        problems = list(base_errors) + errors + burst_errors + problems_burst
        problems += lost_or_duplicated(counts, expected)
        print("slowest kinds of request (all rounds), median / p95 ms:")
        for kind, values in sorted(BY_KIND.items(), key=lambda kv: -statistics.median(kv[1]))[:6]:
            ms = sorted(v * 1000 for v in values)
            print(f"  {kind:<32} {statistics.median(ms):7.1f} / {ms[int(len(ms) * 0.95)]:7.1f}")
        verdict = "MET" if p95 < TARGET_P95_MS else "MISSED"
        print(
            f"target p95 < {TARGET_P95_MS:.0f} ms with {args.citizens} citizens reading: {verdict}"
        )
        if per_thousand > TARGET_ANONYMOUS_ROWS:
            problems.append(f"anonymous page views wrote {anon_rows} rows")
        if args.workers > 1:
            problems += many_processes(args, (low, high), sqlite)
        for problem in problems[:10]:
            print("problem:", problem)
        return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
