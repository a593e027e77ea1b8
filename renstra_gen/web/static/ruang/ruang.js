// Ruang Kerja Renstra: totals of Tabel 6.2 as you type, keyboard moves in the grid, confirmations.
// Loaded as a static file (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";

  // A number typed the Indonesian way: 1.500.000 / 85,5 / 1500000 / 85.5; null for empty or "-".
  function parseAngka(text) {
    var t = (text || "").trim().replace(/^rp\s*/i, "").replace(/\s/g, "");
    if (t === "" || t === "-") return null;
    if (/^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) t = t.replace(/\./g, "").replace(",", ".");
    else if (/^[+-]?\d+(,\d+)?$/.test(t)) t = t.replace(",", ".");
    else if (!/^[+-]?\d+\.\d+$/.test(t)) return NaN;
    return Number(t);
  }

  function angka(n) {
    if (n === null) return "";
    var neg = n < 0, v = Math.abs(n);
    var whole = Math.floor(v), frac = Math.round((v - whole) * 100);
    var s = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return (neg ? "-" : "") + s + (frac ? "," + String(frac).padStart(2, "0").replace(/0$/, "") : "");
  }

  function recompute(table) {
    var years = table.dataset.years.split(",");
    var sums = {};  // key -> year -> number|null
    function add(key, year, v) {
      sums[key] = sums[key] || {};
      if (v === null || isNaN(v)) { if (!(year in sums[key])) sums[key][year] = null; return; }
      sums[key][year] = (sums[key][year] || 0) + v;
    }
    table.querySelectorAll("tr[data-level='sub_kegiatan']").forEach(function (tr) {
      var key = tr.dataset.key, parts = key.split(".");
      var keg = parts[0] + "." + parts[1], prog = parts[0];
      years.forEach(function (y) {
        var input = tr.querySelector("input.pagu[data-year='" + y + "']");
        var v = input ? parseAngka(input.value) : null;
        if (input) input.classList.toggle("salah", v !== null && isNaN(v));
        [key, keg, prog, "jumlah"].forEach(function (k) { add(k, y, v); add(k, "akhir", v); });
      });
    });
    table.querySelectorAll("output[data-total]").forEach(function (out) {
      var s = sums[out.dataset.total];
      var v = s && out.dataset.year in s ? s[out.dataset.year] : null;
      out.textContent = v === null ? "" : angka(v);
    });
  }

  function gridKeys(table) {
    table.addEventListener("keydown", function (ev) {
      var input = ev.target;
      if (input.tagName !== "INPUT") return;
      var down = ev.key === "ArrowDown" || ev.key === "Enter";
      var up = ev.key === "ArrowUp";
      if (!down && !up) return;
      ev.preventDefault();
      var col = input.dataset.col, tr = input.closest("tr");
      var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
      var i = rows.indexOf(tr);
      for (var j = i + (down ? 1 : -1); j >= 0 && j < rows.length; j += (down ? 1 : -1)) {
        var next = rows[j].querySelector("input[data-col='" + col + "']:not([readonly])");
        if (next) { next.focus(); next.select(); return; }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("grid");
    var form = document.getElementById("grid-form");
    if (table && form) {
      var pending = document.getElementById("belum");
      table.addEventListener("input", function (ev) {
        if (ev.target.classList.contains("pagu")) recompute(table);
        ev.target.classList.add("ubah");
        if (pending) pending.textContent = "Ada perubahan yang belum disimpan.";
      });
      gridKeys(table);
      document.addEventListener("keydown", function (ev) {
        if ((ev.ctrlKey || ev.metaKey) && ev.key === "s") { ev.preventDefault(); form.requestSubmit(); }
      });
    }
    var konten = document.getElementById("konten-form");
    if (konten) {
      var belum = document.getElementById("belum");
      konten.addEventListener("input", function (ev) {
        ev.target.classList.add("ubah");
        if (belum) belum.textContent = "Ada perubahan yang belum disimpan.";
      });
      document.addEventListener("keydown", function (ev) {
        if ((ev.ctrlKey || ev.metaKey) && ev.key === "s") { ev.preventDefault(); konten.requestSubmit(); }
      });
    }
    sorot();
    document.addEventListener("click", function (ev) {
      var b = ev.target.closest("[data-konfirmasi]");
      if (b && !window.confirm(b.dataset.konfirmasi)) ev.preventDefault();
    });
  });
  // A finding's link opens its row or field: the element named by the URL's #anchor is highlighted
  // and its (first) input focused; in the narrative editor, ?baris=N selects line N of the text.
  function sorot() {
    var id = decodeURIComponent((window.location.hash || "").slice(1));
    var el = id ? document.getElementById(id) : null;
    if (el && /^(sel-|baris-|bagian-)/.test(id)) {
      var row = el.closest("tr") || el;
      row.classList.add("sorot");
      el.classList.add("sorot");
      var input = /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) ? el : el.querySelector("input:not([type=hidden]), textarea, select");
      // after the browser's own move to the #anchor (which would take the focus back to the page)
      var go = function () {
        el.scrollIntoView({ block: "center" });
        if (input) input.focus({ preventScroll: true });
      };
      if (document.readyState === "complete") window.setTimeout(go, 0);
      else window.addEventListener("load", function () { window.setTimeout(go, 0); });
    }
    var teks = document.querySelector("textarea[data-baris]");
    if (teks) {
      var n = parseInt(teks.dataset.baris, 10), lines = teks.value.split("\n"), start = 0;
      for (var i = 0; i < n - 1 && i < lines.length; i++) start += lines[i].length + 1;
      var end = start + (lines[n - 1] || "").length;
      teks.focus();
      teks.setSelectionRange(start, end);
      var lh = parseFloat(window.getComputedStyle(teks).lineHeight) || 18;
      teks.scrollTop = Math.max(0, (n - 5) * lh);
      teks.classList.add("sorot");
    }
  }

  window.renstraAngka = { parse: parseAngka, format: angka };
})();
