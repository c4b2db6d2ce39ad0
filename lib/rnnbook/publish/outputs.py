"""What an executed notebook keeps of its cells' outputs: enough to read, never so much that
the run's memory, the executed copy or the book's build grows without bound.

A cell that prints without end, or prints one enormous line, would otherwise fill the runner's
memory (every output is held until the notebook is written), write a notebook of gigabytes,
and make Sphinx, whose time grows faster than a line's length, take minutes on one page.
So the runner takes in at most :data:`CELL_BUDGET` characters of output per cell while it
runs (further outputs are counted and dropped; an error's traceback always comes in), and
:func:`cap_notebook` then keeps at most :data:`MAX_LINES` lines per output, each at most
:data:`MAX_LINE` characters long, after settling carriage returns as Jupyter shows them (a
progress bar keeps its last state). Each cut is said in the output itself, with what was cut.
The book applies :func:`cap_notebook` too, so an executed copy written before these limits
builds in time linear in its size.
"""

__all__ = [
    "CELL_BUDGET",
    "MAX_LINE",
    "MAX_LINES",
    "cap_notebook",
    "coalesce",
    "message_size",
    "settle",
]

CELL_BUDGET = 8 * 2**20  # characters of output a running cell may bring into the runner
MAX_LINES = 2000  # lines kept of one output
MAX_LINE = 5000  # characters kept of one line
MAX_DATA = 2 * 2**20  # characters kept of one rich output (an image, HTML)
NOTE = "[rnnbook: {what} cut here; the executed copy keeps at most {limits}]"


def message_size(content):
    """Characters a kernel output message brings in (its text, or all its data)."""
    if "text" in content:
        return len(content["text"])
    data = content.get("data") or {}
    return sum(len(value) if isinstance(value, str) else len(str(value)) for value in data.values())


def coalesce(outputs):
    """``outputs`` with each run of consecutive pieces of one stream joined into one output,
    as Jupyter shows them (in time linear in their size)."""
    joined, pieces = [], []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            pieces[-1].append(output.text)
        else:
            joined.append(output)
            pieces.append([output.text] if output.output_type == "stream" else None)
    for output, texts in zip(joined, pieces):
        if texts is not None and len(texts) > 1:
            output.text = "".join(texts)
    return joined


def settle(text):
    """``text`` as Jupyter shows it: in each line only what follows its last carriage
    return that is followed by something (a progress bar's final state)."""
    if "\r" not in text:
        return text
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if "\r" in line:
            pieces = line.split("\r")
            last = max((i for i, piece in enumerate(pieces) if piece), default=len(pieces) - 1)
            lines[index] = "\r".join(pieces[last:])
    return "\n".join(lines)


def _cap_text(text):
    """``(text, cut)``: settled, at most MAX_LINES lines of at most MAX_LINE characters;
    ``cut`` says whether anything was cut."""
    settled = settle(text)
    lines = settled.split("\n")
    kept, long_lines = [], 0
    dropped = lines[MAX_LINES:]
    if dropped == [""]:  # the text ends with a newline: that is not a line more
        dropped = []
    if dropped:  # the note takes the last line kept, so capping again changes nothing
        dropped = lines[MAX_LINES - 1 :]
        lines = lines[: MAX_LINES - 1]
    for line in lines:
        if len(line) > MAX_LINE:
            long_lines += 1
            note = NOTE.format(
                what=f"this line of {len(line):,} characters was",
                limits=f"{MAX_LINE:,} characters a line",
            )
            line = f"{line[: MAX_LINE - len(note) - 1]} {note}"
        kept.append(line)
    if dropped:
        ends = dropped[-1] == ""
        dropped = dropped[:-1] if ends else dropped
        size = sum(len(line) + 1 for line in dropped)
        kept.append(
            NOTE.format(
                what=f"{len(dropped):,} more lines ({size:,} characters) were",
                limits=f"{MAX_LINES:,} lines of an output",
            )
        )
        kept += [""] if ends else []
    return "\n".join(kept), bool(long_lines or dropped)


def _note_output(text):
    import nbformat

    return nbformat.v4.new_output("stream", name="stderr", text=text + "\n")


def cap_notebook(notebook, dropped=None):
    """Cap every code cell's outputs in place (see the module's docstring); ``dropped`` maps
    a cell's index to the characters of output the runner did not take in, said in a note at
    the end of that cell. Returns the number of cells whose outputs were cut."""
    dropped = dropped or {}
    cut = 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        changed = False
        cell.outputs = coalesce(cell.get("outputs", []))
        for output in cell.outputs:
            if output.output_type == "stream":
                output.text, was = _cap_text(output.text)
                changed |= was
            elif output.output_type in ("display_data", "execute_result"):
                data = output.get("data", {})
                for mime, value in list(data.items()):
                    if not isinstance(value, str):
                        continue
                    if mime == "text/plain":
                        data[mime], was = _cap_text(value)
                        changed |= was
                    elif len(value) > MAX_DATA:
                        del data[mime]
                        data.setdefault(
                            "text/plain",
                            NOTE.format(
                                what=f"a {mime} output of {len(value):,} characters was",
                                limits=f"{MAX_DATA:,} characters of one rich output",
                            ),
                        )
                        changed = True
        if dropped.get(index):
            cell.outputs.append(
                _note_output(
                    NOTE.format(
                        what=f"{dropped[index]:,} more characters of this cell's output were",
                        limits=f"{CELL_BUDGET:,} characters of output a cell",
                    )
                )
            )
            changed = True
        cut += changed
    return cut
