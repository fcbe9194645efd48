/**
 * A registered environment as a live scene: the env steps under a chosen policy (a learned one
 * that ships for it, or one of its scripted policies: gait, PID tracker, random, zero) and
 * reports when an episode ends; the host owns the clock, episodes and faults.
 * Controls: the policy, DR terms and, for a tracking task (the quadrotor's), the reference path.
 * Telemetry: velocity, distance, height, reward, return, reward terms, the tracking error and
 * the sampled parameters being randomized. Overlays: cables, and the reference path with the
 * tracked body's trail.
 */
import { z } from 'zod';
import type { SceneSpec } from '../../shared/scene';
import type { TelemetryDecl } from '../../shared/scene-decl';
import { makeEnv } from '../../physics/envs/registry';
import type { DRTerm } from '../../physics/randomization';
import { checkTerms, drInfo, drTermsControl } from './dr-control';
import { drTermsSchema } from '../../shared/env-config';
import type { Env, EnvConfig, EnvId, Fault, LegPart, StepInfo } from '../../physics/envs/types';
import { QUAD_REFERENCES } from '../../physics/envs/quadPayload';
import { Rng } from '../../physics/rng';
import { scriptedPolicies, type ScriptedController } from '../../physics/controllers/scripted';
import { loadPolicy, type MlpPolicy } from '../../meta/policy';
import { envDefaultPolicy, findPolicy, listPolicies, policyControl } from './policies';
import type { HostContext, Scene, SceneDeclared } from './scene';
import { Trail, TRAIL_SECONDS } from './trail';

/** A scripted controller by id, or a learned network. */
type Policy = { id: string; scripted: ScriptedController } | { id: string; net: MlpPolicy };

/** Telemetry every env scene reports; one key per quantity across scenes. */
export const ENV_TELEMETRY: TelemetryDecl[] = [
  { key: 'forward_velocity', label: 'forward velocity', unit: 'm/s', group: 'forward velocity' },
  { key: 'return', label: 'episode return', unit: '', group: 'return' },
  { key: 'distance', label: 'distance this episode', unit: 'm', group: 'distance' },
  { key: 'torso_height', label: 'root body height', unit: 'm', group: 'height' },
  { key: 'reward', label: 'total', unit: '', group: 'reward per step' },
  { key: 'reward_*', label: 'reward term', unit: '', group: 'reward per step' },
  { key: 'param:*', label: 'sampled parameter', unit: '', group: 'DR parameters' },
  { key: 'tracking_error', label: 'tracking error', unit: 'm', group: 'tracking error' },
];

/** A tracking scene's reference paths (the quadrotor's), and the one it opens with. */
const REFERENCE = { options: QUAD_REFERENCES, initial: 'figure8' as (typeof QUAD_REFERENCES)[number] };

export const ENV_COMMANDS = {
  policy: z.string().max(80).regex(/^[\w.:-]+$/),
  randomize: drTermsSchema,
};
/** A tracking scene's commands: the env's, and the reference path. */
export const TRACKING_COMMANDS = { ...ENV_COMMANDS, reference: z.enum(REFERENCE.options) };

/** Whether the env is a tracking task (it reports a reference path and a tracked point). */
const isTracking = (env: Env) => typeof env.referencePath === 'function' && typeof env.trackedPoint === 'function';

export class EnvScene implements Scene {
  readonly dt: number;
  private policy: Policy;
  private readonly action: Float32Array;
  private obs: Float32Array;
  private readonly rng: Rng;
  private t = 0;
  private x0 = 0;
  private episodeReturn = 0;
  private info: StepInfo | null = null;
  private reward = 0;
  private randomize: DRTerm[] = [];
  private reference: string = REFERENCE.initial;
  /** the tracked body's last positions, a tracking scene's trail */
  private readonly trail: Trail;

  private constructor(private env: Env, private seed: number) {
    this.dt = env.dt;
    this.trail = new Trail(TRAIL_SECONDS, env.dt);
    this.action = new Float32Array(env.actionSize);
    this.obs = new Float32Array(env.observationSize);
    this.rng = new Rng(seed, 0x5ce11e);
    this.policy = this.choose(EnvScene.defaultPolicy(env.id as EnvId));
    this.reset(seed);
  }

  /** A scene opens with its first shipped learned policy, else its first scripted one. */
  static defaultPolicy(id: EnvId): string {
    return envDefaultPolicy(id);
  }

  /** Its declaration: the policy choice (learned ones found on disk), DR, legs and overlays from the env. */
  static async describe(id: EnvId, withFaults: boolean): Promise<SceneDeclared> {
    const env = await makeEnv(id);
    try {
      const policy = policyControl(id);
      const randomize = drTermsControl('randomize', 'Domain randomization terms');
      const legs = withFaults ? (env.legParts?.().length ?? 0) : 0;
      const tracking = isTracking(env);
      const reference = { id: 'reference', kind: 'select' as const, label: 'Reference path', options: REFERENCE.options.map((r) => ({ value: r, label: r })), initial: REFERENCE.initial };
      return {
        controls: tracking ? [policy, reference, randomize] : [policy, randomize],
        commands: tracking ? TRACKING_COMMANDS : ENV_COMMANDS,
        telemetry: tracking ? ENV_TELEMETRY : ENV_TELEMETRY.filter((t) => t.key !== 'tracking_error'),
        overlays: [...(env.sceneSpec().tethers?.length ? ['tethers'] : []), ...(tracking ? ['trackPath'] : [])],
        parameters: EnvScene.parameterFamilies(env),
        dr: drInfo(id, env.nominalParams(), []),
        ...(legs ? { legs } : {}),
      };
    } finally {
      env.dispose();
    }
  }

  /**
   * What the DR panel offers: each parameter family (mass, friction, damping, ...; a scale range
   * applies to all its elements) and the torso mass on its own (EPOpt's hopper), with nominal
   * values (a family shows its first element's).
   */
  private static parameterFamilies(env: Env): Record<string, number> {
    const nominal = env.nominalParams();
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(nominal)) {
      const family = k.split('.')[0];
      if (!(family in out)) out[family] = v;
    }
    if ('mass.torso' in nominal) out['mass.torso'] = nominal['mass.torso'];
    return out;
  }

  static async create(id: EnvId, seed: number): Promise<EnvScene> {
    const probe = await makeEnv(id);
    if (!isTracking(probe)) return new EnvScene(probe, seed);
    probe.dispose();
    return new EnvScene(await makeEnv(id, { reference: REFERENCE.initial }), seed);
  }

  /** The env's config as the scene's controls set it. */
  private envConfig(): EnvConfig {
    return { randomize: this.randomize, ...(isTracking(this.env) ? { reference: this.reference } : {}) };
  }

  private choose(value: string): Policy {
    if (value.startsWith('learned:')) {
      const id = value.slice(8);
      const net = loadPolicy(findPolicy(this.env.id, id).file);
      if (net.observationSize !== this.env.observationSize || net.actionSize !== this.env.actionSize)
        throw new Error(`policy "${id}" expects ${net.observationSize} observations and ${net.actionSize} actions; ${this.env.id} has ${this.env.observationSize} and ${this.env.actionSize}`);
      return { id: value, net };
    }
    const all = scriptedPolicies(this.env.id as EnvId);
    const p = all.find((x) => x.id === value);
    if (!p) throw new Error(`${this.env.id} has no policy "${value}" (it offers: ${[...listPolicies(this.env.id).map((l) => `learned:${l.id}`), ...all.map((x) => x.id)].join(', ')})`);
    return { id: value, scripted: p.create(this.env, this.rng) };
  }

  spec(): SceneSpec {
    // The camera keeps the robot's root body in view (a learned hopper covers 20 m an episode).
    const s = this.env.sceneSpec();
    return { ...s, followBody: s.followBody ?? 0 };
  }

  reset(seed: number): void {
    const r = this.env.reset({ seed });
    this.obs = r.obs;
    this.info = r.info;
    this.x0 = r.info.x_position;
    this.t = 0;
    this.episodeReturn = 0;
    this.reward = 0;
    this.trail.restart(this.env.trackedPoint?.());
    if ('scripted' in this.policy) this.policy.scripted.reset();
  }

  step() {
    if ('net' in this.policy) this.action.set(this.policy.net.act(this.obs, { deterministic: true }));
    else this.policy.scripted.act(this.obs, this.t, this.action);
    const r = this.env.step(this.action);
    this.obs = r.obs;
    this.t++;
    this.info = r.info;
    this.reward = r.reward;
    this.episodeReturn += r.reward;
    if (this.env.trackedPoint) this.trail.push(this.env.trackedPoint());
    const done = r.terminated || r.truncated;
    return { done, note: `${r.terminated ? 'terminated' : 'truncated'}, return ${this.episodeReturn.toFixed(1)}` };
  }

  legs(): LegPart[] {
    return this.env.legParts?.() ?? [];
  }

  applyFault(f: Fault): void {
    this.env.applyFault(f);
  }

  overlays(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    const tethers = this.env.tetherLengths?.();
    if (tethers?.length) o.tethers = tethers;
    if (this.env.referencePath) o.trackPath = { reference: this.env.referencePath(), trail: this.trail.xyz };
    return o;
  }

  async command(control: string, value: unknown, host: HostContext): Promise<string> {
    if (control === 'policy') {
      this.policy = this.choose(value as string);
      if ('scripted' in this.policy) this.policy.scripted.reset();
      return `policy: ${this.policy.id}`;
    }
    if (control === 'reference') this.reference = value as string;
    // randomize: the DR terms, checked against this env's parameters
    else this.randomize = checkTerms(value as DRTerm[], this.env.nominalParams());
    // DR terms and the reference are part of an env's config: rebuild it (same bodies, so the scene stays).
    const id = this.env.id as EnvId;
    const config = this.envConfig();
    this.env.dispose();
    this.env = await makeEnv(id, config);
    if ('scripted' in this.policy) this.policy = this.choose(this.policy.id); // bound to the old env
    host.restartEpisode();
    if (control === 'reference') return `reference: ${this.reference}`;
    return this.randomize.length ? `${this.randomize.length} DR term(s) from this episode on` : 'randomization off';
  }

  writePoses(out: Float32Array): void {
    this.env.writePoses(out);
  }

  telemetry(): Record<string, number> {
    const t: Record<string, number> = { reward: this.reward, return: this.episodeReturn };
    const info = this.info;
    if (!info) return t;
    t.forward_velocity = info.x_velocity;
    t.distance = info.x_position - this.x0;
    t.torso_height = this.env.diagnostics().torsoHeight;
    if (typeof info.tracking_error === 'number') t.tracking_error = info.tracking_error;
    for (const [k, v] of Object.entries(info)) if (k.startsWith('reward_') && typeof v === 'number') t[k] = v;
    // Chart the parameters being randomized (one per term: its first key), not all fifty.
    for (const term of this.randomize) {
      const key = Object.keys(info.params).find((k) => k === term.target || k.startsWith(`${term.target}.`));
      if (key) t[`param:${key}`] = info.params[key];
    }
    return t;
  }

  dispose(): void {
    this.env.dispose();
  }
}
