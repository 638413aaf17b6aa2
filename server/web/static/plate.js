// The door plate's page: shows signed-in staff the way to the checklist, and
// shrinks a large photo before the form sends it (3G). Without script the
// form works the same, with the photo as taken.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  try {
    if (localStorage.getItem("griddesk.token")) document.getElementById("staff").classList.remove("hidden");
  } catch (e) { /* storage blocked: no staff button */ }
  const input = document.getElementById("photo");
  if (!input || !window.DataTransfer) return;
  input.addEventListener("change", async () => {
    const f = input.files[0];
    if (!f) return;
    const b = await window.griddeskShrink(f, 1 << 20);
    if (b === f) return;
    const dt = new DataTransfer();
    dt.items.add(new File([b], "photo.jpg", { type: "image/jpeg" }));
    input.files = dt.files;
  });
});
