// The preferences form: one checkbox per event type and channel, named "inApp:<type>" / "email:<type>".
import { z } from "zod";
import { EVENT_TYPES } from "./events";

const box = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());
export const fieldName = (channel: "inApp" | "email", type: string) => `${channel}:${type}`;

export const savePreferencesInput = z.object(Object.fromEntries(EVENT_TYPES.flatMap((t) => [[fieldName("inApp", t), box], [fieldName("email", t), box]])) as Record<string, typeof box>);
