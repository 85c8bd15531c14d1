// `npm run check:web-size`: the web app's size budget (gzip), read from a build in dist/web
// (`npm run build:web` first). Exits 1 when a budget is exceeded, or when the build cannot be read.
//   initial JS: index.html's scripts, the entry chunk and its static imports            ≤ 150 KiB
//   first chat view: initial JS + the chat route's chunk + its lazy Markdown chunk,
//                    each with its static imports                                        ≤ 300 KiB
//   CSS: every stylesheet of the build                                                    ≤ 15 KiB
// dist/web/vendor/ (the API reference's own script, loaded only by /docs) is not part of the app.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist", "web");
const KiB = 1024;
const budgets = { initial: 150 * KiB, chatView: 300 * KiB, css: 15 * KiB };

function fail(message) {
  console.error(`check:web-size: ${message}`);
  process.exit(1);
}

const manifestPath = path.join(dist, ".vite", "manifest.json");
const indexPath = path.join(dist, "index.html");
if (!existsSync(indexPath) || !existsSync(manifestPath)) {
  fail(`no build in ${path.relative(root, dist)} (with .vite/manifest.json): run \`npm run build:web\` first`);
}
/** @type {Record<string, { file: string, src?: string, name?: string, isEntry?: boolean, imports?: string[], dynamicImports?: string[], css?: string[] }>} */
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const html = readFileSync(indexPath, "utf8");

const isVendor = (file) => file.split("/")[0] === "vendor";
const sizes = new Map();
function sizeOf(file) {
  let size = sizes.get(file);
  if (!size) {
    const full = path.join(dist, file);
    if (!existsSync(full)) fail(`${file} is referenced by the build but missing`);
    const bytes = readFileSync(full);
    size = { raw: bytes.length, gzip: gzipSync(bytes).length };
    sizes.set(file, size);
  }
  return size;
}

/** A chunk's file and the files of everything it imports statically, transitively. */
function withStaticImports(key, into = new Set()) {
  const chunk = manifest[key];
  if (!chunk) fail(`the manifest has no chunk ${key}`);
  if (into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const imported of chunk.imports ?? []) withStaticImports(imported, into);
  return into;
}

/** Keys of the chunks a chunk (or one of its static imports) loads with `import()`. */
function lazyImportsOf(key) {
  const seen = new Set();
  const lazy = new Set();
  const visit = (current) => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const imported of manifest[current]?.imports ?? []) visit(imported);
    for (const dynamic of manifest[current]?.dynamicImports ?? []) lazy.add(dynamic);
  };
  visit(key);
  return [...lazy];
}

const sourceOf = (key) => manifest[key]?.src ?? key;

// Initial JS: the scripts index.html loads (module entry, modulepreloads, classic scripts such as the
// theme script) and the entry chunk's static imports.
const entryKeys = Object.keys(manifest).filter((key) => manifest[key].isEntry);
if (entryKeys.length === 0) fail("the manifest lists no entry chunk");
const initial = new Set();
for (const key of entryKeys) withStaticImports(key, initial);
for (const match of html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"[^>]*>/g)) {
  const tag = match[0];
  const file = match[1].replace(/^\.?\//, "");
  if (/^[a-z]+:/i.test(match[1]) || !file.endsWith(".js") || isVendor(file)) continue;
  if (tag.startsWith("<link") && !/rel="modulepreload"/.test(tag)) continue;
  initial.add(file);
}

// The first chat view: the chat route's chunk and its lazy Markdown chunk.
const chatKey = Object.keys(manifest).find((key) => /(^|\/)routes\/chat\.[jt]sx?$/.test(sourceOf(key)));
if (!chatKey) fail("no chunk for the chat route (src/web/routes/chat.tsx) in the manifest");
const markdownKey = lazyImportsOf(chatKey).find((key) => /markdown|streamdown/i.test(sourceOf(key)));
if (!markdownKey) fail(`the chat route (${sourceOf(chatKey)}) loads no lazy Markdown chunk`);
const chatView = new Set(initial);
withStaticImports(chatKey, chatView);
withStaticImports(markdownKey, chatView);

// CSS: every stylesheet in the build.
function listFiles(folder, prefix = "") {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory())
      return relative === "vendor" || relative === ".vite" ? [] : listFiles(path.join(folder, entry.name), relative);
    return [relative];
  });
}
const css = new Set(listFiles(dist).filter((file) => file.endsWith(".css")));

const kib = (bytes) => `${(bytes / KiB).toFixed(1)} KiB`;
const total = (files) => [...files].reduce((sum, file) => sum + sizeOf(file).gzip, 0);

const groups = [
  { name: "initial JS", files: initial, budget: budgets.initial },
  {
    name: `first chat view (initial + ${sourceOf(chatKey)} + ${sourceOf(markdownKey)})`,
    files: chatView,
    budget: budgets.chatView,
  },
  { name: "CSS", files: css, budget: budgets.css },
];

const everyFile = [...new Set(groups.flatMap((group) => [...group.files]))].sort();
const width = Math.max(...everyFile.map((file) => file.length), 4);
console.log(`${"file".padEnd(width)}  ${"raw".padStart(10)}  ${"gzip".padStart(10)}`);
for (const file of everyFile) {
  const size = sizeOf(file);
  console.log(`${file.padEnd(width)}  ${kib(size.raw).padStart(10)}  ${kib(size.gzip).padStart(10)}`);
}
console.log("");

let over = false;
const nameWidth = Math.max(...groups.map((group) => group.name.length));
console.log(`${"budget".padEnd(nameWidth)}  ${"gzip".padStart(10)}  ${"limit".padStart(10)}  result`);
for (const group of groups) {
  const size = total(group.files);
  const ok = size <= group.budget;
  if (!ok) over = true;
  console.log(
    `${group.name.padEnd(nameWidth)}  ${kib(size).padStart(10)}  ${kib(group.budget).padStart(10)}  ${ok ? "ok" : "OVER BUDGET"}`,
  );
}
if (over) fail("the web app is over its size budget");
