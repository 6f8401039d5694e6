// /providers/:id/files: the files the connection's provider keeps for its key (name, size, purpose,
// age, the batches that used them), with deleting one or every file no batch needs, and the
// connection's file settings. Viewers and members see the list; admins delete and change settings.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { nulParam } from "@/lib/http/params";
import { providerFiles, type ProviderFilesView } from "@/lib/batches/provider-files";
import { Card, PageHeader } from "@/components/ui/card";
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

  let view: ProviderFilesView | null = null;
  let error: string | null = null;
  try {
    view = await providerFiles(prisma, ctx, id);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    error = err.message;
  }
  const manage = can.manage(ctx.role);
  const t = await getTranslations("providers");

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
    </>
  );
}
