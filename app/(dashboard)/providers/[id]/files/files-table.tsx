"use client";
// The provider's files, newest first: name, size, purpose, age, the batches that used them. Admins
// delete one file (a second click confirms) or every file no batch needs.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { deleteProviderFileAction, deleteUnusedProviderFilesAction } from "@/lib/batches/provider-files.action";
import type { ProviderFileRow, ProviderFilesView } from "@/lib/batches/provider-files";
import { Button } from "@/components/ui/button";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/time";
import { formatBytes } from "@/lib/files/format";

export function FilesTable({ view, canManage }: { view: ProviderFilesView; canManage: boolean }) {
  const t = useTranslations("providers.files.table");
  const router = useRouter();
  const [pending, start] = useTransition();
  const [confirm, setConfirm] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const unused = view.files.filter((f) => !f.inUse);
  const connectionId = view.connection.id;

  const run = (work: () => Promise<{ ok: true; data: { deleted: number; failed?: number } } | { ok: false; message: string }>) =>
    start(async () => {
      setMessage(null);
      const res = await work();
      setConfirm(null);
      if (!res.ok) setMessage({ ok: false, text: res.message });
      else {
        setMessage({ ok: true, text: t("deleted", { count: res.data.deleted, failed: res.data.failed ?? 0 }) });
      }
      router.refresh();
    });

  const deleteAll = () => run(() => deleteUnusedProviderFilesAction({ connectionId }));
  const deleteOne = (f: ProviderFileRow) => run(() => deleteProviderFileAction({ connectionId, fileId: f.id }));

  const actions = canManage && unused.length > 0 && (
    confirm === "unused" ? (
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm text-red-800">{t("confirmUnused", { count: unused.length })}</span>
        <Button variant="danger" size="sm" onClick={deleteAll} disabled={pending}>
          {pending ? t("deleting") : t("yesDelete")}
        </Button>
        <Button variant="ghost" size="sm" onClick={() => setConfirm(null)} disabled={pending}>
          {t("keepThem")}
        </Button>
      </div>
    ) : (
      <Button variant="danger" size="sm" onClick={() => setConfirm("unused")}>
        {t("deleteUnused", { count: unused.length })}
      </Button>
    )
  );

  return (
    <Card className="overflow-hidden">
      <CardHeader
        title={t("count", { count: view.files.length, truncated: String(view.truncated) })}
        description={t("unusedNote")}
      />
      {(actions || message) && (
        <div className="flex flex-wrap items-center gap-3 border-b border-slate-100 px-5 py-3">
          {actions}
          {message && <FormMessage ok={message.ok} message={message.text} />}
        </div>
      )}
      {view.files.length === 0 ? (
        <div className="p-5">
          <EmptyState title={t("none")}>{t("noneNote")}</EmptyState>
        </div>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-3">{t("file")}</th>
                <th scope="col" className="px-4 py-3 text-right">{t("size")}</th>
                <th scope="col" className="px-4 py-3">{t("purpose")}</th>
                <th scope="col" className="px-4 py-3">{t("made")}</th>
                <th scope="col" className="px-4 py-3">{t("usedBy")}</th>
                {canManage && (
                  <th scope="col" className="px-4 py-3">
                    <span className="sr-only">{t("delete")}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {view.files.map((f) => (
                <tr key={f.id} className="align-top">
                  <td className="min-w-48 max-w-xs px-4 py-3">
                    <p className="break-all font-medium text-slate-800">{f.name ?? t("noName")}</p>
                    <code className="break-all text-xs text-slate-500">{f.id}</code>
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums text-slate-700">{f.bytes === null ? "—" : f.bytes < 1024 ? t("bytes", { count: f.bytes }) : formatBytes(f.bytes)}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-slate-700">{f.purpose ?? "—"}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-slate-700">
                    {f.createdAt ? <RelativeTime iso={f.createdAt} /> : "—"}
                    {f.expiresAt && (
                      <span className="block text-xs text-slate-500">
                        {t.rich("expires", { time: () => <RelativeTime iso={f.expiresAt!} /> })}
                      </span>
                    )}
                  </td>
                  <td className="min-w-40 px-4 py-3">
                    {f.batches.length === 0 ? (
                      <span className="text-slate-400">{t("noBatch")}</span>
                    ) : (
                      <ul className="space-y-0.5">
                        {f.batches.map((b) => (
                          <li key={`${b.id}-${b.role}`}>
                            <Link href={`/batches/${b.id}`} className="text-brand-700 hover:underline">
                              {b.name}
                            </Link>{" "}
                            <span className="text-xs text-slate-500">({t(`roles.${b.role}`)})</span>
                          </li>
                        ))}
                      </ul>
                    )}
                    {f.inUse && <span className="mt-1 inline-block rounded bg-amber-50 px-1.5 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200">{t("inUse")}</span>}
                  </td>
                  {canManage && (
                    <td className="whitespace-nowrap px-4 py-3 text-right">
                      {f.inUse ? null : confirm === f.id ? (
                        <span className="inline-flex gap-1">
                          <Button variant="danger" size="sm" onClick={() => deleteOne(f)} disabled={pending}>
                            {pending ? t("deleting") : t("delete")}
                          </Button>
                          <Button variant="ghost" size="sm" onClick={() => setConfirm(null)} disabled={pending}>
                            {t("keep")}
                          </Button>
                        </span>
                      ) : (
                        <Button variant="ghost" size="sm" onClick={() => setConfirm(f.id)} aria-label={t("deleteNamed", { name: f.name ?? f.id })}>
                          {t("deleteEllipsis")}
                        </Button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
