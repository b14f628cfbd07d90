"""``kg export html``: the graph as one self-contained HTML page.

The page inlines vis-network (9.1.2, Apache-2.0/MIT, its licence header kept)
taken from the ``pyvis`` package, a dependency of the project, which ships it as
package data (``pyvis/lib/vis-9.1.2/``). pyvis itself is never imported; nothing
is fetched when the page is viewed.

The page shows entities and documents as nodes coloured by type, laid out like
the GEXF export (same seeded layout, physics off, so it opens still), with a
legend, a search box (name, alias or part of one; ``page.html#q=NAME`` searches
on load) and a panel that shows, for a clicked or found node, its type,
aliases, documents, relations and figures with their periods, each with the
sentence it comes from and the document id.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

from kg.errors import KgError
from kg.views.gexf import layout, node_size
from kg.views.nx_view import TYPE_COLOURS, from_export
from kg.views import write_text_atomically

__all__ = ["vis_network_js", "page_data", "html_text", "write_html", "VIS_NETWORK_PATH"]

#: where vis-network lies inside the pyvis package
VIS_NETWORK_PATH = ("lib", "vis-9.1.2", "vis-network.min.js")


def vis_network_js() -> str:
    """The vis-network bundle shipped by pyvis (found without importing pyvis)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise KgError("the pyvis package (which ships vis-network) is not installed: "
                      "reinstall industry-kg (pip install -e .)", exit_code=1)
    for base in spec.submodule_search_locations:
        path = Path(base).joinpath(*VIS_NETWORK_PATH)
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise KgError(f"pyvis has no {'/'.join(VIS_NETWORK_PATH)}: install pyvis 0.3.2 "
                  "(pip install -e .)", exit_code=1)


def vis_network_css() -> str:
    """vis-network's stylesheet (tooltips, navigation), shipped next to the bundle."""
    js = Path(*VIS_NETWORK_PATH[:-1]) / "vis-network.css"
    spec = importlib.util.find_spec("pyvis")
    for base in (spec.submodule_search_locations or []) if spec else []:
        path = Path(base) / js
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def page_data(data: dict) -> dict:
    """What the page draws, from an export dict: nodes with their facts, edges,
    and the colour of each type."""
    G = from_export(data)
    pos = layout(G)
    figures_of: dict[str, list[dict]] = {}
    for f in data.get("figures", []):
        if f.get("subject"):
            figures_of.setdefault(f["subject"], []).append({
                k: f.get(k) for k in ("period", "metric", "value", "unit", "qualifier",
                                      "doc", "evidence")})
    docs_of = {e["id"]: sorted({m["doc"] for m in e["mentions"] if m.get("doc")})
               for e in data["entities"]}
    nodes = []
    for n in sorted(G.nodes):
        d = G.nodes[n]
        x, y = pos[n]
        nodes.append({
            "id": n,
            "label": d.get("label") or n,
            "type": d.get("type") or "Unknown",
            "aliases": list(d.get("aliases") or []),
            "n_mentions": d.get("n_mentions", 0),
            "docs": docs_of.get(n, [d["doc"]] if d.get("doc") else []),
            "figures": figures_of.get(n, []),
            "x": x,
            "y": -y,  # screen y grows downwards; keep Gephi's orientation
            "size": node_size(G.degree(n)),
        })
    edges = [{"id": k, "from": u, "to": v, "predicate": a.get("predicate"),
              "title": a.get("title"), "doc": a.get("doc"), "evidence": a.get("evidence")}
             for u, v, k, a in G.edges(keys=True, data=True)]
    edges.sort(key=lambda e: e["id"])
    used = sorted({nd["type"] for nd in nodes}, key=lambda t: list(TYPE_COLOURS).index(t)
                  if t in TYPE_COLOURS else len(TYPE_COLOURS))
    colours = {t: _hex(TYPE_COLOURS.get(t, TYPE_COLOURS["Unknown"])) for t in used}
    return {"nodes": nodes, "edges": edges, "colours": colours}


def _script_json(obj) -> str:
    """JSON safe inside <script>: no "</", no "<!--", no U+2028/2029 surprises."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


_CSS = """
html,body{margin:0;height:100%;font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",
 "Microsoft YaHei",sans-serif;font-size:14px;color:#222}
#app{display:flex;height:100%}
#side{width:340px;min-width:340px;overflow:auto;border-right:1px solid #ccc;padding:8px;
 box-sizing:border-box;background:#fafafa}
#graph{flex:1;height:100%}
#search{width:100%;box-sizing:border-box;padding:6px;font-size:15px}
#results{list-style:none;padding:0;margin:6px 0}
#results li{padding:2px 4px;cursor:pointer}
#results li:hover{background:#e6eefc}
.dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:5px}
#legend span.item{display:inline-block;margin:2px 8px 2px 0;font-size:12px}
#details h2{font-size:16px;margin:8px 0 2px}
#details .type{color:#666;font-size:12px}
#details ul{padding-left:18px;margin:4px 0}
#details li{margin:3px 0}
.ev{color:#555;font-size:12px}
.doc{color:#888;font-size:11px}
#errors{color:#b00}
"""

_JS = r"""
(function () {
  "use strict";
  var errors = [];
  function fail(msg) {
    errors.push(String(msg));
    document.body.setAttribute("data-errors", String(errors.length));
    var el = document.getElementById("errors");
    if (el) { el.textContent = errors.join("\n"); }
  }
  window.addEventListener("error", function (ev) { fail(ev.message); });
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });
  function norm(s) { return (s || "").normalize("NFKC").toLowerCase().replace(/\s+/g, ""); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function num(v) { return v === null || v === undefined ? "" : String(v); }

  // legend
  var legend = document.getElementById("legend");
  Object.keys(DATA.colours).forEach(function (t) {
    var item = el("span", null, "item");
    var dot = el("span", null, "dot");
    dot.style.background = DATA.colours[t];
    item.appendChild(dot);
    item.appendChild(document.createTextNode(t));
    legend.appendChild(item);
  });

  // the network
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    return {id: n.id, label: n.label, x: n.x, y: n.y, size: n.size, shape: "dot",
            color: DATA.colours[n.type], title: n.type + ": " + n.label};
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    return {id: e.id, from: e.from, to: e.to, arrows: {to: {enabled: true, scaleFactor: 0.4}},
            label: e.title || e.predicate, font: {size: 9, color: "#777"},
            color: {color: "#bbbbbb", highlight: "#333333"}};
  }));
  var network = new vis.Network(document.getElementById("graph"), {nodes: nodes, edges: edges}, {
    physics: false,
    interaction: {hover: true, tooltipDelay: 150},
    nodes: {font: {size: 12}},
    edges: {smooth: false}
  });

  // details of a node
  var details = document.getElementById("details");
  function show(id) {
    var n = byId[id];
    details.innerHTML = "";
    if (!n) { return; }
    details.setAttribute("data-node", n.id);
    details.appendChild(el("h2", n.label, "name"));
    details.appendChild(el("div", n.type + " · " + n.n_mentions + " mention(s)", "type"));
    details.appendChild(el("div", n.id, "doc"));
    if (n.aliases.length) { details.appendChild(el("div", "aliases: " + n.aliases.join(", "), "aliases")); }
    if (n.docs.length) { details.appendChild(el("div", "documents: " + n.docs.join(", "), "doc")); }
    var rels = DATA.edges.filter(function (e) { return e.from === id || e.to === id; });
    if (rels.length) {
      details.appendChild(el("h3", "relations (" + rels.length + ")"));
      var ul = el("ul", null, "relations");
      rels.forEach(function (e) {
        var li = el("li");
        var s = byId[e.from], o = byId[e.to];
        li.appendChild(el("div", (s ? s.label : e.from) + " —" + e.predicate +
          (e.title ? " (" + e.title + ")" : "") + "→ " + (o ? o.label : e.to)));
        if (e.evidence) { li.appendChild(el("div", "“" + e.evidence + "”", "ev")); }
        li.appendChild(el("div", e.doc || "", "doc"));
        ul.appendChild(li);
      });
      details.appendChild(ul);
    }
    if (n.figures.length) {
      details.appendChild(el("h3", "figures (" + n.figures.length + ")"));
      var fl = el("ul", null, "figures");
      n.figures.forEach(function (f) {
        var li = el("li");
        var head = [f.period || "", f.metric || ""].filter(Boolean).join(" ");
        li.appendChild(el("div", (head ? head + ": " : "") + num(f.value) + (f.unit || "") +
          (f.qualifier ? " (" + f.qualifier + ")" : "")));
        if (f.evidence) { li.appendChild(el("div", "“" + f.evidence + "”", "ev")); }
        li.appendChild(el("div", f.doc || "", "doc"));
        fl.appendChild(li);
      });
      details.appendChild(fl);
    }
  }
  function select(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: false});
    show(id);
  }
  network.on("click", function (p) { if (p.nodes.length) { show(p.nodes[0]); } });

  // search: exact name, then alias, then part of a name or alias
  var input = document.getElementById("search");
  var results = document.getElementById("results");
  function search(q) {
    var k = norm(q);
    results.innerHTML = "";
    if (!k) { return []; }
    var hits = [];
    DATA.nodes.forEach(function (n) {
      var name = norm(n.label), al = n.aliases.map(norm), rank = -1;
      if (name === k) { rank = 0; }
      else if (al.indexOf(k) >= 0) { rank = 1; }
      else if (name.indexOf(k) >= 0 || al.some(function (a) { return a.indexOf(k) >= 0; })) { rank = 2; }
      if (rank >= 0) { hits.push([rank, -n.n_mentions, n.label, n.id]); }
    });
    hits.sort(function (a, b) {
      for (var i = 0; i < a.length; i++) { if (a[i] < b[i]) { return -1; } if (a[i] > b[i]) { return 1; } }
      return 0;
    });
    hits.slice(0, 30).forEach(function (h) {
      var n = byId[h[3]];
      var li = el("li");
      li.setAttribute("data-node", n.id);
      var dot = el("span", null, "dot");
      dot.style.background = DATA.colours[n.type];
      li.appendChild(dot);
      li.appendChild(document.createTextNode(n.label + " [" + n.type + "]"));
      li.addEventListener("click", function () { select(n.id); });
      results.appendChild(li);
    });
    results.setAttribute("data-count", String(hits.length));
    return hits;
  }
  input.addEventListener("input", function () { search(input.value); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var h = search(input.value); if (h.length) { select(h[0][3]); } }
  });
  var m = /[#&]q=([^&]*)/.exec(window.location.hash);
  if (m) {
    input.value = decodeURIComponent(m[1]);
    var h = search(input.value);
    if (h.length) { select(h[0][3]); }
  }
  document.body.setAttribute("data-status", "ready");
})();
"""


def html_text(data: dict, title: str = "industry-kg") -> str:
    """The page, as text."""
    js = vis_network_js()
    if "</script" in js.lower():  # cannot happen with vis-network 9.1.2; guard the inlining
        raise KgError("vis-network bundle contains </script>; cannot inline it", exit_code=1)
    payload = _script_json(page_data(data))
    esc_title = title.replace("&", "&amp;").replace("<", "&lt;")
    n_nodes = len(data["entities"]) + len(data["documents"])
    return (
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{esc_title}</title>\n<style>{vis_network_css()}</style>\n<style>{_CSS}</style>\n"
        f"<script>\n{js}\n</script>\n</head>\n<body data-status=\"loading\">\n"
        "<div id=\"app\">\n<div id=\"side\">\n"
        "<input id=\"search\" type=\"search\" placeholder=\"search a name or alias…\" "
        "autocomplete=\"off\">\n"
        f"<div class=\"doc\">{n_nodes} nodes, {len(data['relations'])} relations</div>\n"
        "<ul id=\"results\"></ul>\n<div id=\"legend\"></div>\n<div id=\"details\"></div>\n"
        "<pre id=\"errors\"></pre>\n</div>\n<div id=\"graph\"></div>\n</div>\n"
        f"<script type=\"application/json\" id=\"kg-data\">{payload}</script>\n"
        f"<script>{_JS}</script>\n</body>\n</html>\n"
    )


def write_html(data: dict, path: str | os.PathLike) -> None:
    """Write :func:`html_text` to ``path`` (UTF-8), through a temporary file."""
    write_text_atomically(html_text(data), path)
