// /audit: the team's audit log for its owners and admins (others get "not found", as for anything
// they may not see): every change, newest first, with who made it (and through which API token),
// from which address, when, and to what. Filters are a GET form, so the view is its address; pages
// are keyset pages (?after=); "Export CSV" downloads the same filters from /api/audit/export.csv.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { readParams } from "@/lib/http/params";
import { actionLabel, auditQuery, parseAuditParams } from "@/lib/audit-log/params";
import { auditFacets, auditPage } from "@/lib/audit-log/query";
import { BadAddress } from "@/components/ui/bad-address";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Input, Select } from "@/components/ui/field";
import { ExactTime } from "@/components/ui/time";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("audit");
  return { title: t("title") };
}

const label = (text: string, htmlFor: string) => (
  <label htmlFor={htmlFor} className="block text-xs font-medium text-slate-600">
    {text}
  </label>
);

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { team, role } = await requireTeamPage();
  if (!can.manage(role)) notFound();
  const sp = await searchParams;
  const t = await getTranslations("audit");
  // A known action in the app's language ("connection.key_replaced" → actions.connection.key_replaced), else
  // its words. Actions are open-ended (any string the log holds), so the key is checked, not typed.
  const action = (a: string) => {
    const key = `actions.${a}` as "actions.batch.launched";
    return t.has(key) ? t(key) : actionLabel(a);
  };
  // An invite's label is stored as "<role> invite": its role in the user's language (the type says "invite").
  const tr = await getTranslations("shell.roles");
  const inviteLabel = (l: string) => {
    const role = l.replace(/ invite$/, "").toUpperCase() as "MEMBER";
    return tr.has(role) ? t("inviteFor", { role: tr(role) }) : l;
  };
  // An object's type ("connection", "provider_file") in the user's language where known.
  const type = (ty: string) => {
    const key = `types.${ty}` as "types.batch";
    return t.has(key) ? t(key) : ty;
  };
  const read = readParams(() => parseAuditParams(sp));
  if (!read.ok) return <BadAddress title={t("title")} message={read.error.message} href="/audit" label={t("badAddressLabel")} />;
  const p = read.value;
  const prisma = await db();
  const [page, facets] = await Promise.all([auditPage(prisma, team.id, p), auditFacets(prisma, team.id)]);
  const { after: _after, ...filters } = p;
  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <PageHeader
        title={t("title")}
        description={team.personal ? t("descriptionPersonal") : t("description", { team: team.name })}
        actions={
          <a href={`/api/audit/export.csv${auditQuery(filters)}`} className={buttonClass("secondary")} download>
            {t("export")}
          </a>
        }
      />
      {/* Keyed by the filters: "Clear" and the back button navigate without a reload, and uncontrolled fields keep their old values otherwise. */}
      <form key={auditQuery(filters)} method="get" action="/audit" className="mb-5 grid grid-cols-2 gap-3 rounded-lg bg-white p-4 shadow-xs ring-1 ring-slate-200 md:grid-cols-4" aria-label={t("filters")}>
        <div className="col-span-2 space-y-1">
          {label(t("search"), "q")}
          <Input name="q" type="search" defaultValue={p.q ?? ""} placeholder={t("searchPlaceholder")} />
        </div>
        <div className="space-y-1">
          {label(t("action"), "action")}
          <Select name="action" defaultValue={p.action ?? ""}>
            <option value="">{t("any")}</option>
            {facets.actions.map((a) => (
              <option key={a} value={a}>
                {action(a)}
              </option>
            ))}
          </Select>
        </div>
        <div className="space-y-1">
          {label(t("member"), "actor")}
          <Select name="actor" defaultValue={p.actor ?? ""}>
            <option value="">{t("anyone")}</option>
            {facets.actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </Select>
        </div>
        <div className="space-y-1">
          {label(t("object"), "type")}
          <Select name="type" defaultValue={p.type ?? ""}>
            <option value="">{t("any")}</option>
            {facets.types.map((ty) => (
              <option key={ty} value={ty}>
                {type(ty)}
              </option>
            ))}
          </Select>
        </div>
        <div className="space-y-1">
          {label(t("from"), "from")}
          <Input name="from" type="date" defaultValue={p.from ?? ""} />
        </div>
        <div className="space-y-1">
          {label(t("to"), "to")}
          <Input name="to" type="date" defaultValue={p.to ?? ""} />
        </div>
        <div className="col-span-2 flex items-center gap-3 md:col-span-4">
          <button type="submit" className={buttonClass("primary", "sm")}>
            {t("apply")}
          </button>
          {filtered && (
            <Link href="/audit" className="text-sm font-medium text-slate-600 hover:text-slate-900">
              {t("clear")}
            </Link>
          )}
        </div>
      </form>

      {page.rows.length === 0 ? (
        <EmptyState title={filtered || p.after ? t("noMatch") : t("nothingYet")}>
          {filtered ? t("noMatchNote") : t("nothingYetNote")}
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-lg bg-white shadow-xs ring-1 ring-slate-200">
          <div className="hidden grid-cols-[11rem_1fr_1fr_1.2fr] gap-4 border-b border-slate-100 bg-slate-50 px-4 py-2 text-xs font-medium uppercase tracking-wide text-slate-500 md:grid">
            <span>{t("when")}</span>
            <span>{t("who")}</span>
            <span>{t("action")}</span>
            <span>{t("object")}</span>
          </div>
          <ul className="divide-y divide-slate-100" aria-label={t("entries")}>
            {page.rows.map((r) => (
              <li key={r.id} className="grid grid-cols-1 gap-1 px-4 py-3 text-sm md:grid-cols-[11rem_1fr_1fr_1.2fr] md:gap-4" data-action={r.action}>
                <ExactTime iso={r.at} className="text-xs text-slate-500 md:text-sm md:text-slate-600" />
                <div className="min-w-0">
                  <p className="truncate font-medium text-slate-900" title={r.actor ?? undefined}>
                    {r.actor ?? <span className="text-slate-400">{t("system")}</span>}
                  </p>
                  <p className="truncate text-xs text-slate-500">
                    {r.token && <span className="mr-2 rounded bg-indigo-50 px-1.5 py-0.5 text-indigo-700">{t("token", { name: r.token })}</span>}
                    {r.ip ?? t("noAddress")}
                  </p>
                </div>
                <div className="min-w-0">
                  <p className="font-medium text-slate-800">{action(r.action)}</p>
                  <p className="truncate font-mono text-xs text-slate-400">{r.action}</p>
                </div>
                <div className="min-w-0">
                  {r.targetType ? (
                    <>
                      <p className="truncate text-slate-800" title={r.target ?? r.targetId ?? undefined}>
                        <span className="mr-1.5 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{type(r.targetType)}</span>
                        {r.targetType === "invite" && r.target ? inviteLabel(r.target) : (r.target ?? r.targetId)}
                      </p>
                      {r.details && (
                        <details className="mt-1 text-xs text-slate-500">
                          <summary className="cursor-pointer select-none">{t("details")}</summary>
                          <pre className="mt-1 whitespace-pre-wrap break-all font-mono">{r.details}</pre>
                        </details>
                      )}
                    </>
                  ) : (
                    <span className="text-slate-400">—</span>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
      <nav className="mt-4 flex items-center justify-between text-sm" aria-label={t("pages")}>
        {p.after ? (
          <Link href={`/audit${auditQuery(filters)}`} className={buttonClass("secondary", "sm")}>
            {t("newest")}
          </Link>
        ) : (
          <span />
        )}
        {page.next && (
          <Link href={`/audit${auditQuery({ ...filters, after: page.next })}`} className={buttonClass("secondary", "sm")}>
            {t("older")}
          </Link>
        )}
      </nav>
    </>
  );
}
