/**
 * The overlay module interface (after Lichtblick's SceneExtension): an overlay draws something
 * over a scene's bodies from per-frame data the scene sends (snapshot.overlays[kind]). A module
 * is one file named `<kind>.overlay.ts` in this folder exporting it as default; the registry
 * finds it, and a scene declares the kind to get it drawn.
 */
import type * as THREE from 'three';
import type { BodyStretch, SceneSpec } from '../../../../shared/scene';

/** Body-level drawing the view offers overlays (they change how bodies are drawn, not add meshes). */
export interface BodyStyler {
  /** Tints these bodies (and restores the others). */
  tint(bodies: readonly number[]): void;
  /** Draws these bodies reshaped as their colliders were (none: as built). */
  stretch(list: readonly BodyStretch[]): void;
  /** Colours every body (sRGB, 3 floats a body: a population's tint), or gives them back their own (null). */
  colour(rgb: Float32Array | null): void;
}

export interface OverlayContext {
  /** The scene's world frame (a Z-up world is already turned into the view's Y-up). */
  world: THREE.Group;
  spec: SceneSpec;
  bodies: BodyStyler;
  /**
   * Where the camera follows a scene without a followBody (default: the centroid of all bodies),
   * a point in the world frame; null gives it back. A population follows its running robots.
   */
  focus?(point: THREE.Vector3 | null): void;
}

export interface OverlayFrame {
  /** Each body's pose this frame, in the world frame (SceneSpec.bodies order). */
  bodyMatrices: readonly THREE.Matrix4[];
}

export interface OverlayModule<S = unknown> {
  kind: string;
  create(ctx: OverlayContext): S;
  /** Called every drawn frame with the latest data for this kind (undefined when none came). */
  update(state: S, data: unknown, frame: OverlayFrame): void;
  dispose(state: S): void;
}
