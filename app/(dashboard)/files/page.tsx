// /files: the team's batch files, newest first (?page= for older ones), searched by name and filtered
// by status and type (lib/files/list-params.ts), and the upload panel with what it offers: the team's
// connections to check a file for, and its saved CSV templates. An upload that stored nothing can be
// removed from the list here (and goes by itself after a week). A parameter it cannot use shows what
// is wrong with the address (lib/http/params.ts).
import type { Metadata } from "next";
import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { listFiles } from "@/lib/files/queries";
import { uploadTargets } from "@/lib/files/upload-targets";
import { listTemplates } from "@/lib/templates/templates";
import { uploadEndpoints } from "@/lib/files/endpoints";
import { formatBytes, formatCount, plural } from "@/lib/files/format";
import { uploadLimits } from "@/lib/providers/profiles";
import { assertCleanParams, paramValue, readParams } from "@/lib/http/params";
import { fileListHref, fileListParams, hasFileFilter, type FileFilter } from "@/lib/files/list-params";
import { BadAddress } from "@/components/ui/bad-address";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { checkedForText, FileStatusBadge } from "@/components/files/file-status";
import { DeleteFileButton } from "@/components/files/delete-file-button";
import { FileFilters } from "@/components/files/file-filters";
import { RelativeTime } from "@/components/ui/time";
import { UploadPanel } from "@/components/files/upload/upload-panel";

export const metadata: Metadata = { title: "Files" };

export default async function FilesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireTeamPage();
  const { team, role } = ctx;
  const sp = await searchParams;
  const read = readParams(() => {
    assertCleanParams(sp);
    return { ...fileListParams(sp), templateId: paramValue(sp, "template") || undefined };
  });
  if (!read.ok) return <BadAddress title="Files" message={read.error.message} href="/files" label="the newest files" />;
  const { page: wanted, filter, templateId } = read.value;
  const prisma = await db();
  const runner = can.run(role);
  const [{ files, total, page, pageCount, pageSize }, targets, templates] = await Promise.all([
    listFiles(prisma, team.id, wanted, undefined, filter),
    runner ? uploadTargets(prisma, ctx) : [],
    runner ? listTemplates(prisma, team.id) : [],
  ]);
  const first = (page - 1) * pageSize + 1;

  return (
    <>
      <PageHeader
        title="Files"
        description="Batch files of the team, JSONL or CSV. Each one is checked line by line against the provider limits before a batch can use it."
        actions={
          <Link href="/templates" className={buttonClass("secondary", "sm")}>
            CSV templates
          </Link>
        }
      />

      {runner ? (
        <UploadPanel
          endpoints={uploadEndpoints()}
          limits={{ maxFileBytes: uploadLimits.maxFileBytes, maxRequests: uploadLimits.maxRequests, maxLineBytes: uploadLimits.maxLineBytes }}
          targets={targets}
          templates={templates.map((t) => ({ id: t.id, name: t.name, mapping: t.mapping }))}
          templateId={templateId}
        />
      ) : (
        <p className="mb-6 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">
          You can browse the team&apos;s files. Uploading needs the member role or above.
        </p>
      )}

      {total === 0 && !hasFileFilter(filter) ? (
        <EmptyState title="No files yet">
          {runner ? (
            <>
              Upload a CSV (one request per row: you map its columns next) or a JSONL file above to start. In JSONL, one request per line, each with a unique <code className="font-mono text-xs">custom_id</code>,{" "}
              <code className="font-mono text-xs">&quot;method&quot;: &quot;POST&quot;</code>, the endpoint as <code className="font-mono text-xs">url</code>{" "}
              and the request as <code className="font-mono text-xs">body</code>.
            </>
          ) : (
            "When a member of the team uploads a batch file, it shows up here."
          )}
        </EmptyState>
      ) : (
        <Card>
          <CardHeader title="Team files" description={`${plural(total, "file")}${hasFileFilter(filter) ? " found" : ""}, newest first`} />
          <FileFilters filter={filter} />
          {total === 0 && (
            <p className="px-5 py-8 text-center text-sm text-slate-500" role="status">
              No file matches this search.
            </p>
          )}
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-100 bg-slate-50/70 text-xs font-medium uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-5 py-2.5">
                    Name
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    Endpoint
                  </th>
                  <th scope="col" className="px-3 py-2.5 text-right">
                    Requests
                  </th>
                  <th scope="col" className="px-3 py-2.5 text-right">
                    Size
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    Status
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    Uploaded by
                  </th>
                  <th scope="col" className="px-3 py-2.5 text-right">
                    When
                  </th>
                  <th scope="col" className="px-5 py-2.5">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {files.map((f) => (
                  <tr key={f.id} className="group hover:bg-slate-50/80">
                    <td className="max-w-72 px-5 py-3">
                      <Link href={`/files/${f.id}`} className="block truncate font-medium text-slate-900 group-hover:text-brand-700" title={f.name}>
                        {f.name}
                      </Link>
                      {f.models.length > 0 && (
                        <p className="truncate text-xs text-slate-500" title={f.models.join(", ")}>
                          {f.models.length <= 2 ? f.models.join(", ") : `${f.models[0]} and ${f.models.length - 1} more models`}
                        </p>
                      )}
                    </td>
                    <td className="whitespace-nowrap px-3 py-3 font-mono text-xs text-slate-600">{f.endpoint}</td>
                    <td className="whitespace-nowrap px-3 py-3 text-right tabular-nums text-slate-700">
                      {f.status === "uploading" ? <span className="text-slate-400">—</span> : formatCount(f.requestCount)}
                    </td>
                    <td className="whitespace-nowrap px-3 py-3 text-right tabular-nums text-slate-700">
                      {f.status === "uploading" ? <span className="text-slate-400">—</span> : formatBytes(f.bytes)}
                    </td>
                    <td className="px-3 py-3">
                      <FileStatusBadge status={f.status} problemCount={f.problemCount} />
                      {f.status === "valid" && f.origin === "upload" && <p className="mt-0.5 max-w-48 truncate text-xs text-slate-500" title={checkedForText(f.checkedFor)}>{checkedForText(f.checkedFor)}</p>}
                    </td>
                    <td className="max-w-40 truncate px-3 py-3 text-slate-600">{f.uploadedBy ?? <span className="text-slate-400">Former member</span>}</td>
                    <td className="whitespace-nowrap px-3 py-3 text-right text-slate-500">
                      <RelativeTime iso={f.createdAt.toISOString()} />
                    </td>
                    <td className="whitespace-nowrap px-5 py-2 text-right">
                      {/* Nothing of these was stored: they may go from the list at once. */}
                      {runner && (f.status === "invalid" || f.status === "failed") && f.origin === "upload" && <DeleteFileButton id={f.id} name={f.name} compact />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pageCount > 1 && (
            <nav className="flex items-center justify-between border-t border-slate-100 px-5 py-3 text-sm" aria-label="Pages">
              <p className="text-slate-500">
                {formatCount(first)}–{formatCount(first + files.length - 1)} of {formatCount(total)}
              </p>
              <div className="flex gap-2">
                <PageLink filter={filter} page={page - 1} disabled={page <= 1}>
                  Previous
                </PageLink>
                <PageLink filter={filter} page={page + 1} disabled={page >= pageCount}>
                  Next
                </PageLink>
              </div>
            </nav>
          )}
        </Card>
      )}
    </>
  );
}

function PageLink({ filter, page, disabled, children }: { filter: FileFilter; page: number; disabled: boolean; children: React.ReactNode }) {
  if (disabled) {
    return (
      <span aria-disabled className={cn(buttonClass("secondary", "sm"), "pointer-events-none opacity-50")}>
        {children}
      </span>
    );
  }
  return (
    <Link href={fileListHref(filter, page)} className={buttonClass("secondary", "sm")}>
      {children}
    </Link>
  );
}
