// Quiz pages: answer with the keys 1-4, move focus after htmx swaps, count down a time limit.
// Loaded as a static file so the pages need no inline script under a strict CSP.
(function () {
  "use strict";

  function isTyping(element) {
    return (
      element &&
      (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName))
    );
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (!/^[1-9]$/.test(event.key) || isTyping(event.target)) return;
    var button = document.querySelector(
      '#choices button[data-choice-key="' + event.key + '"]'
    );
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });

  // After feedback arrives, Enter should mean "Next"; after Next, the new question is read out.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) return;
    if (target.id === "feedback") {
      var next = target.querySelector("[data-next]");
      if (next) next.focus();
    } else if (target.id === "question-panel" || target.closest("#question-panel")) {
      var heading = document.getElementById("question-heading");
      if (heading && !document.querySelector("#feedback [data-next]")) heading.focus();
      startTimers();
    }
  });

  function showError() {
    var feedback = document.getElementById("feedback");
    if (feedback) {
      feedback.textContent =
        "Something went wrong sending that. Please reload the page and try again.";
    }
  }
  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError);

  var timer = null;
  function startTimers() {
    if (timer) window.clearInterval(timer);
    var element = document.querySelector("[data-deadline]");
    if (!element) return;
    var deadline = Date.parse(element.getAttribute("data-deadline"));
    var left = element.querySelector("[data-timer-left]");
    if (!left || isNaN(deadline)) return;
    function tick() {
      var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      left.textContent =
        seconds > 0
          ? "(" + Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0") + " left)"
          : "(time is up)";
      if (seconds === 0) window.clearInterval(timer);
    }
    tick();
    timer = window.setInterval(tick, 1000);
  }
  document.addEventListener("DOMContentLoaded", startTimers);
})();
