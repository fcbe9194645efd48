/** The `inspect` summary of a URDF: what the file says, before any physics preprocessing. */
import type { JointType } from '../model.js';
import { formatWarning } from './errors.js';
import type { LoadedUrdf } from './load.js';
import { meshFormatOf } from './meshes/index.js';
import { totalMass } from './semantics.js';

export interface UrdfSummary {
  name: string;
  root: string;
  links: number;
  joints: number;
  jointTypes: Record<JointType, number>;
  /** Sum of the links' <mass> as written (kg). */
  totalMass: number;
  /** Distinct mesh files referenced, by format. */
  meshes: { stl: number; obj: number; dae: number };
  warnings: string[];
}

export function summarizeUrdf(loaded: Pick<LoadedUrdf, 'model' | 'warnings' | 'meshRefs'>): UrdfSummary {
  const { model } = loaded;
  const jointTypes: Record<JointType, number> = { revolute: 0, continuous: 0, prismatic: 0, fixed: 0, floating: 0, planar: 0 };
  for (const j of model.joints) jointTypes[j.type]++;
  const meshes = { stl: 0, obj: 0, dae: 0 };
  const seen = new Set<string>();
  for (const r of loaded.meshRefs) {
    if (seen.has(r.path)) continue;
    seen.add(r.path);
    const f = meshFormatOf(r.path) ?? meshFormatOf(r.uri);
    if (f) meshes[f]++;
  }
  return {
    name: model.name,
    root: model.root,
    links: model.links.length,
    joints: model.joints.length,
    jointTypes,
    totalMass: roundMass(totalMass(model)),
    meshes,
    warnings: loaded.warnings.map(formatWarning),
  };
}

function roundMass(m: number): number {
  // Float sums like 0.1 + 0.2: print what the file meant.
  return Number(m.toPrecision(12));
}
