/* A video card plays its clip, muted, while a mouse rests on it: only on devices that hover, and
   not for readers who asked for less motion. The card's poster stays the card without this
   script; the clip is fetched only on hover (preload="none" until then). Delegated from the
   document, so cards that htmx adds later play too. */
(() => {
  const canHover = window.matchMedia("(hover: hover) and (pointer: fine)");
  const lessMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function start(media) {
    if (!canHover.matches || lessMotion.matches || media.querySelector("video")) return;
    const video = document.createElement("video");
    video.className = "card__hover-video";
    video.src = media.dataset.hoverVideo;
    video.muted = true;
    video.loop = true;
    video.playsInline = true;
    video.setAttribute("aria-hidden", "true");
    media.appendChild(video);
    const playing = video.play();
    if (playing) playing.catch(() => video.remove()); // autoplay refused: the poster stays
  }

  function stop(media) {
    const video = media.querySelector("video.card__hover-video");
    if (video) { video.pause(); video.remove(); }
  }

  document.addEventListener("pointerover", (event) => {
    const media = event.target.closest && event.target.closest("[data-hover-video]");
    if (media) start(media);
  });
  document.addEventListener("pointerout", (event) => {
    const media = event.target.closest && event.target.closest("[data-hover-video]");
    if (media && !media.contains(event.relatedTarget)) stop(media);
  });
})();
