/**
 * Joint state from body poses, and the implicit actuator (see ACTUATION.md).
 *
 * Per physics substep of length h, for each actuated hinge with torque command tau = gear * u,
 * damping c and armature a, the joint's Rapier motor (force-based model) is configured as a
 * pure velocity motor with
 *     D  = c + a / h                        (damping coefficient)
 *     v* = (tau + (a / h) * qdot_prev) / D  (target velocity)
 * so that the solver applies, implicitly (backward Euler, inside the constraint solve),
 *     f = D (v* - qdot_new) = tau - c qdot_new - a (qdot_new - qdot_prev) / h
 * i.e. motor torque minus joint damping minus the armature's inertial reaction a * qddot,
 * as an equal and opposite torque pair on the two bodies — MuJoCo's motor + damping + armature.
 */
import type RAPIER from '@dimforge/rapier3d-compat';
import type { Rapier } from './rapier.js';
import type { BuiltRobot } from './robot/builder.js';
import type { Quat, Vec3 } from '../shared/scene.js';

export class Articulation {
  readonly nb: number;
  readonly nj: number;
  /** body state, 13 floats per body: p(3) q(4) v(3) w(3) — refreshed by readState() */
  readonly state: Float64Array;
  readonly q: Float64Array;
  readonly qd: Float64Array;
  /** per-joint multipliers (faults, DR "motor strength"): torque = gear * strength * u */
  readonly strength: Float64Array;
  /** per-joint extra damping / armature / locked flag (faults, DR) */
  readonly damping: Float64Array;
  readonly armature: Float64Array;
  readonly locked: Uint8Array;
  private readonly axesChild: Float64Array;
  private readonly zeroConj: Float64Array;
  private readonly R: Rapier;
  /** max deceleration (rad/s^2) used to approach limits; 0 = stop within one substep */
  brake = 0;
  // scratch targets for Rapier getters (no allocation per read)
  private readonly tv = { x: 0, y: 0, z: 0 };
  private readonly tq = { x: 0, y: 0, z: 0, w: 1 };
  private readonly tl = { x: 0, y: 0, z: 0 };
  private readonly ta = { x: 0, y: 0, z: 0 };
  /** how many times projectLimits() engaged */
  projections = 0;
  /** how many times projectSeparation() engaged */
  separationProjections = 0;
  /**
   * Bodies in depth-first preorder: the subtree rooted at body b (itself included) is
   * subtreeOrder[subtreeStart[b] .. subtreeEnd[b]). Linear memory, built without recursion (an
   * 8000-link chain overflowed the stack, and per-body lists took O(n^2)).
   */
  private readonly subtreeOrder: Int32Array;
  private readonly subtreeStart: Int32Array;
  private readonly subtreeEnd: Int32Array;

  constructor(R: Rapier, readonly robot: BuiltRobot) {
    this.R = R;
    this.nb = robot.bodies.length;
    this.nj = robot.joints.length;
    this.state = new Float64Array(this.nb * 13);
    this.q = new Float64Array(this.nj);
    this.qd = new Float64Array(this.nj);
    this.strength = new Float64Array(this.nj).fill(1);
    this.damping = new Float64Array(robot.joints.map((j) => j.damping));
    this.armature = new Float64Array(robot.joints.map((j) => j.armature));
    this.locked = new Uint8Array(this.nj);
    this.axesChild = new Float64Array(robot.joints.flatMap((j) => j.axis));
    this.zeroConj = new Float64Array(robot.joints.flatMap((j) => [-j.zeroRot[0], -j.zeroRot[1], -j.zeroRot[2], j.zeroRot[3]]));
    for (const j of robot.joints) {
      j.impulse.configureMotorModel(R.MotorModel.ForceBased);
    }
    ({ order: this.subtreeOrder, start: this.subtreeStart, end: this.subtreeEnd } = subtreeRanges(this.nb, robot.joints));
    this.readState();
  }

  /** Bodies in the subtree rooted at body b, b first (a view, not a copy). */
  subtree(b: number): Int32Array {
    return this.subtreeOrder.subarray(this.subtreeStart[b], this.subtreeEnd[b]);
  }

  /** Reads every body's pose and velocity, then joint positions and velocities. */
  readState(): void {
    const s = this.state;
    const bodies = this.robot.bodies;
    const t = this.tv, r = this.tq, v = this.tl, w = this.ta;
    for (let b = 0; b < this.nb; b++) {
      const rb = bodies[b];
      rb.translation(t);
      rb.rotation(r);
      rb.linvel(v);
      rb.angvel(w);
      const o = b * 13;
      s[o] = t.x; s[o + 1] = t.y; s[o + 2] = t.z;
      s[o + 3] = r.x; s[o + 4] = r.y; s[o + 5] = r.z; s[o + 6] = r.w;
      s[o + 7] = v.x; s[o + 8] = v.y; s[o + 9] = v.z;
      s[o + 10] = w.x; s[o + 11] = w.y; s[o + 12] = w.z;
    }
    this.computeJoints();
  }

  computeJoints(): void {
    const s = this.state;
    const joints = this.robot.joints;
    for (let i = 0; i < this.nj; i++) {
      const j = joints[i];
      const po = j.parentBody * 13, co = j.childBody * 13;
      const ax = this.axesChild[3 * i], ay = this.axesChild[3 * i + 1], az = this.axesChild[3 * i + 2];
      // axis in world = R_child * axis
      const [wx, wy, wz] = rot(s[co + 3], s[co + 4], s[co + 5], s[co + 6], ax, ay, az);
      if (j.type === 'prismatic') {
        // displacement of child anchor from parent anchor, along the axis
        const [px, py, pz] = rot(s[po + 3], s[po + 4], s[po + 5], s[po + 6], j.anchorParent[0], j.anchorParent[1], j.anchorParent[2]);
        const dx = s[co] - (s[po] + px), dy = s[co + 1] - (s[po + 1] + py), dz = s[co + 2] - (s[po + 2] + pz);
        this.q[i] = dx * wx + dy * wy + dz * wz;
        this.qd[i] = (s[co + 7] - s[po + 7]) * wx + (s[co + 8] - s[po + 8]) * wy + (s[co + 9] - s[po + 9]) * wz;
        continue;
      }
      // relative rotation r = zero^-1 * qp^-1 * qc, twist about the axis
      const [rx, ry, rz, rw] = qmul4(
        this.zeroConj[4 * i], this.zeroConj[4 * i + 1], this.zeroConj[4 * i + 2], this.zeroConj[4 * i + 3],
        ...qmul4(-s[po + 3], -s[po + 4], -s[po + 5], s[po + 6], s[co + 3], s[co + 4], s[co + 5], s[co + 6]),
      );
      let a = 2 * Math.atan2(rx * ax + ry * ay + rz * az, rw);
      if (a > Math.PI) a -= 2 * Math.PI;
      else if (a < -Math.PI) a += 2 * Math.PI;
      this.q[i] = a;
      this.qd[i] = (s[co + 10] - s[po + 10]) * wx + (s[co + 11] - s[po + 11]) * wy + (s[co + 12] - s[po + 12]) * wz;
    }
  }

  /**
   * Configure every actuated joint's motor for the next substep of length h.
   * torque[i] is the commanded joint torque (N m or N), already scaled by gear and strength.
   * Uses this.qd as qdot_prev (call readState()/computeJoints() first).
   */
  actuate(torque: Float64Array, h: number): void {
    const joints = this.robot.joints;
    for (let i = 0; i < this.nj; i++) {
      const ij = joints[i].impulse;
      if (this.locked[i]) {
        // a locked joint: a stiff position motor holding the current angle (fault)
        continue;
      }
      const ah = this.armature[i] / h;
      const D = this.damping[i] + ah;
      if (D > 0) {
        let vt = (torque[i] + ah * this.qd[i]) / D;
        // Limit-aware target: never aim past a limit within this substep. The motor is a stiff
        // velocity constraint on the same axis as Rapier's limit; if its target pointed through
        // the limit the two would fight and PGS would converge very slowly (the limit "gives").
        const j = joints[i];
        if (j.limited) {
          const q = this.q[i];
          let vmax = (j.upper - q) / h, vmin = (j.lower - q) / h;
          if (this.brake > 0) {
            // braking curve: arrive at the limit with bounded deceleration instead of a one-substep stop
            const bu = Math.sqrt(2 * this.brake * Math.max(0, j.upper - q)), bl = -Math.sqrt(2 * this.brake * Math.max(0, q - j.lower));
            if (bu < vmax) vmax = Math.max(bu, 0) + Math.min(0, (j.upper - q) / h);
            if (bl > vmin) vmin = Math.min(bl, 0) + Math.max(0, (j.lower - q) / h);
          }
          if (vt > vmax) vt = vmax;
          else if (vt < vmin) vt = vmin;
        }
        ij.configureMotorVelocity(vt, D);
      } else if (torque[i] !== 0) {
        this.applyTorquePair(i, torque[i]);
      }
    }
  }

  /**
   * Position-level backstop for joint limits (post-stabilization): a hinge that ends a substep
   * more than `tol` past a limit has its child subtree rotated back about the joint axis to
   * `tol` past the limit, and its relative velocity into the limit removed (inelastic stop).
   * Rare by design (the limit-aware motor and Rapier's limit hold the joint almost always);
   * `projections` counts how often it engaged. Reads this.state (call readState() first);
   * returns true when something moved (this.state is then refreshed).
   */
  projectLimits(tol: number): boolean {
    let moved = false;
    const joints = this.robot.joints;
    for (let i = 0; i < this.nj; i++) {
      const j = joints[i];
      if (!j.limited || j.type === 'prismatic') continue;
      const q = this.q[i];
      let delta = 0;
      if (q > j.upper + tol) delta = j.upper + tol - q;
      else if (q < j.lower - tol) delta = j.lower - tol - q;
      if (delta === 0) continue;
      const s = this.state;
      const po = j.parentBody * 13, co = j.childBody * 13;
      const n = rot(s[co + 3], s[co + 4], s[co + 5], s[co + 6], this.axesChild[3 * i], this.axesChild[3 * i + 1], this.axesChild[3 * i + 2]);
      const ap = rot(s[po + 3], s[po + 4], s[po + 5], s[po + 6], j.anchorParent[0], j.anchorParent[1], j.anchorParent[2]);
      const A = [s[po] + ap[0], s[po + 1] + ap[1], s[po + 2] + ap[2]];
      const half = delta / 2, sh = Math.sin(half);
      const r: [number, number, number, number] = [n[0] * sh, n[1] * sh, n[2] * sh, Math.cos(half)];
      // relative velocity into the limit
      const into = delta < 0 ? Math.max(0, this.qd[i]) : Math.min(0, this.qd[i]);
      for (const b of this.subtree(j.childBody)) {
        const o = b * 13;
        const rb = this.robot.bodies[b];
        const d = [s[o] - A[0], s[o + 1] - A[1], s[o + 2] - A[2]];
        const dr = rot(r[0], r[1], r[2], r[3], d[0], d[1], d[2]);
        const qn = qmul4(r[0], r[1], r[2], r[3], s[o + 3], s[o + 4], s[o + 5], s[o + 6]);
        rb.setTranslation({ x: A[0] + dr[0], y: A[1] + dr[1], z: A[2] + dr[2] }, false);
        rb.setRotation({ x: qn[0], y: qn[1], z: qn[2], w: qn[3] }, false);
        if (into !== 0) {
          // remove the rotation rate `into` about the joint axis from the whole subtree
          const w = [n[0] * into, n[1] * into, n[2] * into];
          const c = rb.worldCom(); // Rapier's linvel is the COM's
          const rc = [c.x - A[0], c.y - A[1], c.z - A[2]];
          const dv = [w[1] * rc[2] - w[2] * rc[1], w[2] * rc[0] - w[0] * rc[2], w[0] * rc[1] - w[1] * rc[0]];
          const v = rb.linvel(), av = rb.angvel();
          rb.setLinvel({ x: v.x - dv[0], y: v.y - dv[1], z: v.z - dv[2] }, false);
          rb.setAngvel({ x: av.x - w[0], y: av.y - w[1], z: av.z - w[2] }, false);
        }
      }
      this.projections++;
      moved = true;
      this.readState();
    }
    return moved;
  }

  /**
   * Position-level backstop for joint drift: where a joint's anchors on its two bodies are more
   * than `tol` apart after a world step, the child subtree is translated to close the gap
   * (parents first). Counts in `separationProjections`. Refreshes this.state when it moves.
   */
  projectSeparation(tol: number): boolean {
    let moved = false;
    for (const i of this.robot.topoOrder) {
      const j = this.robot.joints[i];
      if (j.type === 'prismatic') continue;
      const s = this.state;
      const po = j.parentBody * 13, co = j.childBody * 13;
      const [px, py, pz] = rot(s[po + 3], s[po + 4], s[po + 5], s[po + 6], j.anchorParent[0], j.anchorParent[1], j.anchorParent[2]);
      const [cx, cy, cz] = rot(s[co + 3], s[co + 4], s[co + 5], s[co + 6], j.anchorChild[0], j.anchorChild[1], j.anchorChild[2]);
      const dx = s[po] + px - s[co] - cx, dy = s[po + 1] + py - s[co + 1] - cy, dz = s[po + 2] + pz - s[co + 2] - cz;
      if (dx * dx + dy * dy + dz * dz <= tol * tol) continue;
      for (const b of this.subtree(j.childBody)) {
        const o = b * 13;
        this.robot.bodies[b].setTranslation({ x: s[o] + dx, y: s[o + 1] + dy, z: s[o + 2] + dz }, false);
        s[o] += dx;
        s[o + 1] += dy;
        s[o + 2] += dz;
      }
      this.separationProjections++;
      moved = true;
    }
    return moved;
  }

  /** Lock joint i at its current position (a seized joint); unlock restores the actuator. */
  setLocked(i: number, locked: boolean): void {
    const ij = this.robot.joints[i].impulse;
    this.locked[i] = locked ? 1 : 0;
    if (locked) {
      const q = this.q[i];
      ij.configureMotorModel(this.R.MotorModel.AccelerationBased);
      ij.configureMotorPosition(q, 1e4, 200);
    } else {
      ij.configureMotorModel(this.R.MotorModel.ForceBased);
    }
  }

  /** Explicit equal and opposite torque about the joint axis (joints without damping/armature). */
  private applyTorquePair(i: number, tau: number): void {
    const j = this.robot.joints[i];
    const s = this.state;
    const co = j.childBody * 13;
    const [wx, wy, wz] = rot(s[co + 3], s[co + 4], s[co + 5], s[co + 6], this.axesChild[3 * i], this.axesChild[3 * i + 1], this.axesChild[3 * i + 2]);
    const child = this.robot.bodies[j.childBody], parent = this.robot.bodies[j.parentBody];
    if (j.type === 'prismatic') {
      child.addForce({ x: wx * tau, y: wy * tau, z: wz * tau }, true);
      parent.addForce({ x: -wx * tau, y: -wy * tau, z: -wz * tau }, true);
    } else {
      child.addTorque({ x: wx * tau, y: wy * tau, z: wz * tau }, true);
      parent.addTorque({ x: -wx * tau, y: -wy * tau, z: -wz * tau }, true);
    }
  }

  resetForces(): void {
    for (const b of this.robot.bodies) {
      b.resetForces(false);
      b.resetTorques(false);
    }
  }

  /** Largest distance between a joint's anchors on its two bodies (m), from this.state. */
  maxJointSeparation(): number {
    const s = this.state;
    let worst = 0;
    for (const j of this.robot.joints) {
      const po = j.parentBody * 13, co = j.childBody * 13;
      const [px, py, pz] = rot(s[po + 3], s[po + 4], s[po + 5], s[po + 6], j.anchorParent[0], j.anchorParent[1], j.anchorParent[2]);
      const [cx, cy, cz] = rot(s[co + 3], s[co + 4], s[co + 5], s[co + 6], j.anchorChild[0], j.anchorChild[1], j.anchorChild[2]);
      if (j.type === 'prismatic') continue;
      const d = Math.hypot(s[po] + px - s[co] - cx, s[po + 1] + py - s[co + 1] - cy, s[po + 2] + pz - s[co + 2] - cz);
      if (d > worst) worst = d;
    }
    return worst;
  }

  /** Largest angle (rad) between a hinge's axis as seen by its parent and by its child. */
  maxAxisMisalignment(): number {
    const s = this.state;
    let worst = 0;
    this.robot.joints.forEach((j, i) => {
      const po = j.parentBody * 13, co = j.childBody * 13;
      const ax = this.axesChild[3 * i], ay = this.axesChild[3 * i + 1], az = this.axesChild[3 * i + 2];
      const [cx, cy, cz] = rot(s[co + 3], s[co + 4], s[co + 5], s[co + 6], ax, ay, az);
      const z = j.zeroRot;
      const [zx, zy, zz] = rot(z[0], z[1], z[2], z[3], ax, ay, az);
      const [px, py, pz] = rot(s[po + 3], s[po + 4], s[po + 5], s[po + 6], zx, zy, zz);
      const d = Math.min(1, cx * px + cy * py + cz * pz);
      const a = Math.acos(d);
      if (a > worst) worst = a;
    });
    return worst;
  }

  /** Largest joint-limit violation (rad or m), from this.q. */
  maxLimitViolation(): number {
    let worst = 0;
    const joints = this.robot.joints;
    for (let i = 0; i < this.nj; i++) {
      const j = joints[i];
      if (!j.limited) continue;
      const v = Math.max(j.lower - this.q[i], this.q[i] - j.upper, 0);
      if (v > worst) worst = v;
    }
    return worst;
  }

  bodyPos(b: number): Vec3 {
    const o = b * 13;
    return [this.state[o], this.state[o + 1], this.state[o + 2]];
  }

  bodyQuat(b: number): Quat {
    const o = b * 13;
    return [this.state[o + 3], this.state[o + 4], this.state[o + 5], this.state[o + 6]];
  }

  /** Writes 7 floats per body (xyz, quat xyzw) at offset. */
  writePoses(out: Float32Array, offset = 0): void {
    const s = this.state;
    for (let b = 0; b < this.nb; b++) {
      const o = b * 13, w = offset + b * 7;
      for (let k = 0; k < 7; k++) out[w + k] = s[o + k];
    }
  }

  /** Set a body's pose and velocity (for resets), without touching the solver. */
  static setBody(rb: RAPIER.RigidBody, p: Vec3, q: Quat, v: Vec3, w: Vec3): void {
    rb.setTranslation({ x: p[0], y: p[1], z: p[2] }, false);
    rb.setRotation({ x: q[0], y: q[1], z: q[2], w: q[3] }, false);
    rb.setLinvel({ x: v[0], y: v[1], z: v[2] }, false);
    rb.setAngvel({ x: w[0], y: w[1], z: w[2] }, false);
  }
}

/**
 * Depth-first preorder of the bodies reachable from each root (bodies that are nobody's child),
 * children in joint order, and each body's subtree as a [start, end) range of that order.
 * Iterative and linear. Bodies on a cycle of joints (which a tree never has) get an empty range
 * beyond their own entry, so nothing loops.
 */
export function subtreeRanges(nb: number, joints: readonly { parentBody: number; childBody: number }[]): { order: Int32Array; start: Int32Array; end: Int32Array } {
  // Children lists in CSR form: childStart[b] .. childStart[b + 1] in `kids`.
  const childStart = new Int32Array(nb + 1);
  const hasParent = new Uint8Array(nb);
  for (const j of joints) {
    childStart[j.parentBody + 1]++;
    hasParent[j.childBody] = 1;
  }
  for (let b = 0; b < nb; b++) childStart[b + 1] += childStart[b];
  const fill = childStart.slice(0, nb);
  const kids = new Int32Array(joints.length);
  for (const j of joints) kids[fill[j.parentBody]++] = j.childBody;

  const order = new Int32Array(nb);
  const start = new Int32Array(nb).fill(-1);
  const end = new Int32Array(nb);
  const stack = new Int32Array(nb);
  const next = new Int32Array(nb); // per body on the stack: index of the next child to visit
  let n = 0;
  const visit = (root: number) => {
    let top = 0;
    stack[0] = root;
    start[root] = n;
    order[n++] = root;
    next[root] = childStart[root];
    while (top >= 0) {
      const b = stack[top];
      if (next[b] < childStart[b + 1]) {
        const c = kids[next[b]++];
        if (start[c] !== -1) continue; // seen already (only on a malformed, cyclic graph)
        start[c] = n;
        order[n++] = c;
        next[c] = childStart[c];
        stack[++top] = c;
      } else {
        end[b] = n;
        top--;
      }
    }
  };
  for (let b = 0; b < nb; b++) if (!hasParent[b] && start[b] === -1) visit(b);
  // Whatever is left sits on a cycle: visit it anyway, so every body has a range.
  for (let b = 0; b < nb; b++) if (start[b] === -1) visit(b);
  return { order, start, end };
}

function rot(qx: number, qy: number, qz: number, qw: number, vx: number, vy: number, vz: number): [number, number, number] {
  const tx = 2 * (qy * vz - qz * vy);
  const ty = 2 * (qz * vx - qx * vz);
  const tz = 2 * (qx * vy - qy * vx);
  return [vx + qw * tx + (qy * tz - qz * ty), vy + qw * ty + (qz * tx - qx * tz), vz + qw * tz + (qx * ty - qy * tx)];
}

function qmul4(ax: number, ay: number, az: number, aw: number, bx: number, by: number, bz: number, bw: number): [number, number, number, number] {
  return [aw * bx + ax * bw + ay * bz - az * by, aw * by - ax * bz + ay * bw + az * bx, aw * bz + ax * by - ay * bx + az * bw, aw * bw - ax * bx - ay * by - az * bz];
}
