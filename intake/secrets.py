"""The secret key that derives invitation tokens and keys their stored hashes.

It lives in ``secret.key`` in the data folder (created with mode 0600 when
absent), or in the environment variable ``DELTAKER_SECRET_KEY`` which wins. It
is never stored in the database: a stolen database alone cannot forge a link
or check a guessed answer code.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets as std_secrets
from pathlib import Path

from forms.errors import UserError

SECRET_FILE_NAME = "secret.key"
SECRET_ENV = "DELTAKER_SECRET_KEY"
SECRET_BYTES = 32
#: A secret shorter than this cannot carry 128-bit tokens.
MIN_SECRET_BYTES = 16


class SecretKeyError(UserError):
    """The secret key file or variable is unusable."""


def load_secret(data_dir: str | os.PathLike[str]) -> bytes:
    """The secret key: from the environment, else the data folder's key file (made if absent)."""
    from_env = os.environ.get(SECRET_ENV)
    if from_env:
        return _decode(from_env.strip(), SECRET_ENV)
    path = Path(data_dir) / SECRET_FILE_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        encoded = base64.urlsafe_b64encode(std_secrets.token_bytes(SECRET_BYTES)).decode()
        try:
            # O_EXCL: two commands starting at once must not write two different keys.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(encoded + "\n")
                handle.flush()
                os.fsync(handle.fileno())
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretKeyError(f"cannot read the secret key file: {exc}", file=str(path)) from exc
    return _decode(text, str(path))


def _decode(text: str, where: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise SecretKeyError("the secret key is not valid base64", file=where) from exc
    if len(key) < MIN_SECRET_BYTES:
        raise SecretKeyError(
            f"the secret key is too short ({len(key)} bytes; at least {MIN_SECRET_BYTES})",
            file=where,
        )
    return key
