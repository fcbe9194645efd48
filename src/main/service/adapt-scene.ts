/**
 * The Adaptation view's scene: the ant follows the world x axis (the broken-leg showcase's task,
 * AntPath-v0) under MPC with a learned dynamics model (GrBAL, ReBAL, MB or MB + dynamic
 * evaluation); a leg can be broken now or at a time; adaptation can be switched off and on.
 * Beside it, from the same start and with the same faults, an unadapted twin (the same model with
 * adaptation off, a translucent ant with a pale trail) shows what adapting changes. Telemetry
 * charts progress and lateral error of both, the model's prediction errors adapted against
 * unadapted on the same transitions, and the yaw rate as it was and as both models predicted it;
 * the path, the trails and the MPC's best plan are drawn on the ground.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { tintedCopy, type SceneSpec } from '../../shared/scene';
import type { ControlDecl, TelemetryDecl } from '../../shared/scene-decl';
import { makeEnv } from '../../physics/envs/registry';
import { ANT_OBS_XY, ANT_PATH } from '../../physics/envs/ant';
import type { Env, Fault, LegPart } from '../../physics/envs/types';
import { initBackend } from '../../meta/backend';
import { createAdaptiveController } from '../../meta/mbrl/controller';
import { antMbEnvConfig, antPathUprightPenalty } from '../../meta/mbrl/ant';
import { BROKEN_LEG_PRESET } from '../../meta/mbrl/eval-broken-leg';
import { WindowMeans } from './window-mean';
import { Trail } from './trail';
import type { HostContext, Scene } from './scene';
import { ASSETS } from '../cli/paths';

export const ADAPT_METHODS = [
  { value: 'grbal', label: 'GrBAL' },
  { value: 'rebal', label: 'ReBAL' },
  { value: 'mb', label: 'MB' },
  { value: 'mbde', label: 'MB + DE' },
] as const;
export type AdaptMethod = (typeof ADAPT_METHODS)[number]['value'];

export const ADAPT_CONTROLS: ControlDecl[] = [
  { id: 'method', kind: 'select', label: 'Method', options: ADAPT_METHODS.map((m) => ({ ...m })), initial: 'grbal', hint: 'which meta-learned dynamics model the MPC plans with' },
  { id: 'adaptation', kind: 'toggle', label: 'Adaptation', initial: true, hint: 'adapt the model online on the last transitions' },
  { id: 'twin', kind: 'toggle', label: 'Unadapted twin', initial: false, hint: 'a second ant from the same start with the same faults, planning with the same model unadapted (twice the CPU); off pauses it' },
];

export const ADAPT_COMMANDS = {
  method: z.enum(ADAPT_METHODS.map((m) => m.value) as [AdaptMethod, ...AdaptMethod[]]),
  adaptation: z.boolean(),
  twin: z.boolean(),
};

export const ADAPT_TELEMETRY: TelemetryDecl[] = [
  { key: 'distance', label: 'adapted', unit: 'm', group: 'progress along the path' },
  { key: 'distance_twin', label: 'unadapted twin', unit: 'm', group: 'progress along the path' },
  { key: 'lateral_error', label: 'adapted', unit: 'm', group: 'lateral error |y|' },
  { key: 'lateral_error_twin', label: 'unadapted twin', unit: 'm', group: 'lateral error |y|' },
  { key: 'yaw_rate/actual', label: 'actual', unit: 'rad/s', group: 'yaw rate' },
  { key: 'yaw_rate/adapted', label: 'predicted, adapted', unit: 'rad/s', group: 'yaw rate' },
  { key: 'yaw_rate/unadapted', label: 'predicted, unadapted', unit: 'rad/s', group: 'yaw rate' },
  { key: 'prediction_error/adapted', label: 'adapted', unit: '', group: 'model state error' },
  { key: 'prediction_error/unadapted', label: 'unadapted', unit: '', group: 'model state error' },
  { key: 'velocity_error/adapted', label: 'adapted', unit: 'm/s', group: 'model velocity error' },
  { key: 'velocity_error/unadapted', label: 'unadapted', unit: 'm/s', group: 'model velocity error' },
  { key: 'forward_velocity', label: 'forward velocity', unit: 'm/s', group: 'forward velocity' },
  { key: 'plan_ms', label: 'planning time', unit: 'ms', group: 'control step' },
];

/** The path drawn on the ground: the world x axis, 1 m apart, a little above the floor. */
const PATH_POINTS = Array.from({ length: 82 }, (_, i) => [i - 1, 0, 0.01]).flat();
/** Seconds of trail kept (20 Hz); the overlay draws the newest 1024 points. */
const TRAIL_SECONDS_ADAPT = 60;
type Controller = ReturnType<typeof createAdaptiveController>;

/** Where the shipped pretrained checkpoints live; 'mbde' runs the MB checkpoint. */
export function checkpointPath(method: AdaptMethod): string {
  const root = process.env.ADAPTLAB_CHECKPOINTS ?? join(ASSETS, 'checkpoints');
  return join(root, 'Ant-v0', `${method === 'mbde' ? 'mb' : method}.json`);
}

/**
 * The protocol's planner (MPPI 200 x 20, a 1 s look-ahead, warm-started), so the view shows what
 * the README measures. ADAPTLAB_LIVE_PLANNER='{"kind":"mppi","candidates":100,"horizon":20}'
 * overrides it.
 */
/** Prediction errors are charted as means over this many control steps (1 s at the ant's 20 Hz). */
const ERROR_WINDOW_STEPS = 20;
const LIVE_PLANNER = process.env.ADAPTLAB_LIVE_PLANNER ? JSON.parse(process.env.ADAPTLAB_LIVE_PLANNER) : BROKEN_LEG_PRESET.planner;

/** One ant and the controller that drives it. */
interface Runner {
  env: Env;
  ctl: Controller;
  obs: Float32Array;
  x0: number;
  trail: Trail;
}

export class AdaptScene implements Scene {
  readonly dt: number;
  private main: Runner;
  private twin: Runner;
  /** Off at first: the twin doubles the planning work, and the view is real time only without it. */
  private twinOn = false;
  private method: AdaptMethod;
  private adapting = true;
  private info: Record<string, unknown> = {};
  private plan: number[] | null = null;
  private readonly errorMeans = new WindowMeans(ERROR_WINDOW_STEPS);
  private errors: Record<string, number> = {};
  private yaw: Record<string, number> = {};

  private constructor(envs: [Env, Env], private seed: number, method: AdaptMethod) {
    this.dt = envs[0].dt;
    this.method = method;
    this.main = this.runner(envs[0], method, true);
    this.twin = this.runner(envs[1], method, false);
    this.reset(seed);
  }

  static async create(seed: number, method: AdaptMethod = 'grbal'): Promise<AdaptScene> {
    await initBackend();
    const path = checkpointPath(method);
    if (!existsSync(path)) {
      throw new Error(`no pretrained ${method} checkpoint at ${path}; train one with "npx adaptlab train ${method === 'mbde' ? 'mb' : method} --env Ant-v0"`);
    }
    // The path-following task, without the healthy-height termination: a crippled ant keeps
    // trying, as in `eval-adapt --preset ant-broken-leg`.
    const make = () => makeEnv('Ant-v0', antMbEnvConfig({ episodic: false }, { path: ANT_PATH }));
    return new AdaptScene([await make(), await make()], seed, method);
  }

  private runner(env: Env, method: AdaptMethod, adapt: boolean): Runner {
    return { env, ctl: this.controller(env, method, adapt), obs: new Float32Array(env.observationSize), x0: 0, trail: new Trail(TRAIL_SECONDS_ADAPT, env.dt) };
  }

  private controller(env: Env, method: AdaptMethod, adapt: boolean): Controller {
    const path = checkpointPath(method);
    if (!existsSync(path)) throw new Error(`no pretrained checkpoint at ${path}`);
    return createAdaptiveController({ checkpoint: path, env, method, adapt, imaginedPenalty: antPathUprightPenalty, planner: LIVE_PLANNER, seed: this.seed, yawRateIndex: ANT_OBS_XY.wz });
  }

  spec(): SceneSpec {
    const s = this.main.env.sceneSpec();
    // the twin: a second copy of the ant's bodies, translucent and cool-tinted (poses after the ant's)
    const twin = tintedCopy(s.bodies, 'twin', [0.55, 0.75, 1, 0.3]);
    return { ...s, name: 'Ant adapting to a broken leg', bodies: [...s.bodies, ...twin], followBody: s.followBody ?? 0, robotBodies: s.bodies.length };
  }

  reset(seed: number): void {
    this.seed = seed;
    for (const r of [this.main, this.twin]) {
      r.obs = r.env.reset({ seed }).obs;
      r.x0 = r.obs[ANT_OBS_XY.x];
      r.trail.restart([r.obs[ANT_OBS_XY.x], r.obs[ANT_OBS_XY.y], 0.02]);
      r.ctl.reset(seed);
    }
    this.plan = null;
    this.errorMeans.clear();
    this.errors = {};
    this.yaw = {};
  }

  private advance(r: Runner): Record<string, unknown> {
    const action = r.ctl.act(r.obs);
    const s = r.env.step(action);
    r.obs = s.obs;
    r.trail.push([r.obs[ANT_OBS_XY.x], r.obs[ANT_OBS_XY.y], 0.02]);
    return s.info as unknown as Record<string, unknown>;
  }

  step(): void {
    this.info = this.advance(this.main);
    if (this.twinOn) this.advance(this.twin);
    const d = this.main.ctl.diagnostics();
    this.plan = d?.plan.positions ? Array.from(d.plan.positions) : null;
    // both models' errors on the same transitions, as one-second means (once per step: telemetry
    // is read per drawn frame)
    for (const [name, e] of [['prediction_error', d?.predictionError], ['velocity_error', d?.velocityError]] as const) {
      if (e?.adapted == null || e.unadapted == null) continue;
      for (const side of ['adapted', 'unadapted'] as const) this.errors[`${name}/${side}`] = this.errorMeans.push(`${name}/${side}`, e[side]!);
    }
    // the yaw rate, one-second means: a broken leg turns the ant steadily, which the adapted model should predict
    if (d?.yawRate) for (const k of ['actual', 'adapted', 'unadapted'] as const) this.yaw[`yaw_rate/${k}`] = this.errorMeans.push(`yaw/${k}`, d.yawRate[k]);
  }

  legs(): LegPart[] {
    return this.main.env.legParts?.() ?? [];
  }

  /** GrBAL's crippled leg: actuators zeroed and the lower segment shrunk; the twin breaks with the ant. */
  applyFault(f: Fault): void {
    const fault = f.kind === 'cripple' ? { ...f, shrink: true } : f;
    this.main.env.applyFault(fault);
    this.twin.env.applyFault(fault);
  }

  overlays(): Record<string, unknown> {
    return {
      ghostPath: this.plan,
      stretch: this.main.env.stretchedBodies?.() ?? [],
      trackPath: { reference: PATH_POINTS, trail: this.main.trail.xyz, ghostTrail: this.twinOn ? this.twin.trail.xyz : [] },
    };
  }

  command(control: string, value: unknown, host: HostContext): string {
    if (control === 'adaptation') {
      const on = value as boolean;
      this.adapting = on;
      this.main.ctl.setAdaptation(on);
      host.note('adaptation', `adaptation ${on ? 'on' : 'off'}`);
      return `adaptation ${on ? 'on' : 'off'}`;
    }
    if (control === 'twin') {
      this.twinOn = value as boolean;
      // a paused twin stands where it stopped; a reset starts both level again
      return this.twinOn ? 'unadapted twin on (from where it stopped; reset to start both level)' : 'unadapted twin paused';
    }
    const method = value as AdaptMethod;
    const next = [this.controller(this.main.env, method, this.adapting), this.controller(this.twin.env, method, false)];
    this.main.ctl.dispose();
    this.twin.ctl.dispose();
    this.main.ctl = next[0];
    this.twin.ctl = next[1];
    this.method = method;
    this.main.ctl.reset(this.seed);
    this.twin.ctl.reset(this.seed);
    this.errorMeans.clear(); // the new model's errors are not averaged with the old one's
    this.errors = {};
    this.yaw = {};
    host.note('method', `method ${method}`);
    return `method: ${method}`;
  }

  writePoses(out: Float32Array): void {
    this.main.env.writePoses(out);
    this.twin.env.writePoses(out, this.main.env.bodyCount * 7);
  }

  telemetry(): Record<string, number> {
    const d = this.main.ctl.diagnostics();
    const m = this.main.obs;
    const t: Record<string, number> = {
      forward_velocity: typeof this.info.x_velocity === 'number' ? this.info.x_velocity : 0,
      distance: m[ANT_OBS_XY.x] - this.main.x0,
      lateral_error: Math.abs(m[ANT_OBS_XY.y]),
    };
    if (this.twinOn) {
      t.distance_twin = this.twin.obs[ANT_OBS_XY.x] - this.twin.x0;
      t.lateral_error_twin = Math.abs(this.twin.obs[ANT_OBS_XY.y]);
    }
    Object.assign(t, this.errors, this.yaw);
    if (d) t.plan_ms = d.timing.totalMs;
    return t;
  }

  dispose(): void {
    this.main.ctl.dispose();
    this.twin.ctl.dispose();
    this.main.env.dispose();
    this.twin.env.dispose();
  }
}
