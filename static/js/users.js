// Settings page: show the chosen avatar before it is uploaded. The form works without this.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".avatar-field input[type=file]")) { return; }
    var preview = input.closest(".avatar-field").querySelector("[data-avatar-preview]");
    var file = input.files && input.files[0];
    if (!preview || !file || !/^image\/(jpeg|png|webp|gif)$/.test(file.type)) { return; }
    var image = document.createElement("img");
    image.className = "avatar avatar--lg";
    image.alt = "";
    image.width = 88;
    image.height = 88;
    image.src = URL.createObjectURL(file);
    image.addEventListener("load", function () { URL.revokeObjectURL(image.src); });
    preview.replaceChildren(image);
  });
})();
