// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Demo sign-in: "fill in" copies a listed account into the form.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill-username]");
    if (!button) return;
    var form = document.getElementById("login-form");
    if (!form) return;
    form.elements.username.value = button.getAttribute("data-fill-username");
    form.elements.password.value = button.getAttribute("data-fill-password");
    form.elements.username.focus();
  });
})();

// Pickers (tiendo.core.picker: units, programs): an ARIA combobox over the picker's search URL.
// Without this code the search box is submitted with the form and the server lists the matches.
(function () {
  "use strict";
  var DELAY = 200;

  function setup(picker) {
    // A property, not an attribute: a page restored from HTMX's history is new nodes to set up.
    if (picker.tiendoPicker) return;
    picker.tiendoPicker = true;
    var input = picker.querySelector("[data-picker-input]");
    var popup = picker.querySelector("[data-picker-popup]");
    var status = picker.querySelector("[data-picker-status]");
    var clear = picker.querySelector("[data-picker-clear]");
    var listId = input.getAttribute("aria-controls");
    var timer = null;
    var active = -1;
    var lastQuery = null;
    // The search text is for the list only; the form sends the chosen unit's id.
    input.removeAttribute("name");
    clear.hidden = false;

    function options() {
      return Array.prototype.slice.call(popup.querySelectorAll("[role=option]"));
    }
    function isOpen() {
      return !popup.hidden;
    }
    function open() {
      popup.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function close() {
      popup.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }
    function search(query) {
      lastQuery = query;
      var url = picker.getAttribute("data-pick-url");
      return htmx.ajax("GET", url, {
        source: input, target: popup, swap: "innerHTML", values: { q: query }
      });
    }
    function shown() {
      // After a swap: name the new list and its options for aria-controls/-activedescendant.
      var list = popup.querySelector("[role=listbox]");
      if (!list) return;
      list.id = listId;
      options().forEach(function (option, i) {
        option.id = listId + "-" + i;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = list.getAttribute("data-summary") || "";
      // Not after a choice: a late answer to an earlier search stays closed.
      if (lastQuery !== null && document.activeElement === input) open();
    }
    function choose(option) {
      var value = picker.querySelector("[data-picker-value]");
      if (!value) {
        // The server listed matches as radio buttons (no-JS search): a hidden input replaces them.
        var matches = picker.querySelector(".picker-matches");
        if (matches) matches.remove();
        value = document.createElement("input");
        value.type = "hidden";
        value.name = picker.getAttribute("data-name");
        value.setAttribute("data-picker-value", "");
        picker.insertBefore(value, picker.firstChild);
      }
      var name = option ? option.getAttribute("data-name") : "";
      value.value = option ? option.getAttribute("data-value") : "";
      picker.querySelector("[data-picker-name]").textContent = name;
      picker.querySelector("[data-picker-within]").textContent =
        option ? option.getAttribute("data-within") : "";
      clear.querySelector(".visually-hidden").textContent = " " + name;
      picker.querySelector("[data-picker-chosen]").hidden = !option;
      picker.querySelector("[data-picker-none]").hidden = !!option;
      status.textContent = option
        ? picker.querySelector("[data-picker-chosen] .visually-hidden").textContent + name
        : picker.querySelector("[data-picker-none]").textContent;
      window.clearTimeout(timer);
      input.value = "";
      lastQuery = null;
      close();
      input.focus();
      // The task list's filter form listens to "change" (HTMX): the list follows the choice.
      value.dispatchEvent(new Event("change", { bubbles: true }));
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        search(input.value.trim());
      }, DELAY);
    });
    // Typing is not a choice: keep the form's own "change" listeners (HTMX filters) out of it.
    input.addEventListener("change", function (event) {
      event.stopPropagation();
    });
    input.addEventListener("keydown", function (event) {
      var key = event.key;
      if (key === "ArrowDown" || key === "ArrowUp") {
        event.preventDefault();
        if (!isOpen() || lastQuery === null) {
          search(input.value.trim()).then(function () {
            highlight(key === "ArrowDown" ? 0 : -1);
          });
        } else {
          highlight(active + (key === "ArrowDown" ? 1 : -1));
        }
      } else if (key === "Enter") {
        // Never submits the form from the search box: Enter picks the highlighted unit.
        event.preventDefault();
        var all = options();
        if (isOpen() && active >= 0 && all[active]) choose(all[active]);
        else if (isOpen() && all.length === 1) choose(all[0]);
        else search(input.value.trim());
      } else if (key === "Escape") {
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
      } else if (key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(function () {
        if (document.activeElement !== input) close();
      }, 150);
    });
    input.addEventListener("focus", function () {
      if (lastQuery !== null && options().length) open();
    });
    popup.addEventListener("htmx:afterSwap", shown);
    // A click on an option must not take the focus from the search box first.
    popup.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    popup.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(option);
    });
    clear.addEventListener("click", function () {
      choose(null);
    });
  }

  function setupAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("[data-picker]")) setup(scope);
    scope.querySelectorAll("[data-picker]").forEach(setup);
  }
  // Without HTMX the pickers stay as the server renders them (search submitted with the form).
  if (window.htmx) htmx.onLoad(setupAll);
})();
