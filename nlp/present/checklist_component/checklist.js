// The self-check's checkboxes: Streamlit's component protocol (version 1) by hand.
// In: args.items [{key, label}], args.checked [key, ...], args.label (the list's name).
// Out: the keys ticked now, a list, on every change.
(function () {
  "use strict";
  var shown = null;

  function send(type, data) {
    var message = Object.assign({isStreamlitMessage: true, type: type}, data || {});
    window.parent.postMessage(message, "*");
  }

  function height() {
    send("streamlit:setFrameHeight", {height: document.body.scrollHeight});
  }

  function ticked() {
    return Array.prototype.map.call(
      document.querySelectorAll("input:checked"), function (box) { return box.value; });
  }

  function draw(args) {
    var list = document.getElementById("list");
    document.getElementById("legend").textContent = args.label || "";
    list.querySelectorAll("label").forEach(function (old) { old.remove(); });
    (args.items || []).forEach(function (item) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.value = item.key;
      box.addEventListener("change", function () {
        send("streamlit:setComponentValue", {value: ticked(), dataType: "json"});
      });
      label.appendChild(box);
      label.appendChild(document.createTextNode(item.label));  // text, never HTML
      list.appendChild(label);
    });
  }

  window.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type !== "streamlit:render" || !data.args) { return; }
    var key = JSON.stringify([data.args.items, data.args.label]);
    if (key !== shown) {  // new texts (the page language): draw the list again
      shown = key;
      draw(data.args);
    }
    // the ticks as the page has them; the boxes stay, so the keyboard focus stays too
    var checked = data.args.checked || [];
    document.querySelectorAll("input").forEach(function (box) {
      box.checked = checked.indexOf(box.value) >= 0;
    });
    height();
  });

  window.addEventListener("resize", height);
  send("streamlit:componentReady", {apiVersion: 1});
}());
