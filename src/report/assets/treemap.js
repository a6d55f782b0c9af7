// mami-clean report page: builds the page from the JSON in #data with DOM text nodes only
// (a file name never becomes markup), draws a squarified treemap (Bruls, Huizing, van Wijk)
// that zooms on click, and writes a self-check into #selfcheck for tests.
"use strict";
(function () {
  const errors = [];
  window.addEventListener("error", (e) => errors.push(String(e.message)));
  const data = JSON.parse(document.getElementById("data").textContent);
  const app = document.getElementById("app");
  // Phase colours (1-7), and what is not selected.
  const PHASE = ["#b0b6c0", "#e4572e", "#f3a712", "#a8c256", "#29a5c2", "#7b5ea7", "#db5a9c", "#5c80bc"];
  const F = { PROTECTED: 1, KEPT: 2, MERGED: 4, FILES_HERE: 8, REVIEW: 16 };
  const MAX_RECTS = 4000;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function size(b) {
    const u = ["B", "kB", "MB", "GB", "TB"];
    let i = 0;
    let v = b;
    while (v >= 1000 && i < u.length - 1) { v /= 1000; i++; }
    return (i === 0 ? String(v) : v.toFixed(2)) + " " + u[i];
  }
  function colour(n) {
    if (n.p) return PHASE[n.p] || PHASE[0];
    if (n.f & F.FILES_HERE) return "#d5d9e0";
    return PHASE[0];
  }
  function label(n) {
    if (n.f & F.FILES_HERE) return "(files here)";
    if (n.f & F.MERGED) return "(" + n.n + ")";
    return n.n;
  }

  // Squarified layout of `items` ({v, node}, largest first, v > 0) in the rectangle.
  function squarify(items, x, y, w, h) {
    const out = [];
    let total = 0;
    for (const it of items) total += it.v;
    if (total <= 0 || w <= 0 || h <= 0) return out;
    const scale = (w * h) / total;
    let i = 0;
    while (i < items.length) {
      const side = Math.min(w, h);
      const row = [];
      let sum = 0, min = Infinity, max = 0, worst = Infinity;
      while (i < items.length) {
        const a = items[i].v * scale;
        const s = sum + a, mn = Math.min(min, a), mx = Math.max(max, a);
        const ratio = Math.max((side * side * mx) / (s * s), (s * s) / (side * side * mn));
        if (row.length && ratio > worst) break;
        row.push(items[i]); sum = s; min = mn; max = mx; worst = ratio; i++;
      }
      const thick = sum / side;
      let off = 0;
      row.forEach((r, k) => {
        const a = r.v * scale;
        const len = k === row.length - 1 ? side - off : a / thick;
        out.push(w >= h ? { node: r.node, x: x, y: y + off, w: thick, h: len }
                        : { node: r.node, x: x + off, y: y, w: len, h: thick });
        off += len;
      });
      if (w >= h) { x += thick; w -= thick; } else { y += thick; h -= thick; }
    }
    return out;
  }
  function kids(n) {
    return (n.c || []).filter((k) => k.b > 0).map((k) => ({ v: k.b, node: k }));
  }

  let map, crumbs, stack, drawn;
  function box(n, path, r, depth) {
    const d = el("div", "box");
    d.style.left = r.x + "px"; d.style.top = r.y + "px";
    d.style.width = Math.max(0, r.w) + "px"; d.style.height = Math.max(0, r.h) + "px";
    const full = path.concat(n.f & (F.FILES_HERE | F.MERGED) ? [label(n)] : [n.n]).join("/");
    d.title = full + "\n" + size(n.b) + (n.r ? "\nrule: " + n.r : "") +
      (n.f & F.PROTECTED ? "\nprotected" : "") + (n.f & F.KEPT ? "\nkept by a keep rule" : "") +
      (n.f & F.REVIEW ? "\nreview only: never deleted" : "");
    if (n.f & F.PROTECTED) d.classList.add("prot");
    if (n.f & F.KEPT) d.classList.add("kept");
    if (n.f & F.REVIEW) d.classList.add("review");
    if (n.f & F.MERGED) d.classList.add("merged");
    drawn++;
    const nested = n.c && n.c.length && r.w > 48 && r.h > 36 && depth < 3 && drawn < MAX_RECTS;
    if (nested) {
      d.classList.add("dir");
      if (n.p) d.style.background = colour(n);
      d.appendChild(el("span", "lbl", label(n) + "  " + size(n.b)));
      for (const s of squarify(kids(n), 2, 16, r.w - 6, r.h - 20)) {
        d.appendChild(box(s.node, path.concat([n.n]), s, depth + 1));
      }
    } else {
      d.style.background = colour(n);
      if (r.w > 40 && r.h > 14) d.textContent = label(n) + " " + size(n.b);
    }
    d.addEventListener("click", (ev) => {
      ev.stopPropagation();
      if (n.c && n.c.length) { stack = stackTo(path.concat([n.n]), n); draw(); }
    });
    return d;
  }
  // The zoom stack for a node at `names` below the current top.
  function stackTo(names, n) {
    const s = stack.slice(0, 1);
    let cur = stack[0].node;
    for (const name of names.slice(1)) {
      cur = (cur.c || []).find((k) => k.n === name) || n;
      s.push({ node: cur, name: name });
    }
    return s;
  }
  function draw() {
    map.replaceChildren();
    drawn = 0;
    const top = stack[stack.length - 1].node;
    const W = map.clientWidth, H = map.clientHeight;
    const names = stack.map((s) => s.name);
    const rects = squarify(kids(top), 0, 0, W, H);
    for (const r of rects) map.appendChild(box(r.node, names, r, 0));
    crumbs.replaceChildren();
    stack.forEach((s, i) => {
      if (i) crumbs.appendChild(el("span", "sep", "/"));
      const a = el("a", "", i ? s.name : "(root)");
      a.addEventListener("click", () => { stack = stack.slice(0, i + 1); draw(); });
      crumbs.appendChild(a);
    });
    crumbs.appendChild(el("span", "note", "  " + size(top.b)));
    return { rects: rects, W: W, H: H, top: top };
  }

  function legend() {
    const l = el("div", "legend");
    const add = (c, t, cls) => {
      const s = el("span");
      const sw = el("i", "sw " + (cls || ""));
      sw.style.background = c;
      s.append(sw, t);
      l.appendChild(s);
    };
    add(PHASE[0], "kept in the tree");
    for (const p of data.phases) if (p.bytes > 0 || p.entries > 0) add(PHASE[p.phase] || PHASE[0], "phase " + p.phase + " · " + p.name);
    add("#fff", "protected", "prot");
    add("#fff", "kept by a keep rule", "kept");
    return l;
  }
  function table(head, rows, numeric) {
    const t = el("table");
    const tr = el("tr");
    head.forEach((h, i) => tr.appendChild(el("th", numeric.includes(i) ? "num" : "", h)));
    t.appendChild(el("thead")).appendChild(tr);
    const tb = el("tbody");
    for (const r of rows) {
      const row = el("tr");
      r.forEach((c, i) => {
        if (c instanceof Node) { const td = el("td"); td.appendChild(c); row.appendChild(td); }
        else row.appendChild(el("td", numeric.includes(i) ? "num" : (i === 0 ? "path" : ""), String(c)));
      });
      tb.appendChild(row);
    }
    t.appendChild(tb);
    return t;
  }
  function bar(v, max, c) {
    const b = el("span", "bar");
    b.style.width = (max > 0 ? Math.max(v > 0 ? 1 : 0, (v / max) * 320) : 0) + "px";
    b.style.background = c;
    return b;
  }

  app.append(el("h1", "", data.title), el("p", "sub", data.subtitle), el("p", "headline", data.headline));
  app.appendChild(el("h2", "", "Where the space goes"));
  if (data.kind === "plan") app.appendChild(legend());
  crumbs = el("div", "crumbs");
  map = el("div");
  map.id = "map";
  app.append(crumbs, map);
  app.appendChild(el("p", "note", "Click a box to zoom in, a name above to zoom out; hover for the path, size and rule. Boxes too small to see are merged."));
  stack = [{ node: data.tree, name: "" }];
  const first = draw();

  if (data.phases.length) {
    app.appendChild(el("h2", "", "Phases"));
    const max = Math.max(1, ...data.phases.map((p) => p.bytes));
    app.appendChild(table(["phase", "", "entries", "size", ""],
      data.phases.map((p) => [p.phase + " · " + p.name, p.title, p.entries, p.size, bar(p.bytes, max, PHASE[p.phase] || PHASE[0])]), [2, 3]));
  }
  if (data.contexts.length) {
    app.appendChild(el("h2", "", "Build contexts: now → after the plan"));
    const max = Math.max(1, ...data.contexts.map((c) => c.before));
    const rows = [];
    for (const c of data.contexts) {
      const bars = el("div");
      bars.append(bar(c.before, max, "#8a94a6"), el("br"), bar(c.after, max, "#2e7d32"));
      rows.push([c.name, c.before_size, c.after_size, bars, c.image ? c.image[0] + " → " + c.image[1] : "—"]);
    }
    const t = table(["build", "now", "after", "", "image (COPY/ADD layers)"], rows, [1, 2]);
    t.classList.add("bars");
    app.appendChild(t);
  }
  if (data.rows.length) {
    app.appendChild(el("h2", "", "Entries, largest first"));
    app.appendChild(table(["path", "phase", "rule", "size", "recovery", "why"],
      data.rows.map((r) => [r.path, r.review ? "review" : r.phase, r.rule, r.size, r.recovery, r.reason]), [3]));
    if (data.rows_left_out) app.appendChild(el("p", "note", data.rows_left_out + " smaller entries left out here; `mami-clean plan --format json` lists every one."));
  }
  if (data.protected.length) {
    app.appendChild(el("h2", "", "Protected (never deleted)"));
    app.appendChild(table(["path", "why"], data.protected, []));
  }
  if (data.notes.length) {
    app.appendChild(el("h2", "", "Notes"));
    app.appendChild(table(["path", "note"], data.notes, []));
  }

  // What a test reads: the data's leaves sum to the tree, and the top level's boxes fill the
  // map in proportion to their bytes.
  function leaves(n) { return n.c && n.c.length ? n.c.reduce((s, k) => s + leaves(k), 0) : n.b; }
  function count(n) { return 1 + (n.c || []).reduce((s, k) => s + count(k), 0); }
  let area = 0, worst = 0;
  for (const r of first.rects) {
    area += r.w * r.h;
    const want = (r.node.b / first.top.b) * first.W * first.H;
    worst = Math.max(worst, Math.abs(r.w * r.h - want) / (first.W * first.H));
  }
  document.getElementById("selfcheck").textContent = JSON.stringify({
    tree_bytes: data.tree_bytes, root_bytes: data.tree.b, leaf_bytes: leaves(data.tree),
    nodes: count(data.tree), boxes: document.querySelectorAll(".box").length,
    map_area: first.W * first.H, rect_area: area, worst_share_error: worst, errors: errors,
  });
})();
