// 打印 buttons: any element with data-print prints the page (no inline script: the CSP forbids it)
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) { event.preventDefault(); window.print(); }
});

// a button with data-confirm asks before its form is sent (处罚告知, 送达, 撤销, 结案)
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-confirm]") : null;
  if (button && !window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
});

// 违法条款: the chosen provision's article, range and discretion tiers, shown beside it
function showProvision(select) {
  const info = select.closest("label")?.querySelector(".provision-info");
  const option = select.selectedOptions[0];
  if (info) { info.textContent = option ? (option.getAttribute("data-info") || "") : ""; }
}
document.addEventListener("change", (event) => {
  const t = event.target;
  if (t instanceof HTMLSelectElement && t.name.endsWith(".code")) { showProvision(t); }
});
document.querySelectorAll('select[name$=".code"]').forEach(showProvision);

// 增加一行: a copy of a form's last row of violations, penalties, instalments or attendees
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-add-row]") : null;
  if (!button) { return; }
  event.preventDefault();
  const form = button.closest("form");
  const prefix = button.getAttribute("data-add-row");
  const pattern = new RegExp("^" + prefix + "\\.(\\d+)\\.");
  let last = -1;
  form.querySelectorAll("[name]").forEach((el) => {
    const m = el.name.match(pattern);
    if (m) { last = Math.max(last, Number(m[1])); }
  });
  if (last < 0 || last >= 49) { return; }
  const next = last + 1;
  const labels = [];
  form.querySelectorAll("[name^='" + prefix + "." + last + ".']").forEach((el) => {
    const label = el.closest("label.field");
    if (label && !labels.includes(label)) { labels.push(label); }
  });
  let after = labels[labels.length - 1];
  labels.forEach((label) => {
    const copy = label.cloneNode(true);
    copy.classList.remove("invalid");
    copy.querySelectorAll("small.error").forEach((e) => e.remove());
    copy.querySelectorAll("[name]").forEach((el) => {
      el.name = el.name.replace(prefix + "." + last + ".", prefix + "." + next + ".");
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-required");
      if (el instanceof HTMLSelectElement) { el.selectedIndex = 0; } else { el.value = ""; }
    });
    copy.querySelector(".req")?.remove();
    const text = copy.querySelector(".label");
    if (text) { text.textContent = text.textContent.replace(/（\d+）/, "（" + (next + 1) + "）"); }
    const info = copy.querySelector(".provision-info");
    if (info) { info.textContent = ""; }
    after.after(copy);
    after = copy;
  });
});

// forms with a file: sent by fetch, so that a refusal comes back beside the form and the
// chosen file stays chosen (nothing is kept on the server until the action is accepted)
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.enctype !== "multipart/form-data") { return; }
  const submitter = event.submitter;
  if (submitter && submitter.hasAttribute("formaction")) { return; }
  event.preventDefault();
  const data = new FormData(form, submitter);
  const answer = await fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                                            redirect: "manual" });
  if (answer.type === "opaqueredirect") {  // accepted: on to the case page (and its message)
    window.location.assign(form.action.replace(/\/act\/[^/]+$/, ""));
    return;
  }
  const html = await answer.text();
  const page = new DOMParser().parseFromString(html, "text/html");
  const holder = form.closest("details.action");
  const fresh = holder ? page.getElementById(holder.id) : null;
  if (!fresh) { document.open(); document.write(html); document.close(); return; }
  fresh.querySelectorAll("input[type=file]").forEach((empty) => {
    const chosen = form.querySelector("input[type=file][name='" + empty.name + "']");
    if (chosen) { empty.replaceWith(chosen); }
  });
  holder.replaceWith(fresh);
  fresh.open = true;
  fresh.querySelector(".refusal")?.scrollIntoView({ block: "center" });
});
