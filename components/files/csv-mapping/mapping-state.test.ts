// The mapping step's reducer: the first form (from the page's template, else guessed), edits, the
// choice of a template (None keeps the form), what saving says and when it is cleared, and a
// template saved here counting as chosen before the page's list has it.
import { describe, expect, it } from "vitest";
import { csvMapping } from "@/lib/csv/mapping";
import { formFromMapping, guessForm, type TemplateOption } from "./csv-form";
import { chosenTemplate, initialMapping, mappingReducer, type MappingState } from "./mapping-state";

const columns = ["id", "question", "lang"];
const template: TemplateOption = {
  id: "t1",
  name: "Questions",
  mapping: csvMapping.parse({ customId: { from: "column", column: "id" }, template: "{{question}}", model: "m1", endpoint: "/v1/chat/completions" }),
};

describe("initialMapping", () => {
  it("starts from the page's template when there is one, else from the header", () => {
    expect(initialMapping(columns, [template], "t1")).toMatchObject({ form: formFromMapping(template.mapping), templateId: "t1", touched: false });
    expect(initialMapping(columns, [template], undefined)).toMatchObject({ form: guessForm(columns), templateId: "" });
    expect(initialMapping(columns, [template], "gone")).toMatchObject({ form: guessForm(columns), templateId: "" });
  });
});

describe("mappingReducer", () => {
  const start: MappingState = { ...initialMapping(columns, [], undefined), saveNotice: { ok: true, message: "Saved" } };

  it("sets one field and clears what saving said", () => {
    const s = mappingReducer(start, { type: "set", key: "model", value: "m2" });
    expect(s.form).toEqual({ ...start.form, model: "m2" });
    expect(s.saveNotice).toBeNull();
  });

  it("fills the form from a chosen template; None keeps the form", () => {
    const edited = mappingReducer(start, { type: "set", key: "model", value: "m2" });
    const chosen = mappingReducer(edited, { type: "choose", id: "t1", templates: [template] });
    expect(chosen).toMatchObject({ templateId: "t1", form: formFromMapping(template.mapping), saveNotice: null });
    const none = mappingReducer(chosen, { type: "choose", id: "", templates: [template] });
    expect(none).toMatchObject({ templateId: "", form: chosen.form });
  });

  it("shows errors once touched, and keeps what saving said", () => {
    expect(mappingReducer(start, { type: "touch" })).toMatchObject({ touched: true, saveNotice: start.saveNotice });
  });

  it("says why a save failed", () => {
    expect(mappingReducer(start, { type: "saveFailed", message: "Name the template." }).saveNotice).toEqual({ ok: false, message: "Name the template." });
  });

  it("chooses a template saved here, which counts as chosen before the page's list has it", () => {
    const s = mappingReducer(start, { type: "saved", template, message: 'Saved as "Questions".' });
    expect(s).toMatchObject({ templateId: "t1", justSaved: template, saveNotice: { ok: true, message: 'Saved as "Questions".' } });
    expect(chosenTemplate(s, [])).toBe(template);
    const fromList = { ...template, name: "Questions (listed)" };
    expect(chosenTemplate(s, [fromList])).toBe(fromList);
    expect(chosenTemplate(mappingReducer(s, { type: "choose", id: "", templates: [] }), [])).toBeUndefined();
  });
});
