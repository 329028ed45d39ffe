// Small helpers for the practice pages. Everything works without them; they only save typing.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  ready(function () {
    // "Start a feedback wheel from this message": take what is in the box now.
    document.querySelectorAll("form[data-carry-from]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var source = document.getElementById(form.getAttribute("data-carry-from"));
        var target = form.querySelector("[data-carry-to]");
        if (source && target) {
          target.value = source.value;
        }
      });
    });

    // Feeling words: a click adds the word to the answer, as if typed.
    document.querySelectorAll("button[data-feeling]").forEach(function (button) {
      button.addEventListener("click", function () {
        var field = document.getElementById(button.getAttribute("data-feeling-target"));
        if (!field) {
          return;
        }
        var word = button.getAttribute("data-feeling");
        var text = field.value.replace(/\s+$/, "");
        field.value = text ? text + ", " + word : word;
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.focus();
      });
    });

    // Copy the message, to paste it wherever the couple usually talks.
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var field = document.getElementById(button.getAttribute("data-copy"));
        var status = document.getElementById(button.getAttribute("data-copy-status"));
        if (!field) {
          return;
        }
        function done(ok) {
          if (status) {
            status.textContent = ok ? status.getAttribute("data-copied") : status.getAttribute("data-failed");
          }
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(function () { done(true); }, function () { done(false); });
        } else {
          field.select();
          try {
            done(document.execCommand("copy"));
          } catch (error) {
            done(false);
          }
        }
      });
    });
  });
})();
