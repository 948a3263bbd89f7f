// Drop a workbook on the check page: the file goes into the form's file input and is sent.
"use strict";
for (const zone of document.querySelectorAll("[data-drop]")) {
  const input = zone.querySelector("input[type=file]");
  const label = zone.querySelector("span");
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    if (!event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    zone.closest("form").requestSubmit();
  });
  input.addEventListener("change", () => {
    if (input.files.length) label.textContent = input.files[0].name;
  });
}
