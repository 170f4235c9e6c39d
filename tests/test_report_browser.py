"""The HTML report in a real browser: headless Debian chromium, opened from a file.

Checks what only a browser can: the charts and highlights are in the rendered DOM, the
report's own script ran under its Content-Security-Policy, and no injected payload ran.
Without chromium this fails when CI is set (CI installs it) and is skipped otherwise.

To look at a report yourself:
    chromium --headless --screenshot=report.png --window-size=1280,2000 file:///abs/report.html
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from replylint.output.reports import render_html
from replylint.output.reports.html import CONTENT_SECURITY_POLICY
from tests.report_samples import sample_scored

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if found is None:
        message = "chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must run the browser test")
        pytest.skip(message)
    return found


def run_chromium(chromium: str, tmp_path: Path, page: Path, *extra: str) -> str:
    profile = tmp_path / "profile"
    completed = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def dump_dom(chromium: str, tmp_path: Path, html: str) -> str:
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    return run_chromium(chromium, tmp_path, page, "--dump-dom")


@pytest.fixture(scope="module")
def report() -> str:
    return render_html(sample_scored(), generated_at="2024-07-01 09:00")


def body_tag(dom: str) -> str:
    match = re.search(r"<body[^>]*>", dom)
    assert match is not None, dom[:500]
    return match.group(0)


@pytest.mark.parametrize("policy", ["with CSP", "escaping alone"])
def test_report_renders_and_no_injected_script_runs(
    chromium: str, tmp_path: Path, report: str, policy: str
) -> None:
    html = report
    if policy == "escaping alone":  # prove the escaping holds even without the policy's help
        csp = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        assert csp in html
        html = html.replace(csp, "")
    dom = dump_dom(chromium, tmp_path, html)
    body = body_tag(dom)
    assert 'data-filters-ready="1"' in body  # the report's own script ran
    assert "data-pwned" not in body  # none of the three payloads ran: each would mark <body>
    assert "<img" not in dom  # the payload's element was never created
    assert dom.count('<svg class="chart"') == 6
    assert dom.count("<rect") >= 10  # histogram columns at least
    assert dom.count('<mark class="sev-error" data-rule="FP005"') == 2
    assert '<b id="shown">4</b>' in dom
    assert "&lt;script&gt;document.body.setAttribute" in dom  # the payload shows as text


def test_filter_script_hides_calls_that_do_not_match(
    chromium: str, tmp_path: Path, report: str
) -> None:
    preselected = report.replace('<option value="fail">', '<option value="fail" selected="">')
    dom = dump_dom(chromium, tmp_path, preselected)
    articles = re.findall(r'<article class="call"[^>]*>', dom)
    assert len(articles) == 4
    hidden = {('data-result="pass"' in tag, "hidden" in tag) for tag in articles}
    assert hidden == {(True, True), (False, False)}
    assert '<b id="shown">3</b>' in dom  # one error fails a call (fail_on = "error")


def test_screenshot(chromium: str, tmp_path: Path, report: str) -> None:
    page = tmp_path / "report.html"
    page.write_text(report, encoding="utf-8")
    shot = tmp_path / "report.png"
    run_chromium(chromium, tmp_path, page, f"--screenshot={shot}", "--window-size=1280,2000")
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (1280, 2000)
    assert len(data) > 30_000  # a blank page compresses to a few kB
