// The CSV mapping form's state as the inputs hold it (text), and the way to and from the mapping
// object of lib/csv/mapping.ts. Pure, for the mapping step of the upload panel.
import { csvMapping, type CsvEndpoint, type CsvMapping } from "@/lib/csv/mapping";

/** A saved template as the mapping step offers it. */
export interface TemplateOption {
  id: string;
  name: string;
  mapping: CsvMapping;
}

export interface MappingForm {
  idFrom: "column" | "row";
  idColumn: string;
  idPrefix: string;
  template: string;
  systemPrompt: string;
  model: string;
  endpoint: CsvEndpoint;
  temperature: string;
  topP: string;
  maxTokens: string;
  /** Provider extras as JSON text: {"enable_thinking": true, "thinking_budget": 1024}. */
  extra: string;
}


const ID_NAMES = /^(custom[_ -]?id|id|request[_ -]?id|编号|序号)$/i;
const TEXT_NAMES = /^(prompt|question|content|text|input|query|问题|内容|提示词)$/i;

/** A first guess from the header: an id-like column for the custom_id, a text-like one for the prompt. */
export function guessForm(columns: string[]): MappingForm {
  const id = columns.find((c) => ID_NAMES.test(c));
  const text = columns.find((c) => TEXT_NAMES.test(c)) ?? columns.find((c) => c !== id && c !== "") ?? columns[0] ?? "";
  return {
    idFrom: id ? "column" : "row",
    idColumn: id ?? "",
    idPrefix: "row-",
    template: text ? `{{${text}}}` : "",
    systemPrompt: "",
    model: "",
    endpoint: "/v1/chat/completions",
    temperature: "",
    topP: "",
    maxTokens: "",
    extra: "",
  };
}

const num = (n: number | undefined) => (n === undefined ? "" : String(n));

export function formFromMapping(m: CsvMapping): MappingForm {
  return {
    idFrom: m.customId.from,
    idColumn: m.customId.from === "column" ? m.customId.column : "",
    idPrefix: m.customId.from === "row" ? m.customId.prefix : "row-",
    template: m.template,
    systemPrompt: m.systemPrompt ?? "",
    model: m.model,
    endpoint: m.endpoint,
    temperature: num(m.params.temperature),
    topP: num(m.params.top_p),
    maxTokens: num(m.params.max_tokens),
    extra: Object.keys(m.extra).length ? JSON.stringify(m.extra, null, 1).replace(/\n\s*/g, " ") : "",
  };
}

/** Form keys by the mapping's paths, for errors. */
const FIELD_OF: Record<string, keyof MappingForm> = {
  "customId.column": "idColumn",
  "customId.prefix": "idPrefix",
  template: "template",
  systemPrompt: "systemPrompt",
  model: "model",
  endpoint: "endpoint",
  "params.temperature": "temperature",
  "params.top_p": "topP",
  "params.max_tokens": "maxTokens",
};

export type FormErrors = Partial<Record<keyof MappingForm, string>>;

/** The mapping the form describes, or what is wrong with it, by field. */
export function mappingFromForm(f: MappingForm): { mapping: CsvMapping; errors?: undefined } | { mapping?: undefined; errors: FormErrors } {
  const errors: FormErrors = {};
  const number = (key: keyof MappingForm, text: string) => {
    if (text.trim() === "") return undefined;
    const n = Number(text);
    if (!Number.isFinite(n)) errors[key] = "Write a number";
    return n;
  };
  let extra: unknown = {};
  if (f.extra.trim() !== "") {
    try {
      extra = JSON.parse(f.extra);
      if (typeof extra !== "object" || extra === null || Array.isArray(extra)) errors.extra = 'Write a JSON object, like {"enable_thinking": true}';
    } catch (err) {
      errors.extra = `Not valid JSON: ${(err as Error).message}`;
    }
  }
  const params = { temperature: number("temperature", f.temperature), top_p: number("topP", f.topP), max_tokens: number("maxTokens", f.maxTokens) };
  const input = {
    customId: f.idFrom === "column" ? { from: "column", column: f.idColumn } : { from: "row", prefix: f.idPrefix, digits: 6 },
    template: f.template,
    systemPrompt: f.endpoint === "/v1/embeddings" || f.systemPrompt.trim() === "" ? undefined : f.systemPrompt,
    model: f.model,
    endpoint: f.endpoint,
    params: Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)),
    extra: errors.extra ? {} : extra,
  };
  const r = csvMapping.safeParse(input);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const path = issue.path.join(".");
      const key = path.startsWith("extra") ? "extra" : FIELD_OF[path];
      if (key) errors[key] ??= issue.message;
    }
  }
  if (Object.keys(errors).length || !r.success) return { errors: Object.keys(errors).length ? errors : { template: "Check the mapping" } };
  return { mapping: r.data };
}

/** Whether two mappings are the same (a template used as it is saved), compared as the form shows them. */
export function sameMapping(a: CsvMapping, b: CsvMapping) {
  return JSON.stringify(formFromMapping(a)) === JSON.stringify(formFromMapping(b));
}
