// Share a catalogue page: the phone's share sheet when there is one, else copy the link.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-share-url]");
  if (!button) return;
  const url = button.dataset.shareUrl;
  const title = button.dataset.shareTitle || document.title;
  if (navigator.share) {
    try { await navigator.share({ title, url }); return; } catch (e) { /* cancelled: fall back to copying */ }
  }
  const input = document.getElementById(button.dataset.shareInput);
  try {
    await navigator.clipboard.writeText(url);
  } catch (e) {
    if (input) { input.select(); document.execCommand("copy"); }
  }
  const done = document.getElementById(button.dataset.shareDone);
  if (done) done.classList.remove("d-none");
});
