/**
 * The DARC view ("seeing dr"): a policy runs in one domain of a source/target pair
 * (`assets/pairs/<pair>.json`), and each step's dr, the reward correction DARC trains with, is read
 * from a DARC run's domain classifiers (`assets/policies/<pair>/darc-classifiers.json`, the file the
 * DARC trainer writes beside its checkpoints) on the transition the robot just made:
 * dr = log q(t|s,a,s') - log q(s|s,a,s') - log q(t|s,a) + log q(s|s,a).
 *
 * Beside the robot runs a translucent ghost of the OTHER domain (the target when the robot runs in
 * the source): every `ghost` steps the ghost's env is put into the robot's state (Env.setBodyState)
 * and then stepped with the robot's actions, so it shows where the other domain takes the same
 * commands. One sync per step would keep it within a step (8 ms on the hopper) of the robot; a few
 * dozen steps let the divergence grow large enough to see. A third env, the probe, is put into the
 * robot's state at EVERY step and stepped with its action: `target_gap` is the distance between the
 * two next observations, the one-step difference the classifiers learn to detect.
 *
 * Side by side, in a lane beside the robot (`VERSUS_LANE`), an opaque violet second robot
 * plays another policy (chosen by the user; at first the robot's own) in the SAME domain from the same seed: with the
 * domain set to the target, DARC against RL on source where it counts. Each stands still once its
 * episode ends; the episode ends when both have.
 *
 * Attribution, per actuator (the env's joint names), so the broken joint stands out:
 * - what dr owes it: at each step, dr minus the dr of the same state with that actuator's command
 *   set to 0 (its s' from one more env of the robot's domain, put into the same state), charted
 *   per step (`dr_due:<joint>`) and averaged since the policy or domain was chosen. It holds the
 *   state fixed, which the correlations below cannot: a short run's classifiers also score states
 *   (a fast hop is rarer in the target data than a fall), and that moves dr whatever the action.
 * - over the same steps, the correlation of dr with each action dimension's |a|, and dr's mean in
 *   |a| bins. Policies offered: the pair's shipped ones
 * (`assets/policies/<pair>/{darc,source,target,target10x}.json`) and, when the pair's source is its
 * env's default config, the env's own shipped policies (they were trained in the source).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { tintedCopy, type SceneSpec } from '../../shared/scene';
import type { ControlDecl, TelemetryDecl } from '../../shared/scene-decl';
import type { DarcFrame, DarcTraining } from '../../shared/snapshot';
import type { Domain, EnvPair } from '../../shared/pair';
import { makeEnv } from '../../physics/envs/registry';
import type { Env, EnvConfig, EnvId } from '../../physics/envs/types';
import { loadPolicy, type MlpPolicy } from '../../meta/policy';
import { loadPair } from '../../meta/pairs';
import { DARC_CLASSIFIERS_FILE, DarcClassifierReader, loadDarcClassifiers } from '../../meta/rl/darc-classifier-file';
import { listPolicies } from './policies';
import { assetsDir } from './scenarios';
import type { HostContext, Scene, SceneDeclared } from './scene';

/** The shipped DARC run's training metrics (its metrics.jsonl, copied), read for the accuracy curve. */
export const DARC_METRICS_FILE = 'darc-metrics.jsonl';

/** |a| bins of the attribution (actions are clipped to [-1, 1]). */
export const DR_BINS = 5;
/** Trail points kept (one a step). */
const TRAIL = 500;
/** Steps between ghost re-syncs offered; the first is the default. */
const GHOST_SYNC = [30, 1, 10, 60, 125];

/** The side-by-side robot's lane: its offset across the direction of travel (world y, m). */
export const VERSUS_LANE = -1.6;

const POLICY_LABELS: Record<string, string> = { darc: 'DARC', source: 'RL on source', target: 'RL on target', target10x: 'RL on target (10x steps)', ppotarget: 'PPO on target (positive control)' };

export const DARC_TELEMETRY: TelemetryDecl[] = [
  { key: 'reward', label: 'r', unit: '', group: 'r, dr and r + dr' },
  { key: 'dr', label: 'dr', unit: '', group: 'r, dr and r + dr' },
  { key: 'reward_plus_dr', label: 'r + dr', unit: '', group: 'r, dr and r + dr' },
  { key: 'dr_due:*', label: 'dr due to it', unit: '', group: 'dr due to each actuator (dr - dr with it off)' },
  { key: 'dr_corr:*', label: 'corr(dr, |a|)', unit: '', group: 'corr(dr, |a|) per actuator' },
  { key: 'target_gap', label: "|s' other domain - s'|", unit: '', group: 'one-step gap to the other domain' },
  { key: 'ghost_distance', label: 'ghost torso - robot torso', unit: 'm', group: 'ghost distance' },
  { key: 'return', label: 'return', unit: '', group: 'return this episode' },
  { key: 'return_plus_dr', label: 'return with dr', unit: '', group: 'return this episode' },
  { key: 'return_versus', label: 'side-by-side robot', unit: '', group: 'return this episode' },
  { key: 'x_robot', label: 'robot', unit: 'm', group: 'forward distance' },
  { key: 'x_versus', label: 'side-by-side robot', unit: 'm', group: 'forward distance' },
];

export const DARC_COMMANDS = {
  policy: z.string().max(80).regex(/^(pair|env):[\w.-]+$/),
  versus: z.string().max(80).regex(/^(pair|env):[\w.-]+$/),
  domain: z.enum(['source', 'target']),
  ghost: z.string().regex(/^\d{1,4}$/),
};

/** A pair name as scene ids and asset folders spell it. */
const PAIR_NAME = /^[\w-]{1,80}$/;

export function pairFile(pair: string): string {
  if (!PAIR_NAME.test(pair)) throw new Error(`bad pair name "${pair}" (letters, digits, - and _)`);
  return join(assetsDir(), 'pairs', `${pair}.json`);
}

export function pairPolicyDir(pair: string): string {
  return join(assetsDir(), 'policies', pair);
}

export interface DarcPolicyEntry {
  value: string;
  label: string;
  file: string;
}

function isEmptyConfig(c: unknown): boolean {
  return !c || (typeof c === 'object' && Object.keys(c).length === 0);
}

/** What the view can play: the pair's shipped policies (DARC first), then the source env's own when the source is its default config. */
export function darcPolicies(pair: string, p: EnvPair = loadPair(pairFile(pair))): DarcPolicyEntry[] {
  const dir = pairPolicyDir(pair);
  const own = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^[\w.-]+\.json$/.test(f) && f !== DARC_CLASSIFIERS_FILE)
        .map((f) => f.slice(0, -5))
        .sort((a, b) => (a === 'darc' ? -1 : b === 'darc' ? 1 : a.localeCompare(b)))
        .map((id) => ({ value: `pair:${id}`, label: POLICY_LABELS[id] ?? id, file: join(dir, `${id}.json`) }))
    : [];
  const env = isEmptyConfig(p.source.config)
    ? listPolicies(p.source.env).map((e) => ({ value: `env:${e.id}`, label: `RL on source: ${e.label.replace(' (learned)', '')} on ${p.source.env}`, file: e.file }))
    : [];
  return [...own, ...env];
}

/** The shipped run's classifier accuracy over training (rows of its metrics.jsonl that have it), or null. */
export function darcTraining(pair: string): DarcTraining | null {
  const file = join(pairPolicyDir(pair), DARC_METRICS_FILE);
  if (!existsSync(file)) return null;
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => typeof r.step === 'number' && typeof r.saAccuracy === 'number' && typeof r.sasAccuracy === 'number');
  if (!rows.length) return null;
  const col = (k: string) => rows.map((r) => r[k] as number);
  const warmup = rows.find((r) => r.drOn === 1);
  return { step: col('step'), saAccuracy: col('saAccuracy'), sasAccuracy: col('sasAccuracy'), drOnStep: typeof warmup?.step === 'number' ? warmup.step : null };
}

/** Running sums for the correlation of dr with each |a_k|, and dr's mean in |a_k| bins. */
export class DrAttribution {
  n = 0;
  private sDr = 0;
  private sDr2 = 0;
  private readonly sX: Float64Array;
  private readonly sX2: Float64Array;
  private readonly sXDr: Float64Array;
  readonly binSum: Float64Array;
  readonly binCount: Uint32Array;
  /** Sum of each actuator's share of dr (dr minus dr with its command at 0). */
  readonly dueSum: Float64Array;

  constructor(readonly actions: number) {
    this.sX = new Float64Array(actions);
    this.sX2 = new Float64Array(actions);
    this.sXDr = new Float64Array(actions);
    this.binSum = new Float64Array(actions * DR_BINS);
    this.binCount = new Uint32Array(actions * DR_BINS);
    this.dueSum = new Float64Array(actions);
  }

  /** One step: its dr, action and (when measured) each actuator's share of dr. */
  add(dr: number, action: ArrayLike<number>, due?: ArrayLike<number>): void {
    this.n++;
    if (due) for (let k = 0; k < this.actions; k++) this.dueSum[k] += due[k];
    this.sDr += dr;
    this.sDr2 += dr * dr;
    for (let k = 0; k < this.actions; k++) {
      const x = Math.min(1, Math.abs(action[k]));
      this.sX[k] += x;
      this.sX2[k] += x * x;
      this.sXDr[k] += x * dr;
      const b = k * DR_BINS + Math.min(DR_BINS - 1, Math.floor(x * DR_BINS));
      this.binSum[b] += dr;
      this.binCount[b]++;
    }
  }

  /** dr's mean over the steps seen (NaN before any). */
  get mean(): number {
    return this.n ? this.sDr / this.n : NaN;
  }

  /** Each actuator's mean share of dr over the steps seen. */
  dueMeans(): Float32Array {
    return Float32Array.from(this.dueSum, (v) => (this.n ? v / this.n : NaN));
  }

  /** Pearson correlation of dr with |a_k| (NaN with fewer than 3 steps or no spread). */
  correlation(k: number): number {
    const n = this.n;
    if (n < 3) return NaN;
    const cov = this.sXDr[k] / n - (this.sX[k] / n) * (this.sDr / n);
    const vx = this.sX2[k] / n - (this.sX[k] / n) ** 2;
    const vd = this.sDr2 / n - (this.sDr / n) ** 2;
    return vx > 1e-12 && vd > 1e-12 ? cov / Math.sqrt(vx * vd) : NaN;
  }

  /** dr's mean per (actuator, bin), row-major [actions, DR_BINS] (NaN for empty bins). */
  binMeans(): Float32Array {
    return Float32Array.from(this.binSum, (s, i) => (this.binCount[i] ? s / this.binCount[i] : NaN));
  }
}

interface DomainEnvs {
  run: Env;
  ghost: Env;
  probe: Env;
  /** off[k]: the counterfactual with actuator k's command at 0 (one env each, so each steps once a step, in step with the robot's) */
  off: Env[];
  /** the side-by-side robot when the robot runs here */
  versus: Env;
}

/**
 * The policy the side-by-side robot plays first: the robot's own (the camera follows the robot; a
 * faster policy beside it would leave the frame), so the view opens with two identical robots and
 * the user picks the comparison.
 */
export function defaultVersus(policies: DarcPolicyEntry[]): string | undefined {
  return policies[0]?.value;
}

function euclid(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

export class DarcScene implements Scene {
  readonly dt: number;
  readonly actuators: string[];
  private policyId: string;
  private net: MlpPolicy;
  private versusId: string;
  private versusNet: MlpPolicy;
  private versusObs: Float32Array;
  private versusReturn = 0;
  private robotDone = false;
  private versusDone = false;
  /** How the robot's episode ended (the episode's note once the side-by-side robot is done too). */
  private robotNote = '';
  private versusNote = '';
  private x0 = 0;
  private versusX0 = 0;
  private domain: Domain = 'source';
  private ghostEvery = GHOST_SYNC[0];
  private obs: Float32Array;
  private readonly action: Float32Array;
  /** Each actuator's share of the last step's dr. */
  private readonly due: Float64Array;
  private t = 0;
  private r = 0;
  private dr = 0;
  private gap = 0;
  private episodeReturn = 0;
  private episodeDr = 0;
  private attribution: DrAttribution;
  private readonly trail = new Float32Array(TRAIL * 4);
  private trailLength = 0;
  private trailStart = 0;
  private readonly training: DarcTraining | null;
  private seed: number;

  private constructor(
    readonly pair: string,
    private readonly pairSpec: EnvPair,
    /**
     * Per domain: the robot's env when it runs there; the ghost and the probe when the robot runs in
     * the other; one env per actuator for its counterfactual step when the robot runs there.
     */
    private readonly envs: Record<Domain, DomainEnvs>,
    readonly classifiers: DarcClassifierReader,
    private readonly policies: DarcPolicyEntry[],
    seed: number,
  ) {
    const env = envs.source.run;
    this.dt = env.dt;
    this.actuators = env.actuatorNames?.() ?? Array.from({ length: env.actionSize }, (_, k) => `action ${k}`);
    if (classifiers.observationSize !== env.observationSize || classifiers.actionSize !== env.actionSize)
      throw new Error(`${pair}: its classifiers take ${classifiers.observationSize} observations and ${classifiers.actionSize} actions; ${env.id} has ${env.observationSize} and ${env.actionSize}`);
    this.obs = new Float32Array(env.observationSize);
    this.action = new Float32Array(env.actionSize);
    this.due = new Float64Array(env.actionSize);
    this.attribution = new DrAttribution(env.actionSize);
    this.training = darcTraining(pair);
    this.seed = seed;
    if (!policies.length) throw new Error(`${pair}: no policy to play (ship assets/policies/${pair}/darc.json)`);
    this.policyId = policies[0].value;
    this.net = this.load(this.policyId);
    this.versusId = defaultVersus(policies)!;
    this.versusNet = this.load(this.versusId);
    this.versusObs = new Float32Array(env.observationSize);
    this.reset(seed);
  }

  /** The view of pair `assets/pairs/<pair>.json` with its shipped DARC run's classifiers (or the classifier file given). */
  static async create(pair: string, seed: number, classifierFile = join(pairPolicyDir(pair), DARC_CLASSIFIERS_FILE)): Promise<DarcScene> {
    const spec = loadPair(pairFile(pair));
    if (!existsSync(classifierFile)) throw new Error(`${pair}: no DARC classifiers at ${classifierFile} (a DARC run writes darc-classifiers.json beside its checkpoints)`);
    const classifiers = new DarcClassifierReader(loadDarcClassifiers(classifierFile));
    const make = (d: Domain) => makeEnv(spec[d].env as EnvId, spec[d].config as EnvConfig);
    const domain = async (d: Domain): Promise<DomainEnvs> => {
      const run = await make(d);
      const off: Env[] = [];
      for (let k = 0; k < run.actionSize; k++) off.push(await make(d));
      return { run, ghost: await make(d), probe: await make(d), off, versus: await make(d) };
    };
    const envs: Record<Domain, DomainEnvs> = { source: await domain('source'), target: await domain('target') };
    for (const e of [envs.source.run, envs.target.run])
      if (!e.bodyState || !e.setBodyState) throw new Error(`${e.id} cannot copy its state: the DARC view's ghost needs Env.bodyState/setBodyState`);
    return new DarcScene(pair, spec, envs, classifiers, darcPolicies(pair, spec), seed);
  }

  static async describe(pair: string): Promise<SceneDeclared> {
    const spec = loadPair(pairFile(pair));
    const policies = darcPolicies(pair, spec);
    const controls: ControlDecl[] = [
      { id: 'policy', kind: 'select', label: 'Policy', hint: 'what the robot plays: the DARC policy, or one trained on the source alone', options: policies.map((p) => ({ value: p.value, label: p.label })), initial: policies[0]?.value },
      {
        id: 'domain',
        kind: 'select',
        label: 'Run in',
        hint: 'the robot runs in this domain; the translucent ghost is the other one, started from the robot state with the same actions',
        options: [
          { value: 'source', label: `source (${spec.source.env}, the simulator)` },
          { value: 'target', label: `target (${spec.target.env}, the real robot)` },
        ],
        initial: 'source',
      },
      {
        id: 'versus',
        kind: 'select',
        label: 'Side by side with',
        hint: 'a second, violet robot in the lane beside plays this policy in the same domain from the same start: set "Run in" to the target to compare DARC with RL on source where it counts',
        options: policies.map((p) => ({ value: p.value, label: p.label })),
        initial: defaultVersus(policies),
      },
      {
        id: 'ghost',
        kind: 'select',
        label: 'Ghost re-synced every',
        hint: 'steps between putting the ghost into the robot state; in between it takes the robot actions in the other domain',
        options: GHOST_SYNC.map((n) => ({ value: String(n), label: `${n} step${n > 1 ? 's' : ''}` })),
        initial: String(GHOST_SYNC[0]),
      },
    ];
    return { controls, commands: DARC_COMMANDS, telemetry: DARC_TELEMETRY, overlays: ['darc'] };
  }

  private load(value: string): MlpPolicy {
    const entry = this.policies.find((p) => p.value === value);
    if (!entry) throw new Error(`${this.pair} has no policy "${value}" (it offers: ${this.policies.map((p) => p.value).join(', ')})`);
    const net = loadPolicy(entry.file);
    const env = this.envs.source.run;
    if (net.observationSize !== env.observationSize || net.actionSize !== env.actionSize)
      throw new Error(`policy "${value}" expects ${net.observationSize} observations and ${net.actionSize} actions; ${env.id} has ${env.observationSize} and ${env.actionSize}`);
    return net;
  }

  /** The domain the ghost and the probe run in: the other one. */
  get ghostDomain(): Domain {
    return this.domain === 'source' ? 'target' : 'source';
  }

  get running(): Env {
    return this.envs[this.domain].run;
  }

  private get ghost(): Env {
    return this.envs[this.ghostDomain].ghost;
  }

  private get probe(): Env {
    return this.envs[this.ghostDomain].probe;
  }

  spec(): SceneSpec {
    const one = this.envs.source.run.sceneSpec();
    // the ghost: a second copy of the robot's bodies, translucent and cool-tinted (poses after the robot's)
    const ghost = tintedCopy(one.bodies, 'ghost', [0.55, 0.75, 1, 0.3]);
    // the side-by-side robot: opaque, violet, in its own lane
    const versus = tintedCopy(one.bodies, 'versus', [0.62, 0.5, 0.88, 1]);
    return { ...one, name: `DARC: ${this.pair}`, bodies: [...one.bodies, ...ghost, ...versus], followBody: one.followBody ?? 0 };
  }

  reset(seed: number): void {
    this.seed = seed;
    // the robot's env and its ghost and probe start from the same seed (same draws, same noise; the
    // ghost's domain faults fire at the same step index)
    const r0 = this.running.reset({ seed });
    this.obs = r0.obs;
    this.x0 = r0.info.x_position ?? 0;
    const v0 = this.envs[this.domain].versus.reset({ seed });
    this.versusObs = v0.obs;
    this.versusX0 = v0.info.x_position ?? 0;
    this.versusReturn = 0;
    this.robotDone = this.versusDone = false;
    this.robotNote = this.versusNote = '';
    this.ghost.reset({ seed });
    this.probe.reset({ seed });
    for (const e of this.envs[this.domain].off) e.reset({ seed });
    this.due.fill(0);
    this.t = 0;
    this.r = 0;
    this.dr = 0;
    this.gap = 0;
    this.episodeReturn = 0;
    this.episodeDr = 0;
    this.trailLength = 0;
    this.trailStart = 0;
  }

  step() {
    if (!this.robotDone) this.stepRobot();
    if (!this.versusDone) this.stepVersus();
    const done = this.robotDone && this.versusDone;
    const versus = this.policies.find((p) => p.value === this.versusId)?.label ?? this.versusId;
    return { done, note: done ? `${this.robotNote}; beside it, ${versus} ${this.versusNote}` : undefined };
  }

  /** The side-by-side robot's step: its policy in the robot's domain, nothing measured but its return. */
  private stepVersus(): void {
    const env = this.envs[this.domain].versus;
    const r = env.step(this.versusNet.act(this.versusObs, { deterministic: true }));
    this.versusObs = r.obs;
    this.versusReturn += r.reward;
    if (r.terminated || r.truncated) {
      this.versusDone = true;
      this.versusNote = `${r.terminated ? 'terminated' : 'truncated'}, return ${this.versusReturn.toFixed(1)}`;
    }
  }

  private stepRobot(): void {
    const env = this.running;
    const s = this.obs;
    this.action.set(this.net.act(s, { deterministic: true }));
    const state = env.bodyState!();
    // the probe: the other domain from this very state with this action (one step)
    this.probe.setBodyState!(state);
    const probed = this.probe.step(this.action).obs;
    // the ghost: re-synced every ghostEvery steps, else it carries on with the robot's actions
    if (this.t % this.ghostEvery === 0) this.ghost.setBodyState!(state);
    this.ghost.step(this.action);
    // each actuator switched off, in the robot's own domain, from the same state
    const off = this.envs[this.domain].off;
    const dues: number[] = [];
    for (let k = 0; k < off.length; k++) {
      const a = Float32Array.from(this.action);
      a[k] = 0;
      off[k].setBodyState!(state);
      dues.push(this.classifiers.deltaReward(s, a, off[k].step(a).obs));
    }
    const r = env.step(this.action);
    this.dr = this.classifiers.deltaReward(s, this.action, r.obs);
    for (let k = 0; k < dues.length; k++) this.due[k] = this.dr - dues[k];
    this.gap = euclid(probed, r.obs);
    this.r = r.reward;
    this.episodeReturn += r.reward;
    this.episodeDr += this.dr;
    this.attribution.add(this.dr, this.action, this.due);
    this.pushTrail(this.dr);
    this.obs = r.obs;
    this.t++;
    if (r.terminated || r.truncated) {
      this.robotDone = true;
      this.robotNote = `${r.terminated ? 'terminated' : 'truncated'} in the ${this.domain}, return ${this.episodeReturn.toFixed(1)}, with dr ${(this.episodeReturn + this.episodeDr).toFixed(1)}`;
    }
  }

  /** Whether the robot's episode is still running (it stands still, unmeasured, while the side-by-side robot finishes). */
  get robotRunning(): boolean {
    return !this.robotDone;
  }

  /** The robot's root body position (world frame) now. */
  private rootPosition(env: Env): [number, number, number] {
    const s = env.bodyState!();
    return [s[0], s[1], s[2]];
  }

  private pushTrail(dr: number): void {
    const p = this.rootPosition(this.running);
    const i = (this.trailStart + this.trailLength) % TRAIL;
    this.trail.set([p[0], p[1], p[2], dr], i * 4);
    if (this.trailLength < TRAIL) this.trailLength++;
    else this.trailStart = (this.trailStart + 1) % TRAIL;
  }

  /** The last dr the scene read (the latest transition's). */
  get lastDr(): number {
    return this.dr;
  }

  /** The last step's one-step gap to the other domain (target_gap). */
  get lastGap(): number {
    return this.gap;
  }

  get attributionNow(): DrAttribution {
    return this.attribution;
  }

  writePoses(out: Float32Array): void {
    const B = this.running.bodyCount;
    this.running.writePoses(out);
    this.ghost.writePoses(out, B * 7);
    this.envs[this.domain].versus.writePoses(out, 2 * B * 7);
    for (let b = 0; b < B; b++) out[(2 * B + b) * 7 + 1] += VERSUS_LANE;
  }

  telemetry(): Record<string, number> {
    const g = this.rootPosition(this.ghost);
    const p = this.rootPosition(this.running);
    const t: Record<string, number> = {
      reward: this.r,
      dr: this.dr,
      reward_plus_dr: this.r + this.dr,
      return: this.episodeReturn,
      return_plus_dr: this.episodeReturn + this.episodeDr,
      target_gap: this.gap,
      ghost_distance: Math.hypot(g[0] - p[0], g[1] - p[1], g[2] - p[2]),
      return_versus: this.versusReturn,
      x_robot: p[0] - this.x0,
      x_versus: this.rootPosition(this.envs[this.domain].versus)[0] - this.versusX0,
    };
    this.actuators.forEach((name, k) => {
      t[`dr_due:${name}`] = this.due[k];
      const c = this.attribution.correlation(k);
      if (Number.isFinite(c)) t[`dr_corr:${name}`] = c;
    });
    return t;
  }

  overlays(): Record<string, unknown> {
    return { darc: this.frame() };
  }

  frame(): DarcFrame {
    const n = this.trailLength;
    const trail = new Float32Array(n * 4);
    for (let j = 0; j < n; j++) trail.set(this.trail.subarray(((this.trailStart + j) % TRAIL) * 4, ((this.trailStart + j) % TRAIL) * 4 + 4), j * 4);
    const a = this.attribution;
    return {
      pair: this.pair,
      description: this.pairSpec.description ?? '',
      policy: this.policies.find((p) => p.value === this.policyId)?.label ?? this.policyId,
      versus: this.policies.find((p) => p.value === this.versusId)?.label ?? this.versusId,
      versusReturn: this.versusReturn,
      domain: this.domain,
      ghostEvery: this.ghostEvery,
      trail,
      actuators: this.actuators,
      due: a.dueMeans(),
      correlation: Float32Array.from(this.actuators, (_, k) => a.correlation(k)),
      bins: a.binMeans(),
      binCounts: a.binCount.slice(),
      samples: a.n,
      training: this.training,
    };
  }

  command(control: string, value: unknown, host: HostContext): string {
    if (control === 'ghost') {
      const n = Number(value);
      if (!(n >= 1 && n <= 1000)) throw new Error(`the ghost re-syncs every 1 to 1000 steps, not ${value}`);
      this.ghostEvery = n;
      return `ghost re-synced every ${n} step${n > 1 ? 's' : ''}`;
    }
    if (control === 'policy') {
      this.net = this.load(value as string);
      this.policyId = value as string;
    } else if (control === 'versus') {
      this.versusNet = this.load(value as string);
      this.versusId = value as string;
    } else this.domain = value as Domain;
    // a new comparison: attribution from scratch, a fresh episode
    this.attribution = new DrAttribution(this.action.length);
    host.restartEpisode();
    const label = (v: string) => this.policies.find((p) => p.value === v)?.label ?? v;
    return `${label(this.policyId)} in the ${this.domain}, beside it ${label(this.versusId)}; the ghost runs in the ${this.ghostDomain}`;
  }

  dispose(): void {
    for (const d of Object.values(this.envs)) for (const e of [d.run, d.ghost, d.probe, d.versus, ...d.off]) e.dispose();
  }
}
