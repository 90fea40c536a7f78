"""The interactive worksheet in headless Chromium: the page judges as `bptutor check` judges.

One browser session per scenario; many answer sets drawn with a seeded RNG are typed into the page
(correct values at random precisions and roundings, a student carrying a slip forward, the values
of diagnosed mistakes, blanks and unreadable text), and the page's data-verdict on every value must
equal check's verdict for the same answers (through the Python API). The answers file the page
exports is read back by check's own reader and must give the same verdicts (the hand-in round trip).
Also: no console error, no request leaves the page, axe-core finds no serious or critical violation,
the page at phone width, keyboard use, progress across a reload, and a print to PDF.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import pytest

from bptutor.api import load
from bptutor.core.resume import at_step
from bptutor.handout.sheet import sheet_data, sheet_html
from bptutor.teach.answers import Claim, load_answers_text
from bptutor.teach.check import check
from bptutor.teach.solution import WorkedSteps

pytestmark = [pytest.mark.external, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGE_VERDICTS = {"right": "right", "consistent": "carried", "wrong": "wrong", "missing": "empty"}
ROUNDINGS = (ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN)
SETS = 30


def _written(value: Decimal, decimals: int, rounding: str) -> str:
    with localcontext(prec=60):
        return format(value.quantize(Decimal(1).scaleb(-decimals), rounding=rounding), "f")


def answer_sets(scenario, count: int, seed: int, jacobian: bool = False) -> list[dict[str, str]]:
    """Answer sets as students write them, each a mapping name → text (absent: left blank)."""
    rng = random.Random(seed)
    solution = WorkedSteps(scenario)
    data = sheet_data(scenario, jacobian=jacobian)
    names = [step["name"] for step in data["steps"]]
    mistaken = {step["name"]: [Decimal(value) for value, _ in step["mistakes"]] for step in data["steps"]}
    correct = solution.values()
    sets = []
    for index in range(count):
        kind = ("precise", "carried", "mistakes", "mixed")[index % 4]
        decimals = rng.randint(2, 8)
        rounding = rng.choice(ROUNDINGS)
        blank = rng.choice((0.0, 0.15, 0.4))
        slip = rng.choice(names)
        written: dict[str, str] = {}
        overrides: dict[str, Decimal] = {}
        for name in names:
            places = decimals if kind != "mixed" else rng.randint(2, 8)
            if kind == "carried":  # the student works from their own written values: a slip carries forward
                value = solution.value(name, overrides)
                if name == slip:
                    value = value * Decimal("1.1") + Decimal("0.01")
            elif kind == "mistakes" and mistaken[name] and rng.random() < 0.5:
                value = rng.choice(mistaken[name])
            else:
                value = correct[name]
            text = _written(value, places, rounding if kind != "mixed" else rng.choice(ROUNDINGS))
            short = format(correct[name].normalize(), "f")
            if value == correct[name] and len(short.partition(".")[2]) < places and rng.random() < 0.5:
                text = short  # an exact value written as it is (0.6): it says nothing of the student's rounding
            overrides[name] = Decimal(text)
            if rng.random() < blank:
                continue
            if kind == "mixed" and rng.random() < 0.1:
                text = _written(value + Decimal(rng.choice((1, -1))) * Decimal(1).scaleb(-places), places, ROUND_HALF_UP)
            written[name] = text
        sets.append(written)
    return sets


def check_verdicts(scenario, written: dict[str, str], asked: list[str] | None = None) -> dict[str, str]:
    """check's verdicts; a step check lists only when given (a Jacobian entry) is, left blank, "empty" on the page."""
    claims = [Claim.of(name, text) for name, text in written.items()]
    report = check(scenario, claims, diagnose=False)
    found = {row.step.name: PAGE_VERDICTS[row.verdict] for row in report.rows}
    return found if asked is None else {name: found.get(name, "empty") for name in asked}


def fill_and_judge(page, written: dict[str, str]) -> dict[str, str]:
    return page.run(
        """
        const written = arguments[0];
        document.querySelectorAll('input[data-quantity]').forEach((input) => {
          input.value = written[input.dataset.quantity] ?? '';
        });
        document.getElementById('check-all').click();
        const out = {};
        document.querySelectorAll('input[data-quantity]').forEach((input) => {
          out[input.dataset.quantity] = input.closest('[data-verdict]')?.dataset.verdict ?? null;
        });
        return out;
        """,
        written,
    )


def _errors(page) -> list[dict]:
    return [entry for entry in page.driver.get_log("browser") if entry["level"] == "SEVERE"]


@pytest.mark.parametrize(
    ("reference", "jacobian"),
    [
        ("two_two_two", False),
        ("one_one_one_rounded", False),
        ("tests/data/textbook_3_2_1.yaml", False),
        ("tests/data/custom_functions.yaml", False),
        ("softmax_two_layer", False),  # softmax with cross-entropy: the fused δ = a − y
        ("softmax_two_layer", True),  # the same asked through the Jacobian (solve --jacobian)
        ("tests/data/bce_sigmoid.yaml", False),  # bce on two sigmoid outputs: δ = (a − y)/2
        ("tests/data/softmax_rmse.yaml", False),  # rmse on softmax: a square root, through the Jacobian
        ("two_samples", False),  # a batch of two samples, the mean, momentum
        ("tests/data/batch_adam_decay.yaml@2", False),  # adam with weight decay at step 2 (its moments given)
        ("xor", False),  # the four samples of XOR in one batch, bce on a sigmoid output, adam
    ],
)
def test_the_page_judges_every_value_as_check_does(chromium_page, tmp_path, reference, jacobian):
    reference, _, step = reference.partition("@")
    scenario = at_step(load(str(ROOT / reference) if reference.startswith("tests/") else reference), int(step or 1))
    path = tmp_path / "sheet.html"
    path.write_text(sheet_html(scenario, jacobian=jacobian), encoding="utf-8")
    page = chromium_page(path)
    assert _errors(page) == []
    asked = [step["name"] for step in sheet_data(scenario, jacobian=jacobian)["steps"]]
    compared = 0
    verdicts_seen: set[str] = set()
    for number, written in enumerate(answer_sets(scenario, SETS, seed=17, jacobian=jacobian)):
        expected = check_verdicts(scenario, written, asked)
        shown = fill_and_judge(page, written)
        assert shown == expected, f"answer set {number}: {written}"
        exported = page.run("return document.getElementById('yaml').value;")
        answers = load_answers_text(exported, "exported.yaml", WorkedSteps(scenario))
        assert {claim.name: claim.text for claim in answers.claims} == written
        again = check(scenario, answers.claims, diagnose=False)
        found = {row.step.name: PAGE_VERDICTS[row.verdict] for row in again.rows}
        assert {name: found.get(name, "empty") for name in asked} == shown
        compared += len(shown)
        verdicts_seen.update(shown.values())
    assert verdicts_seen == {"right", "carried", "wrong", "empty"}  # every verdict was put to the test
    assert compared == SETS * len(asked)
    assert _errors(page) == []


def test_no_request_leaves_the_page_and_the_policy_forbids_one(chromium_page, tmp_path):
    path = tmp_path / "sheet.html"
    path.write_text(sheet_html(load("two_two_two")), encoding="utf-8")
    page = chromium_page(path)
    resources = page.run("return performance.getEntriesByType('resource').map((entry) => entry.name);")
    assert resources == []
    # the Content-Security-Policy blocks a load the page might be tricked into: the browser reports it
    page.run("const image = new Image(); image.src = 'https://example.invalid/x.png'; document.body.appendChild(image);")
    page.run("return new Promise((done) => setTimeout(done, 200));")
    assert any("Content Security Policy" in entry["message"] for entry in page.driver.get_log("browser"))


def test_keyboard_hints_progress_and_reset(chromium_page, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    scenario = load("two_two_two")
    data = sheet_data(scenario)
    path = tmp_path / "sheet.html"
    path.write_text(sheet_html(scenario), encoding="utf-8")
    page = chromium_page(path)
    driver = page.driver
    first, second = data["steps"][0]["name"], data["steps"][1]["name"]
    field = driver.find_element(By.CSS_SELECTOR, f'input[data-quantity="{first}"]')
    field.send_keys("0.6", Keys.ENTER)  # judged, and the focus moves on
    assert page.run("return document.activeElement.dataset.quantity;") == second
    assert page.run("return document.getElementById('q0').dataset.verdict;") == "right"
    assert page.run("return document.getElementById('v0').getAttribute('aria-live');") == "polite"
    driver.switch_to.active_element.send_keys("0.9", Keys.ENTER)
    assert page.run("return document.getElementById('q1').dataset.verdict;") == "wrong"
    # the figure highlights the quantity worked and what feeds it (out_h1 = σ(in_h1): the neuron h1)
    assert page.run("return Array.from(document.querySelectorAll('figure .on')).map((e) => e.dataset.node || e.dataset.parameter);")
    for _ in range(3):
        page.run("document.querySelector('button.hint[data-step=\"1\"]').click();")
    hints = page.run("return document.getElementById('h1').innerText;")
    assert "σ(in_h1)" in hints and "σ(0.6)" in hints and data["steps"][1]["correct"][:8] in hints
    assert "hints 2" in page.run("return document.getElementById('score').textContent;")
    driver.refresh()  # progress survives a reload
    assert page.run(f"return document.querySelector('input[data-quantity=\"{first}\"]').value;") == "0.6"
    assert page.run("return document.getElementById('q1').dataset.verdict;") == "wrong"
    page.run("window.confirm = () => true; document.getElementById('reset').click();")
    assert page.run("return document.querySelectorAll('[data-verdict]').length;") == 0
    driver.refresh()
    assert page.run(f"return document.querySelector('input[data-quantity=\"{first}\"]').value;") == ""
    assert _errors(page) == []


def test_axe_finds_no_serious_violation_in_either_language(chromium_page, tmp_path):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (tools/node-packages installs it from package.json)")
    for lang, name in (("en", "two_two_two"), ("zh", "two_two_two"), ("zh", "softmax_two_layer"), ("en", "two_samples")):
        path = tmp_path / f"sheet-{lang}-{name}.html"
        path.write_text(sheet_html(load(name), lang, jacobian=True), encoding="utf-8")
        page = chromium_page(path)
        page.run("document.querySelectorAll('input[data-quantity]')[1].value = '0.9'; document.getElementById('check-all').click();")
        # axe is injected by the test through the driver, not loaded by the page (whose policy would refuse it)
        page.run(AXE.read_text(encoding="utf-8"))
        result = page.driver.execute_async_script(
            "const done = arguments[arguments.length - 1]; axe.run(document).then((r) => done(JSON.stringify(r.violations)));"
        )
        serious = [v for v in json.loads(result) if v["impact"] in ("serious", "critical")]
        assert serious == [], json.dumps(serious, indent=1)[:3000]


def test_the_page_fits_a_phone(tmp_path):
    from browser_harness import chromium_session

    sheets = {
        "two_two_two": load("two_two_two"),
        "softmax_two_layer": load("softmax_two_layer"),
        "adam_step_2": at_step(load(str(ROOT / "tests/data/batch_adam_decay.yaml")), 2),  # long state values
    }
    with chromium_session((360, 740)) as page:
        for name, scenario in sheets.items():
            path = tmp_path / f"{name}.html"
            path.write_text(sheet_html(scenario, "zh", jacobian=True), encoding="utf-8")
            page.open(path)
            widths = page.run("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];")
            assert widths[0] <= widths[1], (name, widths)  # nothing wider than the screen: no sideways scrolling
            page.screenshot(tmp_path / f"phone-{name}.png")


def test_the_page_prints_its_answers_and_verdicts_without_the_controls(chromium_page, tmp_path):
    import base64

    from selenium.webdriver.common.print_page_options import PrintOptions

    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext (poppler-utils)")
    path = tmp_path / "sheet.html"
    path.write_text(sheet_html(load("two_two_two")), encoding="utf-8")
    page = chromium_page(path)
    fill_and_judge(page, {"in_h1": "0.6", "out_h1": "0.6457", "in_h2": "0.9"})
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(base64.b64decode(page.driver.print_page(PrintOptions())))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "0.6457" in text and "Right." in text and "Not right." in text and "w8′" in text
    for control in ("Check all", "Download answers", "Start again", "Hint", "Not given."):
        assert control not in text  # the print leaves out the controls and the blanks' verdicts


def test_the_page_works_inside_a_sandboxed_lms_frame(chromium_page, tmp_path):
    """As Moodle may embed it: scripts allowed, no same origin (so no localStorage), no top navigation."""
    (tmp_path / "sheet.html").write_text(sheet_html(load("two_two_two")), encoding="utf-8")
    outer = tmp_path / "course.html"
    outer.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>course</title></head><body>'
        '<iframe sandbox="allow-scripts allow-downloads" src="sheet.html" width="800" height="900" title="sheet"></iframe>'
        "</body></html>",
        encoding="utf-8",
    )
    page = chromium_page(outer)
    page.driver.switch_to.frame(0)
    shown = fill_and_judge(page, {"in_h1": "0.6", "out_h1": "0.9"})
    assert shown["in_h1"] == "right" and shown["out_h1"] == "wrong" and shown["in_h2"] == "empty"
    assert page.run("return document.getElementById('storage').hidden;") is False  # it says progress is not kept
    assert "in_h1: 0.6" in page.run("document.getElementById('export').click(); return document.getElementById('yaml').value;")
    page.driver.switch_to.default_content()
    assert _errors(page) == []
