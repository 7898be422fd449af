// Wegwijzer's chat widget for a municipality's website: one script tag, options as data
// attributes (README.md). Talks to Rasa's socket.io channel. Bot text is always shown as
// text, never as HTML; links only for http(s), tel and mailto. No inline styles or scripts,
// so it works under a strict Content-Security-Policy.
(function () {
  "use strict";

  const script = document.currentScript;
  const assets = new URL(".", script.src);
  const options = {
    gemeente: (script.dataset.gemeente || "").trim().toUpperCase(),
    server: script.dataset.server || `${assets.protocol}//${assets.hostname}:5005`,
    lang: script.dataset.lang || "nl",
    open: script.dataset.open === "true",
    title: script.dataset.title || "Wegwijzer",
    privacy: script.dataset.privacy || new URL("../privacy.html", assets).href,
  };
  const STORAGE_KEY = `wegwijzer:${options.gemeente || "landelijk"}`;
  const SAFE_LINK = /^(https?:|tel:|mailto:)/i;
  const URL_IN_TEXT = /\b(?:https?:\/\/|mailto:|tel:)[^\s<>"]+[^\s<>".,;:!?)]/gi;
  const LISTS = [
    { pattern: /^\s*[-•]\s+(.*)$/, tag: "UL", className: "utrecht-unordered-list" },
    { pattern: /^\s*\d+[.)]\s+(.*)$/, tag: "OL", className: "utrecht-ordered-list" },
  ];
  // The card's fields that the text sent with it repeats as "Label: value" or as a source line.
  const CARD_DETAILS = [
    "phone", "email", "website", "appointment_url", "opening_hours", "address", "visiting_address", "postal_address",
    "source", "local_source",
  ];
  const DETAIL_LINE = /^[^:]+:\s+(.+)$/;
  const MAX_LENGTH = 1000; // characters in a question: MAX_MESSAGE_LENGTH in assistant/limits.py
  const MAX_COMMENT_LENGTH = 500; // characters in a comment on an answer: MAX_COMMENT in assistant/conversations/feedback.py
  const BURST = 150; // ms: a card comes right after the text it was sent with; both are shown together
  const TYPING_TIMEOUT = 30000; // ms without an answer before the typing indicator stops

  const texts = {
    launcher: "Chat met Wegwijzer",
    launcherHint: "Stel uw vraag over zorg en ondersteuning",
    close: "Sluiten",
    closeLabel: "Chat sluiten",
    restart: "Nieuw gesprek",
    privacy: "Typ geen BSN of medische gegevens.",
    privacyLink: "Lees hoe wij met uw gegevens omgaan",
    log: "Gesprek",
    you: "U:",
    bot: "Wegwijzer:",
    employee: (municipality) => `Medewerker gemeente ${municipality}:`,
    label: "Uw vraag",
    send: "Verstuur",
    atLimit: `Uw vraag is zo lang als kan: hoogstens ${MAX_LENGTH} tekens. Maak hem korter om nog iets toe te voegen.`,
    typing: "Wegwijzer typt een antwoord…",
    disconnected: "De verbinding is verbroken. Wegwijzer probeert opnieuw te verbinden. Uw tekst blijft staan.",
    reconnecting: "Opnieuw verbinden…",
    reconnected: "De verbinding is weer hersteld.",
    notSent: "Geen verbinding. Uw bericht is nog niet verstuurd. Probeer het zo opnieuw.",
    noAnswer: "Wegwijzer geeft geen antwoord. Probeer het later opnieuw.",
    quickReplies: "Kies een antwoord",
    card: "Contactgegevens",
    newWindow: " (opent in een nieuw venster)",
    feedbackQuestion: "Heeft dit antwoord u geholpen?",
    yes: "Ja",
    no: "Nee",
    feedbackThanks: "Bedankt voor uw reactie.",
    feedbackNotSent: "Geen verbinding. Uw reactie is nog niet verstuurd. Probeer het zo opnieuw.",
    commentLabel: "Wilt u nog iets zeggen over dit antwoord? (niet verplicht)",
    commentAtLimit: `Uw reactie is zo lang als kan: hoogstens ${MAX_COMMENT_LENGTH} tekens. Maak hem korter om nog iets toe te voegen.`,
    sendComment: "Verstuur reactie",
    commentSent: "Uw reactie is verstuurd.",
  };

  // ---- Stored conversation (sessionStorage: kept while the browser tab is open) ----

  function load() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
      if (saved && saved.sessionId && Array.isArray(saved.messages)) return saved;
    } catch (error) { /* no storage or broken data: start again */ }
    return { sessionId: newSessionId(), messages: [], open: options.open, draft: "", turns: 0 };
  }

  function save() {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) { /* storage full or blocked: the conversation still works */ }
  }

  function newSessionId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  // ---- Building elements ----

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(text, appearance) {
    const node = element("button", `utrecht-button utrecht-button--${appearance} wegwijzer__button`, text);
    node.type = "button";
    return node;
  }

  function link(href, text) {
    if (!SAFE_LINK.test(href)) return document.createTextNode(text);
    const node = element("a", "utrecht-link", text);
    node.href = href;
    if (/^https?:/i.test(href)) {
      node.target = "_blank";
      node.rel = "noopener noreferrer";
      node.append(element("span", "wegwijzer__visually-hidden", texts.newWindow));
    }
    return node;
  }

  function withLinks(text) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(URL_IN_TEXT)) {
      fragment.append(text.slice(last, match.index), link(match[0], match[0]));
      last = match.index + match[0].length;
    }
    fragment.append(text.slice(last));
    return fragment;
  }

  // Lines that start with "- " or "1. " become a list; other lines stay paragraphs.
  function richText(text) {
    const container = element("div", "wegwijzer__text");
    let list = null;
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const kind = LISTS.find((candidate) => candidate.pattern.test(line));
      if (!kind) {
        list = null;
        container.appendChild(element("p", "wegwijzer__paragraph")).append(withLinks(line));
        continue;
      }
      if (!list || list.tagName !== kind.tag) list = container.appendChild(element(kind.tag, `${kind.className} wegwijzer__list`));
      list.appendChild(element("li", `${kind.className}__item`)).append(withLinks(kind.pattern.exec(line)[1]));
    }
    return container;
  }

  function detail(list, label, value) {
    if (!value) return;
    list.append(element("dt", "wegwijzer__card-label", label));
    const content = element("dd", "wegwijzer__card-value");
    content.append(value);
    list.append(content);
  }

  function shortUrl(url) {
    return url.replace(/^https?:\/\/(www\.)?/i, "").replace(/\/$/, "");
  }

  function contactDetails(contact) {
    const list = element("dl", "wegwijzer__card-details");
    const phone = contact.phone && (contact.phone_link ? link(contact.phone_link, contact.phone) : contact.phone);
    detail(list, "Telefoon", phone);
    detail(list, "E-mail", contact.email && link(`mailto:${contact.email}`, contact.email));
    detail(list, "Website", contact.website && link(contact.website, shortUrl(contact.website)));
    detail(list, "Afspraak maken", contact.appointment_url && link(contact.appointment_url, shortUrl(contact.appointment_url)));
    detail(list, "Open", contact.opening_hours);
    detail(list, "Adres", contact.address);
    detail(list, "Bezoekadres", contact.visiting_address);
    detail(list, "Postadres", contact.postal_address);
    return list;
  }

  function contactCard(card) {
    const section = element("section", "wegwijzer__card");
    section.setAttribute("aria-label", `${texts.card} ${card.name}`);
    const parts = [card.wmo_loket && { ...card.wmo_loket, name: `Wmo-loket: ${card.wmo_loket.name}` }]
      .concat(card.clientondersteuning || [])
      .filter(Boolean);
    for (const part of parts) {
      section.append(element("h3", "wegwijzer__card-heading", part.name), contactDetails(part));
    }
    section.append(element("h3", "wegwijzer__card-heading", card.name), contactDetails(card));
    for (const source of [card.local_source, card.source].filter(Boolean)) {
      section.appendChild(element("p", "wegwijzer__card-source")).append(withLinks(source));
    }
    return section;
  }

  function quickReplies(replies) {
    const group = element("div", "wegwijzer__quick-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", texts.quickReplies);
    for (const reply of replies) {
      const choice = button(reply.title, "secondary-action");
      choice.addEventListener("click", () => send(reply.payload, reply.title));
      group.append(choice);
    }
    return group;
  }

  // ---- The widget ----

  const ui = buildWidget();
  let state = load();
  let socket = null;
  let typingTimer = null;
  let greetedSession = null;
  let pending = []; // bot messages of the current burst
  let burstTimer = null;
  let feedbackGroups = 0; // numbers the ids inside each feedback group

  function buildWidget() {
    const root = element("div", "wegwijzer");
    root.lang = options.lang;
    const launcher = button(texts.launcher, "primary-action");
    launcher.classList.add("wegwijzer__launcher");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "wegwijzer-panel");
    launcher.setAttribute("aria-describedby", "wegwijzer-launcher-hint");
    const hint = element("span", "wegwijzer__visually-hidden", texts.launcherHint);
    hint.id = "wegwijzer-launcher-hint";

    const panel = element("section", "wegwijzer__panel");
    panel.id = "wegwijzer-panel";
    panel.setAttribute("aria-labelledby", "wegwijzer-title");
    panel.hidden = true;

    const header = element("div", "wegwijzer__header");
    const title = element("h2", "wegwijzer__title", options.title);
    title.id = "wegwijzer-title";
    const restart = button(texts.restart, "subtle");
    const close = button(texts.close, "subtle");
    close.setAttribute("aria-label", texts.closeLabel);
    header.append(title, restart, close);

    const privacy = element("p", "wegwijzer__privacy");
    privacy.append(element("strong", "", texts.privacy), " ", link(options.privacy, texts.privacyLink));

    const log = element("div", "wegwijzer__log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", texts.log);
    log.tabIndex = 0;

    const typing = element("p", "wegwijzer__typing", texts.typing);
    typing.hidden = true;
    const status = element("p", "wegwijzer__status");
    status.setAttribute("role", "status");

    const form = element("form", "wegwijzer__form");
    const label = element("label", "utrecht-form-label wegwijzer__label", texts.label);
    label.htmlFor = "wegwijzer-input";
    const input = element("input", "utrecht-textbox utrecht-textbox--html-input wegwijzer__input");
    Object.assign(input, { id: "wegwijzer-input", type: "text", autocomplete: "off", maxLength: MAX_LENGTH });
    // Says so when the text box is full (typed or pasted): read out once, then gone when it is shorter.
    const limit = element("p", "wegwijzer__limit");
    Object.assign(limit, { id: "wegwijzer-limit" });
    limit.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", "wegwijzer-limit");
    const submit = element("button", "utrecht-button utrecht-button--primary-action wegwijzer__button", texts.send);
    submit.type = "submit";
    form.append(label, input, submit, limit);

    panel.append(header, privacy, log, typing, status, form);
    root.append(launcher, hint, panel);
    return { root, launcher, panel, restart, close, log, typing, status, form, input, limit };
  }

  function showMessage(message) {
    const item = element("div", `wegwijzer__message wegwijzer__message--${message.from}`);
    if (message.from === "employee") item.append(element("p", "wegwijzer__sender", texts.employee(message.employee)));
    else item.append(element("span", "wegwijzer__visually-hidden", message.from === "user" ? texts.you : texts.bot));
    if (message.text) item.append(richText(message.text));
    if (message.card) item.append(contactCard(message.card));
    if (message.quickReplies && message.quickReplies.length) item.append(quickReplies(message.quickReplies));
    if (message.feedback) item.append(feedbackGroup(message));
    ui.log.append(item);
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  // Only the latest message's quick replies can be chosen.
  function removeQuickReplies() {
    for (const group of ui.log.querySelectorAll(".wegwijzer__quick-replies")) group.remove();
    for (const message of state.messages) delete message.quickReplies;
  }

  function remember(message) {
    state.messages.push(message);
    save();
    showMessage(message);
  }

  function setTyping(on) {
    ui.typing.hidden = !on;
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(() => { setTyping(false); setStatus(texts.noAnswer); }, TYPING_TIMEOUT);
  }

  // The status is a live region: the same text again would be read out again.
  function setStatus(text) {
    if (ui.status.textContent !== text) ui.status.textContent = text;
  }

  function connected() {
    return socket && socket.connected;
  }

  function emitMessage(message) {
    const data = { message, session_id: state.sessionId };
    if (options.gemeente) data.metadata = { gemeente: options.gemeente };
    socket.emit("user_uttered", data);
    // The server numbers the turns the same way: feedback names its answer by this number.
    state.turns = (state.turns || 0) + 1;
    save();
  }

  function send(message, shownText) {
    if (!connected()) {
      setStatus(texts.notSent);
      return false;
    }
    const focusWasInReplies = ui.log.contains(document.activeElement);
    removeQuickReplies();
    remember({ from: "user", text: shownText || message });
    emitMessage(message);
    // With an employee the answer comes when a person has written it: no "typt een antwoord".
    setTyping(state.chat !== "in gesprek");
    if (focusWasInReplies) ui.input.focus();
    return true;
  }

  function botMessage(data) {
    const message = { from: "bot" };
    if (typeof data.text === "string") message.text = data.text;
    if (typeof data.medewerker === "string") Object.assign(message, { from: "employee", employee: data.medewerker });
    if (Array.isArray(data.quick_replies)) {
      message.quickReplies = data.quick_replies.map((reply) => ({ title: String(reply.title), payload: String(reply.payload) }));
    }
    if (data.custom && data.custom.type === "contact_card") message.card = data.custom;
    if (data.custom && data.custom.type === "feedback_request") message.feedback = { turn: state.turns || 0 };
    // A chat with an employee: "wachtend", "in gesprek", or "klaar" when Wegwijzer answers again.
    if (data.custom && data.custom.type === "chat") message.chat = String(data.custom.stand);
    if (typeof data.chat === "string") message.chat = data.chat;
    return message;
  }

  // The contact details a card shows, in all its parts.
  function cardDetails(card) {
    const parts = [card, card.wmo_loket, ...(card.clientondersteuning || [])].filter(Boolean);
    return new Set(parts.flatMap((part) => CARD_DETAILS.map((field) => part[field]).filter(Boolean).map(String)));
  }

  // Screen readers read each detail once: in the card, not also in the text of the same answer.
  function withoutCardDetails(message, details) {
    if (!message.text || details.size === 0) return message;
    const lines = message.text.split("\n").filter((line) => {
      const detail = DETAIL_LINE.exec(line.trim());
      return !details.has(line.trim()) && !(detail && details.has(detail[1]));
    });
    return { ...message, text: lines.join("\n").trim() };
  }

  function receive(data) {
    pending.push(botMessage(data));
    clearTimeout(burstTimer);
    burstTimer = setTimeout(showPending, BURST);
  }

  // A feedback request shows nothing of its own: it asks about the answer shown just before it.
  function showPending() {
    const details = new Set(pending.flatMap((message) => (message.card ? [...cardDetails(message.card)] : [])));
    const messages = [];
    for (const message of pending.map((message) => withoutCardDetails(message, details))) {
      if (message.chat) state.chat = message.chat === "klaar" ? null : message.chat;
      if (message.feedback && messages.length) messages[messages.length - 1].feedback = message.feedback;
      else if (message.feedback) askAboutLastAnswer(message.feedback);
      else if (message.text || message.card) messages.push(message);
    }
    pending = [];
    save();
    if (messages.length === 0) return;
    setTyping(false);
    if ([texts.noAnswer, texts.feedbackThanks, texts.commentSent].includes(ui.status.textContent)) setStatus("");
    messages.forEach(remember);
  }

  // A new conversation starts with the assistant's greeting; the resident's side stays empty.
  function greetWhenNew() {
    if (state.messages.length === 0 && greetedSession !== state.sessionId) {
      greetedSession = state.sessionId;
      emitMessage("/greet");
      setTyping(true);
    }
  }

  function setOpen(open, { focus = true } = {}) {
    state.open = open;
    save();
    ui.panel.hidden = !open;
    ui.launcher.hidden = open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      connect();
      if (focus) ui.input.focus();
    } else if (focus) {
      ui.launcher.focus();
    }
  }

  function restartConversation() {
    state = { sessionId: newSessionId(), messages: [], open: true, draft: "", turns: 0 };
    save();
    ui.log.replaceChildren();
    ui.input.value = "";
    pending = [];
    setTyping(false);
    if (connected()) socket.emit("session_request", { session_id: state.sessionId });
    ui.input.focus();
  }

  // ---- Feedback on an answer: "Heeft dit antwoord u geholpen?" ----

  // The state lives in the message (message.feedback: turn, helped, commented), so that a
  // reload shows each group as it was.
  function feedbackGroup(message) {
    const group = element("div", "wegwijzer__feedback");
    const id = `wegwijzer-feedback-${++feedbackGroups}`;
    group.setAttribute("role", "group");
    group.setAttribute("aria-labelledby", `${id}-question`);
    group.setAttribute("aria-live", "off"); // the log would read out every change; the status says it once
    showFeedback(group, message, id);
    return group;
  }

  function showFeedback(group, message, id) {
    const question = element("p", "wegwijzer__feedback-question", texts.feedbackQuestion);
    question.id = `${id}-question`;
    const parts = [question];
    const feedback = message.feedback;
    if (feedback.helped === undefined) {
      parts.push(feedbackChoices(group, message, id));
    } else {
      parts.push(element("p", "wegwijzer__feedback-done", texts.feedbackThanks));
      parts.push(feedback.commented ? element("p", "wegwijzer__feedback-done", texts.commentSent) : commentForm(group, message, id));
    }
    group.replaceChildren(...parts);
  }

  function feedbackChoices(group, message, id) {
    const choices = element("div", "wegwijzer__feedback-choices");
    for (const [text, helped] of [[texts.yes, true], [texts.no, false]]) {
      const choice = button(text, "secondary-action");
      choice.addEventListener("click", () => answerFeedback(group, message, id, helped));
      choices.append(choice);
    }
    return choices;
  }

  function commentForm(group, message, id) {
    const form = element("form", "wegwijzer__comment");
    const label = element("label", "utrecht-form-label", texts.commentLabel);
    label.htmlFor = `${id}-comment`;
    // The Utrecht textbox (the vendor bundle has no textarea), made to hold lines in widget.css.
    const box = element("textarea", "utrecht-textbox wegwijzer__comment-box");
    Object.assign(box, { id: `${id}-comment`, rows: 3, maxLength: MAX_COMMENT_LENGTH });
    const limit = element("p", "wegwijzer__limit");
    limit.id = `${id}-limit`;
    limit.setAttribute("aria-live", "polite");
    box.setAttribute("aria-describedby", limit.id);
    box.addEventListener("input", () => showLimitOf(box, limit, texts.commentAtLimit));
    const submit = element("button", "utrecht-button utrecht-button--secondary-action wegwijzer__button", texts.sendComment);
    submit.type = "submit";
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      sendComment(group, message, id, box);
    });
    form.append(label, box, limit, submit);
    return form;
  }

  // Focus goes to the comment box that takes the buttons' place, not to the top of the page.
  function answerFeedback(group, message, id, helped) {
    if (!emitFeedback({ turn: message.feedback.turn, helped })) return;
    message.feedback.helped = helped;
    save();
    showFeedback(group, message, id);
    setStatus(texts.feedbackThanks);
    group.querySelector("textarea").focus();
  }

  function sendComment(group, message, id, box) {
    const comment = box.value.trim();
    if (!comment) {
      box.focus(); // nothing to send: the comment is not required
      return;
    }
    if (!emitFeedback({ turn: message.feedback.turn, helped: message.feedback.helped, comment })) return;
    message.feedback.commented = true;
    save();
    showFeedback(group, message, id);
    setStatus(texts.commentSent);
    ui.input.focus(); // the form is gone; the conversation goes on in the text box
  }

  // The server does not answer: the widget thanks the resident itself.
  function emitFeedback(feedback) {
    if (!connected()) {
      setStatus(texts.feedbackNotSent);
      return false;
    }
    socket.emit("feedback", { session_id: state.sessionId, ...feedback });
    return true;
  }

  // A request that comes after its answer was shown (a slow server) still asks about that answer.
  function askAboutLastAnswer(feedback) {
    const answer = state.messages[state.messages.length - 1];
    if (!answer || answer.from !== "bot" || answer.feedback) return;
    answer.feedback = feedback;
    save();
    ui.log.lastElementChild.append(feedbackGroup(answer));
  }

  // ---- Connection ----

  function connect() {
    if (socket || !window.io) return; // the client is still loading: connect() runs again when it is there
    socket = window.io(options.server, { path: "/socket.io" });
    let lost = false;
    socket.on("connect", () => {
      socket.emit("session_request", { session_id: state.sessionId });
      setStatus(lost ? texts.reconnected : "");
      lost = false;
    });
    socket.on("session_confirm", () => greetWhenNew());
    socket.on("bot_uttered", receive);
    socket.on("disconnect", () => { lost = true; setTyping(false); setStatus(texts.disconnected); });
    socket.on("connect_error", () => { lost = true; setStatus(texts.disconnected); });
    socket.io.on("reconnect_attempt", () => {
      if (![texts.notSent, texts.feedbackNotSent].includes(ui.status.textContent)) {
        setStatus(`${texts.disconnected} ${texts.reconnecting}`);
      }
    });
  }

  function showLimit() {
    showLimitOf(ui.input, ui.limit, texts.atLimit);
  }

  function showLimitOf(box, limit, atLimit) {
    const text = box.value.length >= box.maxLength ? atLimit : "";
    if (limit.textContent !== text) limit.textContent = text;
  }

  function bindEvents() {
    ui.launcher.addEventListener("click", () => setOpen(true));
    ui.close.addEventListener("click", () => setOpen(false));
    ui.restart.addEventListener("click", restartConversation);
    ui.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") setOpen(false);
    });
    ui.input.addEventListener("input", () => {
      state.draft = ui.input.value;
      save();
      showLimit();
    });
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = ui.input.value.trim();
      if (text && send(text)) {
        ui.input.value = state.draft = "";
        save();
        showLimit();
      }
    });
  }

  function addStylesheet() {
    const stylesheet = document.createElement("link");
    stylesheet.rel = "stylesheet";
    stylesheet.href = new URL("widget.css", assets).href;
    document.head.append(stylesheet);
  }

  function loadSocketIoClient(then) {
    if (window.io) return then();
    const client = document.createElement("script");
    client.src = new URL("vendor/socket.io.min.js", assets).href;
    client.addEventListener("load", then);
    client.addEventListener("error", () => setStatus(texts.disconnected));
    document.head.append(client);
  }

  function start() {
    addStylesheet();
    document.body.append(ui.root);
    state.messages.forEach(showMessage);
    ui.input.value = state.draft || "";
    showLimit();
    bindEvents();
    loadSocketIoClient(() => { if (state.open) connect(); });
    if (state.open) setOpen(true, { focus: false });
  }

  start();
})();
