"use client";
// The provider's batches with checkboxes: pick some (or every one not yet imported) and import them
// in small calls, so the page can say how far it got; each row then links to its batch.
import Link from "next/link";
import { useMemo, useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import type { ImportOutcome, ProviderBatchList, ProviderBatchSummary } from "@/lib/batches/history/import";
import { importBatchesAction } from "@/lib/batches/history/import.action";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { StatusBadge } from "@/components/ui/status-badge";
import { ProgressBar } from "@/components/batches/progress-bar";
import { RelativeTime } from "@/components/ui/time";

/** Batches per server call: small enough to show progress, large enough to be quick. */
const CHUNK = 5;


export function ImportTable({
  connectionId,
  providerName,
  list,
  filtered,
  commonNote,
}: {
  connectionId: string;
  providerName: string;
  list: ProviderBatchList;
  filtered: boolean;
  /** A note every imported batch of this provider gets (Anthropic: no input file), said once on the page instead of on each row. */
  commonNote?: string;
}) {
  const t = useTranslations("providers.import");
  const format = useFormatter();
  const num = (n: number) => format.number(n);
  // Our batch for each provider batch: from the listing, then from what this page imported.
  const [here, setHere] = useState<Record<string, string>>(() =>
    Object.fromEntries(list.batches.filter((b) => b.batchId).map((b) => [b.id, b.batchId as string])),
  );
  const [notes, setNotes] = useState<Record<string, ImportOutcome>>({});
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [summary, setSummary] = useState<{ ok: boolean; message: string } | null>(null);
  const running = progress !== null && progress.done < progress.total;

  const importable = useMemo(() => list.batches.filter((b) => !here[b.id]).map((b) => b.id), [list.batches, here]);
  const allChosen = importable.length > 0 && importable.every((id) => selected.has(id));

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  async function run() {
    const ids = [...selected].filter((id) => !here[id]);
    if (ids.length === 0) return;
    setSummary(null);
    setProgress({ done: 0, total: ids.length });
    const outcomes: ImportOutcome[] = [];
    let failure: string | null = null;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const res = await importBatchesAction({ connectionId, providerBatchIds: ids.slice(i, i + CHUNK) });
      if (!res.ok) {
        failure = res.message;
        break;
      }
      outcomes.push(...res.data);
      setHere((h) => ({ ...h, ...Object.fromEntries(res.data.filter((o) => o.batchId).map((o) => [o.providerBatchId, o.batchId as string])) }));
      setNotes((n) => ({ ...n, ...Object.fromEntries(res.data.map((o) => [o.providerBatchId, o.message === commonNote ? { ...o, message: undefined } : o])) }));
      setProgress({ done: Math.min(ids.length, i + CHUNK), total: ids.length });
    }
    setProgress((p) => (p ? { ...p, done: p.total } : p));
    setSelected(new Set());
    const count = (k: ImportOutcome["outcome"]) => outcomes.filter((o) => o.outcome === k).length;
    const parts = [t("summary.imported", { count: count("imported") })];
    if (count("already")) parts.push(t("summary.already", { count: count("already") }));
    if (count("failed")) parts.push(t("summary.failed", { count: count("failed") }));
    if (outcomes.some((o) => o.outcome === "imported" && o.message && o.message !== commonNote)) parts.push(t("summary.notes"));
    if (count("imported")) parts.push(t("summary.fetching"));
    if (failure) parts.push(t("summary.stopped", { reason: failure }));
    setSummary({ ok: !failure && count("failed") === 0, message: parts.join(" ") });
  }

  if (list.batches.length === 0) {
    return (
      <EmptyState title={filtered ? t("noneFiltered") : t("none", { provider: providerName })}>
        {filtered ? t("noneFilteredNote") : t("noneNote")}
      </EmptyState>
    );
  }

  const inHistory = list.batches.length - importable.length;
  return (
    <div className="overflow-hidden rounded-lg bg-white shadow-xs ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-5 py-3">
        <p className="text-sm text-slate-600">
          {t.rich("listed", {
            count: list.batches.length,
            provider: providerName,
            b: (chunks) => <span className="font-medium text-slate-900">{chunks}</span>,
          })}
          {list.pages > 1 && ` ${t("pages", { count: list.pages })}`}
          {inHistory > 0 && t("inHistory", { count: inHistory })}
          {list.truncated ? t("truncated") : t("period")}
        </p>
        <div className="flex items-center gap-2">
          <Button variant="secondary" size="sm" disabled={running || importable.length === 0} onClick={() => setSelected(allChosen ? new Set() : new Set(importable))}>
            {allChosen ? t("clearSelection") : t("selectAll", { count: importable.length })}
          </Button>
          <Button size="sm" disabled={running || selected.size === 0} onClick={run}>
            {running ? t("importing", { done: num(progress!.done), total: num(progress!.total) }) : selected.size ? t("importCount", { count: selected.size }) : t("import")}
          </Button>
        </div>
      </div>
      {(running || summary) && (
        <div className="space-y-2 border-b border-slate-100 px-5 py-3">
          {running && progress && (
            <div
              className="h-1.5 overflow-hidden rounded-full bg-slate-100"
              role="progressbar"
              aria-label={t("progress")}
              aria-valuemin={0}
              aria-valuemax={progress.total}
              aria-valuenow={progress.done}
            >
              <div className="h-full bg-brand-500 transition-all" style={{ width: `${(100 * progress.done) / Math.max(1, progress.total)}%` }} />
            </div>
          )}
          {summary && <FormMessage ok={summary.ok} message={summary.message} />}
        </div>
      )}
      <div className="relative overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="w-10 px-4 py-3">
                <input
                  type="checkbox"
                  aria-label={t("selectAllLabel")}
                  className="h-4 w-4 rounded border-slate-300"
                  checked={allChosen}
                  disabled={running || importable.length === 0}
                  onChange={() => setSelected(allChosen ? new Set() : new Set(importable))}
                />
              </th>
              <th scope="col" className="px-4 py-3">{t("col.batch")}</th>
              <th scope="col" className="px-4 py-3">{t("col.status")}</th>
              <th scope="col" className="px-4 py-3">{t("col.requests")}</th>
              <th scope="col" className="px-4 py-3">{t("col.created")}</th>
              <th scope="col" className="px-4 py-3">{t("col.inBatchboard")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {list.batches.map((b) => (
              <Row key={b.id} b={b} batchId={here[b.id]} note={notes[b.id]} checked={selected.has(b.id)} disabled={running} onToggle={() => toggle(b.id)} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Row({ b, batchId, note, checked, disabled, onToggle }: { b: ProviderBatchSummary; batchId?: string; note?: ImportOutcome; checked: boolean; disabled: boolean; onToggle: () => void }) {
  const t = useTranslations("providers.import");
  const label = b.name ?? b.id;
  return (
    <tr className={batchId ? "bg-slate-50/60" : "hover:bg-slate-50"} data-provider-batch={b.id}>
      <td className="px-4 py-3">
        {!batchId && <input type="checkbox" aria-label={t("select", { label })} className="h-4 w-4 rounded border-slate-300" checked={checked} disabled={disabled} onChange={onToggle} />}
      </td>
      <td className="max-w-80 px-4 py-3">
        {b.name && <p className="truncate font-medium text-slate-900" title={b.name}>{b.name}</p>}
        <p className={b.name ? "truncate font-mono text-xs text-slate-500" : "truncate font-mono text-xs text-slate-800"} title={b.id}>
          {b.id}
        </p>
        {b.endpoint && <p className="text-xs text-slate-400">{b.endpoint}</p>}
      </td>
      <td className="whitespace-nowrap px-4 py-3">
        <StatusBadge status={b.status} raw={b.rawStatus} />
      </td>
      <td className="w-48 px-4 py-3">
        {b.total !== null ? (
          <ProgressBar total={b.total} completed={b.completed ?? 0} failed={b.failed ?? 0} />
        ) : b.progress !== null ? (
          <span className="text-xs tabular-nums text-slate-500">{t("percentDone", { percent: b.progress })}</span>
        ) : (
          <span className="text-xs text-slate-400">—</span>
        )}
      </td>
      <td className="whitespace-nowrap px-4 py-3 text-slate-600">{b.createdAt ? <RelativeTime iso={b.createdAt} /> : "—"}</td>
      <td className="px-4 py-3 text-sm">
        {batchId ? (
          <div className="space-y-1">
            <Link href={`/batches/${batchId}`} className="whitespace-nowrap font-medium text-brand-700 hover:underline">
              {note?.outcome === "imported" ? t("importedOpen") : t("open")}
            </Link>
            {note?.message && <p className="max-w-72 text-xs text-amber-700">{note.message}</p>}
          </div>
        ) : note?.outcome === "failed" ? (
          <p className="max-w-72 text-xs text-red-700" role="alert">
            {note.message}
          </p>
        ) : (
          <span className="text-xs text-slate-400">{t("notImported")}</span>
        )}
      </td>
    </tr>
  );
}
