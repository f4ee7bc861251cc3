/**
 * Reads the value inside a `${jsonencode(...)}` expression, as cdktf renders `Fn.jsonencode()` (and users
 * write by hand): HCL object and tuple constructors, quoted strings, numbers, booleans and null become
 * JSON; every other expression (a reference, a function call, a conditional, a for expression, an
 * operation) stays a `${...}` string with its source text, exactly as HashiCorp's own HCL-to-JSON
 * converter (`@cdktf/hcl2json`) returns it. A test holds the two to the same output.
 *
 * Why not call `@cdktf/hcl2json` here: it is asynchronous (a Go WebAssembly module behind a promise),
 * and the checks run inside a construct validation, which is synchronous; loading it costs ~130 ms and
 * ~65 MB on every synth (measured, see modules/policy/README.md). This reader is ~150 lines, pure and
 * synchronous; it returns undefined (never throws) for anything it does not understand, and the rules
 * then report "not checked".
 */

const JSONENCODE = /^\$\{jsonencode\(([\s\S]*)\)\}$/;

/** True for a string this file can read: JSON text (perhaps with `${...}` inside strings), or `${jsonencode(...)}`. */
export function isEncodedJson(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const text = value.trim();
  return text.startsWith('{') || text.startsWith('[') || JSONENCODE.test(text);
}

const decoded = new Map<string, unknown>();

/**
 * The value of `${jsonencode(<value>)}`, or of a JSON string; undefined when it cannot be read. Results
 * are shared between callers (several rules read the same document): treat them as read-only.
 */
export function readEncodedJson(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  if (decoded.has(value)) return decoded.get(value);
  const result = decode(value);
  if (decoded.size > 2_000) decoded.clear();
  decoded.set(value, result);
  return result;
}

function decode(value: string): unknown {
  const text = value.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  const m = JSONENCODE.exec(text);
  return m ? readHclValue(m[1]) : undefined;
}

class Unreadable extends Error {}

/** Reads one HCL expression as a JSON value (see the file comment); undefined if it is not well formed. */
export function readHclValue(source: string): unknown {
  try {
    const reader = new Reader(source);
    const value = reader.value(false);
    reader.skipSpace(true);
    if (reader.i !== source.length) return undefined;
    return value;
  } catch (e) {
    if (e instanceof Unreadable || e instanceof SyntaxError) return undefined;
    throw e;
  }
}

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

class Reader {
  public i = 0;
  constructor(private readonly s: string) {}

  /** Skips blanks and comments; newlines too when `newlines` (inside brackets, HCL ignores them). */
  public skipSpace(newlines: boolean): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.i++;
      else if (c === '#' || (c === '/' && this.s[this.i + 1] === '/')) {
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      } else if (c === '/' && this.s[this.i + 1] === '*') {
        const end = this.s.indexOf('*/', this.i + 2);
        if (end < 0) throw new Unreadable();
        this.i = end + 2;
      } else return;
    }
  }

  /** One expression. `inObject`: a newline ends it (object items are newline- or comma-separated). */
  public value(inObject: boolean): unknown {
    this.skipSpace(true);
    const start = this.i;
    const end = this.scanExpression(inObject);
    const text = this.s.slice(start, end).trim();
    if (text === '') throw new Unreadable();
    this.i = end;
    const literal = this.literal(text);
    return literal.ok ? literal.value : `\${${text}}`;
  }

  /** Where the expression starting at `i` ends: the first `,` `]` `}` `)` (or newline) at its own level. */
  private scanExpression(inObject: boolean): number {
    let j = this.i;
    const stack: string[] = [];
    while (j < this.s.length) {
      const c = this.s[j];
      if (c === '"') {
        j = scanString(this.s, j);
        continue;
      }
      if (c === '<' && this.s[j + 1] === '<') throw new Unreadable(); // heredocs: cdktf never renders them
      if (c === '#' || (c === '/' && (this.s[j + 1] === '/' || this.s[j + 1] === '*'))) {
        if (stack.length === 0) return j; // a comment ends the expression
        const end = c === '/' && this.s[j + 1] === '*' ? this.s.indexOf('*/', j) + 2 : this.s.indexOf('\n', j);
        if (end <= 1) throw new Unreadable();
        j = end;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') stack.push(CLOSE[c]);
      else if (c === ')' || c === ']' || c === '}') {
        if (stack.length === 0) return j;
        if (stack.pop() !== c) throw new Unreadable();
      } else if (stack.length === 0 && (c === ',' || (inObject && c === '\n'))) return j;
      j++;
    }
    if (stack.length > 0) throw new Unreadable();
    return j;
  }

  private literal(text: string): { ok: true; value: unknown } | { ok: false } {
    if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
    if (text === 'null') return { ok: true, value: null };
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return { ok: true, value: Number(text) };
    if (text.startsWith('"') && scanString(text, 0) === text.length) return { ok: true, value: decodeString(text) };
    const isFor = /^[[{]\s*for\s/.test(text);
    if (!isFor && text.startsWith('{') && matchingClose(text) === text.length - 1) {
      return { ok: true, value: new Reader(text.slice(1, -1)).objectItems() };
    }
    if (!isFor && text.startsWith('[') && matchingClose(text) === text.length - 1) {
      return { ok: true, value: new Reader(text.slice(1, -1)).tupleItems() };
    }
    return { ok: false };
  }

  private objectItems(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      this.skipSpace(true);
      if (this.i >= this.s.length) return out;
      const key = this.key();
      this.skipSpace(false);
      const sep = this.s[this.i];
      if (sep !== '=' && sep !== ':') throw new Unreadable();
      this.i++;
      out[key] = this.value(true);
      this.skipSpace(false);
      if (this.s[this.i] === ',' || this.s[this.i] === '\n') this.i++;
      else if (this.i < this.s.length) throw new Unreadable();
    }
  }

  private key(): string {
    const c = this.s[this.i];
    if (c === '"') {
      const end = scanString(this.s, this.i);
      const key = decodeString(this.s.slice(this.i, end));
      this.i = end;
      return key;
    }
    if (c === '(') {
      const start = this.i;
      const end = matchingClose(this.s.slice(start)) + start + 1;
      this.i = end;
      return `\${${this.s.slice(start, end)}}`;
    }
    const m = /^[A-Za-z_][\w-]*/.exec(this.s.slice(this.i));
    if (!m) throw new Unreadable();
    this.i += m[0].length;
    return m[0];
  }

  private tupleItems(): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      this.skipSpace(true);
      if (this.i >= this.s.length) return out;
      out.push(this.value(false));
      this.skipSpace(true);
      if (this.s[this.i] === ',') this.i++;
      else if (this.i < this.s.length) throw new Unreadable();
    }
  }
}

/** The index of the bracket closing the one at text[0], or -1. */
function matchingClose(text: string): number {
  const stack: string[] = [];
  let j = 0;
  while (j < text.length) {
    const c = text[j];
    if (c === '"') {
      j = scanString(text, j);
      continue;
    }
    if (c === '(' || c === '[' || c === '{') stack.push(CLOSE[c]);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return j;
    }
    j++;
  }
  return -1;
}

/** A quoted HCL string's value: escapes decoded in the literal parts, template parts kept as written. */
function decodeString(quoted: string): string {
  const body = quoted.slice(1, -1);
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === '\\') {
      const e = body[i + 1];
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
      if (e in simple) {
        out += simple[e];
        i += 2;
      } else if (e === 'u' || e === 'U') {
        const len = e === 'u' ? 4 : 8;
        const hex = body.slice(i + 2, i + 2 + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new Unreadable();
        out += String.fromCodePoint(parseInt(hex, 16));
        i += 2 + len;
      } else throw new Unreadable();
    } else if ((c === '$' || c === '%') && body[i + 1] === c && body[i + 2] === '{') {
      out += body.slice(i, i + 3); // `$${` / `%%{`: an escaped literal, kept as Terraform JSON writes it
      i += 3;
    } else if ((c === '$' || c === '%') && body[i + 1] === '{') {
      const end = scanTemplatePart(body, i + 2);
      out += body.slice(i, end);
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The index after the quoted string (template) starting at s[j], skipping `${...}` and `%{...}` parts. */
function scanString(s: string, j: number): number {
  j++;
  while (j < s.length) {
    const c = s[j];
    if (c === '\\') j += 2;
    else if (c === '"') return j + 1;
    else if ((c === '$' || c === '%') && s[j + 1] === c && s[j + 2] === '{') j += 3;
    else if ((c === '$' || c === '%') && s[j + 1] === '{') j = scanTemplatePart(s, j + 2);
    else j++;
  }
  throw new Unreadable();
}

/** The index after the `}` closing a template part whose body starts at s[j]. */
function scanTemplatePart(s: string, j: number): number {
  let depth = 1;
  while (j < s.length) {
    const c = s[j];
    if (c === '"') {
      j = scanString(s, j);
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return j + 1;
    j++;
  }
  throw new Unreadable();
}
