import type { Rgba } from '../../model.js';

/** A contiguous range of triangles sharing a material. */
export interface MeshPart {
  /** First index (into `indices`) and number of indices (a multiple of 3). */
  start: number;
  count: number;
  name?: string;
  color?: Rgba;
  /** Texture image path as resolved next to the mesh (recorded, not loaded). */
  texture?: string;
}

/**
 * A loaded triangle mesh in metres, Z-up, in the mesh file's frame, before the URDF `scale`.
 * Collada units, up axis and node transforms are already applied.
 */
export interface TriMesh {
  format: 'stl' | 'obj' | 'dae';
  positions: Float32Array;
  indices: Uint32Array;
  /** Material ranges; one part covering everything when the file has no materials. */
  parts: MeshPart[];
  /** Approximations and oddities found while reading. */
  warnings: string[];
}

export class MeshParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeshParseError';
  }
}

/** Growable typed buffers, to avoid giant JS arrays for big meshes. */
export class FloatBuf {
  a = new Float32Array(1024);
  n = 0;
  push3(x: number, y: number, z: number): void {
    if (this.n + 3 > this.a.length) this.grow(this.n + 3);
    this.a[this.n++] = x;
    this.a[this.n++] = y;
    this.a[this.n++] = z;
  }
  private grow(min: number): void {
    const b = new Float32Array(Math.max(min, this.a.length * 2));
    b.set(this.a);
    this.a = b;
  }
  finish(): Float32Array {
    return this.a.slice(0, this.n);
  }
}

export class IndexBuf {
  a = new Uint32Array(1024);
  n = 0;
  push3(x: number, y: number, z: number): void {
    if (this.n + 3 > this.a.length) {
      const b = new Uint32Array(Math.max(this.n + 3, this.a.length * 2));
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
    this.a[this.n++] = y;
    this.a[this.n++] = z;
  }
  finish(): Uint32Array {
    return this.a.slice(0, this.n);
  }
}
