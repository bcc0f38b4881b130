"""intake: the database and every channel's answers (see docs/intake.md)."""
