"""scan: see ../shared/DESIGN.md."""
