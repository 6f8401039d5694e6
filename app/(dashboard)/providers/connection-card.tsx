"use client";
import Link from "next/link";
import { useActionState, useEffect, useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import {
  deleteConnectionAction,
  renameConnectionAction,
  replaceKeyAction,
  testConnectionAction,
} from "@/lib/providers/connections.action";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormMessage, Input } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import type { LimitRow } from "@/lib/providers/connections.limits";
import { LimitsForm, LimitsList, type LimitsFormValues } from "./limits";
import { QueueLimitsForm, QueueLimitsSummary, type QueueLimitsFormValues } from "./queue-limits";

export interface ConnectionItem {
  id: string;
  name: string;
  kindLabel: string;
  builtIn: boolean;
  /** Runs on the sandbox's imitation of its provider: no key of the team's. */
  imitation: boolean;
  baseUrlLabel: string;
  keyLast4: string;
  createdAt: string;
  lastTestedAt: string | null;
  lastTestOk: boolean | null;
  lastTestMessage: string | null;
  /** Read-only rows for every provider; `form` only where the team may set its own (custom). */
  limits: { rows: LimitRow[]; custom: boolean; form: LimitsFormValues | null } | null;
  /** How much may run at once (queue-limits.ts); null for a kind that queues nothing. */
  queue: QueueLimitsFormValues | null;
}

/** A date and time in the app's language. */
function useWhen() {
  const format = useFormatter();
  return (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
}

export function ConnectionCard({ c, manager }: { c: ConnectionItem; manager: boolean }) {
  const t = useTranslations("providers.card");
  const when = useWhen();
  const [mode, setMode] = useState<null | "rename" | "key" | "limits" | "queue">(null);
  const [testState, testAction, testing] = useActionState(testConnectionAction, null);
  const [deleteState, deleteAction, deleting] = useActionState(deleteConnectionAction, null);

  return (
    <Card className="px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 flex-wrap items-center gap-2 pt-1">
          <h2 className="text-sm font-semibold text-slate-900">{c.name}</h2>
          <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600">{c.kindLabel}</span>
          {c.imitation && <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200">{t("imitation")}</span>}
        </div>
        {manager && (
          <div className="flex flex-wrap items-center gap-2">
            <form action={testAction}>
              <input type="hidden" name="connectionId" value={c.id} />
              <Button type="submit" variant="secondary" size="sm" disabled={testing}>
                {testing ? t("testing") : t("test")}
              </Button>
            </form>
            {!c.builtIn && (
              <>
                <Button variant="ghost" size="sm" onClick={() => setMode(mode === "rename" ? null : "rename")}>
                  {t("rename")}
                </Button>
                {!c.imitation && (
                  <Button variant="ghost" size="sm" onClick={() => setMode(mode === "key" ? null : "key")}>
                    {t("replaceKey")}
                  </Button>
                )}
                {c.limits?.form && (
                  <Button variant="ghost" size="sm" onClick={() => setMode(mode === "limits" ? null : "limits")}>
                    {t("editLimits")}
                  </Button>
                )}
                {c.queue && (
                  <Button variant="ghost" size="sm" onClick={() => setMode(mode === "queue" ? null : "queue")}>
                    {t("queueLimits")}
                  </Button>
                )}
                <form
                  action={deleteAction}
                  onSubmit={(e) => {
                    if (!window.confirm(t("confirmDelete", { name: c.name }))) e.preventDefault();
                  }}
                >
                  <input type="hidden" name="connectionId" value={c.id} />
                  <Button type="submit" variant="danger" size="sm" disabled={deleting}>
                    {t("delete")}
                  </Button>
                </form>
              </>
            )}
          </div>
        )}
      </div>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">{t("baseUrl")}</dt>
        <dd className={cn("truncate", c.builtIn || c.imitation ? "text-slate-700" : "font-mono text-xs leading-5 text-slate-700")}>{c.baseUrlLabel}</dd>
        <dt className="text-slate-500">{t("apiKey")}</dt>
        {c.builtIn || c.imitation ? (
          <dd className="text-slate-700">{t("keptByBatchboard")}</dd>
        ) : (
          <dd className="font-mono text-xs leading-5 text-slate-700">•••• {c.keyLast4}</dd>
        )}
        <dt className="text-slate-500">{t("added")}</dt>
        <dd className="text-slate-700">{when(c.createdAt)}</dd>
        <dt className="text-slate-500">{t("lastTest")}</dt>
        <dd>
          <LastTest c={c} />
        </dd>
      </dl>
      <div className="mt-3 flex flex-wrap gap-x-4 gap-y-1">
        <Link href={`/providers/${c.id}/import`} className="text-sm font-medium text-brand-700 hover:underline">
          {t("importHistory")}
        </Link>
        <Link href={`/providers/${c.id}/files`} className="text-sm font-medium text-brand-700 hover:underline">
          {t("files")}
        </Link>
      </div>
      {testState && !testState.ok && (
        <div className="mt-3">
          <FormMessage message={testState.message} />
        </div>
      )}
      {deleteState && !deleteState.ok && (
        <div className="mt-3">
          <FormMessage message={deleteState.message} />
        </div>
      )}
      {mode === "rename" && <RenameForm c={c} onDone={() => setMode(null)} />}
      {mode === "key" && <ReplaceKeyForm c={c} onDone={() => setMode(null)} />}
      {c.limits && mode !== "limits" && <LimitsList rows={c.limits.rows} custom={c.limits.custom} />}
      {mode === "limits" && c.limits?.form && <LimitsForm connectionId={c.id} form={c.limits.form} onDone={() => setMode(null)} />}
      {c.queue && mode !== "queue" && <QueueLimitsSummary form={c.queue} />}
      {mode === "queue" && c.queue && <QueueLimitsForm connectionId={c.id} form={c.queue} onDone={() => setMode(null)} />}
    </Card>
  );
}

function LastTest({ c }: { c: ConnectionItem }) {
  const t = useTranslations("providers.card");
  const when = useWhen();
  if (!c.lastTestedAt) return <span className="text-slate-500">{t("neverTested")}</span>;
  return (
    <span className="flex flex-wrap items-baseline gap-x-2">
      <span
        className={cn(
          "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
          c.lastTestOk ? "bg-emerald-50 text-emerald-700 ring-emerald-200" : "bg-red-50 text-red-700 ring-red-200",
        )}
      >
        {c.lastTestOk ? t("ok") : t("failed")}
      </span>
      <span className="text-slate-700">{c.lastTestMessage}</span>
      <span className="text-xs text-slate-400">{when(c.lastTestedAt)}</span>
    </span>
  );
}

function RenameForm({ c, onDone }: { c: ConnectionItem; onDone: () => void }) {
  const t = useTranslations("providers.card");
  const [state, action, pending] = useActionState(renameConnectionAction, null);
  useEffect(() => {
    if (state?.ok) onDone();
  }, [state, onDone]);
  const name = `name-${c.id}`;
  const error = state && !state.ok ? (state.fieldErrors?.name ?? state.message) : undefined;
  return (
    <form action={action} className="mt-4 flex flex-wrap items-start gap-2 border-t border-slate-100 pt-4" noValidate>
      <input type="hidden" name="connectionId" value={c.id} />
      <div className="w-72">
        <label htmlFor={name} className="sr-only">
          {t("newName")}
        </label>
        <input
          id={name}
          name="name"
          defaultValue={c.name}
          maxLength={60}
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${name}-error` : undefined}
          className="block w-full rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 aria-invalid:ring-red-400"
        />
        {error && (
          <p id={`${name}-error`} role="alert" className="mt-1 text-xs text-red-600">
            {error}
          </p>
        )}
      </div>
      <Button type="submit" size="sm" disabled={pending} className="mt-0.5">
        {t("saveName")}
      </Button>
      <Button variant="ghost" size="sm" onClick={onDone} className="mt-0.5">
        {t("cancel")}
      </Button>
    </form>
  );
}

function ReplaceKeyForm({ c, onDone }: { c: ConnectionItem; onDone: () => void }) {
  const t = useTranslations("providers.card");
  const [state, action, pending] = useActionState(replaceKeyAction, null);
  useEffect(() => {
    if (state?.ok) onDone();
  }, [state, onDone]);
  const name = `apiKey-${c.id}`;
  const error = state && !state.ok ? (state.fieldErrors?.apiKey ?? state.message) : undefined;
  return (
    <form action={action} className="mt-4 flex flex-wrap items-start gap-2 border-t border-slate-100 pt-4" noValidate>
      <input type="hidden" name="connectionId" value={c.id} />
      <div className="w-72">
        <label htmlFor={name} className="sr-only">
          {t("newKey")}
        </label>
        <Input
          name="apiKey"
          id={name}
          type="password"
          autoComplete="off"
          placeholder={t("newKey")}
          autoFocus
          error={error}
          aria-describedby={error ? `${name}-error` : undefined}
          className="py-1.5"
        />
        {error && (
          <p id={`${name}-error`} role="alert" className="mt-1 text-xs text-red-600">
            {error}
          </p>
        )}
      </div>
      <Button type="submit" size="sm" disabled={pending} className="mt-0.5">
        {t("saveKey")}
      </Button>
      <Button variant="ghost" size="sm" onClick={onDone} className="mt-0.5">
        {t("cancel")}
      </Button>
    </form>
  );
}
