"use client";
import { startTransition, useActionState, useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { addConnectionAction } from "@/lib/providers/connections.action";
import { cn } from "@/components/ui/cn";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input, Select } from "@/components/ui/field";

interface Kind {
  kind: string;
  label: string;
  custom: boolean;
  baseUrls: { label: string; url: string }[];
  docsUrl?: string;
  baseUrlHint?: string;
}

export function AddConnection({ kinds }: { kinds: Kind[] }) {
  const t = useTranslations("providers.add");
  const [open, setOpen] = useState(false);
  if (!open) return <Button onClick={() => setOpen(true)}>{t("open")}</Button>;
  return (
    <div className="fixed inset-0 z-20 flex items-start justify-center overflow-y-auto bg-slate-900/40 px-4 py-16" onClick={() => setOpen(false)}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="add-connection-title"
        className="w-full max-w-lg rounded-xl bg-white shadow-xl ring-1 ring-slate-200"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
      >
        <div className="border-b border-slate-100 px-6 py-4">
          <h2 id="add-connection-title" className="text-base font-semibold text-slate-900">
            {t("title")}
          </h2>
          <p className="mt-0.5 text-sm text-slate-500">{t("description")}</p>
        </div>
        <AddConnectionForm kinds={kinds} onDone={() => setOpen(false)} onCancel={() => setOpen(false)} />
      </div>
    </div>
  );
}

function AddConnectionForm({ kinds, onDone, onCancel }: { kinds: Kind[]; onDone: () => void; onCancel: () => void }) {
  const t = useTranslations("providers.add");
  const [state, action, pending] = useActionState(addConnectionAction, null);
  const [kind, setKind] = useState(kinds[0]?.kind ?? "");
  const profile = kinds.find((k) => k.kind === kind);
  const [baseUrl, setBaseUrl] = useState(profile?.baseUrls[0]?.url ?? "");
  const [name, setName] = useState(profile?.custom ? "" : (profile?.label ?? ""));
  // Where it runs: the provider's service with the team's key, or the sandbox's imitation of it.
  const [target, setTarget] = useState<"provider" | "sandbox">("provider");
  const onSandbox = target === "sandbox";
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const general = state && !state.ok && !Object.values(fe).includes(state.message) ? state.message : undefined;

  useEffect(() => {
    if (state?.ok) onDone();
  }, [state, onDone]);

  function chooseKind(k: string) {
    const p = kinds.find((x) => x.kind === k);
    setKind(k);
    setBaseUrl(p?.baseUrls[0]?.url ?? "");
    // Suggest the provider's name unless the user typed their own.
    if (!name || kinds.some((x) => x.label === name)) setName(p?.custom ? "" : (p?.label ?? ""));
  }

  return (
    <form
      className="space-y-4 px-6 py-5"
      noValidate
      // Submitted by hand: React's automatic reset after an action would put the provider select
      // back to its first option while the rest of the form still follows the chosen one.
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
    >
      <FormMessage message={general} />
      <Field label={t("provider")} name="kind" error={fe.kind}>
        <Select name="kind" value={kind} onChange={(e) => chooseKind(e.target.value)} error={fe.kind}>
          {kinds.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t("name")} name="name" error={fe.name} hint={t("nameHint")}>
        <Input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={60} placeholder={t("namePlaceholder")} error={fe.name} />
      </Field>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">{t("runsOn")}</legend>
        <input type="hidden" name="target" value={target} />
        <div className="mt-1.5 grid gap-2 sm:grid-cols-2">
          {(
            [
              ["provider", profile && !profile.custom ? t("service", { provider: profile.label }) : t("providerService"), t("serviceNote")],
              ["sandbox", t("imitation"), t("imitationNote")],
            ] as const
          ).map(([value, title, note]) => (
            <div
              key={value}
              className={cn("flex gap-2 rounded-md px-3 py-2 text-sm ring-1", target === value ? "bg-brand-50 ring-brand-500" : "ring-slate-200 hover:bg-slate-50")}
            >
              <input
                id={`runsOn-${value}`}
                type="radio"
                name="runsOn"
                value={value}
                checked={target === value}
                onChange={() => setTarget(value)}
                aria-describedby={`runsOn-${value}-note`}
                className="mt-0.5"
              />
              {/* The note stays outside the label: the radio is named by its title alone. */}
              <div>
                <label htmlFor={`runsOn-${value}`} className="block cursor-pointer font-medium text-slate-900">
                  {title}
                </label>
                <p id={`runsOn-${value}-note`} className="text-xs text-slate-500">
                  {note}
                </p>
              </div>
            </div>
          ))}
        </div>
      </fieldset>
      {!onSandbox && (
        <>
      <Field
        label={t("baseUrl")}
        name="baseUrl"
        error={fe.baseUrl}
        hint={profile?.custom ? (profile.baseUrlHint ?? t("baseUrlHint")) : t("baseUrlFixed")}
      >
        {profile && !profile.custom && profile.baseUrls.length > 1 ? (
          <Select name="baseUrl" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} error={fe.baseUrl}>
            {profile.baseUrls.map((u) => (
              <option key={u.url} value={u.url}>
                {u.label}: {u.url}
              </option>
            ))}
          </Select>
        ) : (
          <Input
            name="baseUrl"
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
            readOnly={!profile?.custom}
            className={profile?.custom ? "font-mono" : "bg-slate-50 font-mono text-slate-600"}
            placeholder="https://api.example.com/v1"
            error={fe.baseUrl}
          />
        )}
      </Field>
      <Field label={t("apiKey")} name="apiKey" error={fe.apiKey}>
        <Input name="apiKey" type="password" autoComplete="off" spellCheck={false} placeholder="sk-…" error={fe.apiKey} />
      </Field>
        </>
      )}
      <div className="flex justify-end gap-2 pt-2">
        <Button variant="secondary" onClick={onCancel}>
          {t("cancel")}
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("open")}
        </Button>
      </div>
    </form>
  );
}
