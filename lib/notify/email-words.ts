// A notification email in its recipient's language (User.locale, else English): the event's facts
// worded again (words.ts) for a reader of another language, the stored English words otherwise;
// the footer from the app's messages. Webhooks keep the event's English: machines read them.
import "server-only";
import { createFormatter, createTranslator } from "use-intl/core";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";
import { DEFAULT_LOCALE, isLocale, type Locale } from "@/lib/i18n/config";
import { localize } from "@/lib/i18n/server-messages";
import { EVENT_INFO, type EventType } from "./events";
import { wordEvent, type EventFacts } from "./words";

const MESSAGES: Record<Locale, typeof en> = { en, "zh-CN": zh };

export interface EmailWords {
  subject: string;
  text: string;
  html: string;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** The email of one event for a recipient whose language is `userLocale`; `link` and `prefs` absolute (or null). */
export function emailWords(event: EventFacts, userLocale: string | null | undefined, link: string | null, prefs: string | null): EmailWords {
  const locale: Locale = isLocale(userLocale) ? userLocale : DEFAULT_LOCALE;
  const messages = MESSAGES[locale];
  const t = createTranslator({ locale, messages });
  // An email has no browser to say its time zone: times in UTC, which the words say.
  const format = createFormatter({ locale, timeZone: "UTC" });
  const words =
    locale === DEFAULT_LOCALE
      ? { title: event.title, body: event.body }
      : wordEvent(event, {
          locale,
          t: (key, values) => t(`shell.notifications.events.${key}` as never, values as never),
          status: (s) => (t.has(`ui.status.${s}` as never) ? t(`ui.status.${s}` as never) : s.toLowerCase()),
          list: (items) => format.list(items),
          dateTime: (ms) => `${format.dateTime(ms, { dateStyle: "medium", timeStyle: "short" })} UTC`,
          sentence: (english) => localize(english, locale),
        });
  const label = event.type in EVENT_INFO ? t(`team.events.${event.type as EventType}.label` as never) : event.type;
  const text = `${words.body}\n\n${link ? `${link}\n\n` : ""}${t("shell.notifications.email.footer", { label, link: prefs ?? "" })}`;
  const footer = t.markup("shell.notifications.email.footerHtml", { label: esc(label), link: (chunks) => `<a href="${esc(prefs ?? "")}">${chunks}</a>` });
  const html = `<p>${esc(words.body)}</p>${link ? `<p><a href="${esc(link)}">${esc(t("shell.notifications.email.open"))}</a></p>` : ""}<p style="color:#64748b;font-size:12px">${footer}</p>`;
  return { subject: words.title, text, html };
}
