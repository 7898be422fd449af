// Keeps the chat pages of the staff app current without a reload. The pages work without it.
// Every few seconds it asks the server for the page's changing part ([data-ververs]) and:
// - adds only the new lines to a list marked data-deel="aanvullen" (the chat, a role="log":
//   a screen reader reads out just those);
// - replaces a part marked data-deel="vervang", unless the keyboard focus is in it;
// - updates the status line (#chat-stand), and reloads the page when the chat's status
//   changed (other buttons apply then). A chat being typed is never lost: it only changes
//   status by the employee's own hand back.
(function () {
  "use strict";
  var root = document.querySelector("[data-ververs]");
  if (!root || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-ververs");
  var EVERY_MS = 3000;

  function refresh(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var oldStatus = root.querySelector("#chat-stand");
    var newStatus = fresh.querySelector("#chat-stand");
    if (oldStatus && newStatus) {
      if (oldStatus.getAttribute("data-stand") !== newStatus.getAttribute("data-stand")) {
        window.location.reload();
        return;
      }
      if (oldStatus.textContent !== newStatus.textContent) {
        oldStatus.textContent = newStatus.textContent;
      }
    }
    root.querySelectorAll("[data-deel]").forEach(function (part) {
      var update = fresh.getElementById(part.id);
      if (!update) {
        return;
      }
      if (part.getAttribute("data-deel") === "aanvullen") {
        Array.prototype.forEach.call(update.children, function (line) {
          if (line.id && !document.getElementById(line.id)) {
            part.appendChild(document.importNode(line, true));
          }
        });
      } else if (!part.contains(document.activeElement) && part.innerHTML !== update.innerHTML) {
        part.innerHTML = update.innerHTML;
      }
    });
  }

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (answer) {
        return answer.ok ? answer.text() : null;
      })
      .then(function (html) {
        if (html) {
          refresh(html);
        }
      })
      .catch(function () {})
      .then(function () {
        window.setTimeout(ask, EVERY_MS);
      });
  }

  window.setTimeout(ask, EVERY_MS);
})();
