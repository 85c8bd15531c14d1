import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import "./styles.css";

// A lazily loaded chunk that is gone after a deploy is answered with the page itself: reload once.
window.addEventListener("vite:preloadError", () => window.location.reload());

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
