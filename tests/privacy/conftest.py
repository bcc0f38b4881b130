"""The `deltaker` fixture (main() with --data and --db) from the consent command tests."""

from tests.consent.test_commands import deltaker  # noqa: F401 - a fixture, used by name
