"""``apacore serve``: the engine over HTTP (docs/serve.md). The service is
:mod:`apacore.serve`; its command, :mod:`apacore.serve.command`."""

from __future__ import annotations

from apacore.serve.command import add_arguments, run

__all__ = ["add_arguments", "run"]
