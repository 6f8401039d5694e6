// How the columns of a CSV become requests: the custom_id (a column, or generated from the row
// number), a prompt template with {{column}} placeholders, an optional system prompt (which may use
// placeholders too), model, endpoint and parameters. A saved template is this object as JSON.
// Safe for the browser: the mapping form validates with the same schema.
import { z } from "zod";

export const CSV_ENDPOINTS = ["/v1/chat/completions", "/v1/embeddings"] as const;
export type CsvEndpoint = (typeof CSV_ENDPOINTS)[number];

/** Body fields the mapping sets itself: `extra` may not override them. */
const RESERVED_BODY_KEYS = ["model", "messages", "input", "temperature", "top_p", "max_tokens"];

export const csvMapping = z
  .object({
    customId: z.discriminatedUnion("from", [
      z.object({ from: z.literal("column"), column: z.string().trim().min(1, "Choose the column that holds the custom_id") }),
      z.object({
        from: z.literal("row"),
        /** Text before the row number: "row-" gives row-000002 for the first row under the header. */
        prefix: z.string().max(40).default("row-"),
        /** Zero-padded to this many digits. */
        digits: z.number().int().min(1).max(12).default(6),
      }),
    ]),
    template: z.string().min(1, "Write the prompt template, e.g. {{question}}"),
    systemPrompt: z.string().optional(),
    model: z.string().trim().min(1, "Choose a model"),
    endpoint: z.enum(CSV_ENDPOINTS).default("/v1/chat/completions"),
    params: z
      .object({
        temperature: z.number().min(0).max(2).optional(),
        top_p: z.number().gt(0).max(1).optional(),
        max_tokens: z.number().int().positive().optional(),
      })
      .default({}),
    /** Provider extras sent as they are in the body: enable_thinking, thinking_budget, dimensions... */
    extra: z.record(z.string(), z.json()).default({}),
  })
  .superRefine((m, ctx) => {
    for (const key of Object.keys(m.extra)) {
      if (RESERVED_BODY_KEYS.includes(key)) {
        ctx.addIssue({ code: "custom", path: ["extra", key], message: `"${key}" is set by the mapping itself; remove it from the extras` });
      }
    }
    if (m.endpoint === "/v1/embeddings") {
      if (m.systemPrompt) ctx.addIssue({ code: "custom", path: ["systemPrompt"], message: "An embedding has no system prompt" });
      for (const key of Object.keys(m.params) as (keyof typeof m.params)[]) {
        if (m.params[key] !== undefined) ctx.addIssue({ code: "custom", path: ["params", key], message: `${key} does not apply to embeddings` });
      }
    }
  });

export type CsvMapping = z.infer<typeof csvMapping>;
export type CsvMappingInput = z.input<typeof csvMapping>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export type TemplatePart = string | { column: string };

/** A template as literal text and the columns between them: "Q: {{q}}" -> ["Q: ", {column: "q"}]. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push({ column: m[1] });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

/** The distinct columns a template names, in order of first use. */
export function templateColumns(template: string): string[] {
  return [...new Set(parseTemplate(template).flatMap((p) => (typeof p === "string" ? [] : [p.column])))];
}
