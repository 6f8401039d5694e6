// /tokens: API tokens for scripts and SDKs (docs/api.md). Each member makes their own and sees them;
// admins see and may revoke every token of the team. A token's secret is shown once, when made.
import type { Metadata } from "next";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { listTokens } from "@/lib/api/tokens";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { CreateTokenForm } from "./create-token-form";
import { RevokeTokenButton } from "./revoke-token-button";

export const metadata: Metadata = { title: "API tokens" };

const day = (iso: string) => new Date(iso).toLocaleDateString("en", { dateStyle: "medium" });

function state(t: { revokedAt: string | null; expiresAt: string | null }) {
  if (t.revokedAt) return { label: "Revoked", cls: "bg-slate-100 text-slate-600" };
  if (t.expiresAt && new Date(t.expiresAt).getTime() <= Date.now()) return { label: "Expired", cls: "bg-amber-50 text-amber-800" };
  return { label: "Active", cls: "bg-emerald-50 text-emerald-800" };
}

export default async function TokensPage() {
  const ctx = await requireTeamPage();
  const prisma = await db();
  const [tokens, connections] = await Promise.all([
    listTokens(prisma, ctx),
    prisma.providerConnection.findMany({ where: { teamId: ctx.team.id }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, kind: true } }),
  ]);
  const admin = can.manage(ctx.role);

  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          <>
            Scripts, curl and the OpenAI or Anthropic SDKs reach {ctx.team.name} with a token as their API key, at base URL{" "}
            <code className="font-mono">/api/v1</code> (OpenAI) or <code className="font-mono">/api/anthropic</code>. Their batches land in the team&apos;s
            history, marked with the token&apos;s name (docs/api.md in Batchboard&apos;s repository).
          </>
        }
      />
      <div className="space-y-6">
        <Card>
          <CardHeader title="New token" description="A token does what your role allows, or only reads. It is shown once: keep it in your script's secrets." />
          <div className="px-5 pb-5">
            <CreateTokenForm connections={connections} readOnlyRole={!can.run(ctx.role)} />
          </div>
        </Card>
        {tokens.length === 0 ? (
          <EmptyState title="No tokens yet">Make one above, then set it as the API key of your script.</EmptyState>
        ) : (
          <Card>
            <CardHeader title={admin ? "The team's tokens" : "Your tokens"} description={admin ? "As an admin you see, and may revoke, every member's tokens." : undefined} />
            <ul className="divide-y divide-slate-100">
              {tokens.map((t) => {
                const s = state(t);
                return (
                  <li key={t.id} className="grid gap-3 px-5 py-4 md:grid-cols-[minmax(0,1fr)_auto]">
                    <div className="min-w-0 space-y-1">
                      <p className="flex flex-wrap items-center gap-2">
                        <span className="font-medium text-slate-900">{t.name}</span>
                        <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{t.prefix}…</code>
                        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${s.cls}`}>{s.label}</span>
                        <span className="text-xs text-slate-500">{t.scope === "read" ? "Read only" : "Your role"}</span>
                      </p>
                      <p className="text-xs text-slate-500">
                        {admin && !t.mine ? `${t.owner.name} · ` : ""}
                        Made {day(t.createdAt)} · {t.expiresAt ? `expires ${day(t.expiresAt)}` : "no expiry"}
                        {t.spendCapUsd !== null ? ` · cap $${t.spendCapUsd.toLocaleString("en-US")}` : ""} · {t.batches} batch{t.batches === 1 ? "" : "es"}
                      </p>
                      <p className="text-xs text-slate-500">
                        {t.lastUsedAt ? (
                          <>
                            Last used <RelativeTime iso={t.lastUsedAt} /> from <span className="font-mono">{t.lastUsedIp ?? "an unknown address"}</span>
                          </>
                        ) : (
                          "Never used"
                        )}
                        {" · "}
                        {t.connections.length ? `only ${t.connections.join(", ")}` : "any connection"}
                        {t.defaultConnection ? ` · default ${t.defaultConnection}` : " · default Sandbox"}
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
