/**
 * The Adaptation view's scene: the ant walks under MPC with a learned dynamics model (GrBAL,
 * ReBAL, MB or MB + dynamic evaluation); a leg can be broken now or at a time; adaptation can be
 * switched off and on. Telemetry charts forward velocity and the model's prediction error,
 * adapted against unadapted on the same transitions; the MPC's best plan is the ghost path.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SceneCommand } from '../../shared/contract';
import type { BodyStretch, SceneSpec } from '../../shared/scene';
import type { SimEvent } from '../../shared/snapshot';
import { makeEnv } from '../../physics/envs/registry';
import type { Env, Fault } from '../../physics/envs/types';
import { initBackend } from '../../meta/backend';
import { createAdaptiveController } from '../../meta/mbrl/controller';
import { antMbEnvConfig, antUprightPenalty } from '../../meta/mbrl/ant';
import { FaultTimeline } from './fault-timeline';
import { WindowMeans } from './window-mean';
import type { SceneRunner } from './scene-runner';
import { ASSETS } from '../cli/paths';

export type AdaptMethod = 'grbal' | 'rebal' | 'mb' | 'mbde';
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

export class AdaptScene implements SceneRunner {
  readonly dt: number;
  private obs: Float32Array;
  private ctl: Controller;
  private method: AdaptMethod;
  private adapting = true;
  private simTime = 0;
  private x0 = 0;
  private info: Record<string, unknown> = {};
  private readonly faults = new FaultTimeline(
    (f) => this.env.applyFault(f),
    () => this.env.sceneSpec(),
  );
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
    this.faults.episodeStarted();
    this.seed = seed;
    this.obs = this.env.reset({ seed }).obs;
    this.x0 = this.obs[0];
    this.simTime = 0;
    this.plan = null;
    this.errorMeans.clear();
    this.errors = {};
    this.ctl.reset();
  }

  step(): void {
    this.faults.fireDue(this.simTime);
    const action = this.ctl.act(this.obs);
    const r = this.env.step(action);
    this.obs = r.obs;
    this.info = r.info as unknown as Record<string, unknown>;
    this.simTime += this.dt;
    const d = this.ctl.diagnostics();
    this.plan = d?.plan.positions ? Array.from(d.plan.positions) : null;
    // both models' errors on the same transitions, as one-second means (once per step: telemetry
    // is read per drawn frame)
    for (const [name, e] of [['prediction_error', d?.predictionError], ['velocity_error', d?.velocityError]] as const) {
      if (e?.adapted == null || e.unadapted == null) continue;
      for (const side of ['adapted', 'unadapted'] as const) this.errors[`${name}/${side}`] = this.errorMeans.push(`${name}/${side}`, e[side]!);
    }
  }

  highlight(): number[] {
    return this.faults.highlight();
  }

  stretched(): BodyStretch[] {
    return this.env.stretchedBodies?.() ?? [];
  }

  command(cmd: SceneCommand, simTime: number): string {
    switch (cmd.type) {
      case 'fault': {
        // GrBAL's crippled leg: actuators zeroed and the lower segment shrunk.
        const fault: Fault = cmd.fault.kind === 'cripple' ? { kind: 'cripple', leg: cmd.fault.leg, shrink: true } : (cmd.fault as Fault);
        return this.faults.request(fault, cmd.at, simTime);
      }
      case 'clearFaults':
        this.reset(this.seed);
        this.faults.note(0, 'reset', 'healed (episode restarted)');
        return 'faults cleared; episode restarted';
      case 'adaptation':
        this.adapting = cmd.on;
        this.ctl.setAdaptation(cmd.on);
        this.faults.note(this.simTime, 'adaptation', `adaptation ${cmd.on ? 'on' : 'off'}`);
        return `adaptation ${cmd.on ? 'on' : 'off'}`;
      case 'method': {
        const next = this.controller(cmd.method);
        this.ctl.dispose();
        this.ctl = next;
        this.method = cmd.method;
        this.ctl.reset();
        this.errorMeans.clear(); // the new model's errors are not averaged with the old one's
        this.errors = {};
        this.faults.note(this.simTime, 'method', `method ${cmd.method}`);
        return `method: ${cmd.method}`;
      }
      default:
        throw new Error(`the adaptation scene does not support "${cmd.type}"`);
    }
  }

  writePoses(out: Float32Array): void {
    this.env.writePoses(out);
  }

  telemetry(): Record<string, number> {
    const d = this.ctl.diagnostics();
    const t: Record<string, number> = {
      'forward_velocity/x': typeof this.info.x_velocity === 'number' ? this.info.x_velocity : 0,
      'distance/x': this.obs[0] - this.x0,
    };
    Object.assign(t, this.errors);
    if (d) t['control_ms/plan'] = d.timing.totalMs;
    return t;
  }

  drainEvents(): SimEvent[] {
    return this.faults.drainEvents();
  }

  ghost(): number[] | null {
    return this.plan;
  }

  dispose(): void {
    this.ctl.dispose();
    this.env.dispose();
  }
}
