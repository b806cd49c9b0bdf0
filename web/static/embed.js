// One-line embed for a portal:
//   <script src="https://tro-ly.example.gov.vn/embed.js" data-title="Trợ lý CCHC tỉnh …"></script>
// adds a button in the bottom-right corner that opens the chat in a frame. Styles are set
// through the DOM (element.style), which a portal's own Content-Security-Policy allows.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var base = new URL(script.src);
  var title = script.getAttribute("data-title") || "Trợ lý CCHC";
  var label = script.getAttribute("data-button") || title;
  var src = new URL("/", base);
  src.searchParams.set("embed", "1");
  src.searchParams.set("title", title);

  var frame = document.createElement("iframe");
  frame.src = src.toString();
  frame.title = title;
  frame.setAttribute("referrerpolicy", "no-referrer");
  var fs = frame.style;
  fs.position = "fixed"; fs.right = "16px"; fs.bottom = "80px"; fs.zIndex = "2147483646";
  fs.width = "min(400px, calc(100vw - 32px))"; fs.height = "min(640px, calc(100vh - 100px))";
  fs.border = "1px solid #d0d7de"; fs.borderRadius = "12px"; fs.background = "#fff";
  fs.boxShadow = "0 8px 24px rgba(0,0,0,.2)"; fs.display = "none";

  var open = document.createElement("button");
  open.type = "button";
  open.textContent = "💬 " + label;
  open.setAttribute("aria-expanded", "false");
  var bs = open.style;
  bs.position = "fixed"; bs.right = "16px"; bs.bottom = "16px"; bs.zIndex = "2147483647";
  bs.padding = "12px 16px"; bs.border = "0"; bs.borderRadius = "24px"; bs.background = "#0b5cad";
  bs.color = "#fff"; bs.font = "16px system-ui, sans-serif"; bs.cursor = "pointer";
  bs.boxShadow = "0 4px 12px rgba(0,0,0,.25)";
  open.addEventListener("click", function () {
    var shown = fs.display !== "none";
    fs.display = shown ? "none" : "block";
    open.setAttribute("aria-expanded", shown ? "false" : "true");
    if (!shown) frame.focus();
  });

  function mount() {
    document.body.appendChild(frame);
    document.body.appendChild(open);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
