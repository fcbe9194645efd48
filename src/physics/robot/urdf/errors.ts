/** Typed errors and warnings of the URDF importer. */

export type UrdfErrorCode =
  /** The XML itself is not well formed. */
  | 'malformed-xml'
  /** Well-formed XML but not a URDF (no <robot> root), or a xacro file that was not expanded. */
  | 'not-urdf'
  /** A required attribute or element is missing or has an invalid value. */
  | 'invalid-value'
  /** Two links or two joints share a name. */
  | 'duplicate-name'
  /** A joint names a parent or child link that does not exist. */
  | 'missing-link'
  /** A link is the child of more than one joint. */
  | 'multiple-parents'
  /** The joints form a cycle. */
  | 'cycle'
  /** More than one link is nobody's child. */
  | 'multiple-roots'
  /** The robot has no links. */
  | 'no-links'
  /** A mesh (or texture) file referenced by the URDF cannot be found. */
  | 'missing-mesh'
  /** A mesh file exists but cannot be read or parsed. */
  | 'bad-mesh'
  /** The URDF file itself cannot be read (missing, not a regular file, too large). */
  | 'io'
  /** Reading the robot took longer than allowed (the reader was stopped). */
  | 'timeout';

export interface UrdfErrorInfo {
  /** The file the problem is in (the URDF, or the mesh file for mesh errors). */
  file?: string;
  /** The element, as written: `<joint name="knee">`. */
  element?: string;
  /** 1-based line in `file`, where known. */
  line?: number;
  column?: number;
  cause?: unknown;
}

export class UrdfError extends Error {
  readonly code: UrdfErrorCode;
  readonly file?: string;
  readonly element?: string;
  readonly line?: number;
  readonly column?: number;
  /** The message without the location prefix. */
  readonly detail: string;

  constructor(code: UrdfErrorCode, detail: string, info: UrdfErrorInfo = {}) {
    super(formatLocation(info) + detail, info.cause !== undefined ? { cause: info.cause } : undefined);
    this.name = 'UrdfError';
    this.code = code;
    this.detail = detail;
    this.file = info.file;
    this.element = info.element;
    this.line = info.line;
    this.column = info.column;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, file: this.file, element: this.element, line: this.line };
  }
}

export type UrdfWarningCode =
  | 'ignored-element'
  | 'unknown-element'
  | 'nonstandard'
  | 'axis-normalized'
  | 'invalid-value'
  | 'default-value'
  | 'missing-material'
  | 'massless-link'
  | 'zero-inertia'
  | 'bad-inertia'
  | 'mimic'
  | 'mesh'
  | 'package-fallback'
  | 'world-link';

export interface UrdfWarning {
  code: UrdfWarningCode;
  message: string;
  element?: string;
  line?: number;
  file?: string;
}

export function formatLocation(info: { file?: string; line?: number; column?: number; element?: string }): string {
  let s = '';
  if (info.file) s += info.file;
  if (info.line !== undefined) s += (s ? ':' : 'line ') + info.line;
  if (s) s += ': ';
  if (info.element) s += info.element + ': ';
  return s;
}

/** One line per warning, for logs, the CLI and the UI. */
export function formatWarning(w: UrdfWarning): string {
  return formatLocation(w) + w.message;
}
