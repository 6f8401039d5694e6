"use client";
// The provider's files, newest first: name, size, purpose, age, the batches that used them. Admins
// delete one file (a second click confirms) or every file no batch needs.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteProviderFileAction, deleteUnusedProviderFilesAction } from "@/lib/batches/provider-files.action";
import type { ProviderFileRow, ProviderFilesView } from "@/lib/batches/provider-files";
import { Button } from "@/components/ui/button";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/time";
import { formatBytes } from "@/lib/files/format";

export function FilesTable({ view, canManage }: { view: ProviderFilesView; canManage: boolean }) {
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
        const failed = res.data.failed ? `; ${res.data.failed} could not be deleted (see the log)` : "";
        setMessage({ ok: true, text: `Deleted ${res.data.deleted} ${res.data.deleted === 1 ? "file" : "files"}${failed}.` });
      }
      router.refresh();
    });

  const deleteAll = () => run(() => deleteUnusedProviderFilesAction({ connectionId }));
  const deleteOne = (f: ProviderFileRow) => run(() => deleteProviderFileAction({ connectionId, fileId: f.id }));

  const actions = canManage && unused.length > 0 && (
    confirm === "unused" ? (
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm text-red-800">Delete {unused.length} {unused.length === 1 ? "file" : "files"} at the provider?</span>
        <Button variant="danger" size="sm" onClick={deleteAll} disabled={pending}>
          {pending ? "Deleting…" : "Yes, delete"}
        </Button>
        <Button variant="ghost" size="sm" onClick={() => setConfirm(null)} disabled={pending}>
          Keep them
        </Button>
      </div>
    ) : (
      <Button variant="danger" size="sm" onClick={() => setConfirm("unused")}>
        Delete all unused ({unused.length})
      </Button>
    )
  );

  return (
    <Card className="overflow-hidden">
      <CardHeader
        title={`${view.files.length} ${view.files.length === 1 ? "file" : "files"}${view.truncated ? " (the newest only)" : ""}`}
        description="Unused: no batch of this team still needs it (every batch that used it has ended and its results are stored in Batchboard)."
      />
      {(actions || message) && (
        <div className="flex flex-wrap items-center gap-3 border-b border-slate-100 px-5 py-3">
          {actions}
          {message && <FormMessage ok={message.ok} message={message.text} />}
        </div>
      )}
      {view.files.length === 0 ? (
        <div className="p-5">
          <EmptyState title="No files">The provider keeps no files for this key.</EmptyState>
        </div>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-3">File</th>
                <th scope="col" className="px-4 py-3 text-right">Size</th>
                <th scope="col" className="px-4 py-3">Purpose</th>
                <th scope="col" className="px-4 py-3">Made</th>
                <th scope="col" className="px-4 py-3">Used by</th>
                {canManage && (
                  <th scope="col" className="px-4 py-3">
                    <span className="sr-only">Delete</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {view.files.map((f) => (
                <tr key={f.id} className="align-top">
                  <td className="min-w-48 max-w-xs px-4 py-3">
                    <p className="break-all font-medium text-slate-800">{f.name ?? "(no name)"}</p>
                    <code className="break-all text-xs text-slate-500">{f.id}</code>
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums text-slate-700">{f.bytes === null ? "—" : formatBytes(f.bytes)}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-slate-700">{f.purpose ?? "—"}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-slate-700">
                    {f.createdAt ? <RelativeTime iso={f.createdAt} /> : "—"}
                    {f.expiresAt && (
                      <span className="block text-xs text-slate-500">
                        expires <RelativeTime iso={f.expiresAt} />
                      </span>
                    )}
                  </td>
                  <td className="min-w-40 px-4 py-3">
                    {f.batches.length === 0 ? (
                      <span className="text-slate-400">no batch of this team</span>
                    ) : (
                      <ul className="space-y-0.5">
                        {f.batches.map((b) => (
                          <li key={`${b.id}-${b.role}`}>
                            <Link href={`/batches/${b.id}`} className="text-brand-700 hover:underline">
                              {b.name}
                            </Link>{" "}
                            <span className="text-xs text-slate-500">({b.role})</span>
                          </li>
                        ))}
                      </ul>
                    )}
                    {f.inUse && <span className="mt-1 inline-block rounded bg-amber-50 px-1.5 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200">in use</span>}
                  </td>
                  {canManage && (
                    <td className="whitespace-nowrap px-4 py-3 text-right">
                      {f.inUse ? null : confirm === f.id ? (
                        <span className="inline-flex gap-1">
                          <Button variant="danger" size="sm" onClick={() => deleteOne(f)} disabled={pending}>
                            {pending ? "Deleting…" : "Delete"}
                          </Button>
                          <Button variant="ghost" size="sm" onClick={() => setConfirm(null)} disabled={pending}>
                            Keep
                          </Button>
                        </span>
                      ) : (
                        <Button variant="ghost" size="sm" onClick={() => setConfirm(f.id)} aria-label={`Delete ${f.name ?? f.id}`}>
                          Delete…
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
