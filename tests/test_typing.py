"""The typing promises of the package that mypy and ruff do not check themselves."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bptutor"
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")


def test_the_package_is_marked_typed():
    assert (PACKAGE / "py.typed").is_file()


def test_every_type_ignore_names_its_codes_and_says_why():
    bare = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found = IGNORE.search(line)
            if found and (not found["codes"] or not re.match(r"\s+#\s*\S", found["rest"])):
                bare.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert bare == []
