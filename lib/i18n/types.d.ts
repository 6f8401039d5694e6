// Typed messages: a key missing from messages/en.json (the source language) fails `tsc`, and
// lib/i18n/messages.test.ts holds zh-CN.json to the same keys and placeholders.
import type en from "../../messages/en.json";
import type { Locale } from "./config";

declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: typeof en;
  }
}
