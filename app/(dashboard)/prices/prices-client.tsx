"use client";
// The price table by provider, with the add/edit form for owners and admins. A built-in row can be
// "overridden": the form opens with its values, and the saved row is the team's own.
import { useActionState, useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { addPriceAction, deletePriceAction, updatePriceAction } from "@/lib/pricing/actions";
import type { PriceTableRow } from "@/lib/pricing/prices";
import { useMoney } from "@/components/ui/money";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Field, FormMessage, Input, Select } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

export interface KindInfo {
  kind: string;
  label: string;
  windows: string[];
  note?: string;
  rules: string[];
}

type Draft = { id?: string; providerKind: string; model: string; window: string; currency: string; inputPerMTok: string; outputPerMTok: string };

const draftOf = (r: PriceTableRow): Draft => ({
  id: r.origin === "team" ? r.id : undefined,
  providerKind: r.providerKind,
  model: r.model,
  window: r.window,
  currency: r.currency,
  inputPerMTok: String(r.inputPerMTok),
  outputPerMTok: String(r.outputPerMTok),
});

export function PricesClient({ rows, kinds, manager }: { rows: PriceTableRow[]; kinds: KindInfo[]; manager: boolean }) {
  const t = useTranslations("prices");
  const [draft, setDraft] = useState<Draft | null>(null);
  const formRef = useRef<HTMLDivElement>(null);
  const open = (d: Draft) => {
    setDraft(d);
    requestAnimationFrame(() => formRef.current?.scrollIntoView({ behavior: "smooth", block: "start" }));
  };
  return (
    <div className="space-y-5">
      {manager && (
        <div ref={formRef}>
          {draft ? (
            // A new key per draft: the form starts from the chosen row's values.
            <PriceForm key={`${draft.id ?? "new"}:${draft.providerKind}:${draft.model}:${draft.window}`} draft={draft} kinds={kinds} onClose={() => setDraft(null)} />
          ) : (
            <Button onClick={() => open({ providerKind: "openai", model: "", window: "", currency: "USD", inputPerMTok: "", outputPerMTok: "" })}>{t("add")}</Button>
          )}
        </div>
      )}
      {kinds.map((k) => (
        <KindTable key={k.kind} k={k} rows={rows.filter((r) => r.providerKind === k.kind)} manager={manager} onEdit={open} />
      ))}
    </div>
  );
}

function KindTable({ k, rows, manager, onEdit }: { k: KindInfo; rows: PriceTableRow[]; manager: boolean; onEdit: (d: Draft) => void }) {
  const t = useTranslations("prices");
  const sources = [...new Map(rows.filter((r) => r.source).map((r) => [r.source!.label, r.source!])).values()];
  return (
    <Card>
      <CardHeader
        title={k.label}
        description={
          <>
            {sources.map((s) => (
              <span key={s.label} className="block">
                {s.asOf ? (
                  <>
                    {t.rich("source", {
                      asOf: s.asOf,
                      basis: s.basis,
                      link: () =>
                        s.url ? (
                          <a href={s.url} className="text-brand-700 hover:underline" target="_blank" rel="noreferrer">
                            {s.label}
                          </a>
                        ) : (
                          s.label
                        ),
                    })}
                    {s.confirmed && <span className="block">{t("confirmed", { what: s.confirmed })}</span>}
                    {!s.figuresChecked && (
                      <span className="block text-amber-800" data-testid="unchecked-prices">
                        {t("unchecked")}
                      </span>
                    )}
                  </>
                ) : (
                  t("basisOnly", { basis: s.basis })
                )}
              </span>
            ))}
            {k.rules.map((r) => (
              <span key={r} className="block">
                {t("windowRule", { rule: r })}
              </span>
            ))}
            {rows.length === 0 && <span className="block">{k.note ?? t("noBuiltin")}</span>}
          </>
        }
      />
      {rows.length > 0 && (
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs text-slate-500">
              <tr>
                <th className="px-5 py-2 font-medium">{t("table.model")}</th>
                <th className="px-3 py-2 font-medium">{t("table.window")}</th>
                <th className="px-3 py-2 text-right font-medium">{t("table.input")}</th>
                <th className="px-3 py-2 text-right font-medium">{t("table.output")}</th>
                <th className="px-3 py-2 font-medium">{t("table.source")}</th>
                {manager && <th className="px-5 py-2 text-right font-medium">{t("table.actions")}</th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <PriceRowView key={`${r.origin}:${r.id ?? r.model}:${r.window}`} r={r} manager={manager} onEdit={onEdit} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function PriceRowView({ r, manager, onEdit }: { r: PriceTableRow; manager: boolean; onEdit: (d: Draft) => void }) {
  const formatMoney = useMoney();
  const t = useTranslations("prices");
  const [state, action, pending] = useActionState(deletePriceAction, null);
  const muted = r.overridden;
  return (
    <tr className={cn(r.origin === "team" && "bg-brand-50/40")} data-testid={r.origin === "team" ? "team-price" : "builtin-price"}>
      <td className={cn("px-5 py-2 font-mono text-xs", muted ? "text-slate-400 line-through" : "text-slate-800")}>
        {r.model}
        {r.model === "*" && <span className="font-sans text-slate-500"> {t("everyModel")}</span>}
        {r.note && <span className="block font-sans text-[11px] text-slate-500 no-underline">{r.note}</span>}
      </td>
      <td className="px-3 py-2 text-slate-600">{r.window || <span className="text-slate-400">{t("anyWindow")}</span>}</td>
      <td className={cn("px-3 py-2 text-right tabular-nums", muted && "text-slate-400 line-through")}>{formatMoney(r.inputPerMTok, r.currency)}</td>
      <td className={cn("px-3 py-2 text-right tabular-nums", muted && "text-slate-400 line-through")}>{formatMoney(r.outputPerMTok, r.currency)}</td>
      <td className="px-3 py-2 text-xs">
        {r.origin === "team" ? (
          <span className="rounded-full bg-brand-100 px-2 py-0.5 font-medium text-brand-800">{t("yourTeam")}</span>
        ) : muted ? (
          <span className="text-slate-500">{t("builtInReplaced")}</span>
        ) : (
          <span className="text-slate-500">{t("builtIn")}</span>
        )}
        {state && !state.ok && (
          <span role="alert" className="mt-1 block text-red-700">
            {state.message}
          </span>
        )}
      </td>
      {manager && (
        <td className="px-5 py-2 text-right">
          <div className="flex justify-end gap-1">
            <Button variant="ghost" size="sm" onClick={() => onEdit(draftOf(r))}>
              {r.origin === "team" ? t("edit") : t("override")}
            </Button>
            {r.origin === "team" && (
              <form
                action={action}
                onSubmit={(e) => {
                  if (!window.confirm(t("confirmDelete", { model: r.model, window: r.window || "empty" }))) e.preventDefault();
                }}
              >
                <input type="hidden" name="id" value={r.id} />
                <Button type="submit" variant="danger" size="sm" disabled={pending}>
                  {t("delete")}
                </Button>
              </form>
            )}
          </div>
        </td>
      )}
    </tr>
  );
}

function PriceForm({ draft, kinds, onClose }: { draft: Draft; kinds: KindInfo[]; onClose: () => void }) {
  const t = useTranslations("prices");
  const tf = useTranslations("prices.form");
  const editing = Boolean(draft.id);
  const [state, action, pending] = useActionState(editing ? updatePriceAction : addPriceAction, null);
  // Controlled: React resets an uncontrolled form after its action, and a refused price must keep what was typed.
  const [v, setV] = useState(draft);
  const set = (key: keyof Draft) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setV({ ...v, [key]: e.target.value });
  const kind = v.providerKind;
  const k = kinds.find((x) => x.kind === kind);
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const general = state && !state.ok && !Object.values(fe).includes(state.message) ? state.message : undefined;
  useEffect(() => {
    if (state?.ok) onClose();
  }, [state, onClose]);

  return (
    <Card>
      <CardHeader
        title={editing ? tf("editTitle", { model: draft.model }) : draft.model ? tf("overrideTitle", { model: draft.model }) : t("add")}
        description={tf("description")}
      />
      <form action={action} className="space-y-4 px-5 py-4" noValidate>
        {draft.id && <input type="hidden" name="id" value={draft.id} />}
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label={tf("provider")} name="providerKind" error={fe.providerKind}>
            <Select name="providerKind" value={kind} onChange={set("providerKind")} error={fe.providerKind} disabled={pending}>
              {kinds.map((x) => (
                <option key={x.kind} value={x.kind}>
                  {x.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={tf("model")} name="model" error={fe.model} hint={tf("modelHint")}>
            <Input name="model" value={v.model} onChange={set("model")} placeholder="gpt-4o-mini" error={fe.model} disabled={pending} className="font-mono" />
          </Field>
          <Field label={tf("window")} name="window" error={fe.window} hint={`${tf("windowHint")}${k ? ` ${tf("offers", { provider: k.label, windows: k.windows.join(", ") })}` : ""}`}>
            <Input name="window" value={v.window} onChange={set("window")} placeholder={t("anyWindow")} error={fe.window} disabled={pending} list="price-windows" />
            <datalist id="price-windows">
              {k?.windows.map((w) => <option key={w} value={w} />)}
            </datalist>
          </Field>
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label={tf("input")} name="inputPerMTok" error={fe.inputPerMTok}>
            <Input name="inputPerMTok" inputMode="decimal" value={v.inputPerMTok} onChange={set("inputPerMTok")} placeholder="0.075" error={fe.inputPerMTok} disabled={pending} />
          </Field>
          <Field label={tf("output")} name="outputPerMTok" error={fe.outputPerMTok}>
            <Input name="outputPerMTok" inputMode="decimal" value={v.outputPerMTok} onChange={set("outputPerMTok")} placeholder="0.30" error={fe.outputPerMTok} disabled={pending} />
          </Field>
          <Field label={tf("currency")} name="currency" error={fe.currency} hint={tf("currencyHint")}>
            <Input name="currency" value={v.currency} onChange={set("currency")} maxLength={3} error={fe.currency} disabled={pending} className="uppercase" />
          </Field>
        </div>
        <FormMessage message={general} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            {tf("cancel")}
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? tf("saving") : tf("save")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
