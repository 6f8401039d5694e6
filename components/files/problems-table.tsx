// The problems (or warnings) found in a file, line by line (a CSV's by spreadsheet row and column); "and N more"
// past the ones kept. Used by the upload panel (browser) and the file page (server), so it holds no state.
// On a phone the field (or column) goes above its message instead of a column of its own. Messages
// come from the server in English; those with a code (Problem.code) are translated here.
import { useFormatter, useTranslations } from "next-intl";
import type { Problem } from "@/lib/files/types";

export function ProblemsTable({ problems, total, csv = false, kind = "problem" }: { problems: Problem[]; total: number; csv?: boolean; kind?: "problem" | "warning" }) {
  const t = useTranslations("problems");
  const format = useFormatter();
  const more = total - problems.length;
  // A problem with a code the messages know is shown in the reader's language; the others as the server wrote them.
  const messageOf = (p: Problem) => (p.code === "json-array" ? t("codes.json-array") : p.message);
  return (
    <div>
      <div className="max-h-96 overflow-auto">
        <table className="w-full text-left text-sm">
          <thead className="sticky top-0 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="w-16 px-3 py-2 text-right sm:w-20 sm:px-4">
                {csv ? t("row") : t("line")}
              </th>
              <th scope="col" className="hidden w-36 px-4 py-2 sm:table-cell">
                {csv ? t("column") : t("field")}
              </th>
              <th scope="col" className="px-4 py-2">
                {kind === "warning" ? t("warning") : t("problem")}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {problems.map((p, i) => (
              <tr key={`${p.line}-${i}`} className="align-top">
                <td className="px-3 py-2 text-right font-mono text-xs tabular-nums text-slate-500 sm:px-4">{format.number(p.line)}</td>
                <td className="hidden break-all px-4 py-2 font-mono text-xs text-slate-700 sm:table-cell">{p.field ?? <span className="text-slate-400">—</span>}</td>
                <td className="break-words px-4 py-2 text-slate-800">
                  {p.field && <span className="mb-0.5 block break-all font-mono text-xs text-slate-600 sm:hidden">{p.field}</span>}
                  {messageOf(p)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {more > 0 && (
        <p className="border-t border-slate-100 px-4 py-2.5 text-sm text-slate-500">
          {t(kind === "warning" ? "moreWarnings" : "moreProblems", { count: more })}
        </p>
      )}
    </div>
  );
}
