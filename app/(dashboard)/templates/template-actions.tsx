"use client";
// Use, rename and delete one saved template (members and above; the actions check it again).
import Link from "next/link";
import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { Button, buttonClass } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { deleteTemplateAction, renameTemplateAction } from "@/lib/templates/templates.action";

export function TemplateActions({ id, name }: { id: string; name: string }) {
  const t = useTranslations("templates.actions");
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [renameState, rename, renamePending] = useActionState(async (prev: unknown, form: FormData) => {
    const r = await renameTemplateAction(prev, form);
    if (r.ok) setRenaming(false);
    return r;
  }, null);
  const [deleteState, remove, deletePending] = useActionState(deleteTemplateAction, null);

  return (
    <div className="flex flex-col items-start gap-2 md:items-end">
      <div className="flex flex-wrap gap-2">
        <Link href={`/files?template=${encodeURIComponent(id)}`} className={buttonClass("primary", "sm")}>
          {t("use")}
        </Link>
        <Button variant="secondary" size="sm" onClick={() => setRenaming((x) => !x)} aria-expanded={renaming}>
          {t("rename")}
        </Button>
        {confirming ? (
          <form action={remove} className="flex gap-2">
            <input type="hidden" name="templateId" value={id} />
            <Button type="submit" variant="danger" size="sm" disabled={deletePending}>
              {deletePending ? t("deleting") : t("deleteNamed", { name })}
            </Button>
            <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
              {t("keep")}
            </Button>
          </form>
        ) : (
          <Button variant="danger" size="sm" onClick={() => setConfirming(true)}>
            {t("delete")}
          </Button>
        )}
      </div>
      {renaming && (
        <form action={rename} className="flex gap-2">
          <input type="hidden" name="templateId" value={id} />
          <Input name="name" id={`rename-${id}`} aria-label={t("newName", { name })} defaultValue={name} className="w-52 py-1.5" error={renameState && !renameState.ok ? renameState.message : undefined} />
          <Button type="submit" size="sm" disabled={renamePending}>
            {t("save")}
          </Button>
        </form>
      )}
      {renameState && !renameState.ok && (
        <p role="alert" className="text-xs text-red-600">
          {renameState.message}
        </p>
      )}
      {deleteState && !deleteState.ok && (
        <p role="alert" className="text-xs text-red-600">
          {deleteState.message}
        </p>
      )}
    </div>
  );
}
