"""The HTML handouts against the Nu HTML Checker (vnu.jar, the W3C's checker), errors only.

tools/node-packages installs the checker from the npm registry (package.json, pinned by
package-lock.json), and tools/system-packages runs it; the machine's Java runs the jar.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bptutor.core.trace import run
from bptutor.handout.document import build_handout
from bptutor.handout.formats import to_html
from bptutor.loading.builtin import builtin_path
from bptutor.loading.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.external  # runs Java

HANDOUTS = [  # (scenario, language, variant): both languages, every variant, the rounded slides, an exercise
    ("two_two_two", "en", "full"),
    ("two_two_two", "zh", "full"),
    ("two_two_two", "en", "worksheet"),
    ("two_two_two", "zh", "answers"),
    ("one_one_one_rounded", "en", "full"),
    (str(ROOT / "tests" / "data" / "textbook_3_2_1.yaml"), "en", "full"),
    (str(ROOT / "tests" / "data" / "custom_functions.yaml"), "zh", "full"),
]


def _scenario(reference: str):
    path = builtin_path(reference) or Path(reference)
    return load_scenario(path)


def test_the_html_handouts_have_no_error_for_the_nu_html_checker(tmp_path):
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed (tools/system-packages installs it)")
    if not VNU.exists():
        pytest.skip("vnu.jar is not installed (tools/node-packages, which tools/system-packages runs, installs it)")
    pages = []
    for index, (reference, lang, variant) in enumerate(HANDOUTS):
        page = tmp_path / f"handout-{index}-{lang}-{variant}.html"
        page.write_text(to_html(build_handout(run(_scenario(reference)), lang, variant)), encoding="utf-8")
        pages.append(str(page))
    from bptutor.handout.sheet import sheet_html

    # the interactive worksheet (solve --format html --interactive): one example, softmax through the Jacobian, a batch
    for lang, reference in (("en", "two_two_two"), ("zh", "two_two_two"), ("zh", "softmax_two_layer"), ("en", "two_samples")):
        page = tmp_path / f"sheet-{lang}-{reference}.html"
        page.write_text(sheet_html(_scenario(reference), lang, jacobian=True), encoding="utf-8")
        pages.append(str(page))
    checked = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", *pages], capture_output=True, text=True, timeout=600
    )
    assert checked.returncode == 0 and checked.stderr == "" and checked.stdout == "", checked.stderr + checked.stdout


def test_the_checker_finds_the_css_it_used_to_refuse(tmp_path):
    """The check is real: a page with the CSS properties the handouts no longer use fails it."""
    java = shutil.which("java")
    if java is None or not VNU.exists():
        pytest.skip("java or vnu.jar is not installed (tools/system-packages installs both)")
    page = tmp_path / "refused.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
        "<style>math { display: inline math; } mfrac { math-style: normal; }</style></head>"
        "<body><p><math><mfrac><mi>a</mi><mi>b</mi></mfrac></math></p></body></html>\n",
        encoding="utf-8",
    )
    checked = subprocess.run([java, "-jar", str(VNU), "--errors-only", str(page)], capture_output=True, text=True, timeout=600)
    assert checked.returncode != 0
    assert "math-style" in checked.stderr and "display" in checked.stderr
