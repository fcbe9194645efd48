/**
 * The Adaptation view's scene: the ant walks under MPC with a learned dynamics model (GrBAL,
 * ReBAL, MB or MB + dynamic evaluation); a leg can be broken now or at a time; adaptation can be
 * switched off and on. Telemetry charts forward velocity and the model's prediction error,
 * adapted against unadapted on the same transitions; the MPC's best plan is the ghost path.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SceneSpec } from '../../shared/scene';
import type { ControlDecl, TelemetryDecl } from '../../shared/scene-decl';
import { makeEnv } from '../../physics/envs/registry';
import type { Env, Fault, LegPart } from '../../physics/envs/types';
import { initBackend } from '../../meta/backend';
import { createAdaptiveController } from '../../meta/mbrl/controller';
import { antMbEnvConfig, antUprightPenalty } from '../../meta/mbrl/ant';
import { WindowMeans } from './window-mean';
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
];

export const ADAPT_COMMANDS = {
  method: z.enum(ADAPT_METHODS.map((m) => m.value) as [AdaptMethod, ...AdaptMethod[]]),
  adaptation: z.boolean(),
};

export const ADAPT_TELEMETRY: TelemetryDecl[] = [
  { key: 'forward_velocity', label: 'forward velocity', unit: 'm/s', group: 'forward velocity' },
  { key: 'prediction_error/adapted', label: 'adapted', unit: '', group: 'model state error' },
  { key: 'prediction_error/unadapted', label: 'unadapted', unit: '', group: 'model state error' },
  { key: 'velocity_error/adapted', label: 'adapted', unit: 'm/s', group: 'model velocity error' },
  { key: 'velocity_error/unadapted', label: 'unadapted', unit: 'm/s', group: 'model velocity error' },
  { key: 'distance', label: 'distance this episode', unit: 'm', group: 'distance' },
  { key: 'plan_ms', label: 'planning time', unit: 'ms', group: 'control step' },
];
type Controller = ReturnType<typeof createAdaptiveController>;

/** Where the shipped pretrained checkpoints live; 'mbde' runs the MB checkpoint. */
export function checkpointPath(method: AdaptMethod): string {
  const root = process.env.ADAPTLAB_CHECKPOINTS ?? join(ASSETS, 'checkpoints');
  return join(root, 'Ant-v0', `${method === 'mbde' ? 'mb' : method}.json`);
}

/**
 * The checkpoints' own planner (random shooting, 500 candidates, horizon 10) walks; measured here,
 * MPPI 128x8 kept the ant in place and RS 250x8 walked half as far. It costs ~60-90 ms of CPU a
 * control step (dt 50 ms), so the live view runs a little under real time; recordings are
 * frame-stepped and unaffected. ADAPTLAB_LIVE_PLANNER='{"kind":"mppi","candidates":128,"horizon":8}'
 * overrides it.
 */
/** Prediction errors are charted as means over this many control steps (1 s at the ant's 20 Hz). */
const ERROR_WINDOW_STEPS = 20;
const LIVE_PLANNER = process.env.ADAPTLAB_LIVE_PLANNER ? JSON.parse(process.env.ADAPTLAB_LIVE_PLANNER) : undefined;

export class AdaptScene implements Scene {
  readonly dt: number;
  private obs: Float32Array;
  private ctl: Controller;
  private method: AdaptMethod;
  private adapting = true;
  private x0 = 0;
  private info: Record<string, unknown> = {};
  private plan: number[] | null = null;
  private readonly errorMeans = new WindowMeans(ERROR_WINDOW_STEPS);
  private errors: Record<string, number> = {};

  private constructor(private readonly env: Env, private seed: number, method: AdaptMethod) {
    this.dt = env.dt;
    this.method = method;
    this.ctl = this.controller(method);
    this.obs = this.env.reset({ seed }).obs;
    this.x0 = this.obs[0];
    this.ctl.reset();
  }

  static async create(seed: number, method: AdaptMethod = 'grbal'): Promise<AdaptScene> {
    await initBackend();
    const path = checkpointPath(method);
    if (!existsSync(path)) {
      throw new Error(`no pretrained ${method} checkpoint at ${path}; train one with "npx adaptlab train ${method === 'mbde' ? 'mb' : method} --env Ant-v0"`);
    }
    // The reward the checkpoints plan with, without the healthy-height termination: a crippled
    // ant keeps trying, as in `eval-adapt`.
    const env = await makeEnv('Ant-v0', antMbEnvConfig({ episodic: false }));
    return new AdaptScene(env, seed, method);
  }

  private controller(method: AdaptMethod): Controller {
    const path = checkpointPath(method);
    if (!existsSync(path)) throw new Error(`no pretrained checkpoint at ${path}`);
    return createAdaptiveController({ checkpoint: path, env: this.env, method, adapt: this.adapting, imaginedPenalty: antUprightPenalty, ...(LIVE_PLANNER ? { planner: LIVE_PLANNER } : {}), seed: this.seed });
  }

  spec(): SceneSpec {
    const s = this.env.sceneSpec();
    return { ...s, name: 'Ant adapting to a broken leg', followBody: s.followBody ?? 0 };
  }

  reset(seed: number): void {
    this.seed = seed;
    this.obs = this.env.reset({ seed }).obs;
    this.x0 = this.obs[0];
    this.plan = null;
    this.errorMeans.clear();
    this.errors = {};
    this.ctl.reset();
  }

  step(): void {
    const action = this.ctl.act(this.obs);
    const r = this.env.step(action);
    this.obs = r.obs;
    this.info = r.info as unknown as Record<string, unknown>;
    const d = this.ctl.diagnostics();
    this.plan = d?.plan.positions ? Array.from(d.plan.positions) : null;
    // both models' errors on the same transitions, as one-second means (once per step: telemetry
    // is read per drawn frame)
    for (const [name, e] of [['prediction_error', d?.predictionError], ['velocity_error', d?.velocityError]] as const) {
      if (e?.adapted == null || e.unadapted == null) continue;
      for (const side of ['adapted', 'unadapted'] as const) this.errors[`${name}/${side}`] = this.errorMeans.push(`${name}/${side}`, e[side]!);
    }
  }

  legs(): LegPart[] {
    return this.env.legParts?.() ?? [];
  }

  /** GrBAL's crippled leg: actuators zeroed and the lower segment shrunk. */
  applyFault(f: Fault): void {
    this.env.applyFault(f.kind === 'cripple' ? { ...f, shrink: true } : f);
  }

  overlays(): Record<string, unknown> {
    return { ghostPath: this.plan, stretch: this.env.stretchedBodies?.() ?? [] };
  }

  command(control: string, value: unknown, host: HostContext): string {
    if (control === 'adaptation') {
      const on = value as boolean;
      this.adapting = on;
      this.ctl.setAdaptation(on);
      host.note('adaptation', `adaptation ${on ? 'on' : 'off'}`);
      return `adaptation ${on ? 'on' : 'off'}`;
    }
    const method = value as AdaptMethod;
    const next = this.controller(method);
    this.ctl.dispose();
    this.ctl = next;
    this.method = method;
    this.ctl.reset();
    this.errorMeans.clear(); // the new model's errors are not averaged with the old one's
    this.errors = {};
    host.note('method', `method ${method}`);
    return `method: ${method}`;
  }

  writePoses(out: Float32Array): void {
    this.env.writePoses(out);
  }

  telemetry(): Record<string, number> {
    const d = this.ctl.diagnostics();
    const t: Record<string, number> = {
      forward_velocity: typeof this.info.x_velocity === 'number' ? this.info.x_velocity : 0,
      distance: this.obs[0] - this.x0,
    };
    Object.assign(t, this.errors);
    if (d) t.plan_ms = d.timing.totalMs;
    return t;
  }

  dispose(): void {
    this.ctl.dispose();
    this.env.dispose();
  }
}
