/**
 * Stands in for `rehype-raw` in the page's build (see vite.config.ts). Streamdown imports rehype-raw, and
 * with it the HTML parser parse5 (about 40 KiB gzip), only for its raw-HTML plugin, which Mylo never
 * uses: replies are Markdown only and raw HTML is dropped. If anything ever tries to turn raw HTML on,
 * this fails loudly instead of rendering the model's HTML.
 */
export default function rehypeRaw(): never {
  throw new Error("Raw HTML is never rendered in Mylo");
}
