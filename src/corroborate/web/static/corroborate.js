// Corroborate's pages work without JavaScript; this adds the conveniences: a table cell shows
// the sentence it came from, the fact filters, and more pasted reports on the compare form.
"use strict";

function showSentence(id) {
  document.querySelectorAll(".hl").forEach((el) => el.classList.remove("hl"));
  const parts = document.querySelectorAll(`[data-sentence~="${CSS.escape(id)}"]`);
  if (!parts.length) return;
  parts.forEach((el) => el.classList.add("hl"));
  const details = parts[0].closest("details");
  if (details) details.open = true;
  parts[0].scrollIntoView({ block: "center" });
}

document.addEventListener("click", (event) => {
  const cell = event.target.closest("[data-target]");
  if (cell) showSentence(cell.dataset.target);
});

document.addEventListener("change", (event) => {
  const input = event.target;
  if (input.name === "only") {
    const table = document.getElementById("facts");
    if (table) table.dataset.only = input.value;
  }
});

document.addEventListener("DOMContentLoaded", () => {
  const add = document.getElementById("add-report");
  const template = document.getElementById("pasted-template");
  const pasted = document.getElementById("pasted");
  if (!add || !template || !pasted) return;
  add.addEventListener("click", () => {
    const count = pasted.querySelectorAll("fieldset.pasted").length;
    if (count >= Number(add.dataset.max)) {
      add.disabled = true;
      return;
    }
    const html = template.innerHTML
      .replaceAll("_999", `_${count}`)
      .replace("Report 1000", `Report ${count + 1}`);
    pasted.insertAdjacentHTML("beforeend", html);
    if (count + 1 >= Number(add.dataset.max)) add.disabled = true;
  });
  if (location.hash.startsWith("#r0-s")) showSentence(location.hash.slice(1));
});
