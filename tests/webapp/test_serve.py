"""`deltaker serve` really serves (waitress), and its access log masks link tokens."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.webapp.pipeline import load_example

DELTAKER = Path(sys.executable).with_name("deltaker")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_and_masks_tokens_in_its_log(data_dir, tmp_path) -> None:
    db_url = f"sqlite:///{data_dir / 'deltaker.sqlite'}"
    load_example(data_dir, db_url)
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as sink:
        server = subprocess.Popen(
            [str(DELTAKER), "serve", "--data", str(data_dir), "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, DELTAKER_DEBUG=""),
        )
        try:
            for _ in range(150):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/r/SECRET-TOKEN-1234567890?p=2")
            response = connection.getresponse()
            response.read()
            assert response.status == 404
            assert response.getheader("Content-Security-Policy")
            connection.request("GET", "/staff/login")
            login = connection.getresponse()
            assert login.status == 200 and b"Log in" in login.read()
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=20)
    text = log.read_text()
    assert "GET /r/*** 404" in text or "GET /r/***?p=2 404" in text
    assert "SECRET-TOKEN" not in text


def test_serve_without_a_study_says_so_in_one_line(tmp_path) -> None:
    result = subprocess.run(
        [str(DELTAKER), "serve", "--data", str(tmp_path / "empty"), "--port", str(_free_port())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "study load" in result.stderr


def test_users_add_reads_the_password_from_stdin(tmp_path) -> None:
    data = str(tmp_path / "d")
    ok = subprocess.run(
        [
            str(DELTAKER),
            "users",
            "add",
            "kari",
            "--role",
            "dpo",
            "--password-stdin",
            "--data",
            data,
        ],
        input="a long password\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    again = subprocess.run(
        [
            str(DELTAKER),
            "users",
            "add",
            "kari",
            "--role",
            "dpo",
            "--password-stdin",
            "--data",
            data,
        ],
        input="a long password\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 1
    assert again.stderr.strip() == "error: a user called 'kari' already exists"
    listed = subprocess.run(
        [str(DELTAKER), "users", "list", "--data", data], capture_output=True, text=True, timeout=60
    )
    assert "kari\tdpo\tactive" in listed.stdout
