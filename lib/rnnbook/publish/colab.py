"""Colab: the badge that opens a notebook there, and the line that installs the library.

Both are written from one address, ``[project.urls] Repository`` in ``pyproject.toml``:
moving the repository is a change of that line, then ``python -m rnnbook freeze``, which
rewrites every notebook's badge and install line and the README's badges
(:func:`sync_notebook`, :func:`sync_readme`); a test keeps them in step.
"""

import importlib.metadata
import re
import sys
from urllib.parse import quote

__all__ = [
    "badge_markdown",
    "colab_url",
    "install_block",
    "repository_url",
    "sync_notebook",
    "sync_readme",
]

BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
BADGE_PATTERN = re.compile(
    r"\[!\[Open In Colab\]\(" + re.escape(BADGE_IMAGE) + r"\)\]\((?P<url>[^)\s]+)\)"
)
_INSTALL_START = 'import sys\n\nif "google.colab" in sys.modules:'
_INSTALL_END = "check=True)\n"


def _pyproject():
    from rnnbook.publish.paths import repository_root

    return repository_root() / "pyproject.toml"


def repository_url():
    """The book's repository, from ``pyproject.toml`` in a clone or the installed metadata."""
    path = _pyproject()
    if path.is_file() and sys.version_info >= (3, 11):
        import tomllib

        urls = tomllib.loads(path.read_text()).get("project", {}).get("urls", {})
        url = urls.get("Repository")
    else:
        entries = importlib.metadata.metadata("rnnbook").get_all("Project-URL") or []
        url = next(
            (e.split(",", 1)[1].strip() for e in entries if e.startswith("Repository,")), None
        )
    if not url:
        raise ValueError("pyproject.toml has no [project.urls] Repository entry")
    return url.rstrip("/")


def colab_url(notebook_name, repository=None, branch="main"):
    """The address that opens ``notebooks/<notebook_name>`` of the repository on Colab."""
    if not isinstance(notebook_name, str) or not notebook_name.endswith(".ipynb"):
        raise ValueError(
            f"notebook_name must be a file name ending in .ipynb, got {notebook_name!r}"
        )
    repository = repository or repository_url()
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(\.git)?", repository)
    if not match:
        raise ValueError(
            f"repository must be a https://github.com/OWNER/NAME address (Colab opens "
            f"notebooks from GitHub), got {repository!r}"
        )
    owner, name = match.group(1), match.group(2)
    # percent-encoded: a name with spaces or other letters makes one link, which the badge
    # pattern finds again (so a second freeze replaces the badge instead of adding one)
    return (
        f"https://colab.research.google.com/github/{owner}/{name}/blob/{branch}/notebooks/"
        f"{quote(notebook_name)}"
    )


def badge_markdown(notebook_name, repository=None):
    """The "Open in Colab" badge of one notebook, as Markdown."""
    return f"[![Open In Colab]({BADGE_IMAGE})]({colab_url(notebook_name, repository)})"


def install_block(repository=None):
    """The opening lines of every notebook's set-up cell: on Colab, install the library
    from the repository when it is missing; anywhere else, nothing happens."""
    repository = repository or repository_url()
    return (
        f"{_INSTALL_START}  # on Colab, install the book's library once\n"
        "    import importlib.util\n"
        "    import subprocess\n\n"
        '    if importlib.util.find_spec("rnnbook") is None:\n'
        '        subprocess.run([sys.executable, "-m", "pip", "install", "-q", '
        f'"rnnbook @ git+{repository}"], {_INSTALL_END}'
    )


def sync_notebook(notebook, name, repository=None):
    """Put the badge under the title of ``notebook`` and the install block at the top of
    its first code cell, both for ``repository``; returns True if anything changed."""
    repository = repository or repository_url()
    title = notebook.cells[0]
    if title.cell_type != "markdown" or not title.source.startswith("# "):
        raise ValueError(f"{name}: the first cell must be the Markdown title ('# NN ...')")
    badge = badge_markdown(name, repository)
    lines = title.source.split("\n")
    body = [line for line in lines[1:] if not BADGE_PATTERN.fullmatch(line.strip())]
    while body and not body[0].strip():
        body.pop(0)
    new_title = "\n".join([lines[0], "", badge, "", *body])
    setup = next((c for c in notebook.cells if c.cell_type == "code"), None)
    if setup is None:
        raise ValueError(f"{name}: no code cell to hold the set-up")
    source = setup.source
    if source.startswith(_INSTALL_START):
        end = source.index(_INSTALL_END) + len(_INSTALL_END)
        source = source[end:].lstrip("\n")
    new_setup = install_block(repository) + "\n" + source
    changed = (new_title, new_setup) != (title.source, setup.source)
    title.source, setup.source = new_title, new_setup
    return changed


def sync_readme(text, repository=None):
    """``text`` (the README) with every Colab badge pointing into ``repository``."""

    def rewrite(match):
        return badge_markdown(match.group("url").rsplit("/", 1)[-1], repository)

    return BADGE_PATTERN.sub(rewrite, text)
