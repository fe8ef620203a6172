"""Baseline for synth benchmarks: the smallest real CDK app (one bucket)."""

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3

app = cdk.App()
stack = cdk.Stack(app, "Baseline")
s3.Bucket(stack, "Bucket")
app.synth()
