"use client";
// System / Light / Dark. The choice is the class of <html> ("dark", "light", none for System, where
// CSS follows prefers-color-scheme: app/globals.css) and a cookie the root layout reads, so the next
// page is rendered in it on the server, with no flash.
import { useState } from "react";
import { cn } from "@/components/ui/cn";
import { THEME_COOKIE, themes, type Theme } from "@/components/layout/theme";

const labels: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };

export function applyTheme(theme: Theme) {
  const html = document.documentElement;
  html.classList.remove("light", "dark");
  if (theme !== "system") html.classList.add(theme);
  document.cookie = `${THEME_COOKIE}=${theme}; path=/; max-age=31536000; samesite=lax`;
}

export function ThemeSwitch({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState(initial);
  return (
    <fieldset>
      <legend className="mb-1 block text-[11px] font-medium uppercase tracking-wide text-ink-400">Theme</legend>
      <div className="grid grid-cols-3 gap-0.5 rounded-md bg-ink-800 p-0.5 ring-1 ring-ink-700">
        {themes.map((t) => (
          <label
            key={t}
            className={cn(
              "cursor-pointer rounded px-1.5 py-1 text-center text-xs font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-500",
              theme === t ? "bg-ink-700 text-ink-50" : "text-ink-300 hover:text-ink-50",
            )}
          >
            <input
              type="radio"
              name="theme"
              value={t}
              checked={theme === t}
              onChange={() => {
                setTheme(t);
                applyTheme(t);
              }}
              className="sr-only"
            />
            {labels[t]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
