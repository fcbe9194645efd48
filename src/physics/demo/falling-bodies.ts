/**
 * The foundation's demo scene: boxes and balls falling onto a ground and a hanging chain of
 * capsules on revolute joints. Proves the data path before the robots arrive; kept as a
 * quick physics smoke scene.
 */
import type RAPIER_NS from '@dimforge/rapier3d-compat';
import type { BodySpec, SceneSpec } from '../../shared/scene';

type Rapier = typeof RAPIER_NS;

/** Small seeded generator for the initial layout (mulberry32); no Math.random in simulation. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BOXES = 8;
const BALLS = 8;
const CHAIN = 4;
const BOX_HALF = 0.15;
const BALL_R = 0.15;
const LINK_HALF = 0.2;
const LINK_R = 0.05;

export class FallingBodiesScene {
  readonly id = 'demo-falling';
  readonly dt = 1 / 120;
  private world!: RAPIER_NS.World;
  private bodies: RAPIER_NS.RigidBody[] = [];

  constructor(private readonly R: Rapier, seed = 0) {
    this.reset(seed);
  }

  spec(): SceneSpec {
    const bodies: BodySpec[] = [];
    for (let i = 0; i < BOXES; i++)
      bodies.push({ name: `box${i}`, visuals: [{ geometry: { kind: 'box', size: [2 * BOX_HALF, 2 * BOX_HALF, 2 * BOX_HALF] }, origin: { xyz: [0, 0, 0], quat: [0, 0, 0, 1] }, color: [0.9, 0.55, 0.2, 1] }] });
    for (let i = 0; i < BALLS; i++)
      bodies.push({ name: `ball${i}`, visuals: [{ geometry: { kind: 'sphere', radius: BALL_R }, origin: { xyz: [0, 0, 0], quat: [0, 0, 0, 1] }, color: [0.25, 0.6, 0.95, 1] }] });
    for (let i = 0; i < CHAIN; i++)
      bodies.push({ name: `chain${i}`, visuals: [{ geometry: { kind: 'capsule', radius: LINK_R, length: 2 * LINK_HALF }, origin: { xyz: [0, 0, 0], quat: [0, 0, 0, 1] }, color: [0.55, 0.85, 0.45, 1] }] });
    return { name: 'Falling bodies and a chain', upAxis: 'z', bodies, groundHalfSize: 10 };
  }

  reset(seed: number): void {
    const R = this.R;
    this.world?.free();
    const world = new R.World({ x: 0, y: 0, z: -9.81 });
    world.timestep = this.dt;
    world.createCollider(R.ColliderDesc.cuboid(10, 10, 0.05).setTranslation(0, 0, -0.05));
    const rand = mulberry32(seed);
    this.bodies = [];
    const drop = (i: number) => ({ x: (rand() - 0.5) * 2, y: (rand() - 0.5) * 2, z: 1 + i * 0.4 + rand() * 0.2 });
    for (let i = 0; i < BOXES + BALLS; i++) {
      const p = drop(i);
      // Rapier has no rolling resistance: undamped balls knocked sideways by the pile rolled
      // off the 20 m ground within 10 s and fell forever, out of view. Angular damping stands in.
      const body = world.createRigidBody(
        R.RigidBodyDesc.dynamic().setTranslation(p.x, p.y, p.z).setRotation(randomQuat(rand)).setAngvel({ x: rand() - 0.5, y: rand() - 0.5, z: rand() - 0.5 }).setAngularDamping(i < BOXES ? 0 : 1.5),
      );
      const collider = i < BOXES ? R.ColliderDesc.cuboid(BOX_HALF, BOX_HALF, BOX_HALF) : R.ColliderDesc.ball(BALL_R);
      world.createCollider(collider.setRestitution(0.3), body);
      this.bodies.push(body);
    }
    // A chain hanging from a fixed anchor at (2.5, 0, 2), links along Z, swinging about Y.
    const anchor = world.createRigidBody(R.RigidBodyDesc.fixed().setTranslation(2.5, 0, 2));
    let parent = anchor;
    let parentHalf = 0;
    const tilt = 0.9;
    for (let i = 0; i < CHAIN; i++) {
      const z = 2 - (2 * i + 1) * LINK_HALF;
      const body = world.createRigidBody(R.RigidBodyDesc.dynamic().setTranslation(2.5, 0, z).setAngularDamping(0.05));
      // Capsules in Rapier are along Y; rotate the collider so the link lies along Z (URDF convention).
      world.createCollider(
        R.ColliderDesc.capsule(LINK_HALF - LINK_R, LINK_R).setRotation({ x: Math.SQRT1_2, y: 0, z: 0, w: Math.SQRT1_2 }).setDensity(500),
        body,
      );
      const joint = R.JointData.revolute({ x: 0, y: 0, z: -parentHalf }, { x: 0, y: 0, z: LINK_HALF }, { x: 0, y: 1, z: 0 });
      world.createImpulseJoint(joint, parent, body, true);
      parent = body;
      parentHalf = LINK_HALF;
      this.bodies.push(body);
    }
    // Kick the chain so it swings.
    this.bodies[BOXES + BALLS + CHAIN - 1].setLinvel({ x: tilt * 3, y: 0, z: 0 }, true);
    this.world = world;
  }

  step(): void {
    this.world.step();
  }

  writePoses(out: Float32Array): void {
    let k = 0;
    for (const b of this.bodies) {
      const t = b.translation();
      const q = b.rotation();
      out[k++] = t.x; out[k++] = t.y; out[k++] = t.z;
      out[k++] = q.x; out[k++] = q.y; out[k++] = q.z; out[k++] = q.w;
    }
  }

  telemetry(): Record<string, number> {
    let kinetic = 0;
    let maxHeight = -Infinity;
    for (const b of this.bodies) {
      const v = b.linvel();
      kinetic += 0.5 * b.mass() * (v.x * v.x + v.y * v.y + v.z * v.z);
      maxHeight = Math.max(maxHeight, b.translation().z);
    }
    return { kinetic_energy: kinetic, max_height: maxHeight };
  }

  dispose(): void {
    this.world?.free();
  }
}

function randomQuat(rand: () => number): { x: number; y: number; z: number; w: number } {
  // Shoemake's uniform random rotation.
  const u1 = rand(), u2 = rand() * 2 * Math.PI, u3 = rand() * 2 * Math.PI;
  const a = Math.sqrt(1 - u1), b = Math.sqrt(u1);
  return { x: a * Math.sin(u2), y: a * Math.cos(u2), z: b * Math.sin(u3), w: b * Math.cos(u3) };
}
