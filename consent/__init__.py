"""consent: see ../shared/DESIGN.md."""
