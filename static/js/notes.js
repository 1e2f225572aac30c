// Note pages: photo previews and ordering, counters, the photo carousel, comments.
// Every page works without this file; it only makes them smoother.
(function () {
  "use strict";

  function each(root, selector, callback) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), callback);
  }

  function showJsOnly(root) {
    each(root, "[data-js-only]", function (element) { element.hidden = false; });
  }

  // --- Character counters: "12/20" beside the title and the text.
  function setUpCounters(root) {
    each(root, "[data-counter-for]", function (counter) {
      var field = document.getElementById(counter.getAttribute("data-counter-for"));
      var max = parseInt(counter.getAttribute("data-max"), 10);
      if (!field) { return; }
      function update() {
        var length = Array.from(field.value).length;
        counter.textContent = length + "/" + max;
        counter.classList.toggle("is-over", length > max);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  // --- Chosen photos: thumbnails to reorder or drop before upload; the first one is the cover.
  function setUpPhotoPicker(picker) {
    var input = picker.querySelector("[data-photo-input]");
    var list = picker.querySelector("[data-photo-previews]");
    if (!input || !list || typeof DataTransfer === "undefined") { return; }
    var max = parseInt(input.getAttribute("data-max"), 10);
    if (isNaN(max)) { max = 18; }
    var files = [];
    var urls = [];
    var labels = {
      cover: picker.getAttribute("data-label-cover") || "Cover",
      earlier: picker.getAttribute("data-label-earlier") || "Move earlier",
      later: picker.getAttribute("data-label-later") || "Move later",
      remove: picker.getAttribute("data-label-remove") || "Remove"
    };
    picker.classList.add("is-enhanced");

    function sameFile(a, b) {
      return a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;
    }

    function syncInput() {
      var transfer = new DataTransfer();
      files.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
    }

    function button(text, label, action, disabled) {
      var element = document.createElement("button");
      element.type = "button";
      element.className = "photo-picker__button photo-picker__button--" + action;
      element.textContent = text;
      element.setAttribute("aria-label", label);
      element.setAttribute("data-action", action);
      element.disabled = Boolean(disabled);
      return element;
    }

    function render() {
      urls.forEach(function (url) { URL.revokeObjectURL(url); });
      urls = [];
      list.textContent = "";
      files.forEach(function (file, index) {
        var item = document.createElement("li");
        item.className = "photo-picker__item";
        item.setAttribute("data-index", String(index));
        var image = document.createElement("img");
        var url = URL.createObjectURL(file);
        urls.push(url);
        image.src = url;
        image.alt = file.name;
        image.className = "photo-picker__thumb";
        item.appendChild(image);
        if (index === 0) {
          var cover = document.createElement("span");
          cover.className = "photo-picker__cover";
          cover.textContent = labels.cover;
          item.appendChild(cover);
        }
        var tools = document.createElement("span");
        tools.className = "photo-picker__tools";
        tools.appendChild(button("←", labels.earlier, "earlier", index === 0));
        tools.appendChild(button("→", labels.later, "later", index === files.length - 1));
        item.appendChild(tools);
        item.appendChild(button("×", labels.remove, "remove"));
        list.appendChild(item);
      });
      list.hidden = files.length === 0;
      picker.classList.toggle("has-photos", files.length > 0);
      picker.classList.toggle("is-full", files.length >= max);
    }

    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, function (file) {
        var known = files.some(function (other) { return sameFile(other, file); });
        if (!known && files.length < max) { files.push(file); }
      });
      syncInput();
      render();
    });

    list.addEventListener("click", function (event) {
      var target = event.target.closest("[data-action]");
      if (!target) { return; }
      var index = parseInt(target.closest("[data-index]").getAttribute("data-index"), 10);
      var action = target.getAttribute("data-action");
      if (action === "remove") {
        files.splice(index, 1);
      } else {
        var other = action === "earlier" ? index - 1 : index + 1;
        if (other < 0 || other >= files.length) { return; }
        var moved = files[index];
        files[index] = files[other];
        files[other] = moved;
      }
      syncInput();
      render();
      var focus = list.querySelector('[data-index="' + Math.min(index, files.length - 1) + '"] [data-action="' + action + '"]');
      if (focus && !focus.disabled) { focus.focus(); }
    });

    // A form sent back with errors still lists the files the browser kept, if any.
    if (input.files && input.files.length) {
      files = Array.prototype.slice.call(input.files, 0, max);
      render();
    }
  }

  // --- Existing photos on the edit page: ←/→ move a photo and renumber the position inputs.
  function setUpPhotoOrder(list) {
    function renumber() {
      each(list, "[data-photo-order-item]", function (item, index) {
        var position = item.querySelector("input[type=number]");
        if (position) { position.value = index + 1; }
        each(item, "[data-move]", function (move) {
          var step = parseInt(move.getAttribute("data-move"), 10);
          var items = list.querySelectorAll("[data-photo-order-item]");
          move.disabled = (step < 0 && index === 0) || (step > 0 && index === items.length - 1);
        });
      });
    }
    list.addEventListener("click", function (event) {
      var move = event.target.closest("[data-move]");
      if (!move) { return; }
      var item = move.closest("[data-photo-order-item]");
      if (move.getAttribute("data-move") === "-1" && item.previousElementSibling) {
        list.insertBefore(item, item.previousElementSibling);
      } else if (move.getAttribute("data-move") === "1" && item.nextElementSibling) {
        list.insertBefore(item.nextElementSibling, item);
      }
      renumber();
      if (!move.disabled) { move.focus(); }
    });
    renumber();
  }

  // --- The photo carousel: a CSS scroll-snap strip; this adds buttons, a counter and live dots.
  function setUpCarousel(carousel) {
    var track = carousel.querySelector("[data-carousel-track]");
    var slides = carousel.querySelectorAll("[data-carousel-slide]");
    var dots = carousel.querySelectorAll("[data-carousel-dot]");
    var counter = carousel.querySelector("[data-carousel-counter]");
    var previous = carousel.querySelector("[data-carousel-prev]");
    var next = carousel.querySelector("[data-carousel-next]");
    if (!track || slides.length < 2) { return; }
    carousel.classList.add("is-enhanced");
    var current = -1;

    function show(index) {
      index = Math.max(0, Math.min(slides.length - 1, index));
      track.scrollTo({ left: index * track.clientWidth, behavior: "smooth" });
    }

    function update() {
      var index = Math.round(track.scrollLeft / Math.max(track.clientWidth, 1));
      index = Math.max(0, Math.min(slides.length - 1, index));
      if (index === current) { return; }
      current = index;
      if (counter) { counter.textContent = (index + 1) + "/" + slides.length; }
      Array.prototype.forEach.call(dots, function (dot, dotIndex) {
        dot.classList.toggle("is-active", dotIndex === index);
        if (dotIndex === index) { dot.setAttribute("aria-current", "true"); } else { dot.removeAttribute("aria-current"); }
      });
      if (previous) { previous.disabled = index === 0; }
      if (next) { next.disabled = index === slides.length - 1; }
    }

    var pending = false;
    track.addEventListener("scroll", function () {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; update(); });
    }, { passive: true });
    if (previous) { previous.addEventListener("click", function () { show(current - 1); }); }
    if (next) { next.addEventListener("click", function () { show(current + 1); }); }
    Array.prototype.forEach.call(dots, function (dot, index) {
      dot.addEventListener("click", function (event) { event.preventDefault(); show(index); });
    });
    track.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { event.preventDefault(); show(current - 1); }
      if (event.key === "ArrowRight") { event.preventDefault(); show(current + 1); }
    });
    window.addEventListener("resize", function () { current = -1; update(); });
    update();
  }

  // --- Replies: "Reply" points the comment box at that comment instead of reloading the page.
  function commentForm() {
    return document.querySelector("[data-comment-form]");
  }

  function setReplyTarget(form, id, name) {
    var parent = form.querySelector("[data-reply-parent]");
    var replying = form.querySelector("[data-replying]");
    var who = form.querySelector("[data-replying-name]");
    var input = form.querySelector("textarea");
    if (parent) { parent.value = id || ""; }
    if (replying) { replying.hidden = !id; }
    if (who) { who.textContent = name || ""; }
    form.classList.toggle("is-open", Boolean(id));
    if (input && id) { input.focus(); }
  }

  document.addEventListener("click", function (event) {
    var reply = event.target.closest("[data-reply-to]");
    var form = commentForm();
    if (reply && form) {
      event.preventDefault();
      setReplyTarget(form, reply.getAttribute("data-reply-to"), reply.getAttribute("data-reply-name"));
      return;
    }
    var cancel = event.target.closest("[data-reply-cancel]");
    if (cancel && form) {
      event.preventDefault();
      setReplyTarget(form, "", "");
    }
  });

  // --- Comments loaded with htmx. A comment just posted is brought into view and lights up for a
  // moment; a comment that "Show more replies" loads again replaces the copy shown before it.
  function reducedMotion() {
    return Boolean(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function showNewComment(comment) {
    comment.removeAttribute("data-new-comment");
    comment.classList.add("is-new");
    comment.addEventListener("animationend", function () { comment.classList.remove("is-new"); }, { once: true });
    // "nearest" with the comments' scroll margins: clear of the top bar and the pinned comment box.
    comment.scrollIntoView({ block: "nearest", behavior: reducedMotion() ? "auto" : "smooth" });
  }

  document.addEventListener("htmx:load", function (event) {
    var element = event.detail.elt;
    if (!element.classList || !element.classList.contains("comment") || !element.id) { return; }
    each(document, "#" + CSS.escape(element.id), function (other) {
      if (other !== element) { other.remove(); }
    });
    if (element.hasAttribute("data-new-comment")) { showNewComment(element); }
  });

  // Ctrl/Cmd + Enter sends a comment; Enter alone starts a new line.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) { return; }
    var form = event.target.closest("[data-comment-form]");
    if (form && typeof form.requestSubmit === "function") {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    showJsOnly(document);
    setUpCounters(document);
    each(document, "[data-photo-picker]", setUpPhotoPicker);
    each(document, "[data-photo-order]", setUpPhotoOrder);
    each(document, "[data-carousel]", setUpCarousel);
  });
})();
