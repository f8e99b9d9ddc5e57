"""Rendering: the one formatter, rounding once, labels in English and Bengali, tables, JSON, explanations."""
