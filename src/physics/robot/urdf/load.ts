/**
 * Parse a URDF and load its meshes through a UrdfFileSystem (Node's, or an in-memory one for
 * files dropped into the browser shell). No node:* imports here; see node.ts for the Node side.
 */
import type { GeometrySpec } from '../../../shared/scene.js';
import type { Geometry, RobotModel } from '../model.js';
import { UrdfError, type UrdfWarning } from './errors.js';
import type { UrdfFileSystem } from './fs.js';
import { MeshCache, meshCache as defaultCache, meshFormatOf, meshToGeometrySpec, type TriMesh } from './meshes/index.js';
import { basename } from './pathutil.js';
import { parseUrdf, type UrdfMeshRef } from './parse.js';
import { createUrdfResolver } from './resolve.js';

export interface LoadUrdfOptions {
  /** Package search roots (ROS_PACKAGE_PATH semantics). */
  packagePath?: string[];
  /** Load and parse the meshes (default true). Missing files are errors either way. */
  loadMeshes?: boolean;
  /** 'error' (default) throws UrdfError('missing-mesh'); 'warn' keeps going. */
  missingMeshes?: 'error' | 'warn';
  cache?: MeshCache;
  /** Collada <up_axis>: 'honour' (default, the spec) or 'ignore' (as RViz does). */
  colladaUpAxis?: 'honour' | 'ignore';
}

export interface LoadedUrdf {
  model: RobotModel;
  warnings: UrdfWarning[];
  /** Every <mesh> element, in file order. */
  meshRefs: UrdfMeshRef[];
  /** Loaded meshes by resolved path (MeshRef.path). Unscaled: apply MeshRef.scale when using them. */
  meshes: Map<string, TriMesh>;
}

/** Parse the URDF text `xml` found at `urdfPath` on `fs`, resolve and load its meshes. */
export function loadUrdf(xml: string, urdfPath: string, fs: UrdfFileSystem, opts: LoadUrdfOptions = {}): LoadedUrdf {
  const resolver = createUrdfResolver({ fs, urdfPath, packagePath: opts.packagePath });
  const { model, warnings, meshes: meshRefs } = parseUrdf(xml, {
    sourcePath: urdfPath,
    resolve: resolver,
    missingMeshes: opts.missingMeshes,
  });
  warnings.push(...resolver.warnings);
  const meshes = new Map<string, TriMesh>();
  if (opts.loadMeshes ?? true) {
    const cache = opts.cache ?? defaultCache;
    for (const ref of meshRefs) {
      if (!ref.resolved || meshes.has(ref.path)) continue;
      const element = `<mesh filename="${ref.uri}">`;
      if (!meshFormatOf(ref.path)) {
        warnings.push({ code: 'mesh', message: `mesh "${ref.uri}": unsupported format; ignored`, element, line: ref.line, file: urdfPath });
        continue;
      }
      let mesh: TriMesh;
      try {
        mesh = cache.load(ref.path, fs, { colladaUpAxis: opts.colladaUpAxis });
      } catch (e) {
        throw new UrdfError('bad-mesh', `cannot read mesh "${ref.path}": ${e instanceof Error ? e.message : String(e)}`, {
          file: urdfPath, element, line: ref.line, cause: e,
        });
      }
      for (const w of mesh.warnings) warnings.push({ code: 'mesh', message: `${ref.path}: ${w}`, element, line: ref.line, file: urdfPath });
      if (mesh.indices.length === 0) warnings.push({ code: 'mesh', message: `mesh "${ref.path}" has no triangles`, element, line: ref.line, file: urdfPath });
      meshes.set(ref.path, mesh);
    }
  }
  return { model, warnings, meshRefs, meshes };
}

/**
 * A model geometry ready to draw: mesh references become scaled SceneSpec meshes (from
 * `meshes`), other shapes pass through. Undefined for a mesh that was not loaded.
 */
export function geometryToSpec(g: Geometry, meshes: Map<string, TriMesh>): GeometrySpec | undefined {
  if (g.kind !== 'meshref') return g;
  const mesh = meshes.get(g.path);
  return mesh ? meshToGeometrySpec(mesh, g.scale, basename(g.path)) : undefined;
}
