// /providers/:id/files: the files the connection's provider keeps for its key (name, size, purpose,
// age, the batches that used them), with deleting one or every file no batch needs, and the
// connection's file settings. Viewers and members see the list; admins delete and change settings.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Suspense } from "react";
import { notFound } from "next/navigation";
import { requireTeamPage, type TeamContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { nulParam } from "@/lib/http/params";
import { providerFiles, type ProviderFilesView } from "@/lib/batches/provider-files";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { FileSettings } from "./file-settings";
import { FilesTable } from "./files-table";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("providers.files");
  return { title: t("metaTitle") };
}

type Props = { params: Promise<{ id: string }> };

export default async function ProviderFilesPage({ params }: Props) {
  const ctx = await requireTeamPage();
  const { id } = await params;
  if (nulParam({ id })) notFound();
  const prisma = await db();
  const exists = await prisma.providerConnection.findFirst({ where: { id, teamId: ctx.team.id }, select: { id: true, name: true } });
  if (!exists) notFound();

  const t = await getTranslations("providers");

  // The connection is found (or not: 404) before anything streams; the provider's listing, a call
  // over the network, waits in a Suspense boundary (no loading.tsx above: 404 stays 404).
  return (
    <>
      <Link href="/providers" className="text-sm font-medium text-slate-500 hover:text-slate-800">
        {t("back")}
      </Link>
      <div className="mt-2">
        <PageHeader
          title={t("files.title", { name: exists.name })}
          description={t("files.description")}
        />
      </div>
      <Suspense fallback={<ListingSkeleton />}>
        <Listing ctx={ctx} id={id} />
      </Suspense>
    </>
  );
}

async function ListingSkeleton() {
  const t = await getTranslations("providers.files");
  return (
    <div className="space-y-4" aria-busy="true" aria-label={t("loadingLabel")}>
      <Skeleton className="h-24 w-full" />
      <div className="space-y-px overflow-hidden rounded-lg ring-1 ring-slate-200">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-12 w-full rounded-none" />
        ))}
      </div>
    </div>
  );
}

async function Listing({ ctx, id }: { ctx: TeamContext; id: string }) {
  let view: ProviderFilesView | null = null;
  let error: string | null = null;
  try {
    view = await providerFiles(await db(), ctx, id);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    error = err.message;
  }
  const manage = can.manage(ctx.role);
  const t = await getTranslations("providers");
  return (
    <div className="space-y-4">
      {view && <FileSettings view={view} canManage={manage} />}
      {error && <FormMessage message={error} />}
      {view?.noFiles && (
        <Card className="px-5 py-4 text-sm text-slate-600">
          {t("files.inline", { provider: view.connection.providerLabel })}
        </Card>
      )}
      {view && !view.noFiles && <FilesTable view={view} canManage={manage} />}
    </div>
  );
}
