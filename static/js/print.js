// The print sheet's "Print this page" button. It stays hidden without JavaScript, where
// the page tells the reader to use the browser's own Print command instead.
(function () {
  "use strict";

  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  }
})();
