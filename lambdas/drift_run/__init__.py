"""The drift pipeline's Lambda steps: `window` (what a run reads) and `publish` (its
metrics into CloudWatch). See infra/pipelines/drift.py."""
