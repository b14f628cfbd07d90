"""kg export html: one self-contained page, checked as a file and in headless
Chromium (Debian's ``chromium``; the browser tests skip only if it is absent)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from kg.views.html import html_text, page_data, vis_network_js, write_html


def _support():
    name = "_industry_kg_cli_support"
    mod = sys.modules.get(name)
    if mod is None:
        path = Path(__file__).resolve().parents[1] / "cli" / "__init__.py"
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return mod


S = _support()
WAZHOU = "瓦房店轴承集团有限责任公司"  # 瓦轴 is its 简称 in the corpus (the example)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def corpus_export(tmp_path_factory) -> dict:
    out = S.shared_build(tmp_path_factory)
    return json.loads((out / "graph.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page(corpus_export, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "graph.html"
    write_html(corpus_export, path)
    return path


def test_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc=|<link\b|<iframe\b|@import", text, re.I)
    assert "@version 9.1.2" in text and "vis-network" in text  # the bundle, licence header kept
    assert vis_network_js() in text
    assert text.count("</script>") == 3  # the library, the data, the page's code


def test_page_data(export, sample):
    data = page_data(export)
    node = next(n for n in data["nodes"] if n["id"] == sample.HUAJING)
    assert node["label"] == "华东精工机械有限公司" and node["type"] == "Company"
    assert node["aliases"] == ["华东精工", "华精"]
    assert node["docs"] == [sample.D1, sample.D2]
    assert {(f["period"], f["metric"], f["value"]) for f in node["figures"]} >= {
        ("今年一季度", "营业收入", 136)}
    assert data["colours"]["Company"] == "#1f77b4"
    assert len(data["edges"]) == len(export["relations"])
    assert {(e["from"], e["to"]) for e in data["edges"] if e["predicate"] == "holdsPosition"} == {
        (sample.ZHANG, sample.HUAJING)}


def test_data_cannot_close_the_script(export):
    hostile = json.loads(json.dumps(export))
    hostile["entities"][0]["name"] = "</script><script>alert(1)</script>"
    text = html_text(hostile)
    assert "</script><script>alert(1)" not in text
    assert text.count("</script>") == 3


def test_page_is_deterministic(export, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    write_html(export, a)
    write_html(export, b)
    assert a.read_bytes() == b.read_bytes()


def _chromium(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
           "--virtual-time-budget=3000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8",
                          errors="replace", timeout=120)


@needs_chromium
def test_page_loads_and_search_finds_wazhou(page, tmp_path):
    url = page.as_uri() + "#q=" + quote("瓦轴")
    proc = _chromium("--dump-dom", url, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []  # no console message at all, let alone an error
    dom = proc.stdout
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert 'data-status="ready"' in body and "data-errors" not in body, body
    assert re.search(r'<pre id="errors"></pre>', dom)
    results = re.search(r'<ul id="results"[^>]*>(.*?)</ul>', dom, re.S).group(1)
    assert WAZHOU in results
    details = re.search(r'<div id="details"[^>]*>(.*?)</div>\s*<pre id="errors"', dom, re.S).group(1)
    assert f'<h2 class="name">{WAZHOU}</h2>' in details
    assert "瓦轴" in re.search(r'class="aliases">([^<]*)<', details).group(1)
    assert "relations (" in details and "figures (" in details
    assert "“去年实现产值53.73亿元”" in details  # a figure with its sentence
    assert re.search(r'class="doc">\d{3}_[0-9a-f]+\.txt<', details)  # and its document id


@needs_chromium
def test_screenshot_shows_coloured_nodes(page, tmp_path):
    from PIL import Image

    shot = tmp_path / "shot.png"
    proc = _chromium("--window-size=1280,800", f"--screenshot={shot}", page.as_uri(),
                     tmp_path=tmp_path)
    assert proc.returncode == 0 and shot.is_file(), proc.stderr[-2000:]
    img = Image.open(shot).convert("RGB")
    graph_area = img.crop((360, 0, img.width, img.height))  # right of the side panel
    counts = dict((rgb, n) for n, rgb in graph_area.getcolors(maxcolors=1 << 20))
    assert len(counts) > 50  # not a blank canvas

    def near(rgb, target, tol=12):
        return all(abs(a - b) <= tol for a, b in zip(rgb, target))

    from kg.views.nx_view import TYPE_COLOURS

    for type_name in ("Company", "Place", "Person"):
        pixels = sum(n for rgb, n in counts.items() if near(rgb, TYPE_COLOURS[type_name]))
        assert pixels > 200, (type_name, pixels)
