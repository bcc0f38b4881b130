"""scan: reading scanned forms back (see docs/scan.md and docs/contracts.md)."""
