/**
 * A minimal element tree built with saxes (strict, streaming, with line numbers).
 * Not a DOM: plain objects, only what the URDF and Collada readers need.
 */
import { SaxesParser } from 'saxes';
import { UrdfError } from './errors.js';

export interface XmlElement {
  /** Tag name as written (prefix included, e.g. `xacro:macro`). */
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element (CDATA included). */
  text: string;
  /** 1-based line of the start tag. */
  line: number;
  column: number;
}

export interface ParseXmlOptions {
  file?: string;
  /** Elements whose text is not needed can skip accumulating it (big Collada files). */
  keepText?: (name: string) => boolean;
}

export function parseXml(source: string, opts: ParseXmlOptions = {}): XmlElement {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: XmlElement[] = [];
  const textParts: string[][] = [];
  let root: XmlElement | undefined;
  let startLine = 1;
  let startColumn = 0;
  const keepText = opts.keepText;

  const fail = (msg: string): never => {
    // saxes prefixes its messages with "line:column: "; keep ours clean and structured.
    const m = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(msg);
    const line = m ? Number(m[1]) : parser.line;
    const column = m ? Number(m[2]) : parser.column;
    const detail = m ? m[3] : msg;
    throw new UrdfError('malformed-xml', `malformed XML: ${detail}`, { file: opts.file, line, column, element: where() });
  };
  // The element the damage is in: the innermost one open, the root when it is after it, else the prolog.
  const where = (): string => {
    const top = stack[stack.length - 1] ?? root;
    return top ? describe(top) : '(the XML prolog, before the root element)';
  };

  parser.on('error', (err) => fail(err.message));
  parser.on('opentagstart', (tag) => {
    // The parser has just read the name: the tag began at '<', one name length before.
    startLine = parser.line;
    startColumn = Math.max(0, parser.column - tag.name.length - 1);
  });
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[k] = v as string;
    const el: XmlElement = { name: tag.name, attrs, children: [], text: '', line: startLine, column: startColumn };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
    textParts.push([]);
  });
  const onText = (t: string) => {
    const top = stack[stack.length - 1];
    if (!top) return;
    if (keepText && !keepText(top.name)) return;
    textParts[textParts.length - 1].push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const el = stack.pop();
    const parts = textParts.pop();
    if (el && parts && parts.length) el.text = parts.length === 1 ? parts[0] : parts.join('');
  });

  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  try {
    parser.write(source).close();
  } catch (e) {
    if (e instanceof UrdfError) throw e;
    fail(e instanceof Error ? e.message : String(e));
  }
  if (!root) throw new UrdfError('malformed-xml', 'malformed XML: no root element', { file: opts.file, line: 1, element: where() });
  return root;
}

/** Children with the given tag name. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** `<joint name="knee">` — how an element is named in messages. */
export function describe(el: XmlElement): string {
  const n = el.attrs.name;
  if (n !== undefined) return `<${el.name} name="${cut(n)}">`;
  const f = el.attrs.filename;
  return f !== undefined ? `<${el.name} filename="${cut(f)}">` : `<${el.name}>`;
}

/** A hostile 1 MB name is named by its start and length, not in full. */
function cut(s: string): string {
  return s.length <= 100 ? s : `${s.slice(0, 80)}... (${s.length} characters)`;
}
