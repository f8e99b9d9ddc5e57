"""Loading: TOML text into model objects, the checks across them, rulesets (pinned, cached)."""
