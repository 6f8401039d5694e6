// /templates: the team's saved CSV mappings. Anyone in the team sees them; members and above use them
// on a new CSV (the Files page opens with the template chosen), rename and delete them.
import type { Metadata } from "next";
import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { listTemplates } from "@/lib/templates/templates";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { plural } from "@/lib/files/format";
import { RelativeTime } from "@/components/ui/time";
import { TemplateActions } from "./template-actions";

export const metadata: Metadata = { title: "CSV templates" };

const ENDPOINT_LABELS: Record<string, string> = { "/v1/chat/completions": "Chat", "/v1/embeddings": "Embeddings" };

export default async function TemplatesPage() {
  const { team, role } = await requireTeamPage();
  const templates = await listTemplates(await db(), team.id);
  const runner = can.run(role);

  return (
    <>
      <PageHeader
        title="CSV templates"
        description="Saved ways to turn a spreadsheet's columns into requests: the custom_id, the prompt template, the model and its parameters. Save one from the mapping step of a CSV upload."
        actions={
          runner ? (
            <Link href="/files" className={buttonClass("secondary", "sm")}>
              Upload a CSV
            </Link>
          ) : undefined
        }
      />
      {templates.length === 0 ? (
        <EmptyState title="No templates yet">
          {runner
            ? "Upload a CSV on the Files page, map its columns, and save the mapping as a template: the next spreadsheet of the same shape is then one click."
            : "When a member of the team saves a CSV mapping, it shows up here."}
        </EmptyState>
      ) : (
        <Card>
          <CardHeader title="Team templates" description={`${plural(templates.length, "template")}, by name`} />
          <ul className="divide-y divide-slate-100">
            {templates.map((t) => (
              <li key={t.id} className="grid gap-3 px-5 py-4 md:grid-cols-[minmax(0,1fr)_auto]">
                <div className="min-w-0">
                  <p className="font-medium text-slate-900">{t.name}</p>
                  <p className="mt-0.5 text-xs text-slate-500">
                    <span className="font-mono text-slate-700">{t.mapping.model}</span> · {ENDPOINT_LABELS[t.mapping.endpoint] ?? t.mapping.endpoint} · custom_id{" "}
                    {t.mapping.customId.from === "column" ? (
                      <>
                        from <span className="font-mono">{t.mapping.customId.column}</span>
                      </>
                    ) : (
                      "generated from the row"
                    )}
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
                    Saved by {t.createdBy ?? "a former member"} <RelativeTime iso={t.updatedAt.toISOString()} />
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
