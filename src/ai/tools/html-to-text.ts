const namedEntities: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  laquo: "«",
  raquo: "»",
  euro: "€",
  pound: "£",
  yen: "¥",
  copy: "©",
  deg: "°",
};

// Bounded repetitions: a run of letters or digits after `&` is read once, never re-scanned.
const entityPattern = /&(#x[0-9a-f]{1,8}|#[0-9]{1,10}|[a-z]{1,32});/gi;

export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(entityPattern, (match, entity: string) => {
    if (entity[0] === "#") {
      const code =
        entity[1] === "x" || entity[1] === "X" ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return namedEntities[entity.toLowerCase()] ?? match;
  });
}

/** Elements whose content is never readable text; dropped with their content when they are closed. */
const hiddenElements = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "canvas",
  "iframe",
  "object",
  "head",
  "nav",
]);
const blockElements = new Set([
  "p",
  "div",
  "section",
  "article",
  "main",
  "header",
  "footer",
  "nav",
  "aside",
  "li",
  "ul",
  "ol",
  "dl",
  "dt",
  "dd",
  "tr",
  "table",
  "thead",
  "tbody",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "br",
  "hr",
  "blockquote",
  "pre",
  "figure",
  "figcaption",
  "form",
  "label",
]);

const longestKnownName = Math.max(...[...hiddenElements, ...blockElements].map((name) => name.length));

export const htmlTextDefaults = {
  maxChars: 100_000,
  titleMaxChars: 300,
  /** Tags and text pieces read per character of text kept, and at least this many in all. */
  tokensPerChar: 4,
  minTokens: 10_000,
  textWindow: 16 * 1024,
};

export interface HtmlText {
  title: string | null;
  text: string;
  /** Some of the page's text is not here: it had more than `maxChars`, or reading stopped at its budget. */
  truncated: boolean;
}

function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 // _
  );
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * A search that only ever moves forward through one document and remembers its last answer, so each
 * position is examined at most once however many tags ask: hostile markup such as `<a<a<a…` or
 * thousands of unclosed `<script>` would otherwise rescan the rest of the page for every tag.
 */
class ForwardSearch {
  private from = -1;
  private at = -1;
  /** Where the last match found ends. */
  endOfMatch = -1;

  constructor(private readonly find: (from: number, search: ForwardSearch) => number) {}

  /** The start of the first match at or after `from`, or -1. */
  next(from: number): number {
    if (this.from < 0 || from < this.from || (this.at !== -1 && from > this.at)) {
      this.from = from;
      this.at = this.find(from, this);
    }
    return this.at;
  }
}

function literalSearch(html: string, needle: string): ForwardSearch {
  return new ForwardSearch((from, search) => {
    const at = html.indexOf(needle, from);
    search.endOfMatch = at + needle.length;
    return at;
  });
}

/** The first `</name>` (spaces allowed before the `>`), as the closing tag of a hidden element. */
function closerSearch(html: string, name: string): ForwardSearch {
  const pattern = new RegExp(`</${name}\\s*>`, "gi");
  return new ForwardSearch((from, search) => {
    pattern.lastIndex = from;
    const match = pattern.exec(html);
    search.endOfMatch = match ? match.index + match[0].length : -1;
    return match ? match.index : -1;
  });
}

function findTitle(html: string): string | null {
  const open = /<title\b/i.exec(html);
  if (!open) return null;
  const start = html.indexOf(">", open.index + 6);
  if (start === -1) return null;
  const close = /<\/title\s*>/gi;
  close.lastIndex = start + 1;
  const end = close.exec(html);
  if (!end) return null;
  const raw = html.slice(start + 1, Math.min(end.index, start + 1 + htmlTextDefaults.titleMaxChars * 4));
  const title = decodeEntities(raw).replace(/\s+/g, " ").trim().slice(0, htmlTextDefaults.titleMaxChars);
  return title || null;
}

/**
 * Readable text from HTML in one forward pass, without a DOM: hidden elements dropped with their
 * content, block boundaries kept as line breaks, entities decoded, whitespace collapsed. Malformed
 * markup is read as a browser would (a `<` that starts no tag is text; an unclosed comment or tag ends
 * the page). The work is bounded as well as linear: at most `maxChars` of text is kept, and reading
 * stops after a number of tags and text pieces proportional to it, so a page of nothing but markup
 * costs no more than an ordinary one.
 */
export function htmlToText(html: string, options: { maxChars?: number } = {}): HtmlText {
  const maxChars = options.maxChars ?? htmlTextDefaults.maxChars;
  // Collapsing while collecting keeps the running length close to the final one; the slack covers the
  // spaces the final pass still removes around line breaks.
  const textBudget = maxChars + 1024;
  const tokenBudget = Math.max(htmlTextDefaults.minTokens, maxChars * htmlTextDefaults.tokensPerChar);
  const pieces: string[] = [""];
  let kept = 0;
  let tokens = 0;
  // The last piece is a break (or the empty start), which a following break replaces or joins.
  let lastIsBreak = true;

  const addBreak = (kind: " " | "\n") => {
    tokens++;
    if (lastIsBreak) {
      if (kind === "\n") pieces[pieces.length - 1] = "\n";
      return;
    }
    pieces.push(kind);
    kept += 1;
    lastIsBreak = true;
  };
  const addTextPiece = (raw: string) => {
    tokens++;
    const text = decodeEntities(raw).replace(/[ \t\f\v\u00a0]+/g, " ");
    if (text.trim().length === 0) {
      if (text.length > 0) addBreak(text.includes("\n") || text.includes("\r") ? "\n" : " ");
      return;
    }
    pieces.push(text);
    kept += text.length;
    lastIsBreak = false;
  };
  // Long runs of text are taken a window at a time, so text past the budget is never decoded.
  const addText = (start: number, end: number) => {
    for (let from = start; from < end && kept <= textBudget; ) {
      let to = Math.min(end, from + htmlTextDefaults.textWindow);
      if (to < end) {
        // Not through the middle of an entity.
        const amp = html.lastIndexOf("&", to);
        if (amp > from && amp > to - 40) to = amp;
      }
      addTextPiece(html.slice(from, to));
      from = to;
    }
  };

  const tagEnd = literalSearch(html, ">");
  const commentEnd = literalSearch(html, "-->");
  const closers = new Map<string, ForwardSearch>();

  let index = 0;
  const length = html.length;
  let reachedEnd = false;
  while (index < length && kept <= textBudget && tokens <= tokenBudget) {
    const lt = html.indexOf("<", index);
    if (lt === -1) {
      addText(index, length);
      index = length;
      break;
    }
    const next = html.charCodeAt(lt + 1);
    const isMarkup = next === 33 || next === 47 || next === 63 || isLetter(next); // ! / ?
    if (!isMarkup) {
      // A `<` that starts no tag is text, up to the next `<`.
      const following = html.indexOf("<", lt + 1);
      const stop = following === -1 ? length : following;
      addText(index, stop);
      index = stop;
      continue;
    }
    if (lt > index) addText(index, lt);

    if (next === 33 && html.startsWith("<!--", lt)) {
      const end = commentEnd.next(lt + 4);
      // An unclosed comment runs to the end of the page.
      if (end === -1) {
        reachedEnd = true;
        break;
      }
      addBreak(" ");
      index = end + 3;
      continue;
    }
    const end = tagEnd.next(lt + 1);
    // So does a tag or declaration that never closes.
    if (end === -1) {
      reachedEnd = true;
      break;
    }
    index = end + 1;
    if (next === 33 || next === 63) {
      addBreak(" ");
      continue;
    }
    const nameStart = next === 47 ? lt + 2 : lt + 1;
    let nameEnd = nameStart;
    while (nameEnd < length && isWordChar(html.charCodeAt(nameEnd))) nameEnd++;
    // Only short names can be hidden or block elements; longer ones need no lookup (nor a new string).
    const name = nameEnd - nameStart <= longestKnownName ? html.slice(nameStart, nameEnd).toLowerCase() : "";
    if (next !== 47 && hiddenElements.has(name)) {
      let closer = closers.get(name);
      if (!closer) {
        closer = closerSearch(html, name);
        closers.set(name, closer);
      }
      if (closer.next(nameEnd) !== -1) {
        addBreak(" ");
        index = closer.endOfMatch;
        continue;
      }
      // Never closed: only the tag goes, as for any other element.
    }
    addBreak(blockElements.has(name) ? "\n" : " ");
  }
  if (index >= length) reachedEnd = true;

  const text = pieces
    .join("")
    .replace(/[ \t\f\v\u00a0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{2,}/g, "\n")
    .trim();
  const truncated = !reachedEnd || kept > textBudget || text.length > maxChars;
  return { title: findTitle(html), text: truncated ? text.slice(0, maxChars) : text, truncated };
}
