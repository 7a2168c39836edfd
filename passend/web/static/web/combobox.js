// Passend: the ESCO combobox (WAI-ARIA 1.2 combobox with a listbox, list
// autocomplete). Enhances every [data-combobox] rendered by
// passend/taxonomy/forms.py; without this file the text box is a plain search
// that the server answers with the nearest terms to pick.
(function () {
  "use strict";

  var DELAY_MS = 200;
  var MIN_LENGTH = 2;

  function parts(root) {
    var input = root.querySelector("[data-combobox-input]");
    return {
      root: root,
      input: input,
      value: root.querySelector("[data-combobox-value]"),
      listbox: document.getElementById(input.getAttribute("data-listbox")),
      status: document.getElementById(input.getAttribute("data-status")),
    };
  }

  function enhance(scope) {
    var roots = (scope || document).querySelectorAll("[data-combobox]:not([data-combobox-ready])");
    Array.prototype.forEach.call(roots, function (root) {
      var p = parts(root);
      if (!p.input || !p.listbox || !p.status) {
        return;
      }
      root.setAttribute("data-combobox-ready", "");
      p.input.setAttribute("role", "combobox");
      p.input.setAttribute("aria-autocomplete", "list");
      p.input.setAttribute("aria-expanded", "false");
      p.input.setAttribute("aria-controls", p.listbox.id);
      p.listbox.setAttribute("role", "listbox");
    });
  }

  function options(p) {
    return Array.prototype.slice.call(p.listbox.querySelectorAll("[role=option]"));
  }

  function isOpen(p) {
    return p.input.getAttribute("aria-expanded") === "true";
  }

  function setActive(p, option) {
    options(p).forEach(function (each) {
      var active = each === option;
      each.setAttribute("aria-selected", active ? "true" : "false");
      each.classList.toggle("combobox-active", active);
    });
    if (option) {
      p.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      p.input.removeAttribute("aria-activedescendant");
    }
  }

  function open(p) {
    if (!options(p).length) {
      return;
    }
    p.listbox.hidden = false;
    p.input.setAttribute("aria-expanded", "true");
  }

  function close(p) {
    setActive(p, null);
    p.listbox.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
  }

  function uncheckSuggestions(p) {
    p.root.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.checked = false;
    });
  }

  function pick(p, option) {
    p.input.value = option.getAttribute("data-label");
    p.value.value = option.getAttribute("data-value");
    uncheckSuggestions(p);
    close(p);
    p.status.textContent = (p.input.getAttribute("data-chosen") || "") + " " + p.input.value;
    p.input.focus();
  }

  var timers = new WeakMap();
  var sequence = 0;

  function search(p) {
    var query = p.input.value.trim();
    if (query.length < MIN_LENGTH) {
      p.listbox.innerHTML = "";
      close(p);
      p.status.textContent = "";
      return;
    }
    var mine = ++sequence;
    p.root.setAttribute("data-combobox-mine", String(mine));
    var url = p.input.getAttribute("data-search-url") + "?q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        if (p.root.getAttribute("data-combobox-mine") !== String(mine)) {
          return; // an older answer, overtaken by a newer query
        }
        var holder = document.createElement("template");
        holder.innerHTML = html;
        var list = holder.content.querySelector("ul");
        p.listbox.innerHTML = "";
        if (list) {
          Array.prototype.forEach.call(list.querySelectorAll("[role=option]"), function (item, i) {
            item.id = p.listbox.id + "-" + i;
            p.listbox.appendChild(item);
          });
          p.status.textContent = list.getAttribute("data-status") || "";
        }
        setActive(p, null);
        if (options(p).length && document.activeElement === p.input) {
          open(p);
        } else {
          close(p);
        }
      })
      .catch(function () {
        close(p);
      });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-combobox-input")) {
      return;
    }
    var p = parts(input.closest("[data-combobox]"));
    p.value.value = ""; // typing again means nothing is picked yet
    uncheckSuggestions(p);
    clearTimeout(timers.get(input));
    timers.set(
      input,
      setTimeout(function () {
        search(p);
      }, DELAY_MS)
    );
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-combobox-input")) {
      return;
    }
    var p = parts(input.closest("[data-combobox]"));
    var list = options(p);
    var current = list.indexOf(document.getElementById(input.getAttribute("aria-activedescendant")));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!list.length) {
        return;
      }
      event.preventDefault();
      if (!isOpen(p)) {
        open(p);
        if (event.altKey) {
          return;
        }
      }
      var next;
      if (event.key === "ArrowDown") {
        next = current < 0 || current >= list.length - 1 ? 0 : current + 1;
      } else {
        next = current <= 0 ? list.length - 1 : current - 1;
      }
      setActive(p, list[next]);
    } else if (event.key === "Enter") {
      if (isOpen(p) && current >= 0) {
        event.preventDefault(); // pick the term; do not submit the form yet
        pick(p, list[current]);
      }
    } else if (event.key === "Escape") {
      if (isOpen(p)) {
        event.preventDefault();
        close(p);
      }
    } else if (event.key === "Tab") {
      close(p);
    }
  });

  // A pointer picks with mousedown, before the box loses focus.
  document.addEventListener("mousedown", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    var option = target.closest(".combobox-listbox [role=option]");
    if (option) {
      event.preventDefault();
      pick(parts(option.closest("[data-combobox]")), option);
    }
  });

  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.hasAttribute("data-combobox-input")) {
      close(parts(input.closest("[data-combobox]")));
    }
  });

  // Picking one of the nearest terms offered after a submit fills the box too.
  document.addEventListener("change", function (event) {
    var radio = event.target;
    if (!(radio instanceof HTMLInputElement) || radio.type !== "radio") {
      return;
    }
    var root = radio.closest("[data-combobox]");
    if (root && radio.checked) {
      var p = parts(root);
      p.input.value = radio.getAttribute("data-label");
      p.value.value = radio.value;
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhance(document);
    });
  } else {
    enhance(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    enhance(event.target instanceof Element ? event.target : document);
  });
})();
