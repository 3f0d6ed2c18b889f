/* Forms: focus the error summary after a failed submit; previews for the photo picker.
   Loaded with `defer` from base.html; no inline script anywhere (CSP). Everything here is an
   enhancement: the forms work the same without it. */
(function () {
  "use strict";

  function focusErrorSummary() {
    // A form without the summary include still gets the focus on its errors: its error
    // notice, else the first field marked invalid.
    var summary =
      document.querySelector(".error-summary") || document.querySelector("form .form-error");
    if (!summary) {
      var invalid = document.querySelector("form [aria-invalid='true']");
      if (invalid) {
        invalid.focus();
      }
      return;
    }
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: "start" });
    // A link in the summary puts the focus into its field, not just the scroll position.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (target) {
        event.preventDefault();
        target.focus();
        var block = target.closest(".field") || target;
        block.scrollIntoView({ block: "center" });
      }
    });
  }

  function formatSize(bytes) {
    var lang = document.documentElement.lang || "de";
    var format = function (value, digits) {
      return new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value);
    };
    if (bytes >= 1024 * 1024) {
      return format(bytes / (1024 * 1024), 1) + " MB";
    }
    return format(Math.max(1, Math.round(bytes / 1024)), 0) + " KB";
  }

  function enhanceFilePicker(field) {
    var input = field.querySelector("input[type=file]");
    var list = field.querySelector(".file-previews");
    var count = field.querySelector(".file-count");
    var drop = field.querySelector(".file-drop");
    if (!input || !list || typeof DataTransfer === "undefined") {
      return;
    }
    var chosen = [];
    var urls = [];
    field.classList.add("is-enhanced");

    function sync() {
      var transfer = new DataTransfer();
      chosen.forEach(function (file) {
        transfer.items.add(file);
      });
      input.files = transfer.files;
    }

    function render() {
      urls.forEach(URL.revokeObjectURL);
      urls = [];
      list.textContent = "";
      chosen.forEach(function (file, index) {
        var item = document.createElement("li");
        item.className = "file-preview";
        if (/^image\/(jpeg|png|gif|webp)$/.test(file.type)) {
          var url = URL.createObjectURL(file);
          urls.push(url);
          var img = document.createElement("img");
          img.src = url;
          img.alt = "";
          img.width = 96;
          img.height = 96;
          item.appendChild(img);
        } else {
          var icon = document.createElement("span");
          icon.className = "file-preview-icon";
          icon.setAttribute("aria-hidden", "true");
          icon.textContent = (file.name.split(".").pop() || "").toUpperCase().slice(0, 4);
          item.appendChild(icon);
        }
        var text = document.createElement("span");
        text.className = "file-preview-text";
        var name = document.createElement("span");
        name.className = "file-preview-name";
        name.textContent = file.name;
        var size = document.createElement("span");
        size.className = "file-preview-size";
        size.textContent = formatSize(file.size);
        text.appendChild(name);
        text.appendChild(size);
        item.appendChild(text);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "file-preview-remove secondary";
        remove.textContent = "×";
        remove.setAttribute(
          "aria-label",
          (list.dataset.removeName || "Remove {name}").replace("{name}", file.name)
        );
        remove.addEventListener("click", function () {
          chosen.splice(index, 1);
          sync();
          render();
          (list.querySelector(".file-preview-remove") || input).focus();
        });
        item.appendChild(remove);
        list.appendChild(item);
      });
      list.hidden = chosen.length === 0;
      if (count) {
        count.hidden = chosen.length === 0;
        count.textContent = (list.dataset.countLabel || "Files chosen: {count}").replace(
          "{count}",
          String(chosen.length)
        );
      }
    }

    function add(files) {
      Array.prototype.forEach.call(files, function (file) {
        var duplicate = chosen.some(function (other) {
          return (
            other.name === file.name &&
            other.size === file.size &&
            other.lastModified === file.lastModified
          );
        });
        if (!duplicate) {
          chosen.push(file);
        }
      });
      sync();
      render();
    }

    // Choosing again adds to the files already chosen instead of replacing them.
    input.addEventListener("change", function () {
      var picked = Array.prototype.slice.call(input.files);
      add(picked);
    });

    if (drop) {
      ["dragenter", "dragover"].forEach(function (type) {
        drop.addEventListener(type, function (event) {
          event.preventDefault();
          drop.classList.add("is-dragover");
        });
      });
      ["dragleave", "drop"].forEach(function (type) {
        drop.addEventListener(type, function () {
          drop.classList.remove("is-dragover");
        });
      });
      drop.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) {
          add(event.dataTransfer.files);
        }
      });
    }
  }

  function init() {
    focusErrorSummary();
    Array.prototype.forEach.call(document.querySelectorAll(".file-field"), enhanceFilePicker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
