// /tokens: API tokens for scripts and SDKs (docs/api.md). Each member makes their own and sees them;
// admins see and may revoke every token of the team. A token's secret is shown once, when made.
import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { listTokens } from "@/lib/api/tokens";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { CreateTokenForm } from "./create-token-form";
import { RevokeTokenButton } from "./revoke-token-button";
import { teamDisplayName } from "@/lib/teams/name.server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("tokens");
  return { title: t("title") };
}

function state(t: { revokedAt: string | null; expiresAt: string | null }) {
  if (t.revokedAt) return { label: "revoked", cls: "bg-slate-100 text-slate-600" } as const;
  if (t.expiresAt && new Date(t.expiresAt).getTime() <= Date.now()) return { label: "expired", cls: "bg-amber-50 text-amber-800" } as const;
  return { label: "active", cls: "bg-emerald-50 text-emerald-800" } as const;
}

export default async function TokensPage() {
  const ctx = await requireTeamPage();
  const [tr, format] = await Promise.all([getTranslations("tokens"), getFormatter()]);
  const day = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium" });
  const prisma = await db();
  const [tokens, connections] = await Promise.all([
    listTokens(prisma, ctx),
    prisma.providerConnection.findMany({ where: { teamId: ctx.team.id }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, kind: true } }),
  ]);
  const admin = can.manage(ctx.role);

  return (
    <>
      <PageHeader
        title={tr("title")}
        description={tr.rich("description", { team: await teamDisplayName(ctx.team), code: (chunks) => <code className="font-mono">{chunks}</code> })}
      />
      <div className="space-y-6">
        <Card>
          <CardHeader title={tr("new.title")} description={tr("new.description")} />
          <div className="px-5 py-5">
            <CreateTokenForm connections={connections} readOnlyRole={!can.run(ctx.role)} />
          </div>
        </Card>
        {tokens.length === 0 ? (
          <EmptyState title={tr("none")}>{tr("noneNote")}</EmptyState>
        ) : (
          <Card>
            <CardHeader title={admin ? tr("teamTokens") : tr("yourTokens")} description={admin ? tr("adminNote") : undefined} />
            <ul className="divide-y divide-slate-100">
              {tokens.map((t) => {
                const s = state(t);
                return (
                  <li key={t.id} className="grid gap-3 px-5 py-4 md:grid-cols-[minmax(0,1fr)_auto]">
                    <div className="min-w-0 space-y-1">
                      <p className="flex flex-wrap items-center gap-2">
                        <span className="font-medium text-slate-900">{t.name}</span>
                        <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{t.prefix}…</code>
                        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${s.cls}`}>{tr(`state.${s.label}`)}</span>
                        <span className="text-xs text-slate-500">{t.scope === "read" ? tr("scopeRead") : tr("scopeRole")}</span>
                      </p>
                      <p className="text-xs text-slate-500">
                        {admin && !t.mine ? `${t.owner.name} · ` : ""}
                        {tr("made", { date: day(t.createdAt) })} · {t.expiresAt ? tr("expires", { date: day(t.expiresAt) }) : tr("noExpiry")}
                        {t.spendCapUsd !== null ? ` · ${tr("cap", { amount: format.number(t.spendCapUsd, { style: "currency", currency: "USD" }) })}` : ""} ·{" "}
                        {tr("batches", { count: t.batches })}
                      </p>
                      <p className="text-xs text-slate-500">
                        {t.lastUsedAt ? (
                          tr.rich("lastUsed", {
                            time: () => <RelativeTime iso={t.lastUsedAt!} />,
                            ip: t.lastUsedIp ?? tr("unknownAddress"),
                            mono: (chunks) => <span className="font-mono">{chunks}</span>,
                          })
                        ) : (
                          tr("neverUsed")
                        )}
                        {" · "}
                        {t.connections.length ? tr("only", { list: format.list(t.connections) }) : tr("anyConnection")}
                        {" · "}
                        {tr("defaultConnection", { name: t.defaultConnection ?? "Sandbox" })}
                      </p>
                    </div>
                    {!t.revokedAt && (t.mine || admin) && (
                      <div className="md:self-center">
                        <RevokeTokenButton tokenId={t.id} name={t.name} />
                      </div>
                    )}
                  </li>
                );
              })}
            </ul>
          </Card>
        )}
      </div>
    </>
  );
}
