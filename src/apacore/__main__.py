"""``python -m apacore``: the same as the ``apacore`` command."""

import sys

from apacore.cli import main

sys.exit(main())
