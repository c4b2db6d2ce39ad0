"""The book's data, all offline, one module per family:

- :mod:`.files`: the shipped data files, each checked against its recorded SHA-256;
- :mod:`.series`: the yearly sunspot numbers, the Mackey-Glass series and the lagged windows a
  time-delay net reads;
- :mod:`.tasks`: sequence tasks generated from a seed (pulse converter, runs of ones,
  delayed recall, selective copying);
- :mod:`.text`: English prose from Python's own documentation, a character vocabulary,
  windows, masks and streams;
- :mod:`.code`: C++ source (TensorFlow's headers) and what a programmer sees in it;
- :mod:`.scenes`: generated captioned pictures and activity clips;
- :mod:`.numbers`: numbers written in German words, and their digits;
- :mod:`.letters`: small binary pictures of letters, drawn with matplotlib's font.

The names of :mod:`.files`, :mod:`.series` and :mod:`.tasks` are importable from here too
(``from rnnbook.data import pulse_converter``); text, code and scenes from their modules.
"""

from rnnbook.data.files import data_dir, data_file
from rnnbook.data.series import lagged_windows, load_sunspots, mackey_glass
from rnnbook.data.tasks import (
    delayed_recall,
    pulse_converter,
    pulses_to_end_spikes,
    runs_of_ones,
    selective_copying,
    start_spikes_to_pulses,
)

__all__ = [
    "data_dir",
    "data_file",
    "delayed_recall",
    "lagged_windows",
    "load_sunspots",
    "mackey_glass",
    "pulse_converter",
    "pulses_to_end_spikes",
    "runs_of_ones",
    "selective_copying",
    "start_spikes_to_pulses",
]
