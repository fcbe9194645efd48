// Random-action drift of the Rapier ant (issue 20, physics honesty), intact and with each leg crippled: mean vx, vy (m/s) and yaw rate (rad/s) with standard errors, 16 seeds x 500 steps.
// npx tsx scripts/experiments/ant-drift-legs.ts
import { loadRapier } from '../../src/physics/rapier.js';
import { makeEnvSync } from '../../src/physics/envs/registry.js';
import { ANT_OBS_XY, quatYaw } from '../../src/physics/envs/ant.js';
import { Rng } from '../../src/physics/rng.js';
await loadRapier();
const env = makeEnvSync('Ant-v0', { includeXY: true, terminateWhenUnhealthy: false, ctrlCostWeight: 0.005 });
const a = new Float32Array(8);
for (const leg of [null, 0, 1, 2, 3]) {
  const vx: number[] = [], vy: number[] = [], wz: number[] = [];
  for (let s = 0; s < 16; s++) {
    let o = env.reset({ seed: 100 + s }).obs;
    if (leg !== null) env.applyFault({ kind: 'cripple', leg, shrink: true } as never);
    const rng = new Rng(7 + s);
    const x0 = o[0], y0 = o[1], yaw0 = quatYaw(o[3], o[4], o[5], o[6]);
    let yawPrev = yaw0, turn = 0;
    for (let t = 0; t < 500; t++) { rng.fillUniform(a); o = env.step(a).obs; const y = quatYaw(o[ANT_OBS_XY.qw], o[ANT_OBS_XY.qx], o[ANT_OBS_XY.qy], o[ANT_OBS_XY.qz]); let d = y - yawPrev; if (d > Math.PI) d -= 2 * Math.PI; if (d < -Math.PI) d += 2 * Math.PI; turn += d; yawPrev = y; }
    vx.push((o[0] - x0) / 25); vy.push((o[1] - y0) / 25); wz.push(turn / 25);
  }
  const m = (xs: number[]) => xs.reduce((p, q) => p + q, 0) / xs.length;
  const se = (xs: number[]) => Math.sqrt(xs.reduce((p, q) => p + (q - m(xs)) ** 2, 0) / (xs.length - 1) / xs.length);
  console.log(JSON.stringify({ leg, vx: +m(vx).toFixed(3), vxSe: +se(vx).toFixed(3), vy: +m(vy).toFixed(3), vySe: +se(vy).toFixed(3), yawRate: +m(wz).toFixed(3), yawSe: +se(wz).toFixed(3) }));
}
