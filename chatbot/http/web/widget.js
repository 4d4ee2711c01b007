/* FAQ chat widget. Plain JavaScript, no dependencies, no requests except to its own server.
 *
 * On any page, one tag adds a floating chat button and panel:
 *   <script src="https://chat.example.org/widget.js" defer></script>
 * Optional attributes: data-mount="#selector" (fill that element instead of floating),
 * data-api="https://…/" (where the API lives; default: next to this script),
 * data-api-key="…" (only for private pages: anything in a page is readable by its visitors),
 * data-title="…" (the panel's heading before /v1/info answers).
 *
 * Every text from the server or the user goes through textContent, never innerHTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__faqbotLoaded) return;
  window.__faqbotLoaded = true;

  var base = new URL(script.getAttribute("data-api") || ".", script.src);
  var apiKey = script.getAttribute("data-api-key");
  var mountSelector = script.getAttribute("data-mount");
  var MAX_TEXT = 2000;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function request(path, body) {
    var headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (apiKey) headers.Authorization = "Bearer " + apiKey;
    return fetch(new URL(path, base), {
      method: body === undefined ? "GET" : "POST",
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var detail = data && data.detail;
          var message = Array.isArray(detail) && detail.length ? detail[0].msg : detail;
          throw new Error(typeof message === "string" ? message : "the server answered " + response.status);
        }
        return data;
      });
    });
  }

  function ensureStylesheet() {
    var href = new URL("widget.css", script.src).href;
    var links = document.querySelectorAll("link[rel=stylesheet]");
    for (var i = 0; i < links.length; i++) if (links[i].href === href) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }

  function build() {
    ensureStylesheet();
    var mount = mountSelector ? document.querySelector(mountSelector) : null;
    var floating = !mount;
    var context = null;
    var busy = false;
    var greeting = "Hello! Ask me a question.";

    var panel = el("section", "faqbot faqbot-panel" + (floating ? " faqbot-floating" : ""));
    panel.id = "faqbot-panel";
    panel.setAttribute("aria-labelledby", "faqbot-title");
    var header = el("header", "faqbot-header");
    var title = el("h2", "faqbot-title", script.getAttribute("data-title") || "FAQ chat");
    title.id = "faqbot-title";
    header.appendChild(title);
    var restart = el("button", "faqbot-new", "New chat");
    restart.type = "button";
    restart.title = "Start again: what you ask next won't follow on from before";
    header.appendChild(restart);
    var person = el("button", "faqbot-person", "Talk to a person");
    person.type = "button";
    header.appendChild(person);
    var log = el("div", "faqbot-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", "Conversation");
    log.tabIndex = 0;
    var form = el("form", "faqbot-form");
    var label = el("label", "faqbot-visually-hidden", "Your question");
    label.htmlFor = "faqbot-input";
    var input = el("input", "faqbot-input");
    input.id = "faqbot-input";
    input.type = "text";
    input.maxLength = MAX_TEXT;
    input.autocomplete = "off";
    input.placeholder = "Type your question…";
    var send = el("button", "faqbot-send", "Send");
    send.type = "submit";
    form.append(label, input, send);
    var disclaimer = el("p", "faqbot-disclaimer");
    panel.append(header, log, form, disclaimer);

    var launcher = null;
    if (floating) {
      var close = el("button", "faqbot-close", "×");
      close.type = "button";
      close.setAttribute("aria-label", "Close the chat");
      header.appendChild(close);
      launcher = el("button", "faqbot faqbot-launcher", "Questions? Chat with us");
      launcher.type = "button";
      launcher.setAttribute("aria-controls", panel.id);
      launcher.setAttribute("aria-expanded", "false");
      panel.hidden = true;
      var setOpen = function (open) {
        panel.hidden = !open;
        launcher.setAttribute("aria-expanded", String(open));
        if (open) input.focus(); else launcher.focus();
      };
      launcher.addEventListener("click", function () { setOpen(panel.hidden); });
      close.addEventListener("click", function () { setOpen(false); });
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") setOpen(false);
      });
      document.body.append(panel, launcher);
    } else {
      mount.appendChild(panel);
    }

    function scrollDown() { log.scrollTop = log.scrollHeight; }

    function addUser(text) {
      var item = el("div", "faqbot-msg faqbot-user");
      item.appendChild(el("p", "faqbot-text", text));
      log.appendChild(item);
      scrollDown();
    }

    function addNote(text, className) {
      var item = el("div", "faqbot-msg faqbot-bot " + (className || ""));
      item.appendChild(el("p", "faqbot-text", text));
      log.appendChild(item);
      scrollDown();
      return item;
    }

    function topicButtons(topics, replyContext, className, label, numbered) {
      var group = el("div", className);
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", label);
      topics.forEach(function (topic, index) {
        var button = el("button", className === "faqbot-options" ? "faqbot-option" : "faqbot-chip",
                        (numbered ? index + 1 + ". " : "") + topic.title);
        button.type = "button";
        button.title = topic.question;
        button.setAttribute("data-entry-id", topic.id);
        button.addEventListener("click", function () { pick(topic, replyContext); });
        group.appendChild(button);
      });
      return group;
    }

    function addReply(reply) {
      var urgent = reply.kind === "urgent";
      var item = el("div", "faqbot-msg faqbot-bot faqbot-kind-" + reply.kind);
      item.setAttribute("data-kind", reply.kind);
      if (reply.entry_id) item.setAttribute("data-entry-id", reply.entry_id);
      if (urgent) item.setAttribute("role", "alert");
      if (reply.kind === "answer" && reply.question) item.appendChild(el("p", "faqbot-question", reply.question));
      var text = reply.answer || "";
      if (reply.kind === "clarify" && reply.options.length) text = text.split("\n")[0];
      if (reply.handoff && reply.handoff.message) text = reply.handoff.message;  // contacts follow as links
      item.appendChild(el("p", "faqbot-text faqbot-answer", text));
      if (reply.source) item.appendChild(el("p", "faqbot-source", "Source: " + reply.source));
      if (reply.options && reply.options.length) {
        item.appendChild(topicButtons(reply.options, reply.context, "faqbot-options", "Choose one", true));
      }
      if (reply.handoff) item.appendChild(contacts(reply.handoff));
      if (reply.related && reply.related.length) {
        if (reply.kind === "answer") item.appendChild(el("p", "faqbot-related-label", "Related topics"));
        if (urgent) item.appendChild(el("p", "faqbot-related-label", "You asked about"));
        item.appendChild(topicButtons(reply.related, reply.context, "faqbot-related", "Related topics", false));
      }
      if (reply.kind === "answer" && reply.reply_id) item.appendChild(feedback(reply.reply_id));
      log.appendChild(item);
      scrollDown();
    }

    // How to reach a person: links only for http(s), mailto and tel, text for the rest.
    function contacts(handoff) {
      var list = el("ul", "faqbot-contacts");
      function add(label, value, href) {
        if (!value) return;
        var row = el("li", "faqbot-contact");
        row.appendChild(el("span", "faqbot-contact-label", label + ": "));
        if (href) {
          var link = el("a", null, value);
          link.href = href;
          link.rel = "noopener noreferrer";
          link.target = "_blank";
          row.appendChild(link);
        } else {
          row.appendChild(el("span", null, value));
        }
        list.appendChild(row);
      }
      var url = /^https?:\/\//i.test(handoff.url || "") ? handoff.url : null;
      add("Web", handoff.url, url);
      add("Email", handoff.email, handoff.email ? "mailto:" + encodeURIComponent(handoff.email).replace("%40", "@") : null);
      add("Phone", handoff.phone, handoff.phone ? "tel:" + String(handoff.phone).replace(/[^0-9+]/g, "") : null);
      add("Hours", handoff.hours, null);
      return list;
    }

    // "Was this helpful?" under each answer; the server records it against the reply's id.
    function feedback(replyId) {
      var row = el("div", "faqbot-feedback");
      row.setAttribute("role", "group");
      row.setAttribute("aria-label", "Was this helpful?");
      row.appendChild(el("span", "faqbot-feedback-label", "Was this helpful?"));
      [["Yes", true], ["No", false]].forEach(function (choice) {
        var button = el("button", "faqbot-vote", choice[0]);
        button.type = "button";
        button.setAttribute("data-helpful", String(choice[1]));
        button.addEventListener("click", function () {
          row.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
          request("v1/feedback", { reply_id: replyId, helpful: choice[1] })
            .then(function () { row.replaceChildren(el("span", "faqbot-feedback-done", "Thank you for your feedback.")); })
            .catch(function () { row.replaceChildren(el("span", "faqbot-feedback-done", "Feedback is not recorded here.")); });
        });
        row.appendChild(button);
      });
      return row;
    }

    function ask(text, sentContext, shown) {
      if (busy) return;
      busy = true;
      send.disabled = true;
      log.setAttribute("aria-busy", "true");
      addUser(shown || text);
      var typing = addNote("…", "faqbot-typing");
      typing.setAttribute("aria-label", "The assistant is answering");
      request("v1/ask", { text: text, context: sentContext })
        .then(function (reply) {
          context = reply.context;
          typing.remove();
          addReply(reply);
        })
        .catch(function (error) {
          typing.remove();
          addNote("Sorry, something went wrong: " + error.message + ". Please try again.", "faqbot-error");
        })
        .then(function () {
          busy = false;
          send.disabled = false;
          log.removeAttribute("aria-busy");
        });
    }

    // A topic button answers "1", "2"… against the context of the reply that offered it,
    // so older buttons keep meaning what they said.
    function pick(topic, replyContext) {
      var index = replyContext && replyContext.options ? replyContext.options.indexOf(topic.id) : -1;
      if (index >= 0) ask(String(index + 1), replyContext, topic.title);
      else ask(topic.question, context, topic.title);
      input.focus();
    }

    // A new chat forgets the context (the server keeps none) and clears the log, older topic buttons with it.
    restart.addEventListener("click", function () {
      if (busy) return;
      context = null;
      log.replaceChildren();
      addNote(greeting, "faqbot-greeting");
      input.focus();
    });

    person.addEventListener("click", function () {
      ask("I want to talk to a person", context, "Talk to a person");
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text || busy) return;
      input.value = "";
      ask(text, context);
    });

    request("v1/info")
      .then(function (info) {
        title.textContent = info.name;
        disclaimer.textContent = info.disclaimer;
        disclaimer.hidden = !info.disclaimer;
        if (!floating) document.title = info.name;
        greeting = info.greeting || greeting;
        addNote(greeting, "faqbot-greeting");
      })
      .catch(function () {
        disclaimer.hidden = true;
        addNote(greeting, "faqbot-greeting");
      });
    if (!floating) input.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build);
  else build();
})();
