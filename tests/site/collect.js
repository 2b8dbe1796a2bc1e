// Run in the page once it has loaded: wait for MathJax and images, then return
// what the tests check, as plain data.
async () => {
  const withTimeout = (promise, ms) =>
    Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms))]);

  if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) {
    await withTimeout(window.MathJax.startup.promise, 15000);
  }
  const images = [...document.images];
  await withTimeout(
    Promise.all(
      images.map((img) => {
        if (img.loading === "lazy") img.loading = "eager";
        return img.decode().catch(() => null);
      }),
    ),
    15000,
  );
  if (document.fonts) await withTimeout(document.fonts.ready, 5000);

  const visible = (el) => (el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null);
  const article = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;

  // Maths: every Sphinx maths node must hold MathJax output, and no raw TeX may be left.
  const mathNodes = [...article.querySelectorAll(".math")];
  const untypeset = mathNodes
    .filter((el) => !el.querySelector("mjx-container") && el.tagName !== "MJX-CONTAINER")
    .map((el) => el.textContent.trim().slice(0, 80));
  const prose = article.cloneNode(true);
  prose
    .querySelectorAll("pre, code, script, style, textarea, mjx-container, .highlight, .cell_input, kbd")
    .forEach((el) => el.remove());
  const text = prose.textContent;
  const rawTex = [];
  const patterns = [/\\\(.{0,60}/g, /\\\[.{0,60}/g, /\\begin\{.{0,60}/g, /(^|[^\\$])\$[^$\s][^$\n]{0,200}?\$/g];
  for (const re of patterns) for (const m of text.matchAll(re)) rawTex.push(m[0].trim().slice(0, 80));

  // Images anywhere on the page (the theme's, too).
  const imageInfo = images.map((img) => ({
    src: img.currentSrc || img.src,
    alt: img.getAttribute("alt"),
    naturalWidth: img.naturalWidth,
    visible: visible(img),
  }));

  // Headings a reader (or a screen reader) meets: hidden print-only copies excluded.
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .filter(visible)
    .map((h) => ({ level: Number(h.tagName[1]), text: h.textContent.replace("#", "").trim().slice(0, 80) }));

  // Notebook cells, in page order.
  const cells = [...article.querySelectorAll("div.cell")].map((cell) => {
    const output = cell.querySelector(".cell_output");
    const views = [...cell.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
    return {
      classes: cell.className,
      outputs: output ? output.children.length : 0,
      outputText: output ? output.textContent.trim().slice(0, 200) : "",
      images: output ? [...output.querySelectorAll("img")].map((img) => img.naturalWidth) : [],
      widgetViews: views.length,
      widgetsRendered: views.filter((s) => {
        const box = s.previousElementSibling;
        return box && box.classList.contains("widget-subarea") && box.querySelector(".jupyter-widgets");
      }).length,
    };
  });

  const links = [...document.querySelectorAll("a[href]")]
    .filter((a) => /^https?:/.test(a.href) && new URL(a.href).origin !== location.origin)
    .map((a) => ({ href: a.href, text: (a.textContent || a.title || "").trim().slice(0, 60), cls: a.className }));

  return {
    title: document.title,
    lang: document.documentElement.getAttribute("lang") || "",
    headings,
    mathNodes: mathNodes.length,
    mathjaxOutputs: document.querySelectorAll("mjx-container").length,
    mathjaxLoaded: !!(window.MathJax && window.MathJax.version),
    mathjaxVersion: (window.MathJax && window.MathJax.version) || "",
    untypeset,
    rawTex,
    images: imageInfo,
    cells,
    widgetState: document.querySelectorAll('script[type="application/vnd.jupyter.widget-state+json"]').length,
    widgetViews: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
    externalLinks: links,
  };
}
