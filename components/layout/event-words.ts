"use client";
// A notification in the reader's language (lib/notify/words.ts words the event's facts); an English
// reader sees the words stored with the event.
import { useFormatter, useLocale, useTranslations } from "next-intl";
import type { InboxItem } from "@/lib/notify/inbox";
import { wordEvent } from "@/lib/notify/words";
import { useStatusLabel } from "@/components/ui/status-badge";

type Words = { title: string; body: string };

export function useEventWords(): (item: InboxItem) => Words {
  const locale = useLocale();
  const t = useTranslations("shell.notifications.events");
  const status = useStatusLabel();
  const format = useFormatter();
  return (item) => {
    if (locale === "en") return item;
    return wordEvent(item, {
      locale,
      t: (key, values) => t(key as never, values as never),
      status,
      list: (items) => format.list(items),
      dateTime: (ms) => format.dateTime(ms, { dateStyle: "medium", timeStyle: "short" }),
    });
  };
}
