// The pilot form: built from the spec the page embeds, written back to the same spec.
// Every change asks the server (/pilot/preview) for generate's totals and broken rules.
// Plain JavaScript, no build step, nothing fetched from elsewhere.
"use strict";
(function () {
  const state = JSON.parse(document.getElementById("state").textContent);
  const w = JSON.parse(document.getElementById("words").textContent);
  const spec = state.spec;
  let excluded = state.excluded || [];
  const root = document.getElementById("pilot-form");

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value === true) node.setAttribute(key, "");
      else if (value !== false && value !== undefined && value !== null) node.setAttribute(key, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  // A typed number stays what was typed when it is no number, so the spec's check names it.
  function parsed(text) {
    const plain = text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    if (/^-?\d+$/.test(plain)) return parseInt(plain, 10);
    if (/^-?\d+\.\d+$/.test(plain)) return parseFloat(plain);
    return text;
  }

  // Whole kroner grouped as a Norwegian Excel shows them: 1 234 568.
  function shown(value, kind) {
    if (value === undefined || value === null) return "";
    if (kind === "number" && Number.isInteger(value)) return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
    return String(value);
  }

  // An input bound to obj[key]; kind "number" parses, "lines" splits paragraphs.
  function field(label, obj, key, kind, extra) {
    const attrs = Object.assign({ "data-path": key }, extra || {});
    let input;
    if (kind === "lines") {
      input = el("textarea", Object.assign({ rows: 2 }, attrs));
      input.value = (obj[key] || []).join("\n");
    } else if (kind === "bool") {
      input = el("input", Object.assign({ type: "checkbox" }, attrs));
      input.checked = !!obj[key];
    } else {
      input = el("input", Object.assign({ type: kind === "date" ? "date" : "text" }, attrs));
      if (kind === "number" || kind === "year") input.setAttribute("inputmode", "numeric");
      input.value = shown(obj[key], kind);
    }
    input.addEventListener(kind === "bool" ? "change" : "input", () => {
      if (kind === "bool") obj[key] = input.checked;
      else if (kind === "number" || kind === "year") obj[key] = parsed(input.value);
      else if (kind === "lines") obj[key] = input.value.split("\n").filter((s) => s.trim());
      else if (input.value === "" && !(key in required)) delete obj[key];
      else obj[key] = input.value;
      changed();
    });
    if (label === null) return input;
    return el("label", { class: kind === "bool" ? "check" : "" }, kind === "bool" ? input : w[label] || label,
      kind === "bool" ? " " + (w[label] || label) : input);
  }
  const required = { name: 1, project_leader: 1, application_deadline: 1, council_meeting: 1, id: 1, sheet: 1, description: 1, category: 1 };

  function button(text, action, cls) {
    return el("button", { type: "button", class: cls || "secondary", onclick: () => { action(); render(); changed(); } }, text);
  }

  function renderPilot() {
    const p = spec.pilot;
    const box = el("fieldset", { id: "facts" }, el("legend", { text: w.facts }));
    box.append(field("name", p, "name", "text", { id: "pilot-name" }));
    const years = el("div", { class: "years" });
    p.years.forEach((_, i) => years.append(field(null, p.years, i, "year", { class: "year", id: "year-" + i })));
    box.append(el("label", {}, w.years, years));
    box.append(field("kdd_cap", p, "kdd_cap", "number", { id: "kdd-cap" }));
    box.append(field("hourly_rate", p, "hourly_rate", "number", { id: "hourly-rate" }));
    box.append(field("application_deadline", p, "application_deadline", "date"));
    box.append(field("council_meeting", p, "council_meeting", "date"));
    box.append(field("project_leader", p, "project_leader", "text"));
    box.append(field("reservation", p, "reservation", "text"));
    box.append(field("lead_municipality", p, "lead_municipality", "text"));
    box.append(field("organisation_number", p, "organisation_number", "text"));
    box.append(field("contact_person", p, "contact_person", "text"));
    box.append(field("spec_date", p, "spec_date", "date"));
    return box;
  }

  function renderMunicipalities() {
    const p = spec.pilot;
    const box = el("fieldset", { id: "municipalities" }, el("legend", { text: w.municipalities }));
    p.municipalities.forEach((name, i) => {
      const input = el("input", { type: "text", value: name, class: "municipality", id: "municipality-" + i });
      input.addEventListener("change", () => {
        const old = p.municipalities[i];
        p.municipalities[i] = input.value;
        for (const project of spec.projects) {
          if (project.hours && old in project.hours) {
            project.hours[input.value] = project.hours[old];
            delete project.hours[old];
          }
        }
        if (p.lead_municipality === old) p.lead_municipality = input.value;
        render();
        changed();
      });
      box.append(el("div", { class: "row" }, input, p.municipalities.length > 1 ?
        button(w.remove, () => {
          p.municipalities.splice(i, 1);
          for (const project of spec.projects) if (project.hours) delete project.hours[name];
          if (p.lead_municipality === name) delete p.lead_municipality;
        }) : null));
    });
    box.append(button(w.add, () => p.municipalities.push(w.municipality + " " + (p.municipalities.length + 1)), "add"));
    return box;
  }

  function renderCategories() {
    const box = el("fieldset", { id: "categories" }, el("legend", { text: w.categories }));
    const table = el("table", { class: "form-table" },
      el("tr", {}, el("th", { text: w.id }), el("th", { text: w.name }), el("th", { text: w.kdd_eligible }), el("th", { text: w.note }), el("th")));
    spec.categories.forEach((c, i) => {
      const eligible = field(null, c, "kdd_eligible", "bool", { class: "eligible", id: "eligible-" + i });
      const row = el("tr", { id: "category-" + i },
        el("td", {}, field(null, c, "id", "text", { class: "cat-id" })),
        el("td", {}, field(null, c, "name", "text", { class: "cat-name" })),
        el("td", {}, eligible, el("span", { class: "lock" })),
        el("td", {}, field(null, c, "note", "text")),
        el("td", {}, button(w.remove, () => spec.categories.splice(i, 1))));
      table.append(row);
    });
    lockExcluded(table);
    box.append(table, button(w.add, () => spec.categories.push({ id: "kategori_" + (spec.categories.length + 1), name: w.category + " " + (spec.categories.length + 1), kdd_eligible: true }), "add"));
    return box;
  }

  // The scheme's excluded uses: marked and locked not KDD-eligible, in place (typing goes on).
  function lockExcluded(scope) {
    spec.categories.forEach((c, i) => {
      const row = scope.querySelector("#category-" + i);
      if (!row) return;
      const what = excluded[i] || "";
      const eligible = row.querySelector(".eligible");
      row.classList.toggle("excluded", !!what);
      row.title = what ? w.excluded.replace("{what}", what) : "";
      row.querySelector(".lock").textContent = what ? w["excluded-short"].replace("{what}", what) : "";
      if (what) { c.kdd_eligible = false; eligible.checked = false; }
      eligible.disabled = !!what;
    });
  }

  function yearsRow(label, values, cls) {
    const cells = values.map((_, y) => el("td", {}, field(null, values, y, "number", { class: "amount " + (cls || "") })));
    return el("tr", {}, el("th", { text: label }), ...cells);
  }

  function renderProject(project, i) {
    const box = el("fieldset", { class: "project", id: "project-" + i }, el("legend", { text: w.project + " " + (i + 1) + ": " + project.name }));
    box.append(el("div", { class: "row3" },
      field("id", project, "id", "text"), field("name", project, "name", "text", { class: "project-name" }), field("sheet", project, "sheet", "text")));
    box.append(field("working_group", project, "working_group", "bool"));
    box.append(field("description", project, "description", "lines"));
    const years = spec.pilot.years;
    const costs = el("table", { class: "form-table costs" },
      el("tr", {}, el("th", { text: w.category }), el("th", { text: w.what }), ...years.map((y) => el("th", { text: String(y) })), el("th")));
    project.costs.forEach((line, j) => {
      const select = el("select", { class: "cost-category" });
      for (const c of spec.categories) {
        select.append(el("option", { value: c.id, text: c.name, selected: c.id === line.category }));
      }
      if (!spec.categories.some((c) => c.id === line.category)) select.append(el("option", { value: line.category, text: line.category, selected: true }));
      select.addEventListener("change", () => { line.category = select.value; changed(); });
      costs.append(el("tr", {},
        el("td", {}, select),
        el("td", {}, field(null, line, "description", "text", { class: "cost-description" })),
        ...line.amounts.map((_, y) => el("td", {}, field(null, line.amounts, y, "number", { class: "amount" }))),
        el("td", {}, button(w.remove, () => project.costs.splice(j, 1)))));
    });
    box.append(el("h3", { text: w.costs }), costs,
      button(w["add-line"], () => project.costs.push({ category: (spec.categories[0] || {}).id || "", description: "", amounts: years.map(() => 0) }), "add"));
    project.hours = project.hours || {};
    const hours = el("table", { class: "form-table" }, el("tr", {}, el("th"), ...years.map((y) => el("th", { text: String(y) }))));
    for (const m of spec.pilot.municipalities) {
      if (!project.hours[m]) project.hours[m] = years.map(() => 0);
      hours.append(yearsRow(m, project.hours[m], "hours"));
    }
    const financing = el("table", { class: "form-table" }, el("tr", {}, el("th"), ...years.map((y) => el("th", { text: String(y) }))),
      yearsRow(w.kdd, project.financing.kdd, "kdd"), yearsRow(w.statsforvalteren, project.financing.statsforvalteren, "sf"));
    box.append(el("div", { class: "row2" },
      el("div", {}, el("h3", { text: w.hours }), hours),
      el("div", {}, el("h3", { text: w.financing }), financing)));
    if (spec.projects.length > 1) box.append(button(w.remove + ": " + project.name, () => spec.projects.splice(i, 1)));
    return box;
  }

  function render() {
    root.replaceChildren(renderPilot(), renderMunicipalities(), renderCategories(),
      el("h2", { text: w.projects }), ...spec.projects.map(renderProject),
      button(w["add-project"], () => {
        const n = spec.projects.length + 1;
        spec.projects.push({
          id: "prosjekt_" + n, name: w.project + " " + n, sheet: n + " " + w.project, working_group: false,
          description: [], costs: [], hours: {},
          financing: { kdd: spec.pilot.years.map(() => 0), statsforvalteren: spec.pilot.years.map(() => 0) },
        });
      }, "add"));
  }

  let timer = null;
  let asked = 0;
  function changed() {
    for (const input of document.querySelectorAll(".spec-field")) input.value = JSON.stringify(spec);
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  }

  async function preview() {
    const mine = ++asked;
    const response = await fetch("/pilot/preview", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(spec),
    });
    const result = await response.json();
    if (mine !== asked) return;  // a later change has asked again
    const before = excluded.join("|");
    excluded = result.excluded || [];
    if (excluded.join("|") !== before) {
      lockExcluded(root);
      for (const input of document.querySelectorAll(".spec-field")) input.value = JSON.stringify(spec);
    }
    const live = document.getElementById("live");
    live.dataset.ok = result.ok && !(result.broken || []).length ? "yes" : "no";
    document.getElementById("live-summary").textContent = result.summary || w.problems;
    const totals = document.getElementById("live-totals");
    totals.replaceChildren(...Object.entries(result.shown || {}).map(([key, value]) =>
      el("tr", { id: "total-" + key }, el("th", { text: key === "kdd_cap" ? w.kdd_cap : (w[key] || key) }), el("td", { text: value }))));
    const rules = document.getElementById("live-rules");
    const lines = result.ok ? result.broken : result.problems;
    rules.replaceChildren(...(lines.length ? lines.map((line) => el("li", { class: "rule", text: line }))
      : [el("li", { class: "rule-ok", text: w["rules-ok"] })]));
    for (const b of document.querySelectorAll("#download-workbook, #download-spec")) b.disabled = !result.ok;
  }

  render();
  changed();
})();
