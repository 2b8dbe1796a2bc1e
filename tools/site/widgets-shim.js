// ipywidgets' typeset() still calls the MathJax 2 API (MathJax.Hub.Queue), while the
// site runs MathJax 3, so rendering a widget threw "Cannot read properties of
// undefined (reading 'Queue')". Loaded right before the widget manager (embed.js),
// this forwards those calls to MathJax 3: widget labels with $...$ get typeset.
(function () {
  "use strict";
  function install() {
    var mj = window.MathJax;
    if (!mj || mj.Hub || typeof mj.typesetPromise !== "function") {
      return;
    }
    mj.Hub = {
      Queue: function (job) {
        var element = Array.isArray(job) ? job[2] : undefined;
        mj.startup.promise
          .then(function () {
            return mj.typesetPromise(element ? [element] : undefined);
          })
          .catch(function (err) {
            console.warn("MathJax could not typeset a widget:", err);
          });
      },
    };
  }
  // MathJax is loaded with `defer`: it exists by DOMContentLoaded, and embed.js
  // renders the widgets on `load`, after these listeners (registered first) ran.
  document.addEventListener("DOMContentLoaded", install);
  window.addEventListener("load", install);
})();
