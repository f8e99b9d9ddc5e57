"""Plugins: the contract types, the hook specifications and the one plugin host."""
