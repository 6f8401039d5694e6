// Completion windows: "24h" or "14d" read as hours, whether a profile accepts one, and what it
// accepts in words. No server-only code (the launch form and the prices form use it).
import type { ProviderProfile } from "./profile";

/** Hours of "24h" or "14d" (whole numbers only); undefined for anything else. */
export function windowHours(w: string, units: ("h" | "d")[] = ["h", "d"]): number | undefined {
  const m = /^([1-9]\d{0,4})([hd])$/.exec(w);
  if (!m || !units.includes(m[2] as "h" | "d")) return undefined;
  return Number(m[1]) * (m[2] === "d" ? 24 : 1);
}

export function acceptsWindow(p: ProviderProfile, w: string): boolean {
  const r = p.windowRule;
  if (r.kind === "list") return r.values.includes(w);
  const h = windowHours(w, r.units);
  return h !== undefined && h >= r.minHours && h <= r.maxHours;
}

const hoursLabel = (h: number) => (h % 24 === 0 && h >= 48 ? `${h}h (${h / 24}d)` : `${h}h`);

/** What a profile accepts, in words: "24h, 1h" or "24h to 336h (14d), in whole hours or days, e.g. 48h or 14d". */
export function describeWindows(p: ProviderProfile): string {
  const r = p.windowRule;
  if (r.kind === "list") return r.values.join(", ");
  const units = r.units.length === 2 ? "whole hours or days, e.g. 48h or 2d" : r.units[0] === "h" ? "whole hours, e.g. 48h" : "whole days, e.g. 2d";
  return `${hoursLabel(r.minHours)} to ${hoursLabel(r.maxHours)}, in ${units}`;
}

/** The same as parameters, for a page to word in its language (messages: launch.checks.window). */
export function windowParams(p: ProviderProfile): { rule: "list" | "range"; values: string; min: string; max: string; units: "hd" | "h" | "d" } {
  const r = p.windowRule;
  if (r.kind === "list") return { rule: "list", values: r.values.join(", "), min: "", max: "", units: "hd" };
  return { rule: "range", values: "", min: hoursLabel(r.minHours), max: hoursLabel(r.maxHours), units: r.units.length === 2 ? "hd" : r.units[0] };
}
