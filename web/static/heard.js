// Heard's only script: everything works without it; it makes "Leave this page" leave no page
// of the survey in the tab's history, and moves focus to the error summary after a failed post.
(function () {
  "use strict";
  function leave(event) {
    if (event) event.preventDefault();
    // replace(): the survey page is swapped out of history, so Back does not return to it.
    document.body.style.visibility = "hidden";
    window.location.replace("/exit");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var exit = document.getElementById("exit");
    if (exit) exit.addEventListener("click", leave);
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
})();
