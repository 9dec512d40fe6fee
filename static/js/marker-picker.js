// Editors' admin: click on a body view preview to place a point's marker there.
// The x and y fields stay the source of truth (and the keyboard route); this script only
// fills them in and keeps the drawn marker where they say.
(function () {
  "use strict";

  function fieldsOf(svg) {
    const row = svg.closest(".inline-related");
    if (!row) {
      return null;
    }
    const x = row.querySelector('input[name$="-x"]');
    const y = row.querySelector('input[name$="-y"]');
    return x && y ? { x: x, y: y } : null;
  }

  function drawMarker(svg, x, y) {
    for (const circle of svg.querySelectorAll(".marker circle")) {
      circle.setAttribute("cx", x);
      circle.setAttribute("cy", y);
    }
  }

  document.addEventListener("click", function (event) {
    const svg = event.target.closest("svg");
    if (!svg || !svg.closest(".marker-preview--picker")) {
      return;
    }
    const fields = fieldsOf(svg);
    if (!fields) {
      return;
    }
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    const local = point.matrixTransform(svg.getScreenCTM().inverse());
    const x = Math.round(local.x);
    const y = Math.round(local.y);
    fields.x.value = x;
    fields.y.value = y;
    drawMarker(svg, x, y);
  });

  document.addEventListener("input", function (event) {
    const row = event.target.closest(".inline-related");
    const svg = row && row.querySelector(".marker-preview--picker svg");
    const fields = svg && fieldsOf(svg);
    if (fields && (event.target === fields.x || event.target === fields.y)) {
      drawMarker(svg, fields.x.value, fields.y.value);
    }
  });
})();
