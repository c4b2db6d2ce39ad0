"""The HTML book: built from quick-profile executions, then read in headless Chromium with
every request that is not a local file blocked, as a reader offline would open it.

The book here is built from four of the notebooks (:data:`BOOK`): nbval and the assignments'
test already execute every notebook, on both backends, and a third execution of all of them for
the book would not fit CI's time. The four hold math, check outputs, progress bars, exercises
and the word the search test looks for; `python -m rnnbook run` builds the whole book the same
way."""

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from rnnbook.publish import assignments, book, paths, runner
from rnnbook.publish.paths import notebooks_dir

NOTEBOOKS = sorted(notebooks_dir().glob("*.ipynb"))
BOOK = [p for p in NOTEBOOKS if p.stem[:2] in ("00", "02", "03", "05")]
LOCAL_SCHEMES = {"file", "data", "blob", "about"}


def chromium_path():
    found = os.environ.get("RNNBOOK_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail(
            "the book's browser test needs Chromium: apt-get install chromium "
            "(or set RNNBOOK_CHROMIUM to a Chromium binary); .ci/run installs it"
        )
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    build_dir = tmp_path_factory.mktemp("book") / "_build"
    assert runner.run(names=[p.stem[:2] for p in BOOK], profile="quick", build_dir=build_dir) == 0
    return build_dir


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class Reader:
    """Opens pages offline and keeps what went wrong: console errors, page errors and every
    request that tried to leave the machine (they are aborted)."""

    def __init__(self, browser):
        self.context = browser.new_context()
        self.remote, self.errors = [], []
        self.context.route(re.compile(r"^(?!file:|data:|blob:|about:).*"), self._block)

    def _block(self, route):
        self.remote.append(route.request.url)
        route.abort()

    def open(self, path):
        page = self.context.new_page()
        page.on(
            "console", lambda m: m.type == "error" and self.errors.append(f"{path.name}: {m.text}")
        )
        page.on("pageerror", lambda e: self.errors.append(f"{path.name}: {e}"))
        page.on(
            "request",
            lambda r: urlparse(r.url).scheme not in LOCAL_SCHEMES and self.remote.append(r.url),
        )
        page.goto(path.as_uri(), wait_until="load")
        return page


def typeset(page):
    """Wait until MathJax has typeset the page; returns (equations, typeset, errors).
    Sphinx loads MathJax only on pages that have equations."""
    if page.locator(".math").count() == 0:
        return 0, 0, 0
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("() => MathJax.startup.promise")
    return page.evaluate(
        """() => [document.querySelectorAll('.math').length,
                  document.querySelectorAll('.math mjx-container, mjx-container').length,
                  document.querySelectorAll('mjx-merror').length]"""
    )


def test_book_has_a_front_page_and_a_page_per_notebook_in_order(built):
    html = built / "html"
    index = (html / "index.html").read_text()
    assert len(BOOK) == 4
    positions = [index.find(f'href="{p.stem}.html"') for p in BOOK]
    assert all(p >= 0 for p in positions), "the front page links every notebook"
    assert positions == sorted(positions), "in reading order"
    for path in BOOK:
        assert (html / f"{path.stem}.html").is_file()
    assert (html / "search.html").is_file() and (html / "searchindex.js").is_file()
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file(), "MathJax is bundled"


def test_every_page_reads_offline_in_chromium(built, browser, tmp_path):
    html = built / "html"
    reader = Reader(browser)
    pages = [html / "index.html"] + [html / f"{p.stem}.html" for p in BOOK]
    broken_links, images = [], 0
    for path in pages:
        page = reader.open(path)
        equations, rendered, tex_errors = typeset(page)
        assert tex_errors == 0, f"{path.name}: {tex_errors} equation(s) MathJax could not typeset"
        assert rendered >= equations, f"{path.name}: {equations} equations, {rendered} typeset"
        text = page.inner_text("article")
        assert "InitializeLog" not in text and "cuInit" not in text, (
            f"{path.name}: TensorFlow's start-up log lines reached the page"
        )
        assert "$$" not in text and not re.search(r"(?<![\w\\])\$[^$\n]+\$", text), (
            f"{path.name}: raw TeX left in the text"
        )
        figures = page.evaluate(
            "() => Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0])"
        )
        assert all(ok for _, ok in figures), f"{path.name}: images that do not decode: {figures}"
        images += len(figures)
        for href in page.evaluate("() => Array.from(document.links).map(a => a.href)"):
            target = urlparse(href)
            if target.scheme != "file":
                continue
            file = Path(unquote(target.path))
            if not file.is_file():
                broken_links.append(f"{path.name} -> {href}")
            elif target.fragment and f'id="{target.fragment}"' not in file.read_text():
                broken_links.append(f"{path.name} -> {href} (no such anchor)")
        if path.name != "index.html":
            source = nbformat.read(notebooks_dir() / f"{path.stem}.ipynb", as_version=4)
            if any("$" in c.source for c in source.cells if c.cell_type == "markdown"):
                assert equations > 0 and rendered > 0, f"{path.name}: its equations are missing"
            if any("plt.show()" in c.source for c in source.cells if c.cell_type == "code"):
                assert figures, f"{path.name} draws figures, but its page shows none"
            assert page.locator(".prev-next-area a").count() >= 1, "previous / next links"
            assert page.locator("details").count() >= 1, "the set-up cell is folded"
        page.screenshot(path=str(tmp_path / f"{path.stem}.png"), full_page=False)
        page.close()
    assert not reader.errors, f"console errors: {reader.errors}"
    assert not reader.remote, f"requests that left the machine: {sorted(set(reader.remote))}"
    assert not broken_links, f"internal links that do not resolve: {broken_links}"
    assert images >= 2, "the notebooks' figures are in the book"


def test_search_finds_a_word_of_the_book(built, browser):
    reader = Reader(browser)
    page = reader.open(built / "html" / "search.html")
    page.goto((built / "html" / "search.html").as_uri() + "?q=backpropagation")
    page.wait_for_selector("#search-results li", timeout=20000)
    hits = page.locator("#search-results li a").all_inner_texts()
    assert any("03" in hit for hit in hits), hits
    assert not reader.remote and not reader.errors, (reader.remote, reader.errors)


def test_build_command_rebuilds_the_pages_without_executing(built):
    executed = {p: p.stat().st_mtime_ns for p in (built / "notebooks").glob("*.ipynb")}
    index = built / "html" / "index.html"
    index.unlink()
    completed = subprocess.run(
        [sys.executable, "-m", "rnnbook", "build", "--build-dir", str(built)],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert index.is_file()
    assert {p: p.stat().st_mtime_ns for p in (built / "notebooks").glob("*.ipynb")} == executed


def _page_text(path):
    """The text of an HTML page as a reader sees it, whitespace collapsed (code blocks are
    split into highlighted spans; their text is what counts)."""
    parser = _TextOf()
    parser.feed(path.read_text())
    return " ".join("".join(parser.parts).split())


class _TextOf(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def _revealing(path):
    """The solution lines of a notebook (those not also in its student version) and their
    words, which neither the pages nor the search index of the students' book may show."""
    source = nbformat.read(path, as_version=4)
    shown = " ".join(" ".join(c.source.split()) for c in assignments.student_version(source).cells)
    lines = [" ".join(line.split()) for line in assignments.solution_lines(source)]
    lines = [line for line in lines if len(line) >= 12 and line not in shown]
    words = {w.lower() for line in lines for w in re.findall(r"[A-Za-z_]\w{3,}", line)}
    return lines, words


def _student_words():
    words = set()
    for path in NOTEBOOKS:
        student = assignments.student_version(nbformat.read(path, as_version=4))
        words |= {w for c in student.cells for w in re.findall(r"\w+", c.source.lower())}
    return words


def _index_terms(html):
    text = (html / "searchindex.js").read_text()
    data = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return set(data["terms"]) | set(data.get("titleterms", {}))


def test_the_book_shows_no_solution_but_the_instructors_copy_does(built):
    from sphinx.search.en import SearchEnglish

    stem = SearchEnglish({}).stem
    assert book.build(built, solutions=True) == built / "html-instructor" / "index.html"
    students, instructors = _index_terms(built / "html"), _index_terms(built / "html-instructor")
    leaks, shown, total, words_total, words_indexed = [], 0, 0, 0, 0
    elsewhere = _student_words() | {
        w.lower() for w in re.findall(r"\w+", book._introduction(paths.project_root()))
    }
    elsewhere = {stem(w) for w in elsewhere}  # the index holds stems: "filters" and "filtered" meet
    for path in BOOK:
        lines, words = _revealing(path)
        words = {w for w in words if stem(w) not in elsewhere}
        student_page = _page_text(built / "html" / f"{path.stem}.html")
        instructor_page = _page_text(built / "html-instructor" / f"{path.stem}.html")
        leaks += [f"{path.stem}: {line}" for line in lines if line in student_page]
        leaks += [f"{path.stem} (search index): {w}" for w in words if stem(w) in students]
        total += len(lines)
        shown += sum(line in instructor_page for line in lines)
        words_total += len(words)
        words_indexed += sum(stem(w) in instructors for w in words)
    assert not leaks, f"solution lines in the students' book: {leaks[:10]}"
    assert total >= 60 and shown == total, (
        f"the instructor's copy shows {shown} of the {total} solution lines"
    )
    assert words_total >= 5 and words_indexed >= words_total // 2, (
        "the search test needs words the index would hold if a solution were shown: "
        f"{words_indexed} of {words_total} indexed in the instructor's copy"
    )


def test_build_says_to_run_first_when_nothing_was_executed(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `python -m rnnbook run` first"):
        book.build(tmp_path)


def test_notebook_summary_reads_the_title_and_the_italic_line():
    notebook = nbformat.read(NOTEBOOKS[0], as_version=4)
    title, summary = book.notebook_summary(notebook)
    assert title.startswith(NOTEBOOKS[0].stem[:2]) and summary and "*" not in summary


def test_the_book_shows_a_progress_bar_in_its_final_state():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("train()")]
    notebook.cells[1].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="start\n"),
        nbformat.v4.new_output("stream", name="stderr", text="\rrun:   0%| 0/2"),
        nbformat.v4.new_output("stream", name="stderr", text="\rrun:  50%| 1/2"),
        nbformat.v4.new_output("stream", name="stderr", text="\rrun: 100%| 2/2\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "3"}, execution_count=1),
    ]
    outputs = book._for_the_book(notebook, "T").cells[1].outputs
    assert [o.output_type for o in outputs] == ["stream", "stream", "execute_result"]
    assert outputs[0].text == "start\n" and outputs[1].text == "run: 100%| 2/2\n"


def test_the_students_book_drops_what_a_solved_check_printed():
    from test_assignments import SOLVED

    executed = copy.deepcopy(SOLVED)
    for cell in executed.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
    students = book._for_the_book(copy.deepcopy(executed), "T")
    instructors = book._for_the_book(copy.deepcopy(executed), "T", solutions=True)
    for index in (1, 2, 3, 4):  # the solution and check cells of the two exercises
        assert students.cells[index + 1].outputs == [], index
        assert instructors.cells[index + 1].outputs, index
    assert students.cells[6].outputs, "other cells keep their outputs"
