"""intake: see ../shared/DESIGN.md."""
