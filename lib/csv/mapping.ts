// How the columns of a CSV become requests: the custom_id (a column, or generated from the row
// number), a prompt template with {{column}} placeholders, an optional system prompt (which may use
// placeholders too), model, endpoint and parameters. A saved template is this object as JSON.
// Safe for the browser: the mapping form validates with the same schema. Every text is capped
// (TEMPLATE_MAX_BYTES) and must be storable (no NUL: lib/storable.ts), whether it is saved as a
// template or sent with an upload.
import { z } from "zod";
import { formatBytes } from "@/lib/files/format";
import { findUnstorable, unstorableMessage } from "@/lib/storable";

export const CSV_ENDPOINTS = ["/v1/chat/completions", "/v1/embeddings"] as const;
export type CsvEndpoint = (typeof CSV_ENDPOINTS)[number];

/** The most a prompt template, a system prompt or the extras (as JSON) may hold, in UTF-8 bytes. */
export const TEMPLATE_MAX_BYTES = 256 * 1024;

/** UTF-8 bytes of a text, without encoding it. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Code units past 0x7f take 2 or 3 bytes; a surrogate pair (two units) takes 4.
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

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
    const texts: [string, string, string | undefined][] = [
      ["template", "The prompt template", m.template],
      ["systemPrompt", "The system prompt", m.systemPrompt],
      ["extra", "The extras", Object.keys(m.extra).length ? JSON.stringify(m.extra) : undefined],
    ];
    for (const [path, what, text] of texts) {
      const bytes = text === undefined ? 0 : utf8Length(text);
      if (bytes > TEMPLATE_MAX_BYTES) {
        ctx.addIssue({ code: "custom", path: [path], message: `${what} is ${formatBytes(bytes)}, over the ${formatBytes(TEMPLATE_MAX_BYTES)} limit: shorten it` });
      }
    }
    // PostgreSQL stores none of these with a NUL in them (the mapping is kept with the file and the template).
    const bad = findUnstorable(m);
    if (bad) ctx.addIssue({ code: "custom", path: bad.path.split("."), message: `This text ${unstorableMessage(bad.what)}` });
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
