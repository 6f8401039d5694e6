"use client";
// The bell: unread notifications of the member in this team, a list of the latest 20 to open or mark
// read, and a link to choose what they receive. The layout renders it with the server's read; it
// asks again every 30 s and when the panel opens.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { inboxAction, markAllReadAction, markReadAction } from "@/lib/notify/notify.action";
import type { InboxItem } from "@/lib/notify/inbox";
import { RelativeTime } from "@/components/ui/time";
import { cn } from "@/components/ui/cn";
import { useEventWords } from "./event-words";

type Inbox = { unread: number; items: InboxItem[] };

export function NotificationBell({ initial }: { initial: Inbox }) {
  const [inbox, setInbox] = useState(initial);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const router = useRouter();
  const t = useTranslations("shell.notifications");
  const words = useEventWords();

  const apply = useCallback((r: Awaited<ReturnType<typeof inboxAction>>) => {
    if (r.ok) {
      setInbox(r.data);
      setError(null);
    } else setError(r.message);
  }, []);
  const refresh = useCallback(() => inboxAction().then(apply, () => {}), [apply]);

  useEffect(() => {
    const t = setInterval(refresh, 30_000);
    return () => clearInterval(t);
  }, [refresh]);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  async function openItem(item: InboxItem) {
    if (!item.read) apply(await markReadAction({ id: item.id }));
    setOpen(false);
    if (item.link) router.push(item.link);
  }

  const label = inbox.unread ? t("unread", { count: inbox.unread }) : t("title");
  return (
    <div ref={box} className="relative">
      <button
        type="button"
        aria-label={label}
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          if (!open) void refresh();
        }}
        className="relative rounded-md p-1.5 text-ink-300 hover:bg-ink-800 hover:text-ink-50"
      >
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" className="h-5 w-5" aria-hidden>
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinecap="round" strokeLinejoin="round" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" />
        </svg>
        {inbox.unread > 0 && (
          <span data-testid="unread-count" className="absolute -right-1 -top-1 min-w-[1.1rem] rounded-full bg-red-500 px-1 text-center text-[0.65rem] font-semibold leading-[1.1rem] text-white">
            {inbox.unread > 99 ? "99+" : inbox.unread}
          </span>
        )}
      </button>
      {open && (
        <div
          role="dialog"
          aria-label={t("title")}
          className="fixed inset-x-4 top-14 z-50 overflow-hidden rounded-lg bg-white shadow-xl ring-1 ring-slate-900/10 lg:absolute lg:inset-x-auto lg:left-0 lg:top-10 lg:w-[22rem]"
        >
          <div className="flex items-center justify-between border-b border-slate-100 px-4 py-2.5">
            <p className="text-sm font-semibold text-slate-900">{t("title")}</p>
            <button
              type="button"
              disabled={inbox.unread === 0}
              onClick={async () => apply(await markAllReadAction())}
              className="text-xs font-medium text-brand-700 hover:underline disabled:text-slate-400 disabled:no-underline"
            >
              {t("markAllRead")}
            </button>
          </div>
          {error && <p className="px-4 py-2 text-xs text-red-600" role="alert">{error}</p>}
          {inbox.items.length === 0 ? (
            <p className="px-4 py-8 text-center text-sm text-slate-500">{t("empty")}</p>
          ) : (
            <ul className="max-h-[26rem] divide-y divide-slate-100 overflow-y-auto">
              {inbox.items.map((item) => (
                <li key={item.id} className={cn("relative", !item.read && "bg-brand-50/60")}>
                  <button type="button" onClick={() => openItem(item)} className="block w-full px-4 py-3 text-left hover:bg-slate-50">
                    <span className="flex items-start gap-2">
                      <span aria-hidden className={cn("mt-1.5 h-2 w-2 shrink-0 rounded-full", item.read ? "bg-transparent" : "bg-brand-600")} />
                      <span className="min-w-0 flex-1">
                        <span className={cn("block text-sm text-slate-900", !item.read && "font-semibold")}>{words(item).title}</span>
                        <span className="mt-0.5 line-clamp-2 block text-xs text-slate-600">{words(item).body}</span>
                        <RelativeTime iso={item.at} className="mt-1 block text-xs text-slate-400" />
                      </span>
                      {!item.read && <span className="sr-only">{t("unreadItem")}</span>}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="border-t border-slate-100 px-4 py-2.5 text-right">
            <Link href="/account/notifications" onClick={() => setOpen(false)} className="text-xs font-medium text-slate-600 hover:text-slate-900">
              {t("choose")}
            </Link>
          </div>
        </div>
      )}
    </div>
  );
}
