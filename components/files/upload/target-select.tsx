"use client";
// "Check for": the connection whose provider limits an upload is checked against (?connection= on
// the upload), or any provider (the loosest limits). Shown only when the team has a connection.
import { Field, Select } from "@/components/ui/field";
import type { UploadTarget } from "@/lib/files/upload-targets";

export function TargetSelect({ targets, value, onChange, disabled }: { targets: UploadTarget[]; value: string; onChange: (id: string) => void; disabled: boolean }) {
  if (targets.length === 0) return null;
  return (
    <Field label="Check for" name="target" hint="The provider whose limits the requests must meet. Any provider: the loosest limits.">
      <Select name="target" value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        <option value="">Any provider</option>
        {targets.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name} ({t.label})
          </option>
        ))}
      </Select>
    </Field>
  );
}
