"""Hypothesis profiles and isolation from installed plugins.

``dev`` (the default) is fast; the built-in ``ci`` profile is used when ``CI`` is set.
Installed entry-point plugins are never loaded by accident: ``APACORE_LOAD_PLUGINS``
is set to the empty list unless the caller set it.
"""

from __future__ import annotations

import os

from hypothesis import settings

os.environ.setdefault("APACORE_LOAD_PLUGINS", "")

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", parent=settings.get_profile("ci"), deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))
