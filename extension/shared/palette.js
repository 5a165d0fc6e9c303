// Campfire's colours, light and dark (following the system's prefers-color-scheme), as CSS
// custom properties: the one place they are written. Campfire's own pages get them on
// <html>; the badges and the compose panel put CSS into their shadow roots (`:host`).
(() => {
  const LIGHT = {
    bg: "#ffffff", "bg-soft": "#f6f8fa", "bg-hover": "#eaeef2", text: "#1f2328", muted: "#59636e",
    border: "#d1d9e0", "border-strong": "#8c959f", link: "#0969da", focus: "#0969da", ok: "#1a7f37",
    warn: "#bf8700", "warn-text": "#9a6700", error: "#cf222e", info: "#0969da",
    button: "#1f883d", "button-hover": "#1a7f37", "button-border": "#1a7f37", "button-text": "#ffffff",
    shadow: "rgba(140,149,159,.35)",
    "promo-text": "#8a4b00", "promo-border": "#e3b341", "promo-bg": "#fff8e5",
    "tie-text": "#a40e26", "tie-border": "#ff8182", "tie-bg": "#fff0f0",
    "talk-text": "#116329", "talk-border": "#4ac26b", "talk-bg": "#effff3",
    "mark-error": "#ffebe9", "mark-warning": "#fff8c5", "mark-info": "#ddf4ff",
  };
  const DARK = {
    bg: "#0d1117", "bg-soft": "#161b22", "bg-hover": "#21262d", text: "#e6edf3", muted: "#9198a1",
    border: "#3d444d", "border-strong": "#656c76", link: "#4493f8", focus: "#4493f8", ok: "#3fb950",
    warn: "#d29922", "warn-text": "#d29922", error: "#f85149", info: "#4493f8",
    button: "#238636", "button-hover": "#2ea043", "button-border": "#2ea043", "button-text": "#ffffff",
    shadow: "rgba(1,4,9,.8)",
    "promo-text": "#e3b341", "promo-border": "#9e6a03", "promo-bg": "#2e1f00",
    "tie-text": "#ff9492", "tie-border": "#da3633", "tie-bg": "#3a0a0c",
    "talk-text": "#56d364", "talk-border": "#238636", "talk-bg": "#0b2a16",
    "mark-error": "#5d0f12", "mark-warning": "#4b3a00", "mark-info": "#0c2d6b",
  };
  const declarations = (colours) => Object.entries(colours).map(([k, v]) => `--cf-${k}: ${v};`).join(" ");

  // CSS defining every --cf-* colour on `selector`, light by default, dark when the system is.
  function css(selector) {
    return `${selector} { color-scheme: light dark; ${declarations(LIGHT)} }
      @media (prefers-color-scheme: dark) { ${selector} { ${declarations(DARK)} } }`;
  }

  if (/^(chrome|moz)-extension:$/.test(location.protocol)) {
    const style = document.createElement("style");
    style.textContent = css(":root");
    document.head.append(style);
  }

  globalThis.CampfirePalette = { LIGHT, DARK, css };
})();
