"""Hypothesis profiles: ``dev`` (the default) is fast; the built-in ``ci`` profile is
used when ``CI`` is set. (Isolation from installed plugins is in the root conftest.py.)"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", parent=settings.get_profile("ci"), deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))
