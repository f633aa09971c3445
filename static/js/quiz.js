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
      var typed = document.querySelector("[data-typed-answer]");
      if (typed) typed.focus();
      else if (heading && !document.querySelector("#feedback [data-next]")) heading.focus();
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

  // Counts down from the seconds the server sent with the page, so the device's clock can't skew it.
  var timer = null;
  function startTimers() {
    if (timer) window.clearInterval(timer);
    var element = document.querySelector("[data-timer]");
    if (!element) return;
    var left = element.querySelector("[data-timer-left]");
    var secondsLeft = parseInt(element.getAttribute("data-seconds-left"), 10);
    if (!left || isNaN(secondsLeft)) return;
    var end = Date.now() + secondsLeft * 1000;
    function tick() {
      var seconds = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      if (seconds === 0) {
        window.clearInterval(timer);
        element.textContent = element.getAttribute("data-time-up");
        element.classList.add("is-up");
        return;
      }
      left.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    }
    tick();
    timer = window.setInterval(tick, 1000);
  }
  document.addEventListener("DOMContentLoaded", startTimers);
})();
