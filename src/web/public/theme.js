// Applies the saved theme choice (cookie "mylo-theme": "light" or "dark"), or the system's, before the
// app's first paint. A cookie, not localStorage: the app keeps nothing in web storage.
(() => {
  const match = document.cookie.match(/(?:^|;\s*)mylo-theme=(light|dark)/);
  const dark = match ? match[1] === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.classList.toggle("dark", dark);
})();
