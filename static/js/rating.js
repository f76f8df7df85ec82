/* Star rating widget: saves the fan's rating in place and refreshes the
   film's rating summary, without a page reload. Without this script the
   widget is a plain form that posts and redirects. */
(function () {
  "use strict";

  function enhance(form) {
    var status = form.querySelector("[data-rating-status]");
    var saveButton = form.querySelector("[data-rating-save]");
    var clearButton = form.querySelector("[data-rating-clear]");
    var timer = null;
    // Not form.action: the buttons named "action" shadow that property.
    var url = form.getAttribute("action");

    function send(action) {
      var data = new FormData(form);
      data.set("action", action);
      status.textContent = "Saving…";
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") },
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (result) {
          if (!result.ok) {
            status.textContent = result.body.error || "Your rating could not be saved.";
            return;
          }
          var summary = document.getElementById("site-rating");
          if (summary && result.body.summary_html) {
            summary.outerHTML = result.body.summary_html;
          }
          if (result.body.points === null) {
            form.querySelectorAll('input[name="points"]').forEach(function (radio) {
              radio.checked = false;
            });
          }
          if (clearButton) {
            clearButton.hidden = result.body.points === null;
          }
          status.textContent = result.body.message;
        })
        .catch(function () {
          status.textContent = "Your rating could not be saved. Check your connection and try again.";
        });
    }

    // Arrow keys move through the stars one change event at a time: wait for
    // a short pause so one key press per half star does not send ten posts.
    form.addEventListener("change", function (event) {
      if (event.target.name !== "points") {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        send("save");
      }, 350);
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      send(event.submitter && event.submitter.value === "clear" ? "clear" : "save");
    });

    if (saveButton) {
      saveButton.hidden = true;
    }
    form.classList.add("is-enhanced");
  }

  document.querySelectorAll("form[data-rating-form]").forEach(enhance);
})();
