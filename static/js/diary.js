/* Watchlist buttons (film page, film cards, search results) save in place.
   Without this script each is a plain form that posts and comes back. */
(function () {
  "use strict";

  function render(form, on) {
    var button = form.querySelector("button[type=submit]");
    var action = form.querySelector('input[name="action"]');
    action.value = on ? "remove" : "add";
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.className = on ? "button--secondary" : "";
    button.textContent = on ? "On your watchlist" : (form.closest(".film-card") ? "+ Watchlist" : "Add to watchlist");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-watchlist-form]")) {
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    var status = form.querySelector("[data-watchlist-status]");
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (body) {
        render(form, body.on_watchlist);
        status.textContent = body.message;
      })
      .catch(function () {
        // Fall back to the plain form post, which shows any error page.
        form.submit();
      });
  });
})();
