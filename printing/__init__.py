"""printing: see ../shared/DESIGN.md."""
