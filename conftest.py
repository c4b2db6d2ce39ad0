"""Test configuration shared by the unit tests and the notebooks that nbval runs.

Every kernel nbval starts inherits this process' environment, so the quick profile is
set here, once, for all of them.
"""

import os

os.environ["RNNBOOK_PROFILE"] = "quick"
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
