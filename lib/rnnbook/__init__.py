"""rnnbook: the shared library of the rnnbook notebooks on recurrent neural networks."""

__version__ = "0.1.0"
