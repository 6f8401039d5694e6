"use client";
// A file's Delete: asks once, then removes the file and its requests (lib/files/delete.ts checks the
// role and what uses the file) and goes back to the Files page (the action redirects). A file that
// must stay (a batch or a job uses it) shows why instead of the button. `compact`: the Files list's
// Remove, for uploads that stored nothing.
import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { deleteFileAction } from "@/lib/files/files.action";

export function DeleteFileButton({ id, name, blocked, compact }: { id: string; name: string; blocked?: string | null; compact?: boolean }) {
  const t = useTranslations("files.delete");
  const [confirming, setConfirming] = useState(false);
  const [state, remove, pending] = useActionState(deleteFileAction, null);
  const short = name.length > 40 ? `${name.slice(0, 40)}…` : name;

  if (blocked) {
    return (
      <p className="max-w-xs text-right text-xs text-slate-500" data-testid="delete-blocked">
        {blocked}
      </p>
    );
  }
  return (
    <div className={compact ? "flex items-center justify-end gap-1" : "flex flex-col items-end gap-1"}>
      {confirming ? (
        <form action={remove} className="flex gap-2">
          <input type="hidden" name="fileId" value={id} />
          <Button type="submit" variant="danger" size="sm" disabled={pending} aria-label={compact ? t("removeConfirmLabel", { name }) : undefined}>
            {pending ? t("deleting") : compact ? t("remove") : t("confirm", { name: short })}
          </Button>
          <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
            {t("keep")}
          </Button>
        </form>
      ) : (
        <Button variant={compact ? "ghost" : "secondary"} size="sm" onClick={() => setConfirming(true)} aria-label={compact ? t("removeLabel", { name }) : undefined}>
          {compact ? t("remove") : t("button")}
        </Button>
      )}
      {state && !state.ok && (
        <p role="alert" className="max-w-xs text-right text-xs text-red-600">
          {state.message}
        </p>
      )}
    </div>
  );
}
