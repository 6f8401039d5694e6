// /files: the team's batch files, newest first (?page= for older ones), searched by name and filtered
// by status and type (lib/files/list-params.ts), and the upload panel with what it offers: the team's
// connections to check a file for, and its saved CSV templates. An upload that stored nothing can be
// removed from the list here (and goes by itself after a week). A parameter it cannot use shows what
// is wrong with the address (lib/http/params.ts).
import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { listFiles } from "@/lib/files/queries";
import { uploadTargets } from "@/lib/files/upload-targets";
import { listTemplates } from "@/lib/templates/templates";
import { uploadEndpoints } from "@/lib/files/endpoints";
import { formatBytes } from "@/lib/files/format";
import { anyProviderJobLimits, uploadLimits } from "@/lib/providers/profiles";
import { assertCleanParams, paramValue, readParams } from "@/lib/http/params";
import { fileListHref, fileListParams, hasFileFilter, type FileFilter } from "@/lib/files/list-params";
import { BadAddress } from "@/components/ui/bad-address";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { cardTable } from "@/components/ui/card-table";
import { cn } from "@/components/ui/cn";
import { CheckedFor, FileStatusBadge } from "@/components/files/file-status";
import { DeleteFileButton } from "@/components/files/delete-file-button";
import { FileFilters } from "@/components/files/file-filters";
import { RelativeTime } from "@/components/ui/time";
import { UploadPanel } from "@/components/files/upload/upload-panel";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("files"))("title") };
}

export default async function FilesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireTeamPage();
  const [t, format, locale] = await Promise.all([getTranslations("files"), getFormatter(), getLocale()]);
  const num = (n: number) => format.number(n);
  const { team, role } = ctx;
  const sp = await searchParams;
  const read = readParams(() => {
    assertCleanParams(sp);
    return { ...fileListParams(sp), templateId: paramValue(sp, "template") || undefined };
  });
  if (!read.ok) return <BadAddress title={t("title")} message={read.error.message} href="/files" label={t("badAddressLabel")} />;
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
        title={t("title")}
        description={t("description")}
        actions={
          <Link href="/templates" className={buttonClass("secondary", "sm")}>
            {t("templates")}
          </Link>
        }
      />

      {runner ? (
        <UploadPanel
          endpoints={uploadEndpoints()}
          limits={{ maxFileBytes: uploadLimits.maxFileBytes, maxRequests: uploadLimits.maxRequests, maxLineBytes: uploadLimits.maxLineBytes, job: anyProviderJobLimits }}
          targets={targets}
          templates={templates.map((t) => ({ id: t.id, name: t.name, mapping: t.mapping }))}
          templateId={templateId}
        />
      ) : (
        <p className="mb-6 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">
          {t("viewerNote")}
        </p>
      )}

      {total === 0 && !hasFileFilter(filter) ? (
        <EmptyState title={t("emptyTitle")}>
          {runner ? t.rich("emptyRunner", { code: (chunks) => <code className="font-mono text-xs">{chunks}</code> }) : t("emptyViewer")}
        </EmptyState>
      ) : (
        <Card>
          <CardHeader title={t("teamFiles")} description={t(hasFileFilter(filter) ? "countFound" : "count", { count: total })} />
          <FileFilters filter={filter} />
          {total === 0 && (
            <p className="px-5 py-8 text-center text-sm text-slate-500" role="status">
              {t("noMatch")}
            </p>
          )}
          <div className="relative overflow-x-auto">
            {/* A card per file on a phone (components/ui/card-table.tsx), a table from md. */}
            <table className={`${cardTable.table} text-left`}>
              <thead className={`${cardTable.head} border-b border-slate-100 bg-slate-50/70 text-xs font-medium uppercase tracking-wide text-slate-500`}>
                <tr>
                  <th scope="col" className="px-5 py-2.5">
                    {t("columns.name")}
                  </th>
                  <th scope="col" className="whitespace-nowrap px-3 py-2.5 text-right">
                    {t("columns.requests")}
                  </th>
                  <th scope="col" className="px-3 py-2.5 text-right">
                    {t("columns.size")}
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    {t("columns.status")}
                  </th>
                  <th scope="col" className="whitespace-nowrap px-3 py-2.5 text-right">
                    {t("columns.uploaded")}
                  </th>
                  <th scope="col" className="px-5 py-2.5">
                    <span className="sr-only">{t("columns.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody className={cardTable.body}>
                {files.map((f) => (
                  <tr key={f.id} className={`${cardTable.row} group px-5 hover:bg-slate-50/80`}>
                    <td className="col-span-3 row-start-1 min-w-0 md:max-w-72 md:px-5 md:py-3">
                      <Link href={`/files/${f.id}`} className="block truncate font-medium text-slate-900 group-hover:text-brand-700" title={f.name}>
                        {f.name}
                      </Link>
                      {/* What the file asks (its models) and where (its endpoint), under its name: the table fits beside the sidebar. */}
                      <p className="truncate text-xs text-slate-500" title={[...f.models, f.endpoint].join(" · ")}>
                        {f.models.length > 0 && <>{f.models.length <= 2 ? f.models.join(", ") : t("moreModels", { first: f.models[0], count: f.models.length - 1 })} · </>}
                        <span className="font-mono">{f.endpoint}</span>
                      </p>
                    </td>
                    <td data-label={t("columns.requests")} className={`${cardTable.labelled} row-start-3 whitespace-nowrap tabular-nums text-slate-700 md:px-3 md:py-3 md:text-right`}>
                      {f.status === "uploading" ? <span className="text-slate-400">—</span> : num(f.requestCount)}
                    </td>
                    <td data-label={t("columns.size")} className={`${cardTable.labelled} row-start-3 whitespace-nowrap tabular-nums text-slate-700 md:px-3 md:py-3 md:text-right`}>
                      {f.status === "uploading" ? <span className="text-slate-400">—</span> : formatBytes(f.bytes, locale)}
                    </td>
                    <td className="col-span-3 row-start-2 flex min-w-0 items-center gap-2 md:table-cell md:px-3 md:py-3">
                      <FileStatusBadge status={f.status} problemCount={f.problemCount} />
                      {f.status === "valid" && f.origin === "upload" && <CheckedFor checkedFor={f.checkedFor} className="min-w-0 truncate text-xs text-slate-500 md:mt-0.5 md:block md:max-w-64" />}
                    </td>
                    <td className="col-span-3 row-start-4 flex min-w-0 items-baseline gap-x-2 text-xs text-slate-500 md:table-cell md:px-3 md:py-3 md:text-right md:text-sm">
                      <RelativeTime iso={f.createdAt.toISOString()} className="whitespace-nowrap" />
                      <span className="ml-auto block min-w-0 max-w-40 truncate text-xs" title={f.uploadedBy ?? undefined}>
                        {f.uploadedBy ?? <span className="text-slate-400">{t("formerMember")}</span>}
                      </span>
                    </td>
                    <td className="col-start-3 row-start-3 justify-self-end whitespace-nowrap md:px-5 md:py-2 md:text-right">
                      {/* Nothing of these was stored: they may go from the list at once. */}
                      {runner && (f.status === "invalid" || f.status === "failed") && f.origin === "upload" && <DeleteFileButton id={f.id} name={f.name} compact />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pageCount > 1 && (
            <nav className="flex items-center justify-between border-t border-slate-100 px-5 py-3 text-sm" aria-label={t("pages")}>
              <p className="text-slate-500">
                {t("range", { first: num(first), last: num(first + files.length - 1), total: num(total) })}
              </p>
              <div className="flex gap-2">
                <PageLink filter={filter} page={page - 1} disabled={page <= 1}>
                  {t("previous")}
                </PageLink>
                <PageLink filter={filter} page={page + 1} disabled={page >= pageCount}>
                  {t("next")}
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
