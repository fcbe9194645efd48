/**
 * A population of one env's robots, each with its own domain-randomization draw, side by side:
 * the EPOpt picture (which torso masses, frictions, dampings a policy survives).
 *
 * Draws: at each episode (the host's reset with seed s), row i of
 * `samplePopulation(nominal, terms, drStream(s), n)`, the function training uses, applied as
 * robot i's reset params: robot 0 is exactly what one env reset with seed s draws, and the same
 * seed gives the same population. Episodes are synchronous: every robot starts together, a robot
 * whose episode ends stands still (and costs no steps) until the last one ends, then the host
 * starts the next episode, with a new draw. So each robot's return is one whole episode of its
 * own parameters, comparable across robots.
 *
 * Each robot lives in its own Rapier world (its own env); poses are shifted into lanes along the
 * world y axis (the robots move along x). Per-robot state goes to the renderer's `population`
 * overlay as typed arrays (PopulationFrame).
 */
import { z } from 'zod';
import type { SceneSpec } from '../../shared/scene';
import type { TelemetryDecl } from '../../shared/scene-decl';
import type { PopulationAdaptation, PopulationFrame } from '../../shared/snapshot';
import type { ControlDecl } from '../../shared/scene-decl';
import { collectTarget, sourcePosterior } from '../../meta/source-posterior';
import { robustnessCurves } from './robustness';
import { ENV_SPECS, makeEnv } from '../../physics/envs/registry';
import type { Env, EnvId } from '../../physics/envs/types';
import { drStream, termKeys, type DRTerm } from '../../physics/randomization';
import { populationRow, samplePopulation, type Population } from '../../physics/population';
import { Rng } from '../../physics/rng';
import { scriptedPolicies, type ScriptedController } from '../../physics/controllers/scripted';
import { loadPolicy, type MlpPolicy } from '../../meta/policy';
import { checkTerms, drInfo, drTermsControl } from './dr-control';
import { drTermsSchema } from '../../shared/env-config';
import { envDefaultPolicy, findPolicy, policyControl } from './policies';
import type { HostContext, Scene, SceneDeclared, SceneStep } from './scene';

export const MAX_POPULATION = 64;

export const POPULATION_TELEMETRY: TelemetryDecl[] = [
  { key: 'return_best', label: 'best', unit: '', group: 'return this episode' },
  { key: 'return_mean', label: 'mean', unit: '', group: 'return this episode' },
  { key: 'return_worst', label: 'worst', unit: '', group: 'return this episode' },
  { key: 'running', label: 'robots running', unit: '', group: 'robots running' },
];

/**
 * Hidden targets the source distribution can be adapted to (EPOpt's second half), per env: the
 * parameters the target really has, which the update does not see.
 */
export const ADAPT_TARGETS: Partial<Record<EnvId, { id: string; label: string; params: Record<string, number> }[]>> = {
  'Hopper-v0': [
    { id: 'heavy', label: 'heavy torso (8.5 kg), stiff joints (damping 3)', params: { 'mass.torso': 8.5, 'damping.thigh_joint': 3, 'damping.leg_joint': 3, 'damping.foot_joint': 3 } },
    { id: 'light', label: 'light torso (4 kg), loose joints (damping 1.2)', params: { 'mass.torso': 4, 'damping.thigh_joint': 1.2, 'damping.leg_joint': 1.2, 'damping.foot_joint': 1.2 } },
  ],
};

/** The update's size in the view: about a second of physics (the service waits for it). */
const VIEW_POSTERIOR = { episodes: 2, steps: 100, particles: 60, accept: 0.2, rounds: 2, horizon: 30 };

export const POPULATION_COMMANDS = {
  policy: z.string().max(80).regex(/^[\w.:-]+$/),
  randomize: drTermsSchema,
  adapt: z.string().max(40).regex(/^[\w-]+$/),
};

/** Every robot's policy: one network acting on all observations at once, or one controller each. */
type Policy = { id: string; net: MlpPolicy } | { id: string; scripted: ScriptedController[] };

/** One legend column: a label and the population key it reads (a shared term is one column). */
interface Column {
  label: string;
  key: number;
}

/** Lane spacing across the robots' direction of travel (m): closer when there are many. */
export function laneSpacing(n: number): number {
  return n <= 16 ? 0.6 : 0.45;
}

export class PopulationScene implements Scene {
  readonly dt: number;
  readonly n: number;
  private readonly id: EnvId;
  private readonly bodiesPerRobot: number;
  private readonly obsSize: number;
  private readonly actSize: number;
  private policy: Policy;
  private readonly obs: Float32Array;
  private readonly actions: Float32Array;
  private readonly returns: Float32Array;
  private readonly alive: Uint8Array;
  private readonly lanes: Float64Array;
  private readonly rng: Rng;
  private pop!: Population;
  private columns: Column[] = [];
  private t = 0;
  /** robots whose episode ran to the step limit (the others fell) */
  private lasted = 0;
  /** the terms before an adaptation (what "prior" restores) and the adaptation shown */
  private prior: DRTerm[] | null = null;
  private adaptation: PopulationAdaptation | null = null;

  private constructor(
    private readonly envs: Env[],
    seed: number,
    private terms: DRTerm[],
  ) {
    const env = envs[0];
    this.id = env.id as EnvId;
    this.n = envs.length;
    this.dt = env.dt;
    this.bodiesPerRobot = env.bodyCount;
    this.obsSize = env.observationSize;
    this.actSize = env.actionSize;
    this.obs = new Float32Array(this.n * this.obsSize);
    this.actions = new Float32Array(this.n * this.actSize);
    this.returns = new Float32Array(this.n);
    this.alive = new Uint8Array(this.n);
    const s = laneSpacing(this.n);
    this.lanes = Float64Array.from({ length: this.n }, (_, i) => (i - (this.n - 1) / 2) * s);
    this.rng = new Rng(seed, 0x9091a7);
    this.policy = this.choose(PopulationScene.defaultPolicy(this.id));
    this.reset(seed);
  }

  /** n robots of env `id` (1..64) under `terms` (default: the registry's suggested randomizers). */
  static async create(id: EnvId, n: number, seed: number, terms: DRTerm[] = ENV_SPECS[id].randomizers): Promise<PopulationScene> {
    if (!(Number.isInteger(n) && n >= 1 && n <= MAX_POPULATION)) throw new Error(`a population has 1 to ${MAX_POPULATION} robots, not ${n}`);
    const envs: Env[] = [];
    for (let i = 0; i < n; i++) envs.push(await makeEnv(id));
    return new PopulationScene(envs, seed, terms);
  }

  static defaultPolicy(id: EnvId): string {
    return envDefaultPolicy(id);
  }

  /** Its declaration: the policy choice, the DR terms (the env's suggested ones active), telemetry, the population overlay. */
  static async describe(id: EnvId): Promise<SceneDeclared> {
    const env = await makeEnv(id);
    try {
      const policy = policyControl(id, 'every robot plays it');
      const targets = ADAPT_TARGETS[id] ?? [];
      const adapt: ControlDecl = {
        id: 'adapt',
        kind: 'select',
        label: 'Adapt the DR to a hidden target',
        hint: "EPOpt's source adaptation: a few episodes of the policy on a target whose parameters the update does not see; the population is drawn from the posterior",
        options: [{ value: 'prior', label: 'no: the DR terms as set' }, ...targets.map((t) => ({ value: t.id, label: t.label }))],
        initial: 'prior',
      };
      return {
        controls: [policy, ...(targets.length ? [adapt] : []), drTermsControl('randomize', 'Domain randomization terms')],
        commands: POPULATION_COMMANDS,
        telemetry: POPULATION_TELEMETRY,
        overlays: ['population'],
        dr: drInfo(id, env.nominalParams(), ENV_SPECS[id].randomizers),
        robustness: robustnessCurves(id),
      };
    } finally {
      env.dispose();
    }
  }

  private choose(value: string): Policy {
    if (value.startsWith('learned:')) {
      const id = value.slice(8);
      const net = loadPolicy(findPolicy(this.id, id).file);
      if (net.observationSize !== this.obsSize || net.actionSize !== this.actSize)
        throw new Error(`policy "${id}" expects ${net.observationSize} observations and ${net.actionSize} actions; ${this.id} has ${this.obsSize} and ${this.actSize}`);
      return { id: value, net };
    }
    const p = scriptedPolicies(this.id).find((x) => x.id === value);
    if (!p) throw new Error(`${this.id} has no policy "${value}"`);
    return { id: value, scripted: this.envs.map((env) => p.create(env, this.rng)) };
  }

  /** The current draw: the sampled parameters, one row per robot. */
  population(): Population {
    return this.pop;
  }

  /** Draws every robot's parameters from the seed's DR stream and starts all of them. */
  reset(seed: number): void {
    const nominal = this.envs[0].nominalParams();
    this.pop = samplePopulation(nominal, this.terms, drStream(seed), this.n);
    this.columns = columnsOf(this.terms, nominal, this.pop);
    const noise = new Rng(seed, 0x0a11ce);
    for (let i = 0; i < this.n; i++) {
      const r = this.envs[i].reset({ seed: noise.next(), options: { params: populationRow(this.pop, i) } });
      this.obs.set(r.obs, i * this.obsSize);
    }
    if ('scripted' in this.policy) for (const c of this.policy.scripted) c.reset();
    this.returns.fill(0);
    this.alive.fill(1);
    this.lasted = 0;
    this.t = 0;
  }

  spec(): SceneSpec {
    const one = this.envs[0].sceneSpec();
    const bodies = [];
    for (let i = 0; i < this.n; i++) for (const b of one.bodies) bodies.push({ ...b, name: `r${i}/${b.name}` });
    return {
      name: `${one.name} × ${this.n}`,
      upAxis: one.upAxis,
      bodies,
      groundHalfSize: Math.max(one.groundHalfSize, 30),
      population: { count: this.n, bodiesPerRobot: this.bodiesPerRobot },
      // ahead of the robots, to one side and above: the lanes recede diagonally, each robot in profile
      viewFrom: [4, 3.6, 1.8],
    };
  }

  step(): SceneStep {
    const { n, actSize, obsSize } = this;
    const p = this.policy;
    const act = (i: number) => this.actions.subarray(i * actSize, (i + 1) * actSize);
    if ('net' in p) this.actions.set(p.net.act(this.obs, { deterministic: true })); // one batched forward pass
    else for (let i = 0; i < n; i++) if (this.alive[i]) p.scripted[i].act(this.obs.subarray(i * obsSize, (i + 1) * obsSize), this.t, act(i));
    let running = 0;
    for (let i = 0; i < n; i++) {
      if (!this.alive[i]) continue;
      const r = this.envs[i].step(act(i));
      this.obs.set(r.obs, i * obsSize);
      this.returns[i] += r.reward;
      if (r.terminated || r.truncated) {
        this.alive[i] = 0;
        if (!r.terminated) this.lasted++;
      } else running++;
    }
    this.t++;
    if (running > 0) return {};
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.returns[i];
    return { done: true, note: `${this.lasted}/${n} lasted ${this.envs[0].maxEpisodeSteps} steps, mean return ${(sum / n).toFixed(0)}` };
  }

  writePoses(out: Float32Array): void {
    const stride = this.bodiesPerRobot * 7;
    for (let i = 0; i < this.n; i++) {
      this.envs[i].writePoses(out, i * stride);
      for (let b = 0; b < this.bodiesPerRobot; b++) out[i * stride + b * 7 + 1] += this.lanes[i];
    }
  }

  telemetry(): Record<string, number> {
    let sum = 0, best = -Infinity, worst = Infinity, running = 0;
    for (let i = 0; i < this.n; i++) {
      const r = this.returns[i];
      sum += r;
      best = Math.max(best, r);
      worst = Math.min(worst, r);
      running += this.alive[i];
    }
    return { return_mean: sum / this.n, return_best: best, return_worst: worst, running };
  }

  overlays(): Record<string, unknown> {
    return { population: this.populationFrame() };
  }

  populationFrame(): PopulationFrame {
    const k = this.pop.keys.length, m = this.columns.length;
    const params = new Float32Array(this.n * m);
    for (let i = 0; i < this.n; i++) this.columns.forEach((c, j) => (params[i * m + j] = this.pop.values[i * k + c.key]));
    return { columns: this.columns.map((c) => c.label), params, returns: this.returns.slice(), alive: this.alive.slice(), policy: this.policy.id, adaptation: this.adaptation };
  }

  command(control: string, value: unknown, host: HostContext): string {
    if (control === 'policy') {
      this.policy = this.choose(value as string);
      host.restartEpisode();
      return `population policy: ${this.policy.id}; episode restarted`;
    }
    if (control === 'adapt') {
      const note = this.adapt(value as string);
      host.restartEpisode();
      return note;
    }
    this.terms = checkTerms(value as DRTerm[], this.envs[0].nominalParams());
    this.prior = null;
    this.adaptation = null;
    host.restartEpisode();
    return `population drawn again from ${this.terms.length} DR term(s)`;
  }

  /**
   * Replaces the DR terms by their posterior given a few episodes of the current policy on the
   * hidden target `id` (or restores the prior: 'prior'). The update runs here, in about a second.
   */
  private adapt(id: string): string {
    const prior = this.prior ?? this.terms;
    if (id === 'prior') {
      this.terms = prior;
      this.prior = null;
      this.adaptation = null;
      return 'population drawn from the DR terms as set (the prior)';
    }
    const target = (ADAPT_TARGETS[this.id] ?? []).find((t) => t.id === id);
    if (!target) throw new Error(`${this.id} has no adaptation target "${id}"`);
    if (!('net' in this.policy)) throw new Error('source adaptation replays a learned policy: choose one first');
    if (!prior.length) throw new Error('no DR terms to adapt: set some first');
    const env = this.envs[0];
    const trajs = collectTarget(env, this.policy.net, target.params, { episodes: VIEW_POSTERIOR.episodes, steps: VIEW_POSTERIOR.steps, seed: 1_000_000 });
    const r = sourcePosterior(env, prior, trajs, { ...VIEW_POSTERIOR, seed: 0 });
    const nominal = env.nominalParams();
    const valueOf = (key: string) => target.params[key] ?? nominal[key];
    this.prior = prior;
    this.terms = r.terms;
    this.adaptation = { target: target.label, columns: r.params.map((p) => ({ label: p.label, truth: valueOf(p.key), prior: p.prior, posterior: p.posterior })) };
    const summary = r.params.map((p) => `${p.label} ${p.prior.mean.toFixed(2)} -> ${p.posterior.mean.toFixed(2)} (target ${valueOf(p.key).toFixed(2)})`).join(', ');
    return `DR adapted to ${target.label} from ${trajs.length} episodes: ${summary}`;
  }

  dispose(): void {
    for (const env of this.envs) env.dispose();
  }
}

/** One column per sampled value: a shared term's keys all hold its one sample; a later term on a key wins. */
function columnsOf(terms: DRTerm[], nominal: Record<string, number>, pop: Population): Column[] {
  const seen = new Set<string>();
  const columns: Column[] = [];
  for (const t of terms) {
    const keys = termKeys(t, nominal).filter((k) => !seen.has(k));
    keys.forEach((k) => seen.add(k));
    const groups = t.shared && keys.length > 1 ? [{ label: `${t.target}.*`, key: keys[0] }] : keys.map((k) => ({ label: k, key: k }));
    for (const g of groups) columns.push({ label: g.label, key: pop.keys.indexOf(g.key) });
  }
  return columns;
}
