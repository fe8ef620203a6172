"""Scores every Kinesis record with a Random Cut Forest endpoint and publishes anomalies."""
