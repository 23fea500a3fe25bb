"""Small modules (issue #14): no source file over 400 lines, migrations and course content aside."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 400
SOURCES = (".py", ".html", ".js", ".css", ".sh", ".mjs")


def test_no_source_file_is_over_400_lines():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    too_long = {}
    for name in files:
        if not name.endswith(SOURCES) or "/migrations/" in name:
            continue
        path = ROOT / name
        if path.is_file():
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > LIMIT:
                too_long[name] = lines
    assert too_long == {}
