/**
 * The heading frame: a legged robot's dynamics do not depend on which way it faces (yaw about
 * world z), so a dynamics model can read the state, and predict its change, as seen from the
 * torso's heading. What it learns walking one way then holds at every heading, and it no longer
 * has to learn to rotate world-frame velocities by the heading held in the quaternion (an MLP does
 * that badly; Ant-v0's forward velocity, the quantity the reward reads, suffers most).
 *
 * Yaw-dependent parts of the observation: horizontal world vectors (x, y pairs: torso position,
 * linear velocity) and the torso quaternion. Rotating them by -yaw is linear in the vector being
 * rotated, so the same map takes an observation to its frame and a delta (next - obs) to the frame
 * of the obs it starts from: new = v * C + v[partner] * S, with C, S per row from the heading.
 */
import { tf, type Tensor } from '../tf.js';

export interface YawFrame {
  /** Index of the torso quaternion's w; x, y, z follow (Rapier/MuJoCo order w, x, y, z). */
  quat: number;
  /** World-frame horizontal vectors as (x, y) index pairs, e.g. torso position and linear velocity. */
  planar: [number, number][];
}

/** Per-row coefficients of one heading rotation: `rotate` with them turns world into frame. */
export interface FrameRotation {
  C: Tensor;
  S: Tensor;
}

export class HeadingFrame {
  private readonly partner: Tensor;
  private readonly planarMask: Tensor;
  private readonly planarSign: Tensor;
  private readonly quatMask: Tensor;
  private readonly quatSign: Tensor;
  private readonly quatIdx: Tensor;

  constructor(
    readonly frame: YawFrame,
    readonly size: number,
  ) {
    const partner = Array.from({ length: size }, (_, i) => i);
    const pm = new Float32Array(size), ps = new Float32Array(size), qm = new Float32Array(size), qs = new Float32Array(size);
    const check = (i: number) => {
      if (!Number.isInteger(i) || i < 0 || i >= size) throw new Error(`yaw frame index ${i} is outside the observation (size ${size})`);
      if (pm[i] || qm[i]) throw new Error(`yaw frame index ${i} is used twice`);
    };
    for (const [i, j] of frame.planar) {
      check(i);
      check(j);
      // rotation by -yaw: x' = c x + s y, y' = -s x + c y
      partner[i] = j;
      partner[j] = i;
      pm[i] = pm[j] = 1;
      ps[i] = 1;
      ps[j] = -1;
    }
    const [w, x, y, z] = [0, 1, 2, 3].map((k) => frame.quat + k);
    [w, x, y, z].forEach(check);
    // r (x) q with r = (ch, 0, 0, -sh): w' = ch w + sh z, x' = ch x + sh y, y' = ch y - sh x, z' = ch z - sh w
    partner[w] = z;
    partner[z] = w;
    partner[x] = y;
    partner[y] = x;
    for (const [i, sign] of [[w, 1], [x, 1], [y, -1], [z, -1]] as const) {
      qm[i] = 1;
      qs[i] = sign;
    }
    this.partner = tf.tensor1d(partner, 'int32');
    this.planarMask = tf.tensor1d(pm);
    this.planarSign = tf.tensor1d(ps);
    this.quatMask = tf.tensor1d(qm);
    this.quatSign = tf.tensor1d(qs);
    this.quatIdx = tf.tensor1d([w, x, y, z], 'int32');
  }

  /**
   * The rotation into the heading frame of each row of `obs` [..., O]. The quaternion's sign is
   * chosen so the frame's w is >= 0: q and -q are the same attitude, and the model should see one.
   */
  rotation(obs: Tensor): FrameRotation {
    return tf.tidy(() => {
      const q = tf.gather(obs, this.quatIdx, obs.rank - 1);
      const [w, x, y, z] = tf.unstack(q, q.rank - 1).map((t) => tf.expandDims(t, -1));
      const yaw = tf.atan2(tf.mul(2, tf.add(tf.mul(w, z), tf.mul(x, y))), tf.sub(tf.add(tf.square(w), tf.square(x)), tf.add(tf.square(y), tf.square(z))));
      const half = tf.mul(yaw, 0.5);
      let ch = tf.cos(half);
      let sh = tf.sin(half);
      const sigma = tf.where(tf.less(tf.add(tf.mul(ch, w), tf.mul(sh, z)), 0), tf.scalar(-1), tf.scalar(1));
      ch = tf.mul(ch, sigma);
      sh = tf.mul(sh, sigma);
      const c = tf.cos(yaw);
      const s = tf.sin(yaw);
      // C = 1 off the rotated columns, c on planar ones, ch on the quaternion
      const C = tf.add(tf.add(1, tf.mul(this.planarMask, tf.sub(c, 1))), tf.mul(this.quatMask, tf.sub(ch, 1)));
      const S = tf.add(tf.mul(this.planarSign, s), tf.mul(this.quatSign, sh));
      return { C, S };
    });
  }

  /** The rotation back out of the frame (every pair is rotated the other way). */
  static inverse(r: FrameRotation): FrameRotation {
    return { C: r.C, S: tf.neg(r.S) };
  }

  /** Applies a rotation from {@link rotation} to rows [..., O] (observations or deltas). */
  rotate(v: Tensor, r: FrameRotation): Tensor {
    return tf.add(tf.mul(v, r.C), tf.mul(tf.gather(v, this.partner, v.rank - 1), r.S));
  }

  dispose(): void {
    tf.dispose([this.partner, this.planarMask, this.planarSign, this.quatMask, this.quatSign, this.quatIdx]);
  }
}
