// The web chat. Every text from documents and users is put in the page with textContent or
// text nodes, never parsed as markup, so a clause containing "<script>" shows as those characters.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("page-data").textContent);
  var T = data.texts;
  var answers = document.getElementById("answers");
  var form = document.getElementById("ask");
  var input = document.getElementById("question");
  var card = document.getElementById("card");
  var cardBody = document.getElementById("card-body");
  var cardOpener = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // [{"text", "bold"}] → text nodes, the figures in <strong>.
  function pieces(parent, list) {
    list.forEach(function (p) {
      parent.appendChild(p.bold ? el("strong", null, p.text) : document.createTextNode(p.text));
    });
    return parent;
  }

  function button(label, onClick) {
    var b = el("button", null, label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  function link(label, url) {
    var a = el("a", null, label);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit"
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, status: r.status, body: j }; });
    });
  }

  function message(kind) {
    var m = el("div", "msg " + kind);
    answers.appendChild(m);
    m.scrollIntoView({ block: "nearest" });
    return m;
  }

  function showError(box, text) {
    box.textContent = "";
    box.appendChild(el("p", "text", text || T.network_error));
  }

  function ask(request, label) {
    if (label) message("user").textContent = label;
    var box = message("bot");
    box.setAttribute("aria-busy", "true");
    box.appendChild(el("p", "status", T.waiting));
    return post("/api/ask", request).then(function (r) {
      box.removeAttribute("aria-busy");
      if (!r.ok) return showError(box, r.body && r.body.message);
      render(box, r.body);
    }, function () {
      box.removeAttribute("aria-busy");
      showError(box, null);
    });
  }

  function render(box, answer) {
    var view = answer.view;
    box.textContent = "";
    if (view.header) box.appendChild(el("p", "header", view.header));
    view.notes.forEach(function (n) { box.appendChild(el("p", "note text", n)); });
    view.results.forEach(function (r) {
      var item = el("article", "result");
      if (r.figure) item.appendChild(pieces(el("p", "figure"), r.figure));
      item.appendChild(pieces(el("blockquote", "clause"), r.pieces));
      var src = el("p", "source");
      var url = safeUrl(r.url);
      src.appendChild(url ? link(r.source, url) : document.createTextNode(r.source));
      item.appendChild(src);
      if (r.doc_id !== null && r.doc_id !== undefined) {
        var label = view.results.length > 1 ? T.source + " " + r.number : T.source;
        var open = button(label, function () { openCard(r.doc_id, r.clause_id, open); });
        open.className = "source-button";
        item.appendChild(el("div", "actions")).appendChild(open);
      }
      box.appendChild(item);
    });
    if (view.not_answered) box.appendChild(el("p", "text", view.not_answered));
    var actions = el("div", "actions");
    view.suggestions.forEach(function (s) {
      actions.appendChild(button(s, function () { ask({ question: s }, s); }));
    });
    if (answer.previous) {
      actions.appendChild(button(T.back, function () { ask({ page: answer.previous }); }));
    }
    if (answer.next) {
      var more = button(T.more, function () { more.disabled = true; ask({ page: answer.next }); });
      more.className = "more";
      actions.appendChild(more);
    }
    if (view.results.length) {
      var status = el("p", "status");
      status.setAttribute("role", "status");
      var ids = view.results.map(function (r) { return r.clause_id; });
      var votes = [];
      [[T.up, 1], [T.down, -1]].forEach(function (v) {
        var b = button(v[0], function () {
          votes.forEach(function (x) { x.disabled = true; });
          post("/api/feedback", { question: answer.question, clause_ids: ids, vote: v[1] }).then(function (r) {
            status.textContent = r.ok ? T.thanks : (r.body && r.body.message) || T.network_error;
          }, function () { status.textContent = T.network_error; });
        });
        b.setAttribute("aria-label", v[1] > 0 ? T.up_label : T.down_label);
        b.className = v[1] > 0 ? "vote-up" : "vote-down";
        votes.push(b);
        actions.appendChild(b);
      });
      box.appendChild(actions);
      box.appendChild(status);
    } else if (actions.childNodes.length) {
      box.appendChild(actions);
    }
  }

  function openCard(docId, clauseId, opener) {
    cardOpener = opener;
    fetch("/api/documents/" + encodeURIComponent(docId) + "?clause=" + encodeURIComponent(clauseId),
          { credentials: "omit" })
      .then(function (r) { return r.json(); })
      .then(function (c) {
        cardBody.textContent = "";
        if (c.error) {
          cardBody.appendChild(el("p", null, c.message));
        } else {
          (c.lines || []).forEach(function (line, i) {
            cardBody.appendChild(el(i === 0 ? "h3" : "p", i === 0 ? "card-title" : null, line));
          });
          var links = el("div", "actions");
          var full = safeUrl(c.source_url);
          if (full) links.appendChild(link(T.full_text, full)).className = "button";
          var file = link(T.file, c.file_url);
          file.className = "button";
          links.appendChild(file);
          cardBody.appendChild(links);
          if (c.excerpt) {
            if (c.excerpt.section) cardBody.appendChild(el("p", "section", c.excerpt.section));
            cardBody.appendChild(el("p", null, T.excerpt));
            c.excerpt.before.forEach(function (t) { cardBody.appendChild(el("blockquote", null, t)); });
            var current = el("blockquote", "current");
            current.appendChild(document.createTextNode("▶ "));
            cardBody.appendChild(pieces(current, c.excerpt.clause));
            c.excerpt.after.forEach(function (t) { cardBody.appendChild(el("blockquote", null, t)); });
          }
        }
        card.hidden = false;
        document.getElementById("card-close").focus();
      }, function () {
        cardBody.textContent = T.network_error;
        card.hidden = false;
      });
  }

  function closeCard() {
    card.hidden = true;
    if (cardOpener) cardOpener.focus();
  }

  document.getElementById("card-close").addEventListener("click", closeCard);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !card.hidden) closeCard();
  });

  var examples = document.getElementById("examples");
  data.examples.forEach(function (q) {
    var li = el("li");
    li.appendChild(button(q, function () { ask({ question: q }, q); }));
    examples.appendChild(li);
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value.trim();
    if (!q) { input.focus(); return; }
    input.value = "";
    ask({ question: q }, q).then(function () { input.focus(); });
  });
  input.addEventListener("keydown", function (e) {
    // Enter sends, Shift+Enter is a new line (as in chat apps).
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  // Embedded by /embed.js: the portal's title for the assistant, shorter header.
  var params = new URLSearchParams(window.location.search);
  var title = params.get("title");
  if (title) {
    document.getElementById("title").textContent = title.slice(0, 120);
    document.title = title.slice(0, 120);
  }
  if (params.get("embed") === "1") document.body.classList.add("embedded");
})();
