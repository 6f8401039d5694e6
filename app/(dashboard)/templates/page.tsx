// /templates: the team's saved CSV mappings. Anyone in the team sees them; members and above use them
// on a new CSV (the Files page opens with the template chosen), rename and delete them.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { listTemplates } from "@/lib/templates/templates";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { TemplateActions } from "./template-actions";

export async function generateMetadata(): Promise<Metadata> {
  // `tr`: the list below names each template `t`.
  const tr = await getTranslations("templates");
  return { title: tr("title") };
}

const ENDPOINT_KEYS: Record<string, "chat" | "embeddings"> = { "/v1/chat/completions": "chat", "/v1/embeddings": "embeddings" };

export default async function TemplatesPage() {
  const { team, role } = await requireTeamPage();
  const templates = await listTemplates(await db(), team.id);
  const runner = can.run(role);
  // `tr`: the list below names each template `t`.
  const tr = await getTranslations("templates");

  return (
    <>
      <PageHeader
        title={tr("title")}
        description={tr("description")}
        actions={
          runner ? (
            <Link href="/files" className={buttonClass("secondary", "sm")}>
              {tr("upload")}
            </Link>
          ) : undefined
        }
      />
      {templates.length === 0 ? (
        <EmptyState title={tr("none")}>
          {runner ? tr("noneRunner") : tr("noneViewer")}
        </EmptyState>
      ) : (
        <Card>
          <CardHeader title={tr("teamTemplates")} description={tr("count", { count: templates.length })} />
          <ul className="divide-y divide-slate-100">
            {templates.map((t) => (
              <li key={t.id} className="grid gap-3 px-5 py-4 md:grid-cols-[minmax(0,1fr)_auto]">
                <div className="min-w-0">
                  <p className="font-medium text-slate-900">{t.name}</p>
                  <p className="mt-0.5 text-xs text-slate-500">
                    <span className="font-mono text-slate-700">{t.mapping.model}</span> · {ENDPOINT_KEYS[t.mapping.endpoint] ? tr(`endpoints.${ENDPOINT_KEYS[t.mapping.endpoint]}`) : t.mapping.endpoint} ·{" "}
                    {t.mapping.customId.from === "column"
                      ? tr.rich("customIdFrom", { column: t.mapping.customId.column, mono: (chunks) => <span className="font-mono">{chunks}</span> })
                      : tr("customIdGenerated")}
                    {Object.keys({ ...t.mapping.params, ...t.mapping.extra }).length > 0 && (
                      <>
                        {" "}
                        · <span className="font-mono">{JSON.stringify({ ...t.mapping.params, ...t.mapping.extra })}</span>
                      </>
                    )}
                  </p>
                  <p className="mt-2 line-clamp-3 whitespace-pre-wrap break-words rounded-md bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800">
                    {t.mapping.systemPrompt ? <span className="text-slate-500">{`${t.mapping.systemPrompt}\n`}</span> : null}
                    {t.mapping.template}
                  </p>
                  <p className="mt-1.5 text-xs text-slate-500">
                    {tr.rich("savedBy", { who: t.createdBy ?? tr("formerMember"), time: () => <RelativeTime iso={t.updatedAt.toISOString()} /> })}
                  </p>
                </div>
                {runner && <TemplateActions id={t.id} name={t.name} />}
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}
