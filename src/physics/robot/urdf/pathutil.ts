/**
 * Path helpers that work the same in Node and in the browser: forward slashes, Windows drive
 * letters kept (`C:/robots/x.urdf`), `.` and `..` folded. Backslashes are read as separators.
 */

export function normalizePath(p: string): string {
  let s = p.replace(/\\/g, '/');
  let prefix = '';
  const drive = /^[A-Za-z]:(?=\/|$)/.exec(s);
  if (drive) {
    prefix = drive[0];
    s = s.slice(prefix.length);
  }
  const abs = s.startsWith('/');
  const out: string[] = [];
  for (const part of s.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(part);
  }
  const body = out.join('/');
  if (abs) return prefix + '/' + body;
  return prefix + (body || (prefix ? '/' : '.'));
}

export function isAbsolutePath(p: string): boolean {
  return /^(?:[A-Za-z]:)?[\\/]/.test(p);
}

export function joinPath(...parts: string[]): string {
  let acc = '';
  for (const part of parts) {
    if (!part) continue;
    acc = isAbsolutePath(part) || !acc ? part : acc.replace(/[\\/]+$/, '') + '/' + part;
  }
  return normalizePath(acc || '.');
}

export function dirname(p: string): string {
  const n = normalizePath(p);
  const i = n.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  if (/^[A-Za-z]:$/.test(n.slice(0, i))) return n.slice(0, i + 1);
  return n.slice(0, i);
}

export function basename(p: string): string {
  const n = normalizePath(p);
  return n.slice(n.lastIndexOf('/') + 1);
}

/** Lower-case extension without the dot ('' when none). */
export function extname(p: string): string {
  const b = basename(p);
  const i = b.lastIndexOf('.');
  return i > 0 ? b.slice(i + 1).toLowerCase() : '';
}

/** The folder itself and its ancestors up to the file-system root, nearest first. */
export function ancestors(dir: string, max = 64): string[] {
  const out: string[] = [];
  let cur = normalizePath(dir);
  for (let i = 0; i < max; i++) {
    out.push(cur);
    const up = dirname(cur);
    if (up === cur || cur === '.') break;
    cur = up;
  }
  return out;
}
