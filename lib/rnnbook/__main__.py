"""``python -m rnnbook run | build | results | student | grade | freeze``: see
:mod:`rnnbook.publish.cli`."""

import sys

from rnnbook.publish.cli import main

if __name__ == "__main__":
    sys.exit(main())
