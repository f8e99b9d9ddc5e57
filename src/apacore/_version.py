"""apacore's version: in a module of its own, below everything, so that any layer may
name it (the plugin host, the renderer, a report) without importing the package root."""

__version__ = "0.1.0"
