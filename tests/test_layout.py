"""The library's layout: two halves, the library a student imports (``rnnbook.*``) and the
machinery that publishes the book (``rnnbook.publish``). The library never imports the
publishing half, and no module imports itself back through others (an import circle)."""

import ast
from pathlib import Path

import rnnbook

PACKAGE = Path(rnnbook.__file__).parent


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports(name):
    """The package's modules that ``name`` imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
            targets = [t for t in targets if t in MODULES][:1] or [node.module]
        else:
            continue
        found |= {target for target in targets if target in MODULES and target != name}
    return found


GRAPH = {name: imports(name) for name in MODULES}


def is_publishing(name):
    return name == "rnnbook.__main__" or name.startswith("rnnbook.publish")


def test_the_library_half_never_imports_the_publishing_half():
    wrong = {
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if not is_publishing(name)
        for target in targets
        if is_publishing(target)
    }
    assert not wrong, sorted(wrong)


def test_no_module_imports_itself_back_through_others():
    circles, state = [], {}

    def visit(name, path):
        state[name] = "open"
        for target in sorted(GRAPH[name]):
            if state.get(target) == "open":
                circles.append(" -> ".join(path[path.index(target) :] + [target]))
            elif target not in state:
                visit(target, [*path, target])
        state[name] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert not circles, circles


def test_the_halves_hold_what_the_readme_says():
    library = {name for name in MODULES if not is_publishing(name)}
    assert {"rnnbook.cells.lstm", "rnnbook.cells.gru", "rnnbook.cells.simple"} <= library
    assert {"rnnbook.data.series", "rnnbook.data.text", "rnnbook.data.scenes"} <= library
    assert {"rnnbook.publish.runner", "rnnbook.publish.book", "rnnbook.publish.cli"} <= set(MODULES)
    readme = (PACKAGE.parents[1] / "README.md").read_text()
    for folder in ("rnnbook/cells/", "rnnbook/data/", "rnnbook/publish/"):
        assert folder in readme, f"the README's layout tree names {folder}"
