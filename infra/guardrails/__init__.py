"""SageMaker guardrails: a rule pack built from the catalog, run on every synth."""
