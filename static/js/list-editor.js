/* The list editor's reordering with a mouse (drag and drop) or the keyboard
   (Alt + up/down arrow on a film's row). Without this script the up/down
   buttons and the "Place" boxes post plain forms. Each move posts the new
   place to the same URL as the buttons and waits for the server's answer. */
(function () {
  "use strict";

  var list = document.querySelector("[data-list-editor]");
  if (!list) {
    return;
  }
  var status = document.querySelector("[data-list-status]");
  var token = (list.querySelector('input[name="csrfmiddlewaretoken"]') || {}).value;
  var dragged = null;

  function entries() {
    return Array.prototype.slice.call(list.children);
  }

  function renumber() {
    var all = entries();
    all.forEach(function (entry, index) {
      entry.querySelector(".list-editor__rank").textContent = index + 1 + ".";
      entry.querySelector(".list-editor__position").value = index + 1;
      var arrows = entry.querySelectorAll(".list-editor__arrows button");
      arrows[0].disabled = index === 0;
      arrows[1].disabled = index === all.length - 1;
    });
  }

  function save(entry, place) {
    var data = new FormData();
    data.set("position", String(place));
    data.set("csrfmiddlewaretoken", token);
    return fetch(entry.getAttribute("data-move-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          status.textContent = response.ok ? body.message : body.error || "The film could not be moved.";
        });
      })
      .catch(function () {
        status.textContent = "The film could not be moved. Reload the page and try again.";
      });
  }

  function moveTo(entry, index) {
    var all = entries();
    index = Math.max(0, Math.min(index, all.length - 1));
    var others = all.filter(function (other) { return other !== entry; });
    list.insertBefore(entry, others[index] || null);
    renumber();
    return save(entry, index + 1);
  }

  entries().forEach(function (entry) {
    entry.draggable = true;
    entry.tabIndex = 0;
    entry.setAttribute("aria-describedby", "reorder-help");
    entry.addEventListener("dragstart", function (event) {
      dragged = entry;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", entry.id);
    });
    entry.addEventListener("dragover", function (event) {
      if (dragged) {
        event.preventDefault();
      }
    });
    entry.addEventListener("drop", function (event) {
      event.preventDefault();
      if (dragged && dragged !== entry) {
        moveTo(dragged, entries().indexOf(entry));
      }
      dragged = null;
    });
    entry.addEventListener("keydown", function (event) {
      if (event.target !== entry || !event.altKey) {
        return;
      }
      if (event.key === "ArrowUp" || event.key === "ArrowDown") {
        event.preventDefault();
        var index = entries().indexOf(entry) + (event.key === "ArrowUp" ? -1 : 1);
        moveTo(entry, index).then(function () { entry.focus(); });
      }
    });
    // The arrow buttons work in place too.
    entry.querySelector("[data-move-form]").addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) {
        return;
      }
      event.preventDefault();
      var index = entries().indexOf(entry) + (button.value === "up" ? -1 : 1);
      moveTo(entry, index).then(function () { button.disabled ? entry.focus() : button.focus(); });
    });
  });
})();
