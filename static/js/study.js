// The study page: Space or Enter shows the answer, 1-4 rate it, and each rating carries how long
// the card was in front of the student. Loaded as a static file (no inline script, strict CSP).
(function () {
  "use strict";

  var shownAt = {}; // card id -> when its front was first shown

  function isTyping(element) {
    return (
      element &&
      (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON|A)$/.test(element.tagName))
    );
  }

  function note() {
    var section = document.getElementById("study-card");
    var id = section && section.getAttribute("data-card");
    if (id && !shownAt[id]) shownAt[id] = Date.now();
    var duration = document.querySelector("[data-duration]");
    if (duration && id && shownAt[id]) duration.value = String(Date.now() - shownAt[id]);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    var show = document.querySelector("[data-show-answer]");
    if (show && (event.key === " " || event.key === "Enter")) {
      // A focused link or button already answers Enter by itself.
      if (event.key === "Enter" && isTyping(event.target)) return;
      if (event.key === " " && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
      event.preventDefault();
      show.click();
      return;
    }
    if (/^[1-4]$/.test(event.key) && !/^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) {
      var button = document.querySelector('[data-ratings] button[data-rating-key="' + event.key + '"]');
      if (button && !button.disabled) {
        event.preventDefault();
        note();
        button.click();
      }
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("[data-ratings]")) note();
  }, true);

  // After a flip or a new card (and on load), focus the card so that screen readers read it
  // and the keys work: the front, or Good once the answer shows.
  function focusCard() {
    if (!document.getElementById("study-card")) return;
    note();
    var focus = document.getElementById("card-back")
      ? document.querySelector('[data-ratings] button[data-rating-key="3"]')
      : document.getElementById("card-front");
    if (!focus) focus = document.querySelector("#all-done a");
    if (focus) focus.focus();
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    // A poll that found nothing due yet leaves the focus where the student put it.
    var from = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (from && from.hasAttribute("data-poll") && !document.getElementById("card-front")) return;
    focusCard();
  });

  function showError() {
    var section = document.getElementById("study-card");
    if (section) {
      var message = document.createElement("p");
      message.className = "notice";
      message.setAttribute("role", "alert");
      message.textContent = "Something went wrong sending that. Please reload the page and try again.";
      section.prepend(message);
    }
  }
  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError);
  document.addEventListener("DOMContentLoaded", focusCard);
})();
