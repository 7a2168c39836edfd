// The pipeline board: drag a card to another stage. The drop fills in the
// card's own "Move to" form and submits it, so the server sees the same POST
// as from the keyboard; a stage that means "rejected" needs a reason, so the
// drop opens the form at the reason instead. Without this file every card
// still moves with its form.
(function () {
  "use strict";

  var board = document.querySelector(".pipeline-board");
  if (!board) {
    return;
  }
  var rejected = (board.getAttribute("data-rejected") || "").split(" ");
  var status = document.getElementById("drag-status");
  var dragged = null;

  // A reason is asked only for a stage that means "rejected": the field shows
  // when such a stage is chosen (without this file it is always there).
  function syncReason(form) {
    var stage = form.querySelector("select[name='stage']");
    var reason = form.querySelector(".reason-field");
    if (stage && reason) {
      reason.hidden = rejected.indexOf(stage.value) === -1;
    }
  }
  document.querySelectorAll(".move-form, #bulk").forEach(syncReason);

  // After a move the page comes back at the card (#card-<id>): keyboard and
  // screen-reader users go on from there, not from the top of the page.
  var moved = window.location.hash.indexOf("#card-") === 0 &&
    document.getElementById(window.location.hash.slice(1));
  if (moved) {
    moved.setAttribute("tabindex", "-1");
    moved.focus();
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.name === "stage" && target.form) {
      syncReason(target.form);
    }
  });

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target instanceof Element && event.target.closest(".pipeline-card");
    if (!card || !card.querySelector(".move-form")) {
      return;
    }
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });

  board.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("is-dragging");
    }
    board.querySelectorAll(".is-drop-target").forEach(function (column) {
      column.classList.remove("is-drop-target");
    });
  });

  function columnOf(event) {
    var target = event.target instanceof Element && event.target.closest(".pipeline-stage");
    return target && !target.hasAttribute("data-closed-column") ? target : null;
  }

  board.addEventListener("dragover", function (event) {
    var column = columnOf(event);
    if (dragged && column) {
      event.preventDefault();
      column.classList.add("is-drop-target");
    }
  });

  board.addEventListener("dragleave", function (event) {
    var column = columnOf(event);
    if (column && !column.contains(event.relatedTarget)) {
      column.classList.remove("is-drop-target");
    }
  });

  board.addEventListener("drop", function (event) {
    var column = columnOf(event);
    if (!dragged || !column) {
      return;
    }
    event.preventDefault();
    column.classList.remove("is-drop-target");
    var form = dragged.querySelector(".move-form");
    var stage = form.querySelector("select[name='stage']");
    var key = column.getAttribute("data-stage");
    if (stage.value === key) {
      return;
    }
    stage.value = key;
    if (rejected.indexOf(key) !== -1) {
      syncReason(form);
      var reason = form.querySelector("select[name='rejection_reason']");
      say(board.getAttribute("data-reason-needed"));
      reason.focus();
      return;
    }
    say(board.getAttribute("data-moving"));
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });
})();
