/**
 * Draws a SceneSpec and moves it with pose snapshots. Visuals that repeat (same shape and
 * colour) share one InstancedMesh, so a randomized population of robots costs a few draw calls.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { POSE_STRIDE, type SceneSpec } from '../../../shared/scene';
import { buildGeometry, geometryKey } from './geometry';

interface InstanceSlot {
  body: number;
  local: THREE.Matrix4;
}

interface Batch {
  mesh: THREE.InstancedMesh;
  slots: InstanceSlot[];
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
  private ground: THREE.Object3D[] = [];
  private bodyMatrices: THREE.Matrix4[] = [];
  private spec: SceneSpec | null = null;
  private ghost: THREE.Line | null = null;
  private frameTimes: number[] = [];
  private raf = 0;
  private readonly tmp = new THREE.Matrix4();
  private readonly pos = new THREE.Vector3();
  private readonly quat = new THREE.Quaternion();
  private readonly one = new THREE.Vector3(1, 1, 1);
  onFrame: (() => void) | null = null;

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
    const groups = new Map<string, { geometry: THREE.BufferGeometry; color: number[]; slots: InstanceSlot[] }>();
    spec.bodies.forEach((body, bi) => {
      for (const v of body.visuals) {
        if (v.role === 'collision') continue;
        const key = geometryKey(v.geometry, v.color);
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { geometry: buildGeometry(v.geometry), color: v.color, slots: [] }));
        const local = new THREE.Matrix4().compose(
          new THREE.Vector3(...v.origin.xyz),
          new THREE.Quaternion(...v.origin.quat),
          this.one,
        );
        g.slots.push({ body: bi, local });
      }
    });
    for (const g of groups.values()) {
      const material = new THREE.MeshStandardMaterial({
        color: new THREE.Color(g.color[0], g.color[1], g.color[2]),
        roughness: 0.55,
        metalness: 0.1,
        transparent: g.color[3] < 1,
        opacity: g.color[3],
      });
      const mesh = new THREE.InstancedMesh(g.geometry, material, g.slots.length);
      mesh.castShadow = true;
      mesh.receiveShadow = true;
      mesh.frustumCulled = false;
      this.world.add(mesh);
      this.batches.push({ mesh, slots: g.slots });
    }
    if (spec.groundHalfSize > 0) this.addGround(spec.groundHalfSize);
  }

  private addGround(half: number): void {
    const plane = new THREE.Mesh(
      new THREE.PlaneGeometry(half * 2, half * 2),
      new THREE.MeshStandardMaterial({ color: 0x2a303b, roughness: 0.95 }),
    );
    plane.receiveShadow = true;
    plane.rotation.x = -Math.PI / 2;
    const grid = new THREE.GridHelper(half * 2, Math.round(half * 4), 0x56607a, 0x3a4152);
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
    for (const b of this.batches) {
      b.slots.forEach((slot, i) => {
        this.tmp.multiplyMatrices(this.bodyMatrices[slot.body], slot.local);
        b.mesh.setMatrixAt(i, this.tmp);
      });
      b.mesh.instanceMatrix.needsUpdate = true;
    }
  }

  /** Draws (or hides, with null) a planned path: xyz triples in the scene's world frame. */
  setGhost(points: number[] | null): void {
    const MAX = 512;
    if (!this.ghost) {
      const geo = new THREE.BufferGeometry();
      geo.setAttribute('position', new THREE.BufferAttribute(new Float32Array(MAX * 3), 3));
      const mat = new THREE.LineDashedMaterial({ color: 0x9fd3ff, dashSize: 0.06, gapSize: 0.04, transparent: true, opacity: 0.85 });
      this.ghost = new THREE.Line(geo, mat);
      this.ghost.frustumCulled = false;
      this.world.add(this.ghost);
    }
    const n = points ? Math.min(MAX, Math.floor(points.length / 3)) : 0;
    this.ghost.visible = n > 1;
    if (n < 2 || !points) return;
    const attr = this.ghost.geometry.getAttribute('position') as THREE.BufferAttribute;
    (attr.array as Float32Array).set(points.slice(0, n * 3));
    attr.needsUpdate = true;
    this.ghost.geometry.setDrawRange(0, n);
    this.ghost.computeLineDistances();
  }

  /** Keeps the orbit target on a body (the robot walks away otherwise). */
  follow(index: number): void {
    if (index < 0 || index >= this.bodyMatrices.length) return;
    const p = this.bodyPosition(index);
    const delta = p.clone().sub(this.controls.target);
    delta.y = 0;
    this.controls.target.add(delta);
    this.camera.position.add(delta);
    this.sun.position.set(p.x + 4, 8, p.z + 3);
    this.sun.target.position.copy(p);
  }

  /** World position (three.js frame) of a body, for the inspector and camera follow. */
  bodyPosition(index: number, out = new THREE.Vector3()): THREE.Vector3 {
    out.setFromMatrixPosition(this.bodyMatrices[index] ?? new THREE.Matrix4());
    return out.applyMatrix4(this.world.matrixWorld);
  }

  /** The body under a canvas pixel, or -1. */
  pick(clientX: number, clientY: number): number {
    const rect = this.canvas.getBoundingClientRect();
    const ndc = new THREE.Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    const ray = new THREE.Raycaster();
    ray.setFromCamera(ndc, this.camera);
    const hits = ray.intersectObjects(this.batches.map((b) => b.mesh), false);
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
    for (const b of this.batches) {
      this.world.remove(b.mesh);
      b.mesh.geometry.dispose();
      (b.mesh.material as THREE.Material).dispose();
      b.mesh.dispose();
    }
    for (const g of this.ground) this.scene.remove(g);
    this.ghost?.removeFromParent();
    this.ghost = null;
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
