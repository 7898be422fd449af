// Minimal demo chat over Rasa's REST channel. Bot text is always shown as text, never as HTML.
(function () {
  "use strict";
  const server = `${location.protocol}//${location.hostname}:5005`;
  const sender = "demo-" + Math.random().toString(36).slice(2);
  const list = document.getElementById("messages");
  const form = document.getElementById("chat-form");
  const input = document.getElementById("chat-input");

  function show(text, who) {
    const item = document.createElement("li");
    item.className = who;
    item.textContent = text;
    list.appendChild(item);
    return item;
  }

  function showButtons(item, buttons) {
    for (const button of buttons) {
      const element = document.createElement("button");
      element.type = "button";
      element.textContent = button.title;
      element.addEventListener("click", () => send(button.payload, button.title));
      item.appendChild(document.createElement("br"));
      item.appendChild(element);
    }
  }

  async function send(message, shownText) {
    show(shownText || message, "user");
    try {
      const response = await fetch(`${server}/webhooks/rest/webhook`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender, message }),
      });
      const replies = await response.json();
      for (const reply of replies) {
        if (!reply.text) continue;
        const item = show(reply.text, "bot");
        if (reply.buttons) showButtons(item, reply.buttons);
      }
    } catch (error) {
      show("Er ging iets mis met de verbinding. Probeer het straks opnieuw.", "bot");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
})();
