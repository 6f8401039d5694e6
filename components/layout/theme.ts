// The themes a member can choose and the cookie that carries the choice to the server (read by the
// root layout to render <html>'s class). Shared by the server layout and the client switch.
export const themes = ["system", "light", "dark"] as const;
export type Theme = (typeof themes)[number];
export const THEME_COOKIE = "theme";

export const parseTheme = (v: string | undefined): Theme => (themes as readonly string[]).includes(v ?? "") ? (v as Theme) : "system";
