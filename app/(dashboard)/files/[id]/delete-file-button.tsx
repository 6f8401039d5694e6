"use client";
// The file page's Delete: asks once, then removes the file and its requests (lib/files/delete.ts
// checks the role and that no batch ran on it) and goes back to the Files page (the action redirects).
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { deleteFileAction } from "@/lib/files/files.action";

export function DeleteFileButton({ id, name }: { id: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const [state, remove, pending] = useActionState(deleteFileAction, null);

  return (
    <div className="flex flex-col items-end gap-1">
      {confirming ? (
        <form action={remove} className="flex gap-2">
          <input type="hidden" name="fileId" value={id} />
          <Button type="submit" variant="danger" size="sm" disabled={pending}>
            {pending ? "Deleting…" : `Delete “${name.length > 40 ? `${name.slice(0, 40)}…` : name}”`}
          </Button>
          <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
            Keep
          </Button>
        </form>
      ) : (
        <Button variant="secondary" size="sm" onClick={() => setConfirming(true)}>
          Delete file
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
