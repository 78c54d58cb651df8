// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Demo sign-in: "fill in" copies a listed account into the form.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill-username]");
    if (!button) return;
    var form = document.getElementById("login-form");
    if (!form) return;
    form.elements.username.value = button.getAttribute("data-fill-username");
    form.elements.password.value = button.getAttribute("data-fill-password");
    form.elements.username.focus();
  });
})();
