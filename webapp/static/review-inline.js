// Review by question: save each answer in place, without loading the page again.
// Without this script every form still posts and comes back to the same question.
(function () {
  "use strict";
  function nextField(form) {
    var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-inline-save]"));
    for (var i = forms.indexOf(form) + 1; i < forms.length; i++) {
      if (!forms[i].classList.contains("saved")) {
        return forms[i].querySelector("input[type=text], input[type=checkbox]");
      }
    }
    return null;
  }
  function save(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-inline-save]")) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var error = form.querySelector(".error-message");
    var note = form.querySelector(".saved-note");
    var body = new FormData(form);
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; },
        function () { return { ok: false, data: { message: response.statusText } }; });
    }).then(function (result) {
      if (result.ok && result.data.ok) {
        error.hidden = true;
        error.textContent = "";
        note.textContent = result.data.message;
        var count = document.getElementById("open-count");
        if (count && result.data.left) { count.textContent = result.data.left; }
        form.classList.add("saved");
        Array.prototype.forEach.call(form.querySelectorAll("input, button"), function (el) {
          if (el.type !== "hidden") { el.disabled = true; el.removeAttribute("aria-invalid"); }
        });
        var next = nextField(form);
        if (next) { next.focus(); }
      } else {
        error.textContent = result.data.message;
        error.hidden = false;
        var field = form.querySelector("input[type=text], input[type=checkbox]");
        if (field) { field.setAttribute("aria-invalid", "true"); field.focus(); }
        if (button) { button.disabled = false; }
      }
    }, function () {
      // the network failed: send the form the ordinary way
      form.removeAttribute("data-inline-save");
      form.submit();
    });
  }
  document.addEventListener("submit", save);
}());
