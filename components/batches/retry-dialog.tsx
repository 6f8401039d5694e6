"use client";
// "Retry 37 failed…" on a finished batch: a dialog that shows what a retry would take (failed
// requests, by error code, each of which can be left out; expired or never answered ones) and where
// to run it (connection, window, model), then launches the child batch and opens its page. Codes the
// batch's provider says fail again (its profile's nonRetryable: a content filter's refusal) are
// marked, left out by default, and warned about when ticked. One key per opening of the dialog, so a
// double click on "Launch retry" makes one batch.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { RetryOptions } from "@/lib/batches/retry";
import { retryBatchAction } from "@/lib/batches/retry.action";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input, Select } from "@/components/ui/field";
import { fetchJson, num } from "./fetch-json";

type Options = RetryOptions & { canRetry: boolean };

type T = ReturnType<typeof useTranslations<"retry">>;

function label(t: T, failed: number, missing: number) {
  if (failed && missing) return t("buttonBoth", { count: num(failed + missing) });
  return failed ? t("buttonFailed", { count: num(failed) }) : t("buttonMissing", { count: num(missing) });
}

/** The button (and its dialog) for a finished batch whose results are stored; nothing otherwise. */
export function RetryButton({ batchId, ready, canRun }: { batchId: string; ready: boolean; canRun: boolean }) {
  const t = useTranslations("retry");
  const [open, setOpen] = useState(false);
  const { data } = useQuery({
    queryKey: ["retry-options", batchId],
    queryFn: ({ signal }) => fetchJson<Options>(`/api/batches/${batchId}/retry`, signal),
    enabled: ready,
  });
  if (!ready || !data || data.blocker || data.counts.failed + data.counts.missing === 0) return null;
  const text = label(t, data.counts.failed, data.counts.missing);
  if (!canRun || !data.canRetry) {
    return (
      <Button variant="secondary" size="sm" className="ml-auto" disabled title={t("viewer")}>
        {text}
      </Button>
    );
  }
  return (
    <>
      {/* ml-auto: beside the header's other actions, on the right. */}
      <Button variant="secondary" size="sm" className="ml-auto" onClick={() => setOpen(true)}>
        {text}
      </Button>
      {open && <RetryDialog options={data} onClose={() => setOpen(false)} />}
    </>
  );
}

function RetryDialog({ options: o, onClose }: { options: Options; onClose: () => void }) {
  const t = useTranslations("retry");
  const ref = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const queryClient = useQueryClient();
  const [key] = useState(() => crypto.randomUUID());
  // Codes the provider says fail again (a content filter's refusal) are left out unless ticked.
  const retryable = o.counts.codes.filter((c) => !c.nonRetryable);
  const doomed = o.counts.codes.filter((c) => c.nonRetryable);
  const [failed, setFailed] = useState(o.counts.failed > 0 && (retryable.length > 0 || o.counts.codes.length === 0));
  const [missing, setMissing] = useState(o.counts.missing > 0);
  const [codes, setCodes] = useState(() => new Set(retryable.map((c) => c.code)));
  const usable = o.connections.filter((c) => c.supportsEndpoint);
  const [connectionId, setConnectionId] = useState(usable.some((c) => c.id === o.connectionId) ? o.connectionId : (usable[0]?.id ?? ""));
  const connection = o.connections.find((c) => c.id === connectionId);
  const windows = connection?.completionWindows ?? [];
  const [win, setWin] = useState(windows.includes(o.completionWindow) ? o.completionWindow : (windows[0] ?? o.completionWindow));
  const [model, setModel] = useState(o.model);
  const [result, setResult] = useState<{ message: string; fieldErrors?: Record<string, string> } | null>(null);
  const [pending, start] = useTransition();

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const failedChosen = failed ? o.counts.codes.filter((c) => codes.has(c.code)).reduce((s, c) => s + c.count, 0) : 0;
  const total = failedChosen + (missing ? o.counts.missing : 0);
  const allCodes = codes.size === o.counts.codes.length;
  const doomedChosen = failed ? doomed.filter((c) => codes.has(c.code)) : [];

  // Ticking "Failed" with every code left out means them all (they were left out as failing again).
  const chooseFailed = (on: boolean) => {
    setFailed(on);
    if (on && codes.size === 0) setCodes(new Set(o.counts.codes.map((c) => c.code)));
  };

  const chooseConnection = (id: string) => {
    setConnectionId(id);
    const w = o.connections.find((c) => c.id === id)?.completionWindows ?? [];
    if (!w.includes(win)) setWin(w.includes(o.completionWindow) ? o.completionWindow : (w[0] ?? win));
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (pending) return;
    start(async () => {
      setResult(null);
      const res = await retryBatchAction({
        batchId: o.batchId,
        failed,
        missing,
        errorCodes: failed && !allCodes ? [...codes] : undefined,
        connectionId,
        completionWindow: win,
        // The prefilled model keeps each request's own; only a change rewrites them.
        model: model.trim() && model.trim() !== o.model ? model.trim() : undefined,
        idempotencyKey: key,
      });
      if (!res.ok) {
        setResult({ message: res.message, fieldErrors: res.fieldErrors });
        return;
      }
      await queryClient.invalidateQueries({ queryKey: ["lineage"] });
      router.push(`/batches/${res.data.batchId}`);
    });
  };

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="retry-title"
      className="m-auto w-full max-w-lg rounded-lg bg-white p-0 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/40"
    >
      <form onSubmit={submit} className="space-y-5 p-6">
        <div>
          <h2 id="retry-title" className="text-base font-semibold text-slate-900">
            {t("title", { name: o.batchName })}
          </h2>
          <p className="mt-1 text-sm text-slate-500">{t("intro")}</p>
        </div>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">{t("what")}</legend>
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" name="failed" checked={failed} disabled={o.counts.failed === 0} onChange={(e) => chooseFailed(e.target.checked)} />
            {t("failed", { count: num(o.counts.failed) })}
          </label>
          {failed && o.counts.codes.length > 0 && (
            <div className="ml-6 space-y-1" role="group" aria-label={t("codes")}>
              {o.counts.codes.map((c) => (
                <label key={c.code} className="flex flex-wrap items-center gap-x-2 text-xs text-slate-700">
                  <input
                    type="checkbox"
                    checked={codes.has(c.code)}
                    onChange={(e) => {
                      const next = new Set(codes);
                      if (e.target.checked) next.add(c.code);
                      else next.delete(c.code);
                      setCodes(next);
                    }}
                  />
                  <code>{c.code || t("noCode")}</code> ({num(c.count)})
                  {c.nonRetryable && <span className="text-amber-800">{t("failsAgain", { why: c.nonRetryable })}</span>}
                </label>
              ))}
            </div>
          )}
          {doomed.length > 0 && (
            <p role={doomedChosen.length ? "alert" : "note"} className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200">
              {doomedChosen.length
                ? t("doomedChosen", { count: num(doomedChosen.reduce((n, c) => n + c.count, 0)), codes: doomedChosen.map((c) => c.code).join(", ") })
                : t("doomedLeftOut", { count: num(doomed.reduce((n, c) => n + c.count, 0)), codes: doomed.map((c) => c.code).join(", ") })}
            </p>
          )}
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" name="missing" checked={missing} disabled={o.counts.missing === 0} onChange={(e) => setMissing(e.target.checked)} />
            {t("missing", { count: num(o.counts.missing) })}
          </label>
          {result?.fieldErrors?.failed && <p className="text-xs text-red-600">{result.fieldErrors.failed}</p>}
        </fieldset>

        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={t("connection")} name="retry-connection" error={result?.fieldErrors?.connectionId}>
            <Select name="retry-connection" value={connectionId} onChange={(e) => chooseConnection(e.target.value)}>
              {o.connections.map((c) => (
                <option key={c.id} value={c.id} disabled={!c.supportsEndpoint}>
                  {c.name}
                  {c.providerLabel && !c.providerLabel.startsWith(c.name) ? ` (${c.providerLabel})` : ""}
                  {c.supportsEndpoint ? "" : ` — ${t("noEndpoint", { endpoint: o.endpoint })}`}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t("window")} name="retry-window" error={result?.fieldErrors?.completionWindow}>
            <Select name="retry-window" value={win} onChange={(e) => setWin(e.target.value)}>
              {(windows.length ? windows : [win]).map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <Field
          label={t("model")}
          name="retry-model"
          error={result?.fieldErrors?.model}
          hint={o.model ? t("modelHint") : t("modelsHint", { count: o.models.length })}
        >
          <Input name="retry-model" value={model} placeholder={o.model ? undefined : t("modelPlaceholder")} onChange={(e) => setModel(e.target.value)} />
        </Field>

        <FormMessage message={result?.message} />

        <div className="flex items-center justify-between gap-3 border-t border-slate-100 pt-4">
          <p className="text-sm text-slate-600">
            {total > 0
              ? t.rich("newBatch", { total, b: (chunks) => <span className="font-semibold tabular-nums">{chunks}</span> })
              : t("nothing")}
          </p>
          <div className="flex gap-2">
            <Button variant="ghost" onClick={() => ref.current?.close()} disabled={pending}>
              {t("cancel")}
            </Button>
            <Button type="submit" disabled={pending || total === 0 || !connectionId}>
              {pending ? t("launching") : t("launch")}
            </Button>
          </div>
        </div>
      </form>
    </dialog>
  );
}
