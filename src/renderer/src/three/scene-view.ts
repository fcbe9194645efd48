/**
 * Draws a SceneSpec and moves it with pose snapshots. Visuals that repeat (same shape and
 * colour) share one InstancedMesh, so a randomized population of robots costs a few draw calls.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { POSE_STRIDE, type BodyStretch, type SceneSpec } from '../../../shared/scene';
import { buildGeometry, geometryKey } from './geometry';
import { stretchKey, stretchMatrix } from './stretch';
import type { BodyStyler, OverlayModule } from './overlays/overlay';
import { findOverlay } from './overlays/registry';

interface InstanceSlot {
  body: number;
  local: THREE.Matrix4;
  /** What is drawn: `local`, stretched with its body (a shrunk broken leg) and inset when highlighted. */
  draw: THREE.Matrix4;
  color: THREE.Color;
}

interface Batch {
  mesh: THREE.InstancedMesh;
  slots: InstanceSlot[];
  role?: 'visual' | 'collision';
}

export class SceneView {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly camera: THREE.PerspectiveCamera;
  readonly controls: OrbitControls;
  /** Z-up worlds are drawn under this group, turned into three.js's Y-up. */
  private readonly world = new THREE.Group();
  private readonly sun: THREE.DirectionalLight;
  private batches: Batch[] = [];
  private highlighted = '';
  private stretchedKey = '';
  private stretches = new Map<number, THREE.Matrix4>();
  private static readonly HIGHLIGHT = new THREE.Color(0.95, 0.2, 0.2);
  /**
   * Highlighted visuals are drawn 2% smaller about their own centres: where a red leg meets its
   * beige neighbour in coinciding end caps (the ant's hip), the red cap then lies just inside the
   * other instead of z-fighting with it.
   */
  private static readonly INSET = new THREE.Matrix4().makeScale(0.98, 0.98, 0.98);
  private highlightedBodies = new Set<number>();
  private ground: THREE.Object3D[] = [];
  /** Grid spacing of the ground (m): the ground recentres on the followed robot in whole cells. */
  private groundCell = 1;
  private bodyMatrices: THREE.Matrix4[] = [];
  private spec: SceneSpec | null = null;
  /** The scene's declared overlays (SceneSpec.overlays) and the latest data for them. */
  private overlays: { module: OverlayModule; state: unknown }[] = [];
  private overlayData: Record<string, unknown> = {};
  /** An overlay's focus point (world frame), followed instead of the bodies' centroid. */
  private focus: THREE.Vector3 | null = null;
  private readonly styler: BodyStyler = { tint: (b) => this.setHighlight(b), stretch: (l) => this.setStretched(l), colour: (rgb) => this.setBodyColors(rgb) };
  private frameTimes: number[] = [];
  private raf = 0;
  private readonly tmp = new THREE.Matrix4();
  private readonly pos = new THREE.Vector3();
  private readonly quat = new THREE.Quaternion();
  private readonly one = new THREE.Vector3(1, 1, 1);
  onFrame: (() => void) | null = null;
  /** Which geometry to draw: visual (default) and/or collision. */
  private layers = { visual: true, collision: false };
  private framePending = false;
  /** Where the camera's target sits relative to the followed body (set when framing). */
  private followOffset = new THREE.Vector3();

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.renderer.shadowMap.enabled = true;
    this.renderer.shadowMap.type = THREE.PCFSoftShadowMap;
    this.scene.background = new THREE.Color(0x1b1f27);
    this.scene.fog = new THREE.Fog(0x1b1f27, 12, 40);
    this.camera = new THREE.PerspectiveCamera(45, 1, 0.02, 200);
    this.camera.position.set(4, 3, 5);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.target.set(0, 0.5, 0);
    this.controls.enableDamping = true;
    this.scene.add(new THREE.HemisphereLight(0xdfe8ff, 0x30343c, 1.4));
    this.sun = new THREE.DirectionalLight(0xffffff, 2.2);
    this.sun.position.set(4, 8, 3);
    this.sun.castShadow = true;
    this.sun.shadow.mapSize.set(2048, 2048);
    const s = this.sun.shadow.camera;
    s.left = s.bottom = -6;
    s.right = s.top = 6;
    s.near = 0.5;
    s.far = 30;
    this.scene.add(this.sun, this.sun.target);
    this.scene.add(this.world);
  }

  setScene(spec: SceneSpec): void {
    this.clear();
    this.spec = spec;
    this.world.rotation.x = spec.upAxis === 'z' ? -Math.PI / 2 : 0;
    this.bodyMatrices = spec.bodies.map(() => new THREE.Matrix4());
    const groups = new Map<string, { geometry: THREE.BufferGeometry; color: number[]; slots: InstanceSlot[]; role: 'visual' | 'collision' }>();
    spec.bodies.forEach((body, bi) => {
      for (const v of body.visuals) {
        const role = v.role ?? 'visual';
        const key = `${role}:${geometryKey(v.geometry, v.color)}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { geometry: buildGeometry(v.geometry), color: v.color, slots: [], role }));
        const local = new THREE.Matrix4().compose(
          new THREE.Vector3(...v.origin.xyz),
          new THREE.Quaternion(...v.origin.quat),
          this.one,
        );
        g.slots.push({ body: bi, local, draw: local, color: new THREE.Color(v.color[0], v.color[1], v.color[2]) });
      }
    });
    for (const g of groups.values()) {
      // Colour lives per instance (white material x instance colour), so a body can be highlighted.
      const material = new THREE.MeshStandardMaterial({
        color: 0xffffff,
        roughness: 0.55,
        metalness: 0.1,
        transparent: g.color[3] < 1,
        opacity: g.color[3],
      });
      const mesh = new THREE.InstancedMesh(g.geometry, material, g.slots.length);
      g.slots.forEach((slot, i) => mesh.setColorAt(i, slot.color));
      mesh.castShadow = true;
      mesh.receiveShadow = true;
      mesh.frustumCulled = false;
      if (g.role === 'collision') {
        material.depthWrite = false;
        mesh.castShadow = false;
      }
      mesh.visible = this.layers[g.role];
      this.world.add(mesh);
      this.batches.push({ mesh, slots: g.slots, role: g.role });
    }
    if (spec.groundHalfSize > 0) this.addGround(spec.groundHalfSize);
    this.highlighted = '';
    this.highlightedBodies = new Set();
    this.stretchedKey = '';
    this.stretches = new Map();
    this.overlayData = {};
    this.focus = null;
    for (const kind of spec.overlays ?? []) {
      const module = findOverlay(kind);
      if (!module) {
        console.warn(`no overlay module for "${kind}" (three/overlays/${kind}.overlay.ts)`);
        continue;
      }
      this.overlays.push({ module, state: module.create({ world: this.world, spec, bodies: this.styler, focus: (p) => (this.focus = p?.clone() ?? null) }) });
    }
  }

  /** The latest data of the scene's overlays (snapshot.overlays); drawn with the next poses. */
  setOverlays(data: Record<string, unknown> | undefined): void {
    this.overlayData = data ?? {};
  }

  /** Each slot's drawn matrix from its local one, its body's stretch and the highlight inset. */
  private refreshDraw(): void {
    for (const b of this.batches) {
      for (const slot of b.slots) {
        const m = this.stretches.get(slot.body);
        const inset = this.highlightedBodies.has(slot.body);
        if (!m && !inset) {
          slot.draw = slot.local; // shared, never modified in place
          continue;
        }
        slot.draw = m ? m.clone().multiply(slot.local) : slot.local.clone();
        if (inset) slot.draw.multiply(SceneView.INSET);
      }
    }
  }

  /** Draws the given bodies reshaped as their colliders were (none: as built). */
  private setStretched(list: readonly BodyStretch[]): void {
    const key = stretchKey(list);
    if (key === this.stretchedKey) return;
    this.stretchedKey = key;
    this.stretches = new Map(list.map((s) => [s.body, stretchMatrix(s.axis, s.factor)]));
    this.refreshDraw();
  }

  /** Tints the given bodies (a broken leg) and restores the others. */
  private setHighlight(bodies: readonly number[]): void {
    const key = bodies.join(',');
    if (key === this.highlighted) return;
    this.highlighted = key;
    const on = new Set(bodies);
    this.highlightedBodies = on;
    this.refreshDraw();
    for (const b of this.batches) {
      b.slots.forEach((slot, i) => b.mesh.setColorAt(i, on.has(slot.body) ? SceneView.HIGHLIGHT : slot.color));
      if (b.mesh.instanceColor) b.mesh.instanceColor.needsUpdate = true;
    }
  }

  /**
   * Per-body colours (sRGB, 3 floats a body: a population's tint, matching its CSS legend), or
   * null for the scene's own.
   */
  setBodyColors(rgb: Float32Array | null): void {
    const c = new THREE.Color();
    for (const b of this.batches) {
      b.slots.forEach((slot, i) => b.mesh.setColorAt(i, rgb ? c.setRGB(rgb[slot.body * 3], rgb[slot.body * 3 + 1], rgb[slot.body * 3 + 2], THREE.SRGBColorSpace) : slot.color));
      if (b.mesh.instanceColor) b.mesh.instanceColor.needsUpdate = true;
    }
  }

  /** Frame the scene's bodies after the next poses arrive (a robot just loaded). */
  frameOnNextPoses(): void {
    this.framePending = true;
  }

  /** Points the camera at the visible bodies, from the current viewing direction. */
  frame(): void {
    const box = new THREE.Box3();
    const m = new THREE.Matrix4();
    const sphere = new THREE.Sphere();
    this.world.updateMatrixWorld();
    for (const b of this.batches) {
      if (!b.mesh.visible) continue;
      if (!b.mesh.geometry.boundingSphere) b.mesh.geometry.computeBoundingSphere();
      for (let i = 0; i < b.slots.length; i++) {
        b.mesh.getMatrixAt(i, m);
        sphere.copy(b.mesh.geometry.boundingSphere!).applyMatrix4(m.premultiply(this.world.matrixWorld));
        box.expandByPoint(sphere.center.clone().addScalar(sphere.radius));
        box.expandByPoint(sphere.center.clone().addScalar(-sphere.radius));
      }
    }
    if (box.isEmpty()) return;
    const center = box.getCenter(new THREE.Vector3());
    const radius = Math.max(this.spec?.frameRadius ?? 0.05, box.getSize(new THREE.Vector3()).length() / 2);
    // the scene's preferred side (a row of lanes seen along it), else the current viewing direction
    const from = this.spec?.viewFrom;
    const dir = from ? new THREE.Vector3(...from).applyQuaternion(this.world.quaternion).normalize() : this.camera.position.clone().sub(this.controls.target).normalize();
    const dist = (radius / Math.sin(((this.camera.fov / 2) * Math.PI) / 180)) * 1.1;
    this.controls.target.copy(center);
    this.camera.position.copy(center).addScaledVector(dir, dist);
    // following keeps the framed centre where it sits relative to the followed body (a quadrotor's
    // hanging payload stays in the picture, not just the quad)
    const f = this.spec?.followBody;
    this.followOffset = f !== undefined && f < this.bodyMatrices.length ? center.clone().sub(this.bodyPosition(f)) : new THREE.Vector3();
    this.camera.near = Math.max(0.005, dist / 200);
    this.camera.updateProjectionMatrix();
  }

  /** Shows or hides visual and collision geometry. */
  setLayers(layers: { visual: boolean; collision: boolean }): void {
    this.layers = { ...layers };
    for (const b of this.batches) b.mesh.visible = this.layers[b.role ?? 'visual'];
  }

  private addGround(half: number): void {
    const plane = new THREE.Mesh(
      new THREE.PlaneGeometry(half * 2, half * 2),
      new THREE.MeshStandardMaterial({ color: 0x2a303b, roughness: 0.95 }),
    );
    plane.receiveShadow = true;
    plane.rotation.x = -Math.PI / 2;
    const divisions = Math.round(half * 4);
    const grid = new THREE.GridHelper(half * 2, divisions, 0x56607a, 0x3a4152);
    this.groundCell = (half * 2) / divisions;
    grid.position.y = 0.001;
    this.ground = [plane, grid];
    this.scene.add(plane, grid);
  }

  applyPoses(poses: Float32Array): void {
    const n = Math.min(this.bodyMatrices.length, poses.length / POSE_STRIDE);
    for (let i = 0; i < n; i++) {
      const k = i * POSE_STRIDE;
      this.pos.set(poses[k], poses[k + 1], poses[k + 2]);
      this.quat.set(poses[k + 3], poses[k + 4], poses[k + 5], poses[k + 6]);
      this.bodyMatrices[i].compose(this.pos, this.quat, this.one);
    }
    // overlays first: a tint or a stretch changes how the bodies below are drawn
    for (const o of this.overlays) o.module.update(o.state, this.overlayData[o.module.kind], { bodyMatrices: this.bodyMatrices });
    for (const b of this.batches) {
      b.slots.forEach((slot, i) => {
        this.tmp.multiplyMatrices(this.bodyMatrices[slot.body], slot.draw);
        b.mesh.setMatrixAt(i, this.tmp);
      });
      b.mesh.instanceMatrix.needsUpdate = true;
    }
    if (this.framePending) {
      this.framePending = false;
      this.frame();
    }
  }

  /**
   * Keeps the orbit target on a body in 3D (a walking robot leaves the view, a quadrotor climbs
   * out of it otherwise): camera and target move together, so the user's orbit and zoom stay.
   * Height follows smoothed, so a hopping robot does not shake the view. Without a body, the
   * centroid of all bodies is followed.
   */
  follow(index?: number): void {
    if (index !== undefined && (index < 0 || index >= this.bodyMatrices.length)) return;
    if (!this.bodyMatrices.length) return;
    const p = index !== undefined ? this.bodyPosition(index) : this.followed();
    const delta = p.clone().add(this.followOffset).sub(this.controls.target);
    delta.y *= 0.08;
    this.controls.target.add(delta);
    this.camera.position.add(delta);
    this.sun.position.set(p.x + 4, p.y + 8, p.z + 3);
    this.sun.target.position.copy(p);
    this.centreGround(p);
  }

  /**
   * The drawn ground is finite and a learned ant walks 250 m an episode: it moves under the
   * followed point in steps of two grid cells, so its lines stay put under the robot's feet.
   */
  centreGround(p: THREE.Vector3): void {
    const c = 2 * this.groundCell;
    for (const g of this.ground) g.position.set(Math.round(p.x / c) * c, g.position.y, Math.round(p.z / c) * c);
  }

  /** What a scene without a followBody is followed by: an overlay's focus, else the centroid. */
  private followed(): THREE.Vector3 {
    return this.focus ? this.focus.clone().applyMatrix4(this.world.matrixWorld) : this.centroid();
  }

  /** Mean position of all bodies (a scene of many loose bodies is followed as a whole). */
  private centroid(): THREE.Vector3 {
    const c = new THREE.Vector3();
    const p = new THREE.Vector3();
    for (let i = 0; i < this.bodyMatrices.length; i++) c.add(this.bodyPosition(i, p));
    return c.divideScalar(this.bodyMatrices.length);
  }

  /** World position (three.js frame) of a body, for the inspector and camera follow. */
  bodyPosition(index: number, out = new THREE.Vector3()): THREE.Vector3 {
    out.setFromMatrixPosition(this.bodyMatrices[index] ?? new THREE.Matrix4());
    return out.applyMatrix4(this.world.matrixWorld);
  }

  /**
   * Where the robot lands on the canvas, as normalized device coordinates (in view: x and y
   * within [-1, 1]); `behind` when a point lies behind the camera. Null before any poses. A
   * robot (a scene with a followed body) is its bodies' origins (companions after `robotBodies`
   * left out); a scene of loose bodies
   * (balls rolling away) their centroid, which the camera follows.
   */
  projectedBounds(): { minX: number; maxX: number; minY: number; maxY: number; behind: boolean } | null {
    if (!this.bodyMatrices.length) return null;
    this.world.updateMatrixWorld();
    this.camera.updateMatrixWorld();
    const b = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity, behind: false };
    const p = new THREE.Vector3();
    const view = new THREE.Vector3();
    const robot = this.spec?.followBody !== undefined;
    const n = Math.min(this.bodyMatrices.length, this.spec?.robotBodies ?? Infinity);
    const points = robot ? this.bodyMatrices.slice(0, n).map((_, i) => this.bodyPosition(i)) : [this.followed()];
    for (const q of points) {
      p.copy(q);
      view.copy(p).applyMatrix4(this.camera.matrixWorldInverse);
      if (view.z > -this.camera.near) b.behind = true;
      p.project(this.camera);
      b.minX = Math.min(b.minX, p.x);
      b.maxX = Math.max(b.maxX, p.x);
      b.minY = Math.min(b.minY, p.y);
      b.maxY = Math.max(b.maxY, p.y);
    }
    return b;
  }

  /** The body under a canvas pixel, or -1. */
  pick(clientX: number, clientY: number): number {
    const rect = this.canvas.getBoundingClientRect();
    const ndc = new THREE.Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    const ray = new THREE.Raycaster();
    ray.setFromCamera(ndc, this.camera);
    const meshes = this.batches.filter((b) => b.mesh.visible).map((b) => b.mesh);
    // three caches an InstancedMesh's bounding sphere at its first raycast: refresh it, or a robot
    // that has moved since (a hopper 10 m down its lane) can no longer be clicked
    for (const m of meshes) m.computeBoundingSphere();
    const hits = ray.intersectObjects(meshes, false);
    const hit = hits[0];
    if (!hit || hit.instanceId === undefined) return -1;
    const batch = this.batches.find((b) => b.mesh === hit.object);
    return batch ? batch.slots[hit.instanceId].body : -1;
  }

  resize(width: number, height: number): void {
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / Math.max(1, height);
    this.camera.updateProjectionMatrix();
  }

  start(): void {
    const loop = (t: number) => {
      this.raf = requestAnimationFrame(loop);
      this.frameTimes.push(t);
      while (this.frameTimes.length > 0 && t - this.frameTimes[0] > 1000) this.frameTimes.shift();
      this.controls.update();
      this.onFrame?.();
      this.renderer.render(this.scene, this.camera);
    };
    this.raf = requestAnimationFrame(loop);
  }

  /** Frames drawn over the last second. */
  fps(): number {
    return this.frameTimes.length;
  }

  renderNow(): void {
    this.controls.update();
    this.renderer.render(this.scene, this.camera);
  }

  private clear(): void {
    for (const o of this.overlays) o.module.dispose(o.state);
    this.overlays = [];
    for (const b of this.batches) {
      this.world.remove(b.mesh);
      b.mesh.geometry.dispose();
      (b.mesh.material as THREE.Material).dispose();
      b.mesh.dispose();
    }
    for (const g of this.ground) this.scene.remove(g);
    this.batches = [];
    this.ground = [];
  }

  dispose(): void {
    cancelAnimationFrame(this.raf);
    this.clear();
    this.controls.dispose();
    this.renderer.dispose();
  }
}
