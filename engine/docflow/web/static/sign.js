// docflow signing page: a drawing pad. Strokes are kept as whole-number points on a
// 1000 x 400 canvas and sent in the form as JSON [[x, y, x, y, ...], ...]; the server draws
// them as vector paths in the signature field. Without this script the page still signs
// with the typed name.
(function () {
  "use strict";
  var pad = document.querySelector("[data-pad]");
  var field = document.querySelector("[data-strokes]");
  if (!pad || !field) { return; }
  var canvas = pad.querySelector("canvas");
  var clear = pad.querySelector("[data-clear]");
  var ctx = canvas.getContext("2d");
  var W = 1000, H = 400, MAX_POINTS = 6000;
  var strokes = [], current = null, points = 0;
  pad.hidden = false;
  ctx.lineWidth = 4; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#0f2973";

  function at(event) {
    var box = canvas.getBoundingClientRect();
    var x = Math.round((event.clientX - box.left) * W / box.width);
    var y = Math.round((event.clientY - box.top) * H / box.height);
    return [Math.max(0, Math.min(W, x)), Math.max(0, Math.min(H, y))];
  }
  function save() { field.value = strokes.length ? JSON.stringify(strokes) : ""; }
  function down(event) {
    if (points >= MAX_POINTS || strokes.length >= 100) { return; }
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    var p = at(event);
    current = [p[0], p[1]]; strokes.push(current); points += 1;
    ctx.beginPath(); ctx.moveTo(p[0], p[1]); ctx.lineTo(p[0], p[1]); ctx.stroke();
  }
  function move(event) {
    if (!current || points >= MAX_POINTS) { return; }
    event.preventDefault();
    var p = at(event), n = current.length;
    if (p[0] === current[n - 2] && p[1] === current[n - 1]) { return; }
    ctx.beginPath(); ctx.moveTo(current[n - 2], current[n - 1]); ctx.lineTo(p[0], p[1]); ctx.stroke();
    current.push(p[0], p[1]); points += 1;
  }
  function up() { if (current) { current = null; save(); } }
  canvas.addEventListener("pointerdown", down);
  canvas.addEventListener("pointermove", move);
  canvas.addEventListener("pointerup", up);
  canvas.addEventListener("pointercancel", up);
  clear.addEventListener("click", function () {
    strokes = []; current = null; points = 0; ctx.clearRect(0, 0, W, H); save();
  });
})();
