/**
 * URDF importer (browser-safe part). Node-only helpers (loadUrdfFile, inspectUrdf, nodeFs) are
 * in ./node.ts.
 */
export { UrdfError, formatWarning, type UrdfErrorCode, type UrdfWarning, type UrdfWarningCode } from './errors.js';
export { parseUrdf, type ParseUrdfOptions, type ParseUrdfResult, type UrdfMeshRef, type UrdfResolveKind, type UrdfResolver } from './parse.js';
export { createUrdfResolver, type UrdfPathResolver, type UrdfResolverOptions } from './resolve.js';
export { memoryFs, type UrdfFileSystem } from './fs.js';
export { geometryToSpec, loadUrdf, type LoadedUrdf, type LoadUrdfOptions } from './load.js';
export { summarizeUrdf, type UrdfSummary } from './inspect.js';
export {
  combineInertials, listMimicJoints, prepareForPhysics, principalInertial, totalMass,
  type MimicJoint, type PhysicsModel, type PhysicsPrepOptions,
} from './semantics.js';
export {
  MeshCache, MeshParseError, hullPoints, meshBounds, meshCache, meshFormatOf, meshPartsToGeometrySpecs, meshToGeometrySpec, parseDae, parseMesh, parseMtl, parseObj, parseStl,
  type DaeOptions, type MeshFormat, type MeshOptions, type MeshPart, type TriMesh,
} from './meshes/index.js';
export { jointMotion, linkPoses, movableJoints } from './kinematics.js';
export { quatFromRpy, composePose, invertPose, principalAxes, rotate, rotateInertia } from './math.js';
export { basename, dirname, extname, joinPath, normalizePath } from './pathutil.js';
