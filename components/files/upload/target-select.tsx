"use client";
// "Check for": the connection whose provider limits an upload is checked against (?connection= on
// the upload), or any provider (the loosest limits). Shown only when the team has a connection.
import { useTranslations } from "next-intl";
import { useProviderLabel } from "@/components/ui/provider-label";
import { Field, Select } from "@/components/ui/field";
import type { UploadTarget } from "@/lib/files/upload-targets";
import { connectionLabel } from "@/lib/providers/profile";

export function TargetSelect({ targets, value, onChange, disabled }: { targets: UploadTarget[]; value: string; onChange: (id: string) => void; disabled: boolean }) {
  const t = useTranslations("upload");
  const providerName = useProviderLabel();
  if (targets.length === 0) return null;
  return (
    <Field label={t("checkFor")} name="target" hint={t("checkForHint")}>
      <Select name="target" value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        <option value="">{t("anyProvider")}</option>
        {targets.map((c) => (
          <option key={c.id} value={c.id}>
            {connectionLabel(c.name, providerName(c.label))}
          </option>
        ))}
      </Select>
    </Field>
  );
}
