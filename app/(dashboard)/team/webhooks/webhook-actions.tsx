"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { deleteWebhookAction, sendTestEventAction, setWebhookEnabledAction } from "@/lib/notify/notify.action";
import { Button } from "@/components/ui/button";

export function WebhookActions({ webhookId, enabled }: { webhookId: string; enabled: boolean }) {
  const t = useTranslations("team.webhooks.actions");
  const [test, testAction, testing] = useActionState(sendTestEventAction, null);
  const [toggle, toggleAction, toggling] = useActionState(setWebhookEnabledAction, null);
  const [del, delAction, deleting] = useActionState(deleteWebhookAction, null);
  const failed = [toggle, del].find((s) => s && !s.ok);
  const tested = test ? (test.ok ? test.data : { ok: false, message: test.message }) : null;
  return (
    <div className="flex flex-col items-start gap-2">
      <div className="flex flex-wrap gap-2">
        <form action={testAction}>
          <input type="hidden" name="webhookId" value={webhookId} />
          <Button type="submit" size="sm" variant="secondary" disabled={testing || !enabled}>
            {testing ? t("sending") : t("sendTest")}
          </Button>
        </form>
        <form action={toggleAction}>
          <input type="hidden" name="webhookId" value={webhookId} />
          <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
          <Button type="submit" size="sm" variant="secondary" disabled={toggling}>
            {enabled ? t("disable") : t("enable")}
          </Button>
        </form>
        <form
          action={delAction}
          onSubmit={(e) => {
            if (!confirm(t("confirmDelete"))) e.preventDefault();
          }}
        >
          <input type="hidden" name="webhookId" value={webhookId} />
          <Button type="submit" size="sm" variant="danger" disabled={deleting}>
            {t("delete")}
          </Button>
        </form>
      </div>
      {tested && (
        <p role={tested.ok ? "status" : "alert"} className={tested.ok ? "text-xs text-emerald-700" : "text-xs text-red-700"}>
          {tested.message}
        </p>
      )}
      {failed && !failed.ok && (
        <p role="alert" className="text-xs text-red-700">
          {failed.message}
        </p>
      )}
    </div>
  );
}
