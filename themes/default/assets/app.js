// Atrium default theme: small enhancements only. Every page works without
// this file; it is loaded with defer from the portal's own origin, so the
// Content-Security-Policy needs no inline script.
(function () {
  "use strict";

  // Forms and action buttons that name a confirmation ask before they post.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Upload forms show their progress: the form is sent by XMLHttpRequest,
  // whose upload events say how much has gone. Without script the form
  // posts as usual and the page waits.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload") || event.defaultPrevented) return;
    if (!window.FormData || !window.XMLHttpRequest) return;
    event.preventDefault();
    var bar = form.querySelector("progress.upload-progress");
    var button = form.querySelector("button[type=submit]");
    if (bar) { bar.hidden = false; bar.value = 0; }
    if (button) button.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (bar && e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    xhr.addEventListener("load", function () {
      if (xhr.status < 400 && xhr.responseURL && xhr.responseURL !== form.action) {
        window.location.assign(xhr.responseURL);
        return;
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      if (button) button.disabled = false;
      if (bar) bar.hidden = true;
      window.alert("The upload was interrupted. Please try again.");
    });
    xhr.send(new FormData(form));
  });

  // Escape closes the phone menu and gives focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = document.querySelector("details.menu[open]");
    if (!menu) return;
    menu.open = false;
    var summary = menu.querySelector("summary");
    if (summary) summary.focus();
  });

  // A click outside the open phone menu closes it.
  document.addEventListener("click", function (event) {
    var menu = document.querySelector("details.menu[open]");
    if (menu && !menu.contains(event.target)) menu.open = false;
  });

  // After a form comes back with errors, move focus to its message (or to
  // the first field in error) so keyboard and screen reader users start
  // where the problem is.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector("main form [aria-invalid=true]");
    var form = invalid ? invalid.form : document.querySelector("main .auth-card form");
    if (!form) return;
    var alert = document.querySelector("main .form-error[role=alert]");
    if (alert && (alert.parentNode === form || form.getAttribute("aria-describedby") === alert.id)) {
      alert.setAttribute("tabindex", "-1");
      alert.focus();
    } else if (invalid) {
      invalid.focus();
    }
  });
})();
