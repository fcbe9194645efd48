/**
 * Smooth drawing of poses that arrive slower than the display refreshes (the ant's env step is
 * 50 ms: 20 poses a second against 60 drawn frames). Draws the last two arrivals blended by the
 * time since the newest, over the measured arrival interval: motion is continuous at the cost of
 * one interval of delay. A jump (reset, teleport) or a stall (pause, single steps) shows the
 * newest poses as they are.
 */
import { POSE_STRIDE } from '../../../shared/scene';

/** A body moving farther than this between two arrivals is a teleport, not motion (m). */
const JUMP = 0.5;
/**
 * Arrivals further apart than this are not a stream (paused, stepped by hand) (ms). The
 * quadrotor's models fly 0.2 s commands: 5 arrivals a second in real time, slower while it plans.
 */
const MAX_INTERVAL = 450;

export class PoseInterpolator {
  private prev: Float32Array | null = null;
  private cur: Float32Array | null = null;
  private out: Float32Array | null = null;
  private arrival = 0;
  private interval = 0;
  private blend = false;

  /** A new set of poses arrived at time `now` (ms). */
  push(poses: Float32Array, now: number): void {
    const gap = now - this.arrival;
    const stream = this.cur !== null && gap > 0 && gap <= MAX_INTERVAL && !jumped(this.cur, poses);
    // smooth the interval so a late frame does not make motion stutter
    this.interval = stream ? (this.interval > 0 ? 0.8 * this.interval + 0.2 * gap : gap) : 0;
    this.prev = stream ? this.cur : null;
    this.cur = poses.slice();
    this.arrival = now;
    this.blend = stream;
    if (!this.out || this.out.length !== poses.length) this.out = new Float32Array(poses.length);
  }

  /** Poses to draw at time `now` (ms); null before the first arrival. */
  sample(now: number): Float32Array | null {
    const cur = this.cur;
    if (!cur) return null;
    const prev = this.prev;
    const out = this.out!;
    const a = this.blend && prev && this.interval > 0 ? Math.min(1, Math.max(0, (now - this.arrival) / this.interval)) : 1;
    if (a >= 1 || !prev) {
      out.set(cur);
      return out;
    }
    return blendPoses(prev, cur, a, out);
  }

  /** Forget the stream (a new scene). */
  reset(): void {
    this.prev = this.cur = this.out = null;
    this.interval = 0;
    this.blend = false;
  }
}

/**
 * Poses a fraction `a` of the way from `prev` to `cur`, into `out`: positions lerped, rotations
 * by normalized lerp along the shorter arc (q and -q are the same rotation).
 */
export function blendPoses(prev: Float32Array, cur: Float32Array, a: number, out: Float32Array): Float32Array {
  for (let k = 0; k < cur.length; k += POSE_STRIDE) {
    for (let d = 0; d < 3; d++) out[k + d] = prev[k + d] + a * (cur[k + d] - prev[k + d]);
    const dot = prev[k + 3] * cur[k + 3] + prev[k + 4] * cur[k + 4] + prev[k + 5] * cur[k + 5] + prev[k + 6] * cur[k + 6];
    const s = dot < 0 ? -1 : 1;
    let n = 0;
    for (let d = 3; d < 7; d++) {
      const v = (1 - a) * prev[k + d] + a * s * cur[k + d];
      out[k + d] = v;
      n += v * v;
    }
    n = Math.sqrt(n) || 1;
    for (let d = 3; d < 7; d++) out[k + d] /= n;
  }
  return out;
}

/**
 * Whether two pose sets are not one step of motion apart: a different body count (a new scene),
 * or some body moved farther than a step could take it (a reset or teleport).
 */
export function jumped(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return true;
  for (let k = 0; k < a.length; k += POSE_STRIDE) {
    const dx = a[k] - b[k], dy = a[k + 1] - b[k + 1], dz = a[k + 2] - b[k + 2];
    if (dx * dx + dy * dy + dz * dz > JUMP * JUMP) return true;
  }
  return false;
}
