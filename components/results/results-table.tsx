"use client";
// The results as a virtual table: only the rows in view (and some either side) are in the DOM, so
// 50,000 rows scroll like 50. Rows are positioned in a grid table (TanStack Virtual's table
// pattern: no spacer rows, so every <tr> is a result), measured as they render (answers differ in
// height), and the next keyset page is asked for as the end comes into view.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useImperativeHandle, useRef, type Ref } from "react";
import { useFormatter, useTranslations } from "next-intl";
import type { ResultRow } from "@/lib/results/types";
import { cn } from "@/components/ui/cn";
import { RESULT_COLUMNS, type ResultColumnId } from "@/lib/results/columns";
import { OutcomeBadge } from "./result-drawer";

/** Width of each column: fixed ones in rem, flexible ones share what is left. */
const WIDTH: Record<ResultColumnId, string> = {
  custom_id: "0 0 9.5rem",
  prompt: "2 1 14rem",
  answer: "3 1 18rem",
  status: "0 0 7rem",
  tokens: "0 0 8.5rem",
  model: "0 0 10rem",
  finish_reason: "0 0 7.5rem",
  reasoning: "2 1 12rem",
  request_id: "0 0 10rem",
  created: "0 0 8.5rem",
};

export interface ResultsTableHandle {
  scrollToIndex(i: number): void;
}

export function ResultsTable({
  rows,
  columns,
  hasMore,
  loadingMore,
  onMore,
  selectedId,
  onOpen,
  dim,
  ref,
}: {
  rows: ResultRow[];
  columns: ResultColumnId[];
  hasMore: boolean;
  loadingMore: boolean;
  onMore: () => void;
  selectedId: string | null;
  onOpen: (index: number) => void;
  dim: boolean;
  ref?: Ref<ResultsTableHandle>;
}) {
  const t = useTranslations("results");
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer re-renders this component itself on scroll; the compiler skipping it is expected.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 76,
    // Generous: rows are cheap, and a short batch (a few dozen rows) renders whole.
    overscan: 20,
    getItemKey: (i) => rows[i]?.id ?? i,
  });
  useImperativeHandle(ref, () => ({ scrollToIndex: (i) => virtualizer.scrollToIndex(i, { align: "auto" }) }), [virtualizer]);

  const items = virtualizer.getVirtualItems();
  const last = items.at(-1)?.index ?? -1;
  useEffect(() => {
    // Ask for the next page while the last 30 loaded rows are still ahead.
    if (hasMore && !loadingMore && last >= rows.length - 30) onMore();
  }, [hasMore, loadingMore, last, rows.length, onMore]);

  const cols = RESULT_COLUMNS.filter((c) => columns.includes(c.id));
  const cell = "min-w-0 px-4 py-3";
  return (
    <div
      ref={scrollRef}
      className={cn("relative max-h-[70vh] min-h-48 overflow-auto border-t border-slate-100 transition-opacity", dim && "opacity-60")}
      data-testid="results-scroll"
    >
      <table className="grid min-w-[56rem] text-sm" aria-rowcount={rows.length}>
        <thead className="sticky top-0 z-10 grid bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500 shadow-[0_1px_0_var(--color-slate-200)]">
          <tr className="flex w-full">
            {cols.map((c) => (
              <th key={c.id} scope="col" className={cn("px-4 py-2.5", c.id === "custom_id" && "normal-case")} style={{ flex: WIDTH[c.id] }}>
                {t(`columns.${c.id}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="relative grid" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const r = rows[v.index];
            return (
              <tr
                key={v.key}
                data-index={v.index}
                ref={virtualizer.measureElement}
                aria-rowindex={v.index + 2}
                aria-selected={selectedId === r.id}
                tabIndex={0}
                onClick={() => onOpen(v.index)}
                onKeyDown={(e) => {
                  if (e.key === "Enter" || e.key === " ") {
                    e.preventDefault();
                    onOpen(v.index);
                  }
                }}
                className={cn(
                  "absolute left-0 flex w-full cursor-pointer items-start border-b border-slate-100 outline-none hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500",
                  selectedId === r.id && "bg-brand-50 hover:bg-brand-50",
                )}
                style={{ transform: `translateY(${v.start}px)` }}
              >
                {cols.map((c) => (
                  <td key={c.id} className={cell} style={{ flex: WIDTH[c.id] }}>
                    <Cell column={c.id} r={r} />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {(hasMore || loadingMore) && (
        <p className="sticky left-0 border-t border-slate-100 px-5 py-2 text-center text-xs text-slate-500" role="status">
          {loadingMore ? t("table.loadingMore") : t("table.scrollMore")}
        </p>
      )}
    </div>
  );
}

const clamp = "line-clamp-3 whitespace-pre-wrap break-words";
const none = <span className="text-slate-400">—</span>;

function Cell({ column, r }: { column: ResultColumnId; r: ResultRow }) {
  const t = useTranslations("results.table");
  const format = useFormatter();
  const num = (n: number) => format.number(n);
  switch (column) {
    case "custom_id":
      // Wrapped after a hyphen where one fits ("ticket-101-" / "category"), mid-word only where none does.
      return <span className="wrap-anywhere font-mono text-xs text-slate-700">{r.customId}</span>;
    case "prompt":
      return r.prompt ? <p className={cn(clamp, "text-slate-700")}>{r.prompt}</p> : none;
    case "answer":
      return r.succeeded ? (
        <>
          {r.content ? <p className={cn(clamp, "text-slate-900")}>{r.content}</p> : <span className="text-slate-400">{t("emptyAnswer")}</span>}
          {r.finishReason && r.finishReason !== "stop" && r.finishReason !== "end_turn" && <p className="mt-1 text-xs text-amber-700">{t("stopped", { reason: r.finishReason })}</p>}
        </>
      ) : (
        <div className="text-red-700">
          {r.errorCode && <p className="font-mono text-xs font-medium">{r.errorCode}</p>}
          <p className={clamp}>{r.errorMessage ?? t("noErrorMessage")}</p>
        </div>
      );
    case "status":
      return <OutcomeBadge succeeded={r.succeeded} statusCode={r.statusCode} />;
    case "tokens":
      return r.promptTokens != null || r.completionTokens != null ? (
        <span
          className="text-xs tabular-nums text-slate-600"
          title={t("tokensTitle", {
            prompt: r.promptTokens ?? "?",
            completion: r.completionTokens ?? "?",
            reasoning: r.reasoningTokens ?? "none",
            total: r.totalTokens ?? "none",
          })}
        >
          {num(r.promptTokens ?? 0)} / {num(r.completionTokens ?? 0)}
          {r.reasoningTokens != null && <span className="block text-slate-400">{t("reasoning", { count: num(r.reasoningTokens) })}</span>}
        </span>
      ) : (
        none
      );
    case "model":
      return r.model ? <span className="break-all font-mono text-xs text-slate-700">{r.model}</span> : none;
    case "finish_reason":
      return r.finishReason ? <span className="font-mono text-xs text-slate-700">{r.finishReason}</span> : none;
    case "reasoning":
      return r.reasoningContent ? <p className={cn(clamp, "text-xs text-slate-600")}>{r.reasoningContent}</p> : none;
    case "request_id":
      return r.providerRequestId ? <span className="break-all font-mono text-xs text-slate-600">{r.providerRequestId}</span> : none;
    case "created":
      return r.created ? <span className="text-xs tabular-nums text-slate-600">{new Date(r.created * 1000).toISOString().slice(0, 19).replace("T", " ")}</span> : none;
  }
}
