/**
 * Commands of model-based meta-RL beside training (which is `adaptlab train mb|grbal|rebal`, on
 * the trainer registry): eval-adapt, headroom, set-planner, and `eval --run` on a model-based run.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { initBackend } from '../../meta/backend';
import { defaultCheckpointPath, evalAdaptDetailed, type EvalMethod } from '../../meta/mbrl/eval';
import { BROKEN_LEG_PRESET, evalBrokenLeg } from '../../meta/mbrl/eval-broken-leg';
import { adaptationHeadroom } from '../../meta/mbrl/headroom';
import { loadCheckpoint, saveCheckpoint } from '../../meta/mbrl/checkpoint';
import { mbTaskIds, resolveTask } from '../../meta/mbrl/envs';
import '../../meta/mbrl/ant';
import { QUAD_TASK_ID, QUAD_TEST_PAYLOADS, quadCheckpointPath } from '../../meta/mbrl/quad';
import { QUAD_METHODS, evalQuadEpisodes, evalQuadPreset, pairedAgainst, quadMethodOf, summarize, type Payload, type QuadMethod } from '../../meta/mbrl/eval-quad';
import { QUAD_REFERENCES, type QuadReference } from '../../physics/envs/quadPayload';
import type { PlannerConfig, PlannerKind } from '../../meta/mbrl/planner';
import type { RunConfig } from '../../meta/jobs/train';
import { BACKEND_FLAG } from './flags';
import { boolFlag, checkFlagValue, flag, intFlag, UsageError, type FlagSpec, type FlagTable, type ParsedArgs } from './args';

/** Methods eval-adapt and headroom know ('mbde' runs the MB model with dynamic evaluation; 'oracle' an MB model trained on the test fault). */
export const EVAL_METHODS: readonly EvalMethod[] = ['grbal', 'rebal', 'mb', 'mbde', 'oracle'];
/** The quadrotor's methods: the latent model, MB, MB with history, the oracle given the true payload, PID. */
const QUAD_ENVS = ['QuadPayload-v0', QUAD_TASK_ID];
/** Legs a `--fault cripple:LEG` may name: both task families (Ant-v0, Crawler-v0) have four. */
const LEGS = 4;

const PLANNER: FlagSpec = { kind: 'string', pattern: /^(rs|cem|mppi)(:[1-9]\d{0,5}(:[1-9]\d{0,3})?)?$/, hint: 'rs|cem|mppi[:CANDIDATES[:HORIZON]] (e.g. mppi:128:8)' };
const ENV: FlagSpec = { kind: 'string', values: () => mbTaskIds(), help: 'task family' };
const SEED: FlagSpec = { kind: 'int', min: 0, max: 2 ** 31 - 1 };
const METHODS: FlagSpec = { kind: 'string', list: true, values: [...new Set([...EVAL_METHODS, ...QUAD_METHODS])] };
const ENV_ADAPT: FlagSpec = { kind: 'string', values: () => [...new Set([...mbTaskIds(), ...QUAD_ENVS])], help: 'task family (QuadPayload-v0 is flown through its velocity interface, QuadPayloadVel-v0)' };
const PAYLOAD_RE = /^(payload_mass|cable_length)=\d+(\.\d+)?(,(payload_mass|cable_length)=\d+(\.\d+)?)?$/;

export const EVAL_ADAPT_FLAGS: FlagTable = {
  env: ENV_ADAPT,
  preset: { kind: 'string', values: ['quad-payload', 'ant-broken-leg'], help: "the README's protocol (quad-payload: figure-8, held-out payloads, all methods; ant-broken-leg: path following, leg 3 crippled, 8 seeds x 5 episodes, paired against MB)" },
  workers: { kind: 'int', min: 1, max: 64, help: 'ant-broken-leg: worker threads (default: the cores)' },
  reference: { kind: 'string', values: QUAD_REFERENCES, help: 'quadrotor: the reference path (default figure8)' },
  payload: { kind: 'string', pattern: PAYLOAD_RE, hint: 'cable_length=L,payload_mass=M (e.g. cable_length=0.65,payload_mass=0.2)', help: 'quadrotor: the payload, unset keys nominal' },
  fault: { kind: 'string', pattern: new RegExp(`^cripple:[0-${LEGS - 1}]$`), hint: `cripple:LEG with LEG 0-${LEGS - 1} (e.g. cripple:3)` },
  at: { kind: 'int', min: 0, max: 1e7, help: 'step at which the fault fires (default 0)' },
  methods: METHODS,
  episodes: { kind: 'int', min: 1, max: 10_000 },
  seed: SEED,
  steps: { kind: 'int', min: 1, max: 1e7, help: 'steps per episode (default 1000)' },
  'checkpoint-dir': { kind: 'string', hint: 'DIR', help: 'where ENV/METHOD.json are (default assets/checkpoints)' },
  planner: PLANNER,
  'no-adapt': { kind: 'boolean' },
  json: { kind: 'boolean', help: 'the output is always one JSON line' },
  detailed: { kind: 'boolean', help: 'per-episode numbers too' },
  backend: BACKEND_FLAG,
};

export const HEADROOM_FLAGS: FlagTable = {
  env: ENV,
  methods: METHODS,
  faults: { kind: 'string', values: ['test', 'train'] },
  'checkpoint-dir': { kind: 'string', hint: 'DIR' },
  seed: SEED,
  backend: BACKEND_FLAG,
};

function planner(v: string | undefined): Partial<PlannerConfig> | undefined {
  if (v === undefined) return undefined;
  const [kind, c, h] = v.split(':');
  return { kind: kind as PlannerKind, ...(c ? { candidates: Number(c) } : {}), ...(h ? { horizon: Number(h) } : {}) };
}

/** Checkpoint files the methods read; a missing one is named with how to make it, not as ENOENT. */
function checkCheckpoints(envId: string, methods: readonly EvalMethod[], dir: string | undefined): void {
  for (const m of methods) {
    const file = defaultCheckpointPath(envId, m, dir ? resolve(dir) : undefined);
    if (!existsSync(file))
      throw new Error(`no ${m} checkpoint for ${envId} at ${file} (train one: adaptlab train ${m === 'mbde' || m === 'oracle' ? 'mb' : m} --env ${envId}${m === 'oracle' ? ' --oracle' : ''} ... --copy-to ${file})`);
  }
}

const methodsOf = (a: ParsedArgs, d: string) => (flag(a, 'methods') ?? d).split(',') as EvalMethod[];

/** `eval-adapt` on the quadrotor: payload tracking error per method, paired against MB; one JSON line. */
async function evalQuadCommand(a: ParsedArgs): Promise<number> {
  const dir = flag(a, 'checkpoint-dir') ? resolve(flag(a, 'checkpoint-dir')!) : undefined;
  const preset = flag(a, 'preset') === 'quad-payload';
  const methods = methodsOf(a, QUAD_METHODS.join(',')) as QuadMethod[];
  const wrong = methods.filter((m) => !(QUAD_METHODS as readonly string[]).includes(m));
  if (wrong.length) throw new UsageError(`--methods: the quadrotor knows ${QUAD_METHODS.join(', ')}, not ${wrong.join(', ')}`);
  for (const m of methods) {
    if (m === 'pid') continue;
    const file = quadCheckpointPath(m, dir);
    if (!existsSync(file)) throw new Error(`no ${m} checkpoint for ${QUAD_TASK_ID} at ${file} (the README's "Quadrotor" section has the command that makes it)`);
  }
  await initBackend(flag(a, 'backend'));
  const onEpisode = (r: object) => console.error(JSON.stringify(r));
  const episodes = flag(a, 'episodes') !== undefined ? intFlag(a, 'episodes', 5, 1, 10_000) : undefined;
  const seed = flag(a, 'seed') !== undefined ? intFlag(a, 'seed', 0, 0, 2 ** 31 - 1) : undefined;
  if (preset) {
    console.log(JSON.stringify(await evalQuadPreset({ checkpointDir: dir, episodes, seed, methods, onEpisode })));
    return 0;
  }
  const given: Partial<Payload> = Object.fromEntries((flag(a, 'payload') ?? '').split(',').filter(Boolean).map((kv) => [kv.split('=')[0], Number(kv.split('=')[1])]));
  const { payload, episodes: per } = await evalQuadEpisodes({ reference: (flag(a, 'reference') ?? 'figure8') as QuadReference, payload: given, methods, episodes: episodes ?? 5, seed: seed ?? 0, checkpointDir: dir, planner: planner(flag(a, 'planner')), onEpisode });
  const out: Record<string, unknown> = { env: QUAD_TASK_ID, reference: flag(a, 'reference') ?? 'figure8', payload, methods: Object.fromEntries(Object.entries(per).map(([m, eps]) => [m, summarize(eps)])), paired: pairedAgainst(per, 'mb') };
  if (boolFlag(a, 'detailed')) out.perEpisode = per;
  console.log(JSON.stringify(out));
  return 0;
}

/** `adaptlab eval-adapt`: forward distance and prediction error per method after a fault; one JSON line. */
export async function evalAdaptCommand(a: ParsedArgs): Promise<number> {
  if (flag(a, 'preset') === 'ant-broken-leg') return brokenLegCommand(a);
  const envId = flag(a, 'env') ?? (flag(a, 'preset') === 'quad-payload' ? QUAD_TASK_ID : 'Ant-v0');
  if (QUAD_ENVS.includes(envId)) return evalQuadCommand(a);
  for (const f of ['preset', 'reference', 'payload'])
    if (flag(a, f) !== undefined) throw new UsageError(`--${f} is for the quadrotor (--env QuadPayload-v0), not ${envId}`);
  const methods = methodsOf(a, 'grbal,rebal,mb,mbde');
  checkCheckpoints(envId, methods, flag(a, 'checkpoint-dir'));
  await initBackend(flag(a, 'backend'));
  const res = await evalAdaptDetailed({
    env: envId,
    fault: { kind: 'cripple', leg: Number((flag(a, 'fault') ?? 'cripple:3').split(':')[1]), shrink: true },
    at: flag(a, 'at') !== undefined ? intFlag(a, 'at', 0, 0, 1e7) : undefined,
    methods,
    episodes: intFlag(a, 'episodes', 5, 1, 10_000),
    seed: intFlag(a, 'seed', 0, 0, 2 ** 31 - 1),
    steps: flag(a, 'steps') !== undefined ? intFlag(a, 'steps', 1000, 1, 1e7) : undefined,
    checkpointDir: flag(a, 'checkpoint-dir'),
    planner: planner(flag(a, 'planner')),
    ...(boolFlag(a, 'no-adapt') ? { adapt: false } : {}),
    onEpisode: (r) => console.error(JSON.stringify(r)),
  });
  console.log(JSON.stringify(boolFlag(a, 'detailed') ? res : { methods: res.methods }));
  return 0;
}

/** `eval-adapt --preset ant-broken-leg [--at STEP]`: the README's broken-leg protocol on the shipped checkpoints; one JSON line. */
async function brokenLegCommand(a: ParsedArgs): Promise<number> {
  for (const f of ['env', 'fault', 'reference', 'payload', 'steps', 'planner', 'seed'])
    if (flag(a, f) !== undefined) throw new UsageError(`--preset ant-broken-leg fixes the task, fault, seeds and planner; --${f} is not part of it`);
  const methods = methodsOf(a, BROKEN_LEG_PRESET.methods.join(','));
  checkCheckpoints(BROKEN_LEG_PRESET.checkpointEnv, methods, flag(a, 'checkpoint-dir'));
  const res = await evalBrokenLeg({
    at: flag(a, 'at') !== undefined ? intFlag(a, 'at', 0, 0, BROKEN_LEG_PRESET.steps - 1) : 0,
    methods,
    episodesPerSeed: flag(a, 'episodes') !== undefined ? intFlag(a, 'episodes', 5, 1, 10_000) : undefined,
    checkpointDir: flag(a, 'checkpoint-dir'),
    workers: flag(a, 'workers') !== undefined ? intFlag(a, 'workers', 2, 1, 64) : undefined,
    ...(boolFlag(a, 'no-adapt') ? { adapt: false } : {}),
    onEpisode: (r) => console.error(JSON.stringify(r)),
  });
  console.log(JSON.stringify(res));
  return 0;
}

/** `adaptlab headroom`: how much adapting on the last M transitions can lower the error on the next K (JSON). */
export async function headroomCommand(a: ParsedArgs): Promise<number> {
  const spec = resolveTask(flag(a, 'env') ?? 'Ant-v0');
  const faults = flag(a, 'faults') === 'train' ? spec.trainFaults : [spec.testFault];
  const methods = methodsOf(a, 'mb,grbal,rebal');
  const dir = flag(a, 'checkpoint-dir');
  checkCheckpoints(spec.id, methods, dir);
  await initBackend(flag(a, 'backend'));
  const out: Record<string, unknown> = {};
  for (const m of methods) {
    const checkpoint = defaultCheckpointPath(spec.id, m, dir !== undefined ? resolve(dir) : undefined);
    out[m] = await adaptationHeadroom({ spec, checkpoint, faults, seed: intFlag(a, 'seed', 0, 0, 2 ** 31 - 1) });
  }
  console.log(JSON.stringify({ env: spec.id, faults: flag(a, 'faults') === 'train' ? 'train' : 'test', methods: out }));
  return 0;
}

/** `adaptlab set-planner MODEL.json rs:500:10`: the planner a model's controller uses by default. */
export async function setPlannerCommand(a: ParsedArgs): Promise<number> {
  const [file, spec] = a.positional;
  if (!file || spec === undefined) throw new UsageError('set-planner MODEL.json rs|cem|mppi[:CANDIDATES[:HORIZON]]');
  checkFlagValue('planner', PLANNER, spec);
  if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
  await initBackend(flag(a, 'backend'));
  const ck = loadCheckpoint(file);
  ck.planner = { ...ck.planner, ...planner(spec) } as PlannerConfig;
  saveCheckpoint(file, ck);
  console.log(JSON.stringify({ file, planner: ck.planner }));
  return 0;
}

/** A model-based run's model: model.json (runs of the trainer platform) or, in older runs, checkpoints/latest.json. */
export function runModelFile(dir: string): string | null {
  for (const f of [join(dir, 'model.json'), join(dir, 'checkpoints', 'latest.json')]) {
    if (!existsSync(f)) continue;
    try {
      loadCheckpoint(f);
      return f;
    } catch {
      // a pointer to a trainer checkpoint, not a model
    }
  }
  return null;
}

/**
 * `eval --run` on a model-based run: it learns a dynamics model, not a policy, so it is evaluated as
 * eval-adapt does (MPC on the model, the task's held-out fault), the run's model standing in for its method.
 */
export async function evaluateModelRun(dir: string, cfg: RunConfig, episodes: number, seed: number, json: boolean): Promise<number> {
  const model = runModelFile(dir);
  if (!model) throw new Error(`${dir} has no model yet (model.json is written at the run's first checkpoint)`);
  const env = cfg.env ?? 'Ant-v0';
  if (env === QUAD_TASK_ID) return evaluateQuadRun(dir, model, String(cfg.algo), episodes, seed, json);
  const method = String(cfg.algo) as EvalMethod;
  if (!json) console.log(`eval: ${method} is model-based: MPC on its model, ${env} with its held-out fault (as adaptlab eval-adapt --methods ${method})`);
  await initBackend();
  const res = await evalAdaptDetailed({ env, methods: [method], checkpoints: { [method]: model }, episodes, seed });
  const r = res.methods[method];
  if (json) console.log(JSON.stringify({ run: dir, env, episodes, forwardDistance: r.forwardDistance, predictionError: r.predictionError }));
  else console.log(`${env}: forward distance ${r.forwardDistance.mean.toFixed(2)} ± ${r.forwardDistance.std.toFixed(2)} m, prediction error ${r.predictionError.before.toPrecision(3)} before / ${r.predictionError.after.toPrecision(3)} after adapting, over ${episodes} episodes`);
  return 0;
}

/** `eval --run` on a quadrotor model: its method flies the figure-8 with the held-out interpolated payload. */
async function evaluateQuadRun(dir: string, model: string, algo: string, episodes: number, seed: number, json: boolean): Promise<number> {
  const method = quadMethodOf(algo);
  if (!method) throw new Error(`${dir}: a ${algo} model is not one of the quadrotor's methods (latent, mb, mbhist, params)`);
  const payload = QUAD_TEST_PAYLOADS.interpolated.params;
  if (!json) console.log(`eval: ${algo} is model-based: CEM on its model, ${QUAD_TASK_ID} figure-8 with the held-out payload ${JSON.stringify(payload)} (as adaptlab eval-adapt --env QuadPayload-v0 --methods ${method})`);
  await initBackend();
  const { episodes: per } = await evalQuadEpisodes({ payload, methods: [method], checkpoints: { [method]: model }, episodes, seed });
  const r = summarize(per[method]);
  if (json) console.log(JSON.stringify({ run: dir, env: QUAD_TASK_ID, episodes, payload, trackingError: r.trackingError, crashes: r.crashes }));
  else console.log(`${QUAD_TASK_ID}: payload tracking error ${r.trackingError.mean.toFixed(3)} m (95% interval ${r.trackingError.ci95.map((x) => x.toFixed(3)).join('..')}), ${r.crashes} crashes, over ${episodes} episodes`);
  return 0;
}
