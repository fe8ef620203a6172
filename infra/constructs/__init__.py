"""CDK constructs: each renders part of a plan into resources, deciding nothing."""
