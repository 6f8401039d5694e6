// The columns of the results browser, shared by the table (which ones to show), the column chooser
// and the CSV export (which fields to write): one list, so "the columns I see" and "the columns I
// download" cannot drift apart. (The provider's usage JSON is in "all fields" downloads only: the
// table shows the counts.) No server code here: the browser imports it too.

export const RESULT_COLUMNS = [
  // `csv`: the export's fields for this column, in order. The first nine are the Bailian guide's.
  { id: "custom_id", label: "custom_id", csv: ["custom_id"], defaultOn: true, fixed: true },
  { id: "prompt", label: "Prompt", csv: ["prompt"], defaultOn: true },
  { id: "answer", label: "Answer or error", csv: ["content", "error_code", "error_message"], defaultOn: true },
  { id: "status", label: "Status", csv: ["status", "status_code"], defaultOn: true },
  { id: "tokens", label: "Tokens", csv: ["prompt_tokens", "completion_tokens", "reasoning_tokens", "total_tokens"], defaultOn: true },
  { id: "model", label: "Model", csv: ["model"], defaultOn: false },
  { id: "finish_reason", label: "Finish reason", csv: ["finish_reason"], defaultOn: false },
  { id: "reasoning", label: "Reasoning", csv: ["reasoning_content"], defaultOn: false },
  { id: "request_id", label: "Request id", csv: ["request_id"], defaultOn: false },
  { id: "created", label: "Created", csv: ["created"], defaultOn: false },
] as const satisfies readonly { id: string; label: string; csv: readonly string[]; defaultOn: boolean; fixed?: boolean }[];

export type ResultColumnId = (typeof RESULT_COLUMNS)[number]["id"];

export const DEFAULT_COLUMNS: ResultColumnId[] = RESULT_COLUMNS.filter((c) => c.defaultOn).map((c) => c.id);
const ids = new Set<string>(RESULT_COLUMNS.map((c) => c.id));

/** Known column ids from a comma list (URL or localStorage), in the registry's order; custom_id always. */
export function parseColumns(text: string | null | undefined): ResultColumnId[] | null {
  if (text == null || text.trim() === "") return null;
  const asked = new Set(text.split(",").map((s) => s.trim()).filter((s) => ids.has(s)));
  asked.add("custom_id");
  return RESULT_COLUMNS.filter((c) => asked.has(c.id)).map((c) => c.id);
}

/** "Original columns" of a CSV upload: its own header, joined back in front of the result fields. */
export const SOURCE_COLUMN = "source";
