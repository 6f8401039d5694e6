"use client";
// The signed-in shell's navigation: a sidebar from lg (1024 px) up that holds its column on long pages
// (sticky, the screen's height, scrolling itself if taller); below it a bar at the top of the page
// with a Menu button that opens the same panel over the page (a disclosure: focus stays on the button
// and Tab goes on into the panel, right after it). Open, the page behind is inert, so focus stays in
// the bar and the menu; Escape or a click outside closes it, focus back on the button; following a
// link closes it too.
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { cn } from "@/components/ui/cn";

export function ShellNav({ brand, bell, children }: { brand: React.ReactNode; bell: React.ReactNode; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const path = usePathname();
  const t = useTranslations("shell");
  const [shownFor, setShownFor] = useState(path);
  if (shownFor !== path) {
    // A link was followed: the menu has done its job.
    setShownFor(path);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    const main = document.getElementById("main");
    main?.setAttribute("inert", "");
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented) return;
      setOpen(false);
      button.current?.focus();
    };
    // Growing past lg turns the menu into the sidebar: nothing left to close.
    const wide = window.matchMedia("(min-width: 1024px)");
    const onWide = () => wide.matches && setOpen(false);
    document.addEventListener("keydown", onKey);
    wide.addEventListener("change", onWide);
    return () => {
      main?.removeAttribute("inert");
      document.removeEventListener("keydown", onKey);
      wide.removeEventListener("change", onWide);
    };
  }, [open]);

  return (
    <aside className="sticky top-0 z-30 bg-ink-900 [color-scheme:dark] lg:flex lg:h-screen lg:w-60 lg:shrink-0 lg:flex-col lg:overflow-y-auto">
      <div className="relative z-10 flex h-14 items-center justify-between gap-2 px-4 lg:h-auto lg:pt-5">
        {brand}
        <div className="flex items-center gap-1">
          {bell}
          <button
            ref={button}
            type="button"
            aria-expanded={open}
            aria-controls="nav-panel"
            onClick={() => setOpen(!open)}
            className="flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium text-ink-300 hover:bg-ink-800 hover:text-ink-50 lg:hidden"
          >
            <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" className="h-5 w-5" aria-hidden>
              {open ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
            </svg>
            {open ? t("close") : t("menu")}
          </button>
        </div>
      </div>
      {open && <div aria-hidden className="fixed inset-0 bg-ink-950/60 lg:hidden" onClick={() => setOpen(false)} />}
      <div
        id="nav-panel"
        className={cn(
          "flex-col gap-6 px-4 pb-5 pt-4 lg:flex lg:flex-1 lg:pt-6",
          open ? "absolute inset-x-0 top-full z-10 flex max-h-[calc(100dvh-3.5rem)] overflow-y-auto bg-ink-900 shadow-xl" : "hidden",
        )}
      >
        {children}
      </div>
    </aside>
  );
}
