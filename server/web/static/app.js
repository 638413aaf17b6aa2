// GridDesk's phone app (/m/): grid workers and unit members.
//
// It signs in through POST /api/v1/login and keeps the bearer token in
// localStorage. Every action is written first to a queue in IndexedDB with
// the ids it will carry (crypto.randomUUID) and the exact body it will send,
// then sent through the ordinary API when there is a connection; a re-send
// after a lost answer carries the same bytes, which the server answers as a
// duplicate, so nothing lands twice. Photos are shrunk and named by their
// SHA-256 (the server's photo id) before they are queued.
"use strict";
(() => {
const M = JSON.parse(document.body.dataset.i18n || "{}");
const t = (k, ...a) => { let s = M[k] || k; for (const x of a) s = s.replace(/%[sd]/, String(x)); return s; };
const $ = (sel, el) => (el || document).querySelector(sel);

// h builds an element; text goes in as text, never as markup.
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of kids.flat()) if (c != null && c !== false) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// ---- session ----
const store = {
  get(k) { try { return JSON.parse(localStorage.getItem("griddesk." + k)); } catch (e) { return null; } },
  set(k, v) { localStorage.setItem("griddesk." + k, JSON.stringify(v)); },
  del(k) { localStorage.removeItem("griddesk." + k); },
};
const token = () => { try { return localStorage.getItem("griddesk.token"); } catch (e) { return null; } };
const user = () => store.get("user");

let online = navigator.onLine;
function setOnline(v) { online = v; renderBar(); }

async function api(path, opts) {
  opts = opts || {};
  const headers = Object.assign({ Authorization: "Bearer " + token() }, opts.headers || {});
  let r;
  try {
    r = await fetch(path, Object.assign({}, opts, { headers }));
  } catch (e) {
    setOnline(false);
    throw Object.assign(new Error("offline"), { offline: true });
  }
  setOnline(true);
  if (r.status === 401) { signedOut(); throw Object.assign(new Error("signed out"), { status: 401 }); }
  return r;
}

async function problemText(r) {
  try { const p = await r.json(); return p.detail || p.title || String(r.status); } catch (e) { return String(r.status); }
}

// ---- the queue (IndexedDB) ----
const db = new Promise((ok, fail) => {
  const rq = indexedDB.open("griddesk", 1);
  rq.onupgradeneeded = () => rq.result.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
  rq.onsuccess = () => ok(rq.result);
  rq.onerror = () => fail(rq.error);
});
async function q(mode, fn) {
  const d = await db;
  return new Promise((ok, fail) => {
    const tx = d.transaction("outbox", mode);
    const res = fn(tx.objectStore("outbox"));
    tx.oncomplete = () => ok(res && res.result);
    tx.onerror = () => fail(tx.error);
  });
}
const queue = {
  add: (e) => q("readwrite", (s) => s.add(e)),
  put: (e) => q("readwrite", (s) => s.put(e)),
  del: (seq) => q("readwrite", (s) => s.delete(seq)),
  all: () => q("readonly", (s) => s.getAll()),
};

async function enqueue(entry) {
  entry.user = user().id;
  entry.state = "pending";
  entry.created = new Date().toISOString();
  await queue.add(entry);
  await renderBar();
  flush();
}

let flushing = false;
let sentSome = false; // the bar says "all sent" once something went
async function flush() {
  if (flushing || !token()) return;
  flushing = true;
  try {
    const me = user() && user().id;
    for (const e of await queue.all()) {
      if (e.state !== "pending" || e.user !== me) continue;
      let refused = "";
      for (const p of e.photos || []) {
        const r = await api("/api/v1/photos", { method: "POST", headers: { "Content-Type": p.type }, body: p.blob });
        if (r.status >= 500) return;
        if (!r.ok) { refused = await problemText(r); break; }
      }
      if (!refused) {
        const r = await api(e.url, { method: "POST", headers: { "Content-Type": "application/json" }, body: e.body });
        if (r.status >= 500 || r.status === 429) return;
        if (e.kind === "command" && r.ok) {
          const res = (await r.json()).results[0];
          if (res.status === "rejected") refused = (res.problem && res.problem.detail) || "rejected";
        } else if (!r.ok) {
          refused = await problemText(r);
        }
      }
      if (refused) { e.state = "refused"; e.problem = refused; await queue.put(e); }
      else { await queue.del(e.seq); sentSome = true; }
      await renderBar();
    }
  } catch (err) {
    // offline or signed out: the queue keeps everything for the next try
  } finally {
    flushing = false;
    await renderBar();
    if (current && current.refresh) current.refresh();
  }
}
window.addEventListener("online", () => { setOnline(true); flush(); });
window.addEventListener("offline", () => setOnline(false));
setInterval(flush, 5000);

// ---- photos: shrunk to 1600 px, named by their SHA-256 ----
async function photosOf(input) {
  const out = [];
  for (const f of Array.from((input && input.files) || []).slice(0, 9)) {
    const blob = await window.griddeskShrink(f, 700 << 10);
    const sum = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    const id = Array.from(new Uint8Array(sum), (b) => b.toString(16).padStart(2, "0")).join("");
    out.push({ id, type: blob.type || f.type, blob });
  }
  return out;
}

function command(type, args, baseVersion) {
  const now = new Date().toISOString();
  const c = { id: crypto.randomUUID(), type, args, issued_at: now };
  if (baseVersion) c.base_version = baseVersion;
  return c;
}

// ---- the bar: who, network, queue ----
async function renderBar() {
  const u = user();
  $("#who").textContent = u && token() ? u.name : "";
  $("#logout").classList.toggle("hidden", !token());
  const net = $("#net");
  net.textContent = online ? t("app.online") : t("app.offline");
  net.classList.toggle("off", !online);
  const all = u ? (await queue.all()).filter((e) => e.user === u.id) : [];
  const pending = all.filter((e) => e.state === "pending").length;
  const refused = all.filter((e) => e.state === "refused");
  const b = $("#queue");
  b.classList.toggle("hidden", !all.length && !sentSome);
  b.classList.toggle("wait", pending > 0);
  b.textContent = pending ? t("app.pending", pending) : refused.length ? t("app.refused") + " " + refused.length : t("app.sent");
  const box = $("#outbox");
  box.replaceChildren(h("h2", { text: t("app.pending", pending) }),
    h("ul", { class: "pending" }, all.map((e) => h("li", { "data-state": e.state }, e.label,
      e.state === "refused" ? h("span", { class: "err" }, " · " + t("app.refused") + ": " + e.problem,
        h("button", { type: "button", class: "light", onclick: async () => { await queue.del(e.seq); renderBar(); } }, "×")) : ""))));
}
$("#queue").addEventListener("click", () => $("#outbox").classList.toggle("hidden"));

// ---- views ----
let current = null;
const view = $("#view");
function show(...nodes) { view.replaceChildren(...nodes); window.scrollTo(0, 0); }

function signedOut() {
  try { localStorage.removeItem("griddesk.token"); } catch (e) { /* nothing to remove */ }
  route();
}
$("#logout").addEventListener("click", async () => {
  try { await api("/api/v1/logout", { method: "POST" }); } catch (e) { /* signed out here anyway */ }
  signedOut();
});

function loginView(message) {
  current = null;
  const err = h("p", { class: "err", id: "login-err", role: "alert" }, message || "");
  const form = h("form", { class: "card", id: "login" },
    h("h2", { text: t("app.login") }),
    h("label", { for: "username", text: t("app.user") }), h("input", { id: "username", name: "username", autocomplete: "username", required: true }),
    h("label", { for: "password", text: t("app.password") }), h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true }),
    err, h("button", { type: "submit", id: "signin", text: t("app.login") }));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = { username: $("#username").value.trim(), password: $("#password").value };
    const dev = store.get("device");
    if (dev) body.device = dev;
    let r;
    try {
      r = await fetch("/api/v1/login", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    } catch (e) { setOnline(false); err.textContent = t("app.offline"); return; }
    setOnline(true);
    if (!r.ok) { err.textContent = r.status === 401 ? t("app.signin.fail") : await problemText(r); return; }
    const s = await r.json();
    localStorage.setItem("griddesk.token", s.token);
    store.set("user", s.user);
    store.set("device", s.device);
    renderBar();
    route();
    flush();
  });
  show(form);
}

// cached reads: the last answer is kept, so the app still shows it offline
async function cached(key, path) {
  try {
    const r = await api(path);
    if (!r.ok) throw Object.assign(new Error(await problemText(r)), { status: r.status });
    const v = await r.json();
    store.set("cache." + key, v);
    return v;
  } catch (e) {
    const v = store.get("cache." + key);
    if (v && e.offline) return v;
    throw e;
  }
}

const codeDot = (code) => h("span", { class: "dot dot-" + code });

async function homeReporter() {
  current = { refresh: null };
  const list = h("ul", { class: "list", id: "visits" });
  show(h("div", { class: "row" }, h("h2", { text: t("app.today") }), h("a", { class: "button", href: "#new", id: "newcase", text: t("app.newcase") })), list);
  let today;
  try { today = await cached("today", "/api/v1/field/today"); } catch (e) { list.append(h("li", { class: "err" }, e.message)); return; }
  if (!today.visits.length) list.append(h("li", { text: t("app.novisits") }));
  for (const v of today.visits) {
    list.append(h("li", {}, h("a", { href: "#e/" + encodeURIComponent(v.entity.token) },
      h("div", { class: "row" }, h("strong", {}, v.seq + ". " + v.entity.name), h("span", {}, codeDot(v.entity.code), t("code." + v.entity.code))),
      h("small", {}, t("kind." + v.entity.kind) + " · " + (v.entity.address || "")))));
  }
}

async function entityView(tok) {
  current = { refresh: null };
  let d;
  try { d = await cached("e." + tok, "/api/v1/field/entities/" + encodeURIComponent(tok)); } catch (e) {
    show(h("p", { class: "err" }, e.message), h("a", { class: "button light", href: "#", text: t("app.back") }));
    return;
  }
  const e = d.entity;
  const items = d.items.map((it) => {
    const name = "r-" + it.id;
    const seg = h("div", { class: "seg" },
      ["pass", "fail", "na"].map((v) => h("label", { class: v }, h("input", { type: "radio", name, value: v }), t("app." + v))));
    const hazard = h("div", { class: "hazard hidden" },
      h("label", {}, h("input", { type: "checkbox", class: "is-hazard", checked: true }), " " + t("app.hazard")),
      h("select", { class: "severity" }, h("option", { value: "general", text: t("app.general") }), h("option", { value: "major", text: t("app.major") })));
    const note = h("input", { class: "note", placeholder: t("app.note"), maxlength: "500" });
    const row = h("div", { class: "item", "data-item": it.id }, h("strong", {}, it.name), it.legal_basis ? h("small", { class: "muted" }, " " + it.legal_basis) : "", seg, hazard, note);
    seg.addEventListener("change", () => hazard.classList.toggle("hidden", !$("input:checked", seg) || $("input:checked", seg).value !== "fail"));
    return row;
  });
  const photos = h("input", { type: "file", id: "photos", accept: "image/*", capture: "environment", multiple: true });
  const msg = h("p", { class: "err", id: "check-err", role: "alert" });
  const form = h("form", { class: "card", id: "checklist" }, h("h2", { text: t("app.checklist") }), items,
    h("label", { for: "photos", text: t("app.photos") }), photos, msg, h("button", { type: "submit", id: "submit", text: t("app.submit") }));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const results = [], hazards = [];
    let missing = 0;
    for (const row of items) {
      const c = $("input:checked", row);
      if (!c) { missing++; continue; }
      const note = $(".note", row).value.trim();
      const r = { item: row.dataset.item, result: c.value };
      if (note) r.note = note;
      results.push(r);
      if (c.value === "fail" && $(".is-hazard", row).checked) {
        const hz = { item_id: row.dataset.item, severity: $(".severity", row).value };
        if (note) hz.description = note;
        hazards.push(hz);
      }
    }
    if (missing) { msg.textContent = t("app.unchecked", missing); return; }
    const ph = await photosOf(photos);
    const args = { inspection_id: crypto.randomUUID(), entity_id: e.id, at: new Date().toISOString(), results };
    if (hazards.length) args.hazards = hazards;
    if (ph.length) args.photos = ph.map((p) => p.id);
    const c = command("inspection.record", args);
    await enqueue({ kind: "command", url: "/api/v1/commands", body: JSON.stringify({ commands: [c] }), photos: ph,
      label: t("app.checklist") + " · " + e.name });
    show(h("p", { class: "ok", id: "queued", role: "status", text: t("app.queued") }), h("a", { class: "button light", href: "#", text: t("app.back") }));
  });
  const hazards = d.hazards.length ? h("section", { class: "card" }, h("h2", { text: t("app.openhazards") }),
    h("ul", {}, d.hazards.map((x) => h("li", {}, (x.severity === "major" ? t("app.major") : t("app.general")) + " · " + x.item + (x.deadline ? " · " + x.deadline : ""))))) : "";
  show(h("section", { class: "card plate-mini" }, h("h2", {}, codeDot(e.code), e.name), h("small", {}, t("kind." + e.kind) + " · " + (e.address || ""))),
    d.in_scope ? "" : h("p", { class: "err", text: t("app.outscope") }), hazards, form,
    h("a", { class: "button light", href: "#new/" + encodeURIComponent(tok), text: t("app.newcase") }), " ",
    h("a", { class: "button light", href: "#", text: t("app.back") }));
}

function newCaseView(tok) {
  current = null;
  const ent = tok ? store.get("cache.e." + tok) : null;
  let where = ent ? { lon: ent.entity.lon, lat: ent.entity.lat } : null;
  const cats = JSON.parse(document.body.dataset.cats || "[]");
  const loc = h("span", { id: "where" }, where ? where.lon.toFixed(5) + ", " + where.lat.toFixed(5) : "");
  const msg = h("p", { class: "err", id: "case-err", role: "alert" });
  const photos = h("input", { type: "file", id: "case-photos", accept: "image/*", capture: "environment", multiple: true });
  const form = h("form", { class: "card", id: "newcase-form" }, h("h2", { text: t("app.newcase") }),
    ent ? h("p", {}, ent.entity.name) : "",
    h("label", { for: "case-title", text: t("app.case.title") }), h("input", { id: "case-title", maxlength: "200" }),
    h("label", { for: "case-cat", text: t("app.case.cat") }), h("select", { id: "case-cat" }, cats.map((c) => h("option", { value: c.key, text: c.name }))),
    h("label", { for: "case-desc", text: t("app.case.desc") }), h("textarea", { id: "case-desc", rows: "3", maxlength: "2000" }),
    h("label", { text: t("app.case.where") }), loc, " ",
    h("button", { type: "button", class: "light", id: "locate", onclick: () => {
      navigator.geolocation.getCurrentPosition((p) => { where = { lon: p.coords.longitude, lat: p.coords.latitude }; loc.textContent = where.lon.toFixed(5) + ", " + where.lat.toFixed(5); },
        (e) => { msg.textContent = e.message; }, { enableHighAccuracy: true, timeout: 15000 });
    } }, t("app.case.locate")),
    h("label", { for: "case-photos", text: t("app.photos") }), photos, msg,
    h("button", { type: "submit", id: "case-send", text: t("app.case.send") }));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const title = $("#case-title").value.trim();
    if (title.length < 2) { msg.textContent = t("err.text.short"); return; }
    if (!where) { msg.textContent = t("app.case.noloc"); return; }
    const ph = await photosOf(photos);
    const body = { id: crypto.randomUUID(), title, category: $("#case-cat").value, description: $("#case-desc").value.trim(),
      source: "grid_worker", lon: where.lon, lat: where.lat };
    if (ent) body.entity_id = ent.entity.id;
    if (ph.length) body.photos = ph.map((p) => p.id);
    await enqueue({ kind: "case", url: "/api/v1/cases", body: JSON.stringify(body), photos: ph, label: t("app.newcase") + " · " + title });
    show(h("p", { class: "ok", id: "queued", role: "status", text: t("app.queued") }), h("a", { class: "button light", href: "#", text: t("app.back") }));
  });
  show(form);
}

// ---- unit members: the unit's tasks with their clocks ----
const next = { dispatched: ["accept", "return", "feedback"], accepted: ["arrive", "feedback"], on_site: ["feedback", "handle"], handled: ["feedback"] };
const afterAction = { accept: "accepted", return: "registered", arrive: "on_site", handle: "handled" };
function span(ms) {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400), hh = Math.floor(s % 86400 / 3600), mm = Math.floor(s % 3600 / 60), ss = s % 60;
  return (d ? d + "d " : "") + (d || hh ? hh + ":" : "") + String(mm).padStart(2, "0") + ":" + String(ss).padStart(2, "0");
}

async function homeUnit() {
  const list = h("ul", { class: "list", id: "tasks" });
  show(h("h2", { text: t("app.tasks") }), list);
  let data, fetchedAt, skew = 0;
  const optimistic = {};
  const clocks = [];
  const tick = () => {
    const now = Date.now() + skew;
    for (const c of clocks) {
      if (!c.el.isConnected) continue;
      const left = new Date(c.clock.deadline).getTime() - now;
      c.el.textContent = t("clock." + c.clock.name) + " · " + (c.clock.done ? t(c.clock.overdue ? "app.late" : "app.ontime") :
        left >= 0 ? t("app.left", span(left)) : t("app.over", span(left)));
    }
  };
  const render = () => {
    clocks.length = 0;
    list.replaceChildren();
    if (!data.tasks.length) list.append(h("li", { text: t("app.notasks") }));
    for (const k of data.tasks) {
      const o = optimistic[k.id];
      const status = o ? o.status : k.status;
      const note = h("textarea", { class: "note", rows: "2", placeholder: t("app.what"), maxlength: "2000" });
      const photos = h("input", { type: "file", class: "photos", accept: "image/*", capture: "environment", multiple: true });
      const msg = h("p", { class: "err" });
      const acts = h("div", { class: "actions" }, (next[status] || []).map((a) => h("button", { type: "button", class: a === "return" ? "warn" : a === "feedback" ? "light" : "", "data-action": a,
        onclick: async () => {
          const text = note.value.trim();
          if (a === "return" && text.replace(/\s/g, "").length < 2) { msg.textContent = t("app.reason"); note.focus(); return; }
          const ph = await photosOf(photos);
          const args = { case_id: k.id };
          if (text) args.note = text;
          if (ph.length) args.photos = ph.map((p) => p.id);
          const version = o ? o.version : k.version;
          const c = command("case." + a, args, version);
          optimistic[k.id] = { status: afterAction[a] || status, version: version + 1, pending: true };
          await enqueue({ kind: "command", url: "/api/v1/commands", body: JSON.stringify({ commands: [c] }), photos: ph,
            label: t("app." + a) + " · " + (k.no || k.title) });
          render();
        } }, t("app." + a))));
      const li = h("li", { "data-case": k.id, "data-status": status },
        h("div", { class: "row" }, h("strong", {}, h("span", { class: "dot dot-" + k.light }), (k.no ? k.no + " " : "") + k.title),
          h("span", { class: "status" }, t("status." + status))),
        k.entity ? h("small", {}, k.entity.name + " · " + (k.entity.address || "")) : "",
        k.clocks.filter((c) => !c.done || c.overdue).map((c) => { const el = h("span"); clocks.push({ el, clock: c }); return h("p", { class: "clock" }, h("span", { class: "dot dot-" + c.light }), el); }),
        o && o.pending ? h("p", { class: "muted", text: t("app.queued") }) : "",
        status === "registered" ? "" : [note, photos, msg, acts]);
      list.append(li);
    }
    tick();
  };
  const load = async () => {
    try {
      data = await cached("tasks", "/api/v1/field/tasks");
      fetchedAt = Date.now();
      skew = new Date(data.now).getTime() - fetchedAt;
      const pend = (await queue.all()).filter((e) => e.state === "pending");
      for (const id of Object.keys(optimistic)) if (!pend.some((e) => e.body.includes(id))) delete optimistic[id];
      render();
    } catch (e) { if (!data) list.replaceChildren(h("li", { class: "err" }, e.message)); }
  };
  current = { refresh: load };
  await load();
  const timer = setInterval(() => { if (!current || current.refresh !== load) { clearInterval(timer); return; } tick(); }, 1000);
  const poll = setInterval(() => { if (!current || current.refresh !== load) { clearInterval(poll); return; } load(); }, 10000);
}

function route() {
  renderBar();
  if (!token()) return loginView();
  const u = user();
  const hash = decodeURIComponent(location.hash.slice(1));
  if (u.role === "unit_member") return homeUnit();
  if (u.role !== "reporter" && u.role !== "team_leader" && u.role !== "admin") return loginView(t("app.role.other"));
  if (hash.startsWith("e/")) return entityView(hash.slice(2));
  if (hash === "new" || hash.startsWith("new/")) return newCaseView(hash.slice(4));
  return homeReporter();
}
window.addEventListener("hashchange", route);
route();
flush();
})();
