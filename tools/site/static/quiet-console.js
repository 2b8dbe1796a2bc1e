// Loaded first on every page (tools/site/offline_site.py). The theme stack reports its
// own routine progress in the browser's console on every page load, which buries the
// messages that matter and makes a reader who opens the console think something is
// wrong. Four known, harmless messages are dropped here, matched by their exact
// start; every other message (the themes' failure reports included) and every error
// still reaches the console.
//   "[PST]: Changed to ..." / "[PST]: Scrolled sidebar using ..." pydata-sphinx-theme:
//        the colour mode it chose, how it scrolled the sidebar
//   "[togglebutton]: Adding toggle buttons to ..." sphinx-togglebutton's count
//   "strict mode: use allowUnionTypes ..." the widget manager's JSON-schema validator
//        (ajv) about its own schema, not about the page's widgets
(function () {
  "use strict";
  var routine = [
    "[PST]: Changed to ",
    "[PST]: Scrolled sidebar using ",
    "[togglebutton]: Adding toggle buttons to ",
    "strict mode: use allowUnionTypes",
  ];

  function isRoutine(args) {
    var first = args.length ? args[0] : "";
    if (typeof first !== "string") {
      return false;
    }
    return routine.some(function (prefix) {
      return first.indexOf(prefix) === 0;
    });
  }

  ["log", "info", "warn", "debug"].forEach(function (level) {
    var original = console[level];
    if (typeof original !== "function") {
      return;
    }
    console[level] = function () {
      if (!isRoutine(arguments)) {
        original.apply(console, arguments);
      }
    };
  });
})();
