"""The drift job: `python -m drift_checks profile|check` (see containers/drift/README.md)."""
