// A mapping bound to a CSV's header: checks once that every column it names exists, then renders
// each row into the exact JSONL line a provider gets ({custom_id, method, url, body}). The parts of
// the line that are the same for every row are serialised once; per row only the custom_id and the
// rendered texts go through JSON.stringify. The result is byte for byte what
// JSON.stringify({custom_id, method: "POST", url, body: {model, messages | input, ...params, ...extra}})
// gives (render.test.ts checks it).
// A line's size is bounded before it is built: a template that repeats a column over a wide cell
// (100 KB of {{col}} times a 1 MB cell) would otherwise make one string of gigabytes. Its length in
// UTF-16 units (no more than its UTF-8 bytes, before JSON escapes add any) is summed from the parts;
// past the target's line limit the row is a problem and nothing is concatenated.
import { formatBytes } from "@/lib/files/format";
import { uploadLimits } from "@/lib/providers/profiles";
import { parseTemplate, templateColumns, type CsvMapping, type TemplatePart } from "./mapping";

export interface HeaderProblem {
  field?: string;
  message: string;
}

/** A template compiled against the header: literal text, or the index of a cell. */
type Compiled = (string | number)[];

export interface RenderedRow {
  customId: string;
  /** The JSONL line, without its line break. */
  line: string;
}

export interface BoundMapping {
  /** What is wrong with the mapping for this header; rendering is impossible while any is left. */
  problems: HeaderProblem[];
  /** The index of the custom_id column, when ids come from a column. */
  idCell: number | undefined;
  /** The first column the prompt template uses, to name in problems about the prompt. */
  promptColumn: string | undefined;
  /** The row's request, or what keeps it from being one. `cells` has at least the header's length. */
  render(cells: string[], row: number): RenderedRow | { field?: string; message: string };
}

const quoteList = (names: string[]) => names.map((n) => JSON.stringify(n)).join(", ");

function compile(parts: TemplatePart[], index: Map<string, number>): Compiled {
  const out: Compiled = [];
  for (const p of parts) {
    if (typeof p === "string") {
      if (typeof out.at(-1) === "string") out[out.length - 1] += p;
      else out.push(p);
    } else out.push(index.get(p.column)!);
  }
  return out;
}

/** The length of renderText(c, cells), without building it. */
function renderedLength(c: Compiled, cells: string[]): number {
  let n = 0;
  for (const p of c) n += typeof p === "string" ? p.length : cells[p].length;
  return n;
}

function renderText(c: Compiled, cells: string[]): string {
  if (c.length === 1) return typeof c[0] === "string" ? c[0] : cells[c[0]];
  let s = "";
  for (const p of c) s += typeof p === "string" ? p : cells[p];
  return s;
}

export interface BindOptions {
  /** The target's limit for one request, in bytes: a row whose request would pass it is a problem. */
  maxLineBytes?: number;
}

export function bindMapping(mapping: CsvMapping, header: string[], opts: BindOptions = {}): BoundMapping {
  const maxLineBytes = opts.maxLineBytes ?? uploadLimits.maxLineBytes;
  const problems: HeaderProblem[] = [];
  const index = new Map<string, number>();
  const twice = new Set<string>();
  header.forEach((name, i) => {
    if (index.has(name)) twice.add(name);
    else index.set(name, i);
  });
  const named = header.filter((h) => h !== "");
  const columnsNote = named.length ? `the header has ${quoteList(named)}` : "the header row has no column names";

  const need = (column: string, what: string) => {
    if (column === "") {
      problems.push({ message: `The ${what} has an empty placeholder {{}}: put a column name between the braces` });
    } else if (!index.has(column)) {
      const near = named.find((h) => h.toLowerCase() === column.toLowerCase());
      problems.push({ field: column, message: `The ${what} uses the column ${JSON.stringify(column)}, which the file does not have${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}: ${columnsNote}` });
    } else if (twice.has(column)) {
      problems.push({ field: column, message: `The ${what} uses the column ${JSON.stringify(column)}, but the header names two columns so: rename one of them` });
    }
  };

  let idCell: number | undefined;
  if (mapping.customId.from === "column") {
    need(mapping.customId.column, "custom_id setting");
    idCell = index.get(mapping.customId.column);
  }
  const userParts = parseTemplate(mapping.template);
  for (const c of templateColumns(mapping.template)) need(c, "prompt template");
  const systemParts = mapping.systemPrompt ? parseTemplate(mapping.systemPrompt) : [];
  if (mapping.systemPrompt) for (const c of templateColumns(mapping.systemPrompt)) need(c, "system prompt");
  if (mapping.template.trim() === "") problems.push({ message: "The prompt template is blank" });

  const promptColumn = templateColumns(mapping.template)[0];
  const bound = { problems, idCell, promptColumn };
  if (problems.length) {
    return { ...bound, render: () => ({ message: "The mapping does not fit this file" }) };
  }

  const user = compile(userParts, index);
  const system = compile(systemParts, index);
  const systemFixed = system.every((p) => typeof p === "string") ? (system as string[]).join("") : undefined;

  const chat = mapping.endpoint === "/v1/chat/completions";
  const head = `,"method":"POST","url":${JSON.stringify(mapping.endpoint)},"body":{"model":${JSON.stringify(mapping.model)},`;
  const settings: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mapping.params)) if (v !== undefined) settings[k] = v;
  Object.assign(settings, mapping.extra);
  const settingsJson = JSON.stringify(settings);
  const tail = (settingsJson === "{}" ? "" : `,${settingsJson.slice(1, -1)}`) + "}}";
  const systemMessage = (text: string) => (text.trim() === "" ? "" : `{"role":"system","content":${JSON.stringify(text)}},`);
  const fixedSystem = systemFixed === undefined ? undefined : systemMessage(systemFixed);
  const pre = chat ? `${head}"messages":[` : `${head}"input":`;
  const post = chat ? `}]${tail}` : tail;

  const idDigits = mapping.customId.from === "row" ? mapping.customId.digits : 0;
  const idPrefix = mapping.customId.from === "row" ? mapping.customId.prefix : "";
  // Every line has these around its texts.
  const fixedLength = `{"custom_id":""${pre}${chat ? '{"role":"user","content":""' : '""'}${post}`.length + (fixedSystem?.length ?? 0);

  return {
    ...bound,
    render(cells, row) {
      let customId: string;
      if (idCell !== undefined) {
        customId = cells[idCell].trim();
        if (customId === "") return { field: mapping.customId.from === "column" ? mapping.customId.column : undefined, message: "The custom_id is empty" };
      } else customId = idPrefix + String(row).padStart(idDigits, "0");

      const least = fixedLength + customId.length + renderedLength(user, cells) + (chat && fixedSystem === undefined ? renderedLength(system, cells) : 0);
      if (least > maxLineBytes) {
        return {
          field: promptColumn,
          message: `The request made from this row would be over the ${formatBytes(maxLineBytes)} limit for one request (at least ${formatBytes(least)}): shorten the cells or the template`,
        };
      }
      const text = renderText(user, cells);
      if (text.trim() === "") {
        const columns = templateColumns(mapping.template);
        return { field: promptColumn, message: columns.length ? `The prompt is empty: ${columns.length === 1 ? "the column" : "the columns"} ${quoteList(columns)} ${columns.length === 1 ? "is" : "are"} empty in this row` : "The prompt is empty" };
      }
      let line = `{"custom_id":${JSON.stringify(customId)}${pre}`;
      if (chat) line += fixedSystem ?? systemMessage(renderText(system, cells));
      line += chat ? `{"role":"user","content":${JSON.stringify(text)}` : JSON.stringify(text);
      return { customId, line: line + post };
    },
  };
}
