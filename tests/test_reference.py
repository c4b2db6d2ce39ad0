"""The README's reference results are a full run's figures, written by `python -m rnnbook results`."""

import json
from pathlib import Path

import pytest

from rnnbook.publish import reference
from rnnbook.publish.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_shows_exactly_the_figures_of_its_snapshot():
    # the snapshot is what `python -m rnnbook results --write` read from the last full run
    data = reference.load_snapshot(ROOT / reference.SNAPSHOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    wrong = reference.differences(reference.section(readme), reference.render_snapshot(data))
    assert not wrong, f"README.md and {reference.SNAPSHOT} disagree, first at {wrong[0]}"


def test_every_notebook_ran_in_the_snapshot():
    data = reference.load_snapshot(ROOT / reference.SNAPSHOT)
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(data["runs"]) == notebooks
    assert all(entry["ok"] and entry["profile"] == "full" for entry in data["runs"].values())


def test_fill_formats_figures_and_names_a_missing_one():
    figures = {"a.b": 0.12345, "n": 1234567, "same": True}
    assert reference.fill("{a.b:.3f} / {n:,}; {same}", figures) == "0.123 / 1,234,567; true"
    assert reference.fill("{seconds:04}", figures, {"04": 75.4}) == "1 min 15 s"
    with pytest.raises(reference.MissingFigure, match="'a.c'"):
        reference.fill("{a.c:.3f}", figures)


def _build(tmp_path, figures):
    build = tmp_path / "_build"
    build.mkdir(parents=True)
    (build / "results.json").write_text(
        json.dumps({"full": {"00_x": figures}, "quick": {"00_x": {}}})
    )
    (build / "runs.json").write_text(
        json.dumps({"00_x": {"profile": "full", "seconds": 12.0, "ok": True}})
    )
    return build


def test_results_command_checks_writes_and_names_what_differs(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(reference, "ROWS", [("00", "a figure", "{x.y:.2f}")])
    monkeypatch.setattr(reference, "PULSE_ROWS", [])
    monkeypatch.setattr(reference, "SAMPLES", [])
    readme = tmp_path / "README.md"
    readme.write_text(f"# Book\n\n{reference.BEGIN}\nold\n{reference.END}\n\nmore text\n")
    build = _build(tmp_path, {"x.y": 0.5})
    args = ["results", "--build-dir", str(build), "--readme", str(readme)]
    assert main(args) == 1  # the README still holds the old section
    assert "README: old" in capsys.readouterr().out
    assert main(args + ["--write"]) == 0
    text = readme.read_text()
    assert "| 00 | a figure | 0.50 |" in text and text.endswith("more text\n")
    assert json.loads((tmp_path / reference.SNAPSHOT).read_text())["results"]["full"]["00_x"] == {
        "x.y": 0.5
    }
    assert main(args) == 0
    build = _build(tmp_path / "again", {"x.y": 0.25})  # a new run that moved the figure
    assert main(["results", "--build-dir", str(build), "--readme", str(readme)]) == 1
    out = capsys.readouterr().out
    assert "0.50" in out and "0.25" in out


def test_results_command_names_a_missing_figure_or_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(reference, "ROWS", [("00", "a figure", "{x.z:.2f}")])
    readme = tmp_path / "README.md"
    readme.write_text(f"{reference.BEGIN}\n{reference.END}\n")
    build = _build(tmp_path, {"x.y": 0.5})
    assert main(["results", "--build-dir", str(build), "--readme", str(readme)]) == 1
    assert "'x.z'" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["results", "--build-dir", str(empty), "--readme", str(readme)]) == 2
    assert "no full-profile figures" in capsys.readouterr().err
    no_markers = tmp_path / "plain.md"
    no_markers.write_text("# nothing here\n")
    assert main(["results", "--build-dir", str(build), "--readme", str(no_markers)]) == 2


def test_a_notebook_whose_last_run_was_quick_is_named(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(reference, "ROWS", [("00", "a figure", "{x.y:.2f}")])
    readme = tmp_path / "README.md"
    readme.write_text(f"{reference.BEGIN}\n{reference.END}\n")
    build = _build(tmp_path, {"x.y": 0.5})
    (build / "runs.json").write_text(
        json.dumps({"00_x": {"profile": "quick", "seconds": 3.0, "ok": True}})
    )
    assert main(["results", "--build-dir", str(build), "--readme", str(readme)]) == 1
    assert "run time of notebook 00" in capsys.readouterr().err
