// The mapping step's state and its one reducer: the form as the inputs hold it (csv-form.ts), the
// saved template chosen, whether an upload or a save was tried (errors show from then on), a
// template just saved here, and what saving said. Any change to the form or the choice of template
// clears what saving said, so a "Saved" never stands beside a form that is no longer the template.
// Pure: mapping-step.tsx runs it through useReducer.
import { formFromMapping, guessForm, type MappingForm, type TemplateOption } from "./csv-form";

export interface MappingState {
  form: MappingForm;
  /** The saved template chosen, "" for none. */
  templateId: string;
  /** An upload or a save was tried: the form's errors show from then on. */
  touched: boolean;
  /** A template saved here, counted as chosen until the page's list has it. */
  justSaved: TemplateOption | null;
  /** What the last save said, until the next change. */
  saveNotice: { ok: boolean; message: string } | null;
}

export type MappingAction =
  | { type: "set"; key: keyof MappingForm; value: MappingForm[keyof MappingForm] }
  | { type: "choose"; id: string; templates: TemplateOption[] }
  | { type: "touch" }
  | { type: "saveFailed"; message: string }
  | { type: "saved"; template: TemplateOption; message: string };

/** Sets one field of the form (what the form's parts are given). */
export type SetField = <K extends keyof MappingForm>(key: K, value: MappingForm[K]) => void;

/** The form from the template the page was opened with, else guessed from the header. */
export function initialMapping(columns: string[], templates: TemplateOption[], templateId: string | undefined): MappingState {
  const t = templates.find((x) => x.id === templateId);
  return { form: t ? formFromMapping(t.mapping) : guessForm(columns), templateId: t?.id ?? "", touched: false, justSaved: null, saveNotice: null };
}

export function mappingReducer(state: MappingState, action: MappingAction): MappingState {
  switch (action.type) {
    case "set":
      return { ...state, form: { ...state.form, [action.key]: action.value }, saveNotice: null };
    case "choose": {
      // "None" keeps the form as it is: only a template fills it.
      const t = action.templates.find((x) => x.id === action.id);
      return { ...state, templateId: action.id, form: t ? formFromMapping(t.mapping) : state.form, saveNotice: null };
    }
    case "touch":
      return { ...state, touched: true };
    case "saveFailed":
      return { ...state, saveNotice: { ok: false, message: action.message } };
    case "saved":
      return { ...state, templateId: action.template.id, justSaved: action.template, saveNotice: { ok: true, message: action.message } };
  }
}

/** The template chosen (or just saved here), if any. */
export function chosenTemplate(state: MappingState, templates: TemplateOption[]): TemplateOption | undefined {
  return templates.find((t) => t.id === state.templateId) ?? (state.justSaved?.id === state.templateId ? state.justSaved : undefined);
}
