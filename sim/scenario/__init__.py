"""Scenario input: the schema of every key; reading, merging, checking YAML."""
