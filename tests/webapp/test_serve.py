"""`deltaker serve` really serves (waitress), and its access log masks link tokens."""

from __future__ import annotations

import http.client
import subprocess
import sys
from pathlib import Path

from tests.webapp.pipeline import load_example
from tests.webapp.served import free_port, served

DELTAKER = Path(sys.executable).with_name("deltaker")


def test_serve_answers_and_masks_tokens_in_its_log(data_dir, tmp_path) -> None:
    db_url = f"sqlite:///{data_dir / 'deltaker.sqlite'}"
    load_example(data_dir, db_url)
    log = tmp_path / "serve.log"
    with served(data_dir, log) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/r/SECRET-TOKEN-1234567890?p=2")
        response = connection.getresponse()
        response.read()
        assert response.status == 404
        assert response.getheader("Content-Security-Policy")
        connection.request("GET", "/staff/login")
        login = connection.getresponse()
        assert login.status == 200 and b"Log in" in login.read()
    text = log.read_text()
    assert "GET /r/*** 404" in text or "GET /r/***?p=2 404" in text
    assert "SECRET-TOKEN" not in text


def test_serve_without_a_study_says_so_in_one_line(tmp_path) -> None:
    result = subprocess.run(
        [str(DELTAKER), "serve", "--data", str(tmp_path / "empty"), "--port", str(free_port())],
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
