// Inputs of the Prices page's forms. No server-only imports: the form reuses them. The window and
// the kind are checked against the provider's profile on the server too (prices.ts).
import { z } from "zod";
import { profiles } from "@/lib/providers/profiles";
import { acceptsWindow, describeWindows } from "@/lib/providers/windows";

const money = (what: string) =>
  z.coerce
    .number({ error: `Enter the ${what} price per million tokens, like 0.15.` })
    .refine((n) => Number.isFinite(n), `Enter the ${what} price per million tokens, like 0.15.`)
    .min(0, `The ${what} price cannot be negative.`)
    .max(100_000, `The ${what} price must be at most 100,000 per million tokens.`);

export const priceInput = z
  .object({
    providerKind: z.string({ error: "Choose a provider." }).refine((k) => k in profiles, "Choose a provider from the list."),
    model: z
      .string({ error: "Enter the model name." })
      .trim()
      .min(1, "Enter the model name, exactly as the requests name it (e.g. gpt-4o-mini).")
      .max(200, "Use at most 200 characters.")
      .refine((m) => !/\s/.test(m), "A model name has no spaces.")
      .refine((m) => !m.slice(0, -1).includes("*"), 'Only a final "*" is allowed ("gpt-4o*" matches every name starting with gpt-4o).'),
    window: z
      .string()
      .trim()
      .max(10, "Use a window like 24h, or leave it empty for any window.")
      .optional()
      .transform((w) => w ?? ""),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, "Use a 3-letter currency code, like USD or CNY.")
      .default("USD"),
    inputPerMTok: money("input"),
    outputPerMTok: money("output"),
  })
  .superRefine((v, ctx) => {
    const p = profiles[v.providerKind];
    if (p && v.window && !acceptsWindow(p, v.window)) {
      ctx.addIssue({ code: "custom", path: ["window"], message: `${p.label} does not offer the window ${v.window}; it accepts ${describeWindows(p)}. Leave it empty for any window.` });
    }
  });
export type PriceInput = z.infer<typeof priceInput>;

export const updatePriceInput = z.intersection(z.object({ id: z.string().min(1, "Which price?") }), priceInput);
export type UpdatePriceInput = z.infer<typeof updatePriceInput>;

export const priceIdInput = z.object({ id: z.string().min(1, "Which price?") });
