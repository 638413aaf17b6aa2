// shrink returns a photo at most 1600 px on its longer side as JPEG when
// that is smaller than the file (a phone's 4 MB photo over 3G), else the
// file itself. Shared by the plate page and the phone app.
"use strict";
window.griddeskShrink = async function shrink(file, atLeast) {
  if (file.size < atLeast || file.type === "image/gif" || !window.createImageBitmap) return file;
  try {
    const img = await createImageBitmap(file);
    const k = Math.min(1, 1600 / Math.max(img.width, img.height));
    const c = document.createElement("canvas");
    c.width = Math.round(img.width * k); c.height = Math.round(img.height * k);
    c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
    const b = await new Promise((ok) => c.toBlob(ok, "image/jpeg", 0.82));
    return b && b.size < file.size ? b : file;
  } catch (e) { return file; } // not decodable here: the server says so
};
