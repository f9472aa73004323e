// Fills the coding form's offsets from the text selected in the transcript. Offsets count characters
// (UTF-16 code units in the browser; the transcripts are Vietnamese text in the Basic Multilingual Plane,
// where they equal Python's character offsets).
(function () {
  "use strict";
  var text = document.getElementById("transcript");
  var start = document.getElementById("id_start");
  var end = document.getElementById("id_end");
  var preview = document.getElementById("selection-preview");
  if (!text || !start || !end) { return; }
  function offsetOf(node, offset) {
    var range = document.createRange();
    range.selectNodeContents(text);
    range.setEnd(node, offset);
    return range.toString().length;
  }
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
    var range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { return; }
    var a = offsetOf(range.startContainer, range.startOffset);
    var b = offsetOf(range.endContainer, range.endOffset);
    start.value = String(Math.min(a, b));
    end.value = String(Math.max(a, b));
    if (preview) { preview.textContent = selection.toString().slice(0, 200); }
  });
}());
