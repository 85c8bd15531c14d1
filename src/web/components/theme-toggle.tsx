import { useEffect, useState } from "react";

const cookie = "mylo-theme";

function isDark() {
  return document.documentElement.classList.contains("dark");
}

/**
 * Light or dark: follows the system until the traveller chooses, then keeps the choice in a cookie
 * (public/theme.js applies it before the first paint).
 */
export function ThemeToggle() {
  const [dark, setDark] = useState(isDark);
  useEffect(() => {
    const media = matchMedia("(prefers-color-scheme: dark)");
    const follow = () => {
      if (document.cookie.includes(`${cookie}=`)) return;
      document.documentElement.classList.toggle("dark", media.matches);
      setDark(media.matches);
    };
    media.addEventListener("change", follow);
    return () => media.removeEventListener("change", follow);
  }, []);
  const toggle = () => {
    const next = !dark;
    document.documentElement.classList.toggle("dark", next);
    // biome-ignore lint/suspicious/noDocumentCookie: a plain preference cookie, read by public/theme.js
    document.cookie = `${cookie}=${next ? "dark" : "light"}; path=/; max-age=31536000; samesite=lax`;
    setDark(next);
  };
  return (
    <button
      type="button"
      onClick={toggle}
      className="btn-ghost"
      aria-label={dark ? "Switch to light theme" : "Switch to dark theme"}
      title={dark ? "Switch to light theme" : "Switch to dark theme"}
    >
      <span aria-hidden="true">{dark ? "☀" : "☾"}</span>
    </button>
  );
}
