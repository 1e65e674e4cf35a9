// Heard's only script. Everything works without it. With it:
// - the survey keeps one entry in the tab's history: links replace the page, forms are sent with
//   fetch, so after "Leave this page" (which replaces that entry too) Back cannot return to the
//   survey;
// - focus moves to the error summary after a failed post;
// - easy-read pages get "Read this question aloud", with the browser's own speech.
(function () {
  "use strict";
  var busy = false;

  function leave(event) {
    if (event) event.preventDefault();
    document.body.style.visibility = "hidden";
    location.replace("/exit");
  }

  // The review team's workspace keeps the browser's ordinary history: only the survey hides itself.
  function ours(url) {
    if (document.body.classList.contains("workspace")) return false;
    return url.origin === location.origin && url.pathname !== "/exit" && url.pathname.indexOf("/static/") !== 0;
  }

  // A response that is not a redirect (a page with errors, "your answers are saved"): shown in
  // place of this page, without a new history entry.
  function show(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
    window.scrollTo(0, 0);
    ready(document.getElementById("main"));
  }

  // A form's own action and method: form.action would be the field named "action" if there is one.
  function target(form) {
    return new URL(form.getAttribute("action") || location.href, location.href);
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    busy = true;
    fetch(target(form).href, {
      method: "POST",
      body: new URLSearchParams(data),
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    }).then(function (r) {
      if (r.redirected) { location.replace(r.url); return; }
      return r.text().then(function (html) { busy = false; show(html); });
    }).catch(function () { busy = false; form.submit(); });
  }

  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href]");
    if (!a || e.defaultPrevented || e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (a.id === "exit") return leave(e);
    var href = a.getAttribute("href");
    if (href.charAt(0) === "#") {
      // In-page links (skip link, error summary) move focus without adding history.
      var to = document.getElementById(href.slice(1));
      if (!to) return;
      e.preventDefault();
      if (!to.hasAttribute("tabindex") && !/^(INPUT|TEXTAREA|SELECT|BUTTON|A)$/.test(to.tagName)) to.setAttribute("tabindex", "-1");
      to.focus();
      // Centred, so the sticky header with "Leave this page" does not cover it.
      (to.closest("fieldset") || to).scrollIntoView({ block: "center" });
      return;
    }
    var url = new URL(a.href);
    if (a.target || !ours(url)) return;
    e.preventDefault();
    location.replace(url.href);
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post" || !ours(target(form))) return;
    e.preventDefault();
    if (!busy) send(form, e.submitter);
  });

  function ready(fallback) {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    else if (fallback) fallback.focus();
    var speak = document.getElementById("speak");
    if (speak && "speechSynthesis" in window && window.SpeechSynthesisUtterance) {
      speak.hidden = false;
      speak.addEventListener("click", function () {
        var parts = [];
        document.querySelectorAll("#main .field legend, #main .label-heading, #main .field .question, #main .field .hint, #main .error-message, #main .choice label")
          .forEach(function (el) { parts.push(el.textContent.trim()); });
        var u = new SpeechSynthesisUtterance(parts.join(". "));
        u.lang = "en-GB";
        speechSynthesis.cancel();
        speechSynthesis.speak(u);
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () { ready(null); });
})();
