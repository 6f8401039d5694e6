// The inputs of the template actions, shared by the forms (browser) and the server.
import { z } from "zod";
import { csvMapping } from "@/lib/csv/mapping";

const name = z.string({ error: "Name the template." }).trim().min(1, "Name the template.").max(80, "Use at most 80 characters.");

export const saveTemplateInput = z.object({ name, mapping: csvMapping });
export type SaveTemplateInput = z.input<typeof saveTemplateInput>;

export const renameTemplateInput = z.object({ templateId: z.string().min(1), name });
export type RenameTemplateInput = z.infer<typeof renameTemplateInput>;

export const templateIdInput = z.object({ templateId: z.string().min(1) });
