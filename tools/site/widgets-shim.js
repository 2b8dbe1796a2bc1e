// Loaded right before the Jupyter widget manager (embed.js) on pages with widgets.
// Two gaps between ipywidgets' static embedding and this site, closed here:
//
// 1. ipywidgets' typeset() still calls the MathJax 2 API (MathJax.Hub.Queue) while
//    the site runs MathJax 3, so rendering a widget threw "Cannot read properties
//    of undefined (reading 'Queue')". Those calls are forwarded to MathJax 3.
// 2. A figure drawn inside a widget (an Output widget holding a PNG) is rendered
//    as an <img> without alt text. The course puts a static figure, with alt
//    text, right before every widget; the widget's image gets an alt that says
//    what it is and repeats that figure's description.
// 3. A slider's handle (role="slider") has no accessible name: the widget's
//    description sits in a <label> that points at nothing the handle is. Each handle
//    is named after its description, the parameter it sets (axe-core:
//    aria-input-field-name).
(function () {
  "use strict";

  function installMathJax2Api() {
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

  function previousFigureAlt(img) {
    var alt = "";
    document.querySelectorAll("img[alt]").forEach(function (candidate) {
      var before = candidate.compareDocumentPosition(img) & Node.DOCUMENT_POSITION_FOLLOWING;
      if (before && !candidate.closest(".jupyter-widgets") && candidate.alt.trim()) {
        alt = candidate.alt.trim();
      }
    });
    return alt;
  }

  function labelWidgetImages(root) {
    var images = root.querySelectorAll ? root.querySelectorAll(".jupyter-widgets img") : [];
    images.forEach(function (img) {
      if ((img.getAttribute("alt") || "").trim()) {
        return;
      }
      var figure = previousFigureAlt(img);
      img.alt =
        "Figure drawn by the interactive explorer for the settings shown by its controls" +
        (figure ? "; the static figure before it shows: " + figure : ".");
    });
  }

  function nameSliders(root) {
    var handles = root.querySelectorAll ? root.querySelectorAll('.jupyter-widgets [role="slider"]') : [];
    handles.forEach(function (handle) {
      if ((handle.getAttribute("aria-label") || "").trim()) {
        return;
      }
      var widget = handle.closest(".widget-slider, .widget-hslider, .widget-vslider, .widget-inline-hbox");
      var label = widget ? widget.querySelector(".widget-label") : null;
      var name = label ? label.textContent.trim() : "";
      handle.setAttribute("aria-label", name || "slider");
    });
  }

  function improve(root) {
    labelWidgetImages(root);
    nameSliders(root);
  }

  function watchWidgets() {
    improve(document);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === Node.ELEMENT_NODE) {
            improve(node.parentNode || node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  // MathJax is loaded with `defer`: it exists by DOMContentLoaded, and embed.js
  // renders the widgets on `load`, after these listeners (registered first) ran.
  document.addEventListener("DOMContentLoaded", function () {
    installMathJax2Api();
    watchWidgets();
  });
  window.addEventListener("load", installMathJax2Api);
})();
