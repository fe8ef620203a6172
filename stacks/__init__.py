"""Stacks: each composes `infra.constructs` for one part of a stage."""
