// The tappable body picture: Streamlit's component protocol (version 1) by hand.
// In: the render message's args.svg, an <svg> made and escaped by nlp/present/body.py.
// Out: {area, side, n} for each tap or Enter/Space on an area; n counts, so the page can tell
// a new tap from a rerun that hands back the last value.
(function () {
  "use strict";
  var taps = 0;
  var shown = null;

  function send(type, data) {
    var message = Object.assign({isStreamlitMessage: true, type: type}, data || {});
    window.parent.postMessage(message, "*");
  }

  function height() {
    send("streamlit:setFrameHeight", {height: document.body.scrollHeight});
  }

  function choose(target) {
    taps += 1;
    send("streamlit:setComponentValue", {
      value: {area: target.getAttribute("data-area"), side: target.getAttribute("data-side") || null, n: taps},
      dataType: "json"
    });
  }

  function wire(root) {
    root.querySelectorAll("[data-area]").forEach(function (shape) {
      shape.addEventListener("click", function () { choose(shape); });
      shape.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          choose(shape);
        }
      });
    });
  }

  window.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type !== "streamlit:render" || !data.args) { return; }
    if (typeof data.args.taps === "number" && data.args.taps > taps) { taps = data.args.taps; }
    if (data.args.svg !== shown) {
      shown = data.args.svg;
      var picture = document.getElementById("picture");
      picture.innerHTML = shown;
      wire(picture);
    }
    height();
  });

  window.addEventListener("resize", height);
  send("streamlit:componentReady", {apiVersion: 1});
}());
