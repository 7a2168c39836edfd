// Passend: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // A <select data-autosubmit> submits its form as soon as a choice is made
  // (the organisation switcher). The visible submit button is for no-JS users.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-autosubmit")) {
      return;
    }
    var form = select.form;
    if (!form) {
      return;
    }
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });

  // Buttons with data-confirm="question" ask before they submit.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    var button = target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Upload form: a field marked data-show-for-kind="x" shows only while the
  // form's kind is x (the passport-photo consent); the kind select with
  // data-accepted-hint="id" writes what that kind accepts into #id (a polite
  // live region). Without JavaScript everything stays visible and the server
  // ignores the consent for other kinds.
  function syncKind(form) {
    var kind = form.querySelector("select[name='kind']");
    if (!kind) {
      return;
    }
    form.querySelectorAll("[data-show-for-kind]").forEach(function (input) {
      var wrapper = input.closest(".field") || input;
      var show = kind.value === input.getAttribute("data-show-for-kind");
      wrapper.hidden = !show;
      if (!show && input instanceof HTMLInputElement) {
        input.checked = false;
      }
    });
    var hintId = kind.getAttribute("data-accepted-hint");
    var hint = hintId && document.getElementById(hintId);
    var accepted = document.querySelector("[data-kind-accepts='" + kind.selectedIndex + "']");
    if (hint && accepted) {
      var option = kind.options[kind.selectedIndex];
      hint.textContent = option.text + ": " + accepted.textContent;
    }
  }
  function syncAllKinds() {
    document.querySelectorAll("select[data-accepted-hint]").forEach(function (kind) {
      if (kind.form) {
        syncKind(kind.form);
      }
    });
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.name === "kind" && target.form) {
      syncKind(target.form);
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", syncAllKinds);
  } else {
    syncAllKinds();
  }

  // A destructive action (web/_confirm.html): without JavaScript its link opens
  // a confirmation page; here it opens the native modal dialog next to it
  // instead (the rest of the page is inert while it is open, Escape cancels),
  // and focus returns to the button when the dialog closes.
  var confirmOpener = null;
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    var opener = target.closest("a[data-confirm-dialog]");
    if (opener) {
      var dialog = opener.parentElement && opener.parentElement.querySelector("dialog.confirm-dialog");
      if (dialog && typeof dialog.showModal === "function") {
        event.preventDefault();
        confirmOpener = opener;
        dialog.showModal();
      }
      return;
    }
    var closer = target.closest("[data-dialog-close]");
    if (closer) {
      var own = closer.closest("dialog");
      if (own) {
        own.close();
      }
    }
  });
  document.addEventListener(
    "close",
    function (event) {
      var dialog = event.target;
      if (!(dialog instanceof HTMLDialogElement) || !dialog.classList.contains("confirm-dialog")) {
        return;
      }
      if (confirmOpener && confirmOpener.isConnected) {
        confirmOpener.focus();
      }
      confirmOpener = null;
    },
    true
  );

  // After a failed submit, move focus to the error summary so that screen
  // readers announce it and keyboard users start from the list of problems.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }
  // The same after htmx has swapped in a form that came back with errors.
  document.addEventListener("htmx:afterSettle", focusErrorSummary);

  // An htmx swap must not drop keyboard focus on <body> or change the page in
  // silence. Before the request we note the focused control's id and the
  // target's id; after the swap focus goes back to the control with that id in
  // the new content (e.g. a task's "Mark as done" button), else to the new
  // content's first heading; and the new content's data-announce text is read
  // out through the polite live region in base.html.
  var swapFocus = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var active = document.activeElement;
    var target = event.detail && event.detail.target;
    swapFocus = {
      control: active && active.id ? active.id : "",
      target: target && target.id ? target.id : "",
    };
  });
  document.addEventListener("htmx:afterSettle", function () {
    var noted = swapFocus;
    swapFocus = null;
    if (!noted || !noted.target) {
      return;
    }
    var fresh = document.getElementById(noted.target);
    if (!fresh) {
      return;
    }
    var active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) {
      var control = noted.control && document.getElementById(noted.control);
      if (control && fresh.contains(control)) {
        control.focus();
      } else {
        var heading = fresh.querySelector("h2, h3");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
      }
    }
    var announce = fresh.getAttribute("data-announce");
    var region = document.getElementById("live-announcer");
    if (announce && region) {
      region.textContent = "";
      window.setTimeout(function () {
        region.textContent = announce;
      }, 50);
    }
  });
  // The header on small screens: the "Menu" button (aria-expanded,
  // aria-controls) folds the navigation and account tools away; Escape closes
  // it and gives focus back to the button. The admin's menus (<details>) close
  // each other, and close on Escape, on a click elsewhere and when focus leaves
  // them, while they drop down over the page.
  function closeMenu(toggle, menu, returnFocus) {
    toggle.setAttribute("aria-expanded", "false");
    menu.classList.remove("is-open");
    if (returnFocus) {
      toggle.focus();
    }
  }
  function dropsDown(group) {
    var list = group.querySelector("ul");
    return !!list && window.getComputedStyle(list).position === "absolute";
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    var toggle = target.closest(".menu-toggle");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (toggle && menu) {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
    }
    document.querySelectorAll("details[data-nav-group][open]").forEach(function (group) {
      if (!group.contains(target) && dropsDown(group)) {
        group.open = false;
      }
    });
  });
  document.addEventListener(
    "toggle",
    function (event) {
      var group = event.target;
      if (!(group instanceof HTMLDetailsElement) || !group.hasAttribute("data-nav-group") || !group.open) {
        return;
      }
      document.querySelectorAll("details[data-nav-group][open]").forEach(function (other) {
        if (other !== group) {
          other.open = false;
        }
      });
    },
    true
  );
  document.addEventListener("focusout", function (event) {
    var group = event.target instanceof Element && event.target.closest("details[data-nav-group][open]");
    if (group && dropsDown(group) && !(event.relatedTarget instanceof Node && group.contains(event.relatedTarget))) {
      group.open = false;
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var active = document.activeElement;
    var group = active instanceof Element && active.closest("details[data-nav-group][open]");
    if (group) {
      group.open = false;
      var summary = group.querySelector("summary");
      if (summary) {
        summary.focus();
      }
      return;
    }
    var toggle = document.querySelector(".menu-toggle[aria-expanded='true']");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (toggle && menu) {
      closeMenu(toggle, menu, menu.contains(active) || active === toggle);
    }
  });
})();
