/**
 * A registered environment as a live scene: the env steps under a chosen policy (scripted gait,
 * random, zero), resets when an episode ends, and takes scene commands: break a leg now or at a
 * time, heal, randomize physical parameters. Telemetry = reward parts, velocity, sampled params.
 */
import type { SceneCommand } from '../../shared/contract';
import type { BodyStretch, SceneSpec } from '../../shared/scene';
import type { SimEvent } from '../../shared/snapshot';
import { makeEnv } from '../../physics/envs/registry';
import type { DRTerm } from '../../physics/randomization';
import type { Env, EnvId, Fault, StepInfo } from '../../physics/envs/types';
import { Rng } from '../../physics/rng';
import { gaitAction } from '../../physics/simulate';
import { loadPolicy, type MlpPolicy } from '../../meta/policy';
import { FaultTimeline } from './fault-timeline';
import { defaultPolicy, findPolicy, listPolicies } from './policies';
import type { SceneRunner } from './scene-runner';

/** Scripted ones by name; a learned one as its loaded network. */
type Policy = 'random' | 'zero' | 'gait' | { id: string; net: MlpPolicy };

export class EnvScene implements SceneRunner {
  readonly dt: number;
  private policy: Policy = 'gait';
  private readonly action: Float32Array;
  private obs: Float32Array;
  private readonly rng: Rng;
  private t = 0;
  private simTime = 0;
  private episode = 0;
  private episodeReturn = 0;
  private info: StepInfo | null = null;
  private reward = 0;
  private readonly faults = new FaultTimeline(
    (f) => this.env.applyFault(f),
    () => this.env.sceneSpec(),
  );
  private randomize: DRTerm[] = [];

  private constructor(private env: Env, private seed: number) {
    this.dt = env.dt;
    this.action = new Float32Array(env.actionSize);
    this.obs = new Float32Array(env.observationSize);
    this.rng = new Rng(seed, 0x5ce11e);
    const first = EnvScene.defaultPolicy(env.id as EnvId);
    if (first.startsWith('learned:')) this.policy = EnvScene.learned(env, first.slice(8));
    this.startEpisode();
  }

  /** A scene opens with its first shipped learned policy, else the scripted gait. */
  static defaultPolicy(id: EnvId): string {
    return defaultPolicy(listPolicies(id));
  }

  private static learned(env: Env, id: string): Policy {
    const net = loadPolicy(findPolicy(env.id, id).file);
    if (net.observationSize !== env.observationSize || net.actionSize !== env.actionSize)
      throw new Error(`policy "${id}" expects ${net.observationSize} observations and ${net.actionSize} actions; ${env.id} has ${env.observationSize} and ${env.actionSize}`);
    return { id, net };
  }

  /**
   * What the DR panel offers: each parameter family (mass, friction, damping, ...; a scale range
   * applies to all its elements) and the torso mass on its own (EPOpt's hopper), with nominal
   * values (a family shows its first element's).
   */
  static async parameters(id: EnvId): Promise<Record<string, number>> {
    const env = await makeEnv(id);
    try {
      const nominal = env.nominalParams();
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(nominal)) {
        const family = k.split('.')[0];
        if (!(family in out)) out[family] = v;
      }
      if ('mass.torso' in nominal) out['mass.torso'] = nominal['mass.torso'];
      return out;
    } finally {
      env.dispose();
    }
  }

  static async create(id: EnvId, seed: number): Promise<EnvScene> {
    return new EnvScene(await makeEnv(id), seed);
  }

  spec(): SceneSpec {
    // The camera keeps the robot's root body in view (a learned hopper covers 20 m an episode).
    const s = this.env.sceneSpec();
    return { ...s, followBody: s.followBody ?? 0 };
  }

  private startEpisode(): void {
    this.faults.episodeStarted(true);
    const r = this.env.reset({ seed: this.seed + this.episode });
    this.obs = r.obs;
    this.info = r.info;
    this.t = 0;
    this.simTime = 0;
    this.episodeReturn = 0;
    this.reward = 0;
  }

  reset(seed: number): void {
    this.seed = seed;
    this.episode = 0;
    this.faults.episodeStarted();
    this.startEpisode();
  }

  step(): void {
    this.faults.fireDue(this.simTime);
    if (this.policy === 'random') this.rng.fillUniform(this.action, -1, 1);
    else if (this.policy === 'zero') this.action.fill(0);
    else if (this.policy === 'gait') gaitAction(this.env, this.t, this.action);
    else this.action.set(this.policy.net.act(this.obs, { deterministic: true }));
    const r = this.env.step(this.action);
    this.obs = r.obs;
    this.t++;
    this.simTime += this.dt;
    this.info = r.info;
    this.reward = r.reward;
    this.episodeReturn += r.reward;
    if (r.terminated || r.truncated) {
      this.faults.note(this.simTime, 'episode', `episode ${this.episode} ${r.terminated ? 'terminated' : 'truncated'}, return ${this.episodeReturn.toFixed(1)}`);
      this.episode++;
      this.startEpisode();
    }
  }

  highlight(): number[] {
    return this.faults.highlight();
  }

  stretched(): BodyStretch[] {
    return this.env.stretchedBodies?.() ?? [];
  }

  tetherLengths(): number[] {
    return this.env.tetherLengths?.() ?? [];
  }

  async command(cmd: SceneCommand, simTime: number): Promise<string> {
    switch (cmd.type) {
      case 'policy':
        if (cmd.policy === 'mpc') throw new Error('MPC needs a learned model: open the Adaptation view');
        if (cmd.policy === 'learned') {
          if (!cmd.id) throw new Error(`which learned policy? (shipped for ${this.env.id}: ${listPolicies(this.env.id).map((p) => p.id).join(', ') || 'none'})`);
          this.policy = EnvScene.learned(this.env, cmd.id);
          return `policy: learned ${cmd.id}`;
        }
        this.policy = cmd.policy;
        return `policy: ${cmd.policy}`;
      case 'fault': {
        return this.faults.request(cmd.fault as Fault, cmd.at, simTime);
      }
      case 'clearFaults':
        this.faults.episodeStarted();
        this.startEpisode();
        return 'faults cleared; episode restarted';
      case 'randomize': {
        const nominal = this.env.nominalParams();
        const known = (k: string) => Object.keys(nominal).some((n) => n === k || n.startsWith(`${k}.`));
        const unknown = Object.keys(cmd.ranges).filter((k) => !known(k));
        if (unknown.length) throw new Error(`unknown parameter(s) ${unknown.join(', ')}; known: ${Object.keys(nominal).join(', ')}`);
        this.randomize = Object.entries(cmd.ranges).map(([key, [low, high]]): DRTerm => {
          if (!(low > 0 && high >= low)) throw new Error(`${key}: scale range [${low}, ${high}] must satisfy 0 < low <= high`);
          return { target: key, distribution: { kind: 'uniform', low, high }, operation: 'scale', mode: 'reset' };
        });
        // DR terms are part of an env's config: rebuild it (same bodies, so the scene stays).
        const id = this.env.id as EnvId;
        this.env.dispose();
        this.env = await makeEnv(id, { randomize: this.randomize });
        this.startEpisode();
        return this.randomize.length ? `randomizing ${this.randomize.length} parameter(s) at every reset` : 'randomization off';
      }
      default:
        throw new Error(`${this.env.id} does not support "${cmd.type}"`);
    }
  }

  writePoses(out: Float32Array): void {
    this.env.writePoses(out);
  }

  telemetry(): Record<string, number> {
    const t: Record<string, number> = { reward: this.reward, return: this.episodeReturn };
    const info = this.info;
    if (!info) return t;
    for (const [k, v] of Object.entries(info)) if (k.startsWith('reward_') && typeof v === 'number') t[k] = v;
    t.x_velocity = info.x_velocity;
    t.x_position = info.x_position;
    t.torso_height = this.env.diagnostics().torsoHeight;
    // Chart the parameters being randomized (one per term: its first key), not all fifty.
    for (const term of this.randomize) {
      const key = Object.keys(info.params).find((k) => k === term.target || k.startsWith(`${term.target}.`));
      if (key) t[`param:${key}`] = info.params[key];
    }
    return t;
  }

  drainEvents(): SimEvent[] {
    return this.faults.drainEvents();
  }

  dispose(): void {
    this.env.dispose();
  }
}
