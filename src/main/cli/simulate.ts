/**
 * `adaptlab simulate`: run a robot headless and print one JSON summary line (with hasNaN).
 *   --urdf FILE [--package-path DIR]... [--seconds 5] [--hold pd|limp] [--fixed-base|--floating-base]
 *   --env Ant-v0 [--steps N] [--seed S] [--policy random|zero|gait]
 */
import { errorLine } from '../../physics/robot/urdf/cli';
import type { SimulateSummary } from '../../physics/simulate';
import { boolFlag, flag, flagAll, intFlag, UsageError, type ParsedArgs } from './args';
import { loadPolicyArg } from './policy-arg';

export const SIMULATE_USAGE =
  'adaptlab simulate --urdf FILE [--package-path DIR]... [--seconds 5] [--hold pd|limp] [--fixed-base|--floating-base] [--json]\n' +
  '       adaptlab simulate --env Ant-v0|Hopper-v0|QuadPayload-v0 [--steps 1000] [--seed 0] [--policy random|zero|gait|POLICY.json] [--json]';

/** Physics' env summary, plus what a URDF run adds (its policy is the joint hold: pd or limp). */
export interface UrdfSimSummary extends Omit<SimulateSummary, 'policy'> {
  policy: string;
  seconds: number;
  fixedBase: boolean;
  bodies: number;
  joints: number;
  warnings: string[];
}

function print(summary: object, json: boolean): void {
  if (json) console.log(JSON.stringify(summary));
  else for (const [k, v] of Object.entries(summary)) console.log(`${k}: ${Array.isArray(v) ? v.join('; ') || '-' : String(v)}`);
}

export async function simulateUrdf(opts: { file: string; packagePath: string[]; seconds: number; hold: 'pd' | 'limp'; fixedBase?: boolean }): Promise<UrdfSimSummary> {
  const { UrdfScene } = await import('../service/urdf-scene');
  const t0 = performance.now();
  const scene = await UrdfScene.create({ path: opts.file, packagePath: opts.packagePath, mode: 'dynamic', hold: opts.hold, ...(opts.fixedBase === undefined ? {} : { fixedBase: opts.fixedBase }) });
  try {
    const art = scene.articulation;
    const steps = Math.max(1, Math.round(opts.seconds / scene.dt));
    art.readState();
    const x0 = art.state[0];
    let minH = art.state[2], maxH = art.state[2];
    let maxLim = 0, maxSep = 0;
    let hasNaN = scene.hasNaN();
    for (let i = 0; i < steps && !hasNaN; i++) {
      scene.step();
      if (scene.hasNaN()) hasNaN = true;
      const h = art.state[2];
      minH = Math.min(minH, h);
      maxH = Math.max(maxH, h);
      maxLim = Math.max(maxLim, art.maxLimitViolation());
      maxSep = Math.max(maxSep, art.maxJointSeparation());
    }
    const wall = (performance.now() - t0) / 1000;
    const seconds = steps * scene.dt;
    return {
      env: `Urdf:${opts.file}`,
      steps,
      seed: 0,
      policy: opts.hold === 'pd' ? 'hold-pd' : 'limp',
      episodes: 1,
      seconds,
      finalX: art.state[0],
      meanForwardVelocity: (art.state[0] - x0) / seconds,
      minTorsoHeight: minH,
      maxTorsoHeight: maxH,
      hasNaN,
      maxJointLimitViolation: maxLim,
      maxJointSeparation: maxSep,
      meanReward: 0,
      wallSeconds: wall,
      stepsPerSecond: steps / wall,
      fixedBase: scene.built.base === 'fixed',
      bodies: scene.built.bodies.length,
      joints: scene.built.joints.length,
      warnings: scene.warnings,
    };
  } finally {
    scene.dispose();
  }
}

export async function simulateCommand(args: ParsedArgs): Promise<number> {
  const json = boolFlag(args, 'json');
  const urdf = flag(args, 'urdf') ?? args.positional[0];
  const env = flag(args, 'env');
  if (!urdf && !env) throw new UsageError('give --urdf FILE or --env ID');
  if (urdf && env) throw new UsageError('give --urdf or --env, not both');
  if (urdf) {
    const secondsRaw = flag(args, 'seconds') ?? '5';
    const seconds = Number(secondsRaw);
    if (!(seconds > 0 && seconds <= 3600)) throw new UsageError(`--seconds expects a number in (0, 3600], got "${secondsRaw}"`);
    const hold = flag(args, 'hold') ?? 'pd';
    if (hold !== 'pd' && hold !== 'limp') throw new UsageError(`--hold expects pd or limp, got "${hold}"`);
    const fixedBase = boolFlag(args, 'fixed-base') ? true : boolFlag(args, 'floating-base') ? false : undefined;
    let summary: UrdfSimSummary;
    try {
      summary = await simulateUrdf({ file: urdf, packagePath: flagAll(args, 'package-path'), seconds, hold, fixedBase });
    } catch (e) {
      // With --json, every failure is the one JSON line (a URDF error with file and element, or 'internal').
      const line = errorLine(e);
      if (json) console.log(JSON.stringify(line));
      console.error(`adaptlab simulate: ${line.error.message}`);
      return 1;
    }
    print(summary, json);
    if (summary.hasNaN) {
      console.error(`adaptlab simulate: the simulation of ${urdf} produced NaN (non-finite body state); the robot's masses, inertias or origins are likely unphysical`);
      return 1;
    }
    return 0;
  }
  const { isEnvId } = await import('../../physics/envs/registry');
  if (!isEnvId(env!)) throw new UsageError(`unknown env "${env}" (Ant-v0, Hopper-v0, QuadPayload-v0)`);
  const policy = flag(args, 'policy') ?? 'random';
  // a policy file: the learned policy acts (deterministically), and the same physical checks apply
  const chosen = await loadPolicyArg(policy);
  let controller: { name: string; act(obs: Float32Array): Float32Array } | undefined;
  if (typeof chosen !== 'string') {
    if (chosen.env !== env) throw new UsageError(`--policy ${policy} was trained on ${chosen.env}, not ${env}`);
    controller = { name: policy, act: (obs) => chosen.act(obs, { deterministic: true }) };
  }
  const { simulate } = await import('../../physics/simulate');
  const summary = await simulate({ env: env!, steps: intFlag(args, 'steps', 1000, 1, 10_000_000), seed: intFlag(args, 'seed', 0, 0, 2 ** 31 - 1), policy: typeof chosen === 'string' ? chosen : 'zero', controller });
  print(summary, json);
  return summary.hasNaN ? 1 : 0;
}
