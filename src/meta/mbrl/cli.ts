/**
 * Command-line entry of model-based meta-RL, for the project's CLI to delegate to (and runnable on
 * its own: `npx tsx src/meta/mbrl/cli.ts ...`):
 *
 *   train <grbal|rebal|mb> --env Ant-v0 --steps N --seed S --out DIR [--preset demo|paper]
 *         [--data RUN/data.json] [--init-from CKPT] [--grad-steps N] [--iterations N] [--hidden 128,128]
 *         [--inner-lr X] [--learn-inner-lr] [--first-order] [--meta-batch N] [--outer-lr X]
 *         [--past M] [--future K]  (transitions adapted on / predicted after; paper 16, 16)
 *         [--episode-steps N] [--planner mppi:128:8] [--recurrent gru:64] [--copy-to FILE]
 *         [--oracle]  (train on the held-out fault: the oracle baseline, evaluated as method 'oracle')
 *         [--heading-frame]  (model the dynamics in the torso's heading frame, frame.ts; default: world frame)
 *   eval-adapt --env Ant-v0 --fault cripple:3 [--at STEP] --methods grbal,rebal,mb,mbde
 *         --episodes 5 --seed S [--steps 1000] [--checkpoint-dir DIR] [--planner mppi:128:8] [--no-adapt] [--json]
 *   set-planner CHECKPOINT rs:500:10   (the planner a checkpoint's controller uses by default)
 *   headroom --env Ant-v0 --methods mb,grbal,rebal [--faults test|train] [--checkpoint-dir DIR] [--seed S]
 *         (how much adapting on the last M transitions can lower the error on the next K; JSON)
 */
import fs from 'node:fs';
import path from 'node:path';
import { initBackend, backendFromArgv } from '../backend.js';
import { DEMO_CONFIG, PAPER_CONFIG } from './configs.js';
import { defaultCheckpointPath, evalAdaptDetailed, type EvalMethod } from './eval.js';
import { adaptationHeadroom } from './headroom.js';
import type { PlannerConfig, PlannerKind } from './planner.js';
import { trainModelBasedMeta, type TrainMbConfig } from './train.js';
import type { MbMethod } from './algos.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import './ant.js';
import { resolveTask } from './envs.js';
import type { MbTaskSpec } from './types.js';

function flags(argv: string[]): { pos: string[]; f: Record<string, string | true> } {
  const pos: string[] = [];
  const f: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      if (v !== undefined) f[k] = v;
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) f[k] = argv[++i];
      else f[k] = true;
    } else pos.push(a);
  }
  return { pos, f };
}

const num = (v: string | true | undefined): number | undefined => (typeof v === 'string' ? Number(v) : undefined);

function planner(v: string | true | undefined): Partial<PlannerConfig> | undefined {
  if (typeof v !== 'string') return undefined;
  const [kind, c, h] = v.split(':');
  return { kind: kind as PlannerKind, ...(c ? { candidates: Number(c) } : {}), ...(h ? { horizon: Number(h) } : {}) };
}

function oracleSpec(id: string): MbTaskSpec {
  const spec = resolveTask(id);
  return { ...spec, trainFaults: [spec.testFault] };
}

export async function main(argv: string[]): Promise<void> {
  const { pos, f } = flags(argv);
  await initBackend(backendFromArgv(argv));
  const cmd = pos[0];
  if (cmd === 'train') {
    const method = pos[1] as MbMethod;
    if (!['grbal', 'rebal', 'mb'].includes(method)) throw new Error('train <grbal|rebal|mb>');
    const preset = f.preset === 'paper' ? PAPER_CONFIG : DEMO_CONFIG;
    const out = typeof f.out === 'string' ? f.out : path.join('runs', `${method}-${f.env ?? 'Ant-v0'}-s${f.seed ?? 0}`);
    const cfg: TrainMbConfig = {
      ...preset,
      method,
      // --oracle: train on the held-out fault itself (the oracle baseline; evaluate as method 'oracle')
      env: f.oracle ? oracleSpec(typeof f.env === 'string' ? f.env : 'Ant-v0') : typeof f.env === 'string' ? f.env : 'Ant-v0',
      steps: num(f.steps) ?? 20000,
      seed: num(f.seed) ?? 0,
      outDir: out,
      ...(typeof f.hidden === 'string' ? { hidden: f.hidden.split(',').map(Number) } : {}),
      ...(num(f['inner-lr']) !== undefined ? { innerLr: num(f['inner-lr']) } : {}),
      ...(f['learn-inner-lr'] ? { learnInnerLr: true } : {}),
      ...(f['fixed-inner-lr'] ? { learnInnerLr: false } : {}),
      ...(f['first-order'] ? { firstOrder: true } : {}),
      ...(f['heading-frame'] ? { headingFrame: true } : {}),
      ...(num(f['meta-batch']) !== undefined ? { metaBatch: num(f['meta-batch']) } : {}),
      ...(num(f['outer-lr']) !== undefined ? { outerLr: num(f['outer-lr']) } : {}),
      ...(num(f['grad-steps']) !== undefined ? { gradSteps: num(f['grad-steps']) } : {}),
      ...(num(f.past) !== undefined ? { M: num(f.past) } : {}),
      ...(num(f.future) !== undefined ? { K: num(f.future) } : {}),
      ...(num(f.iterations) !== undefined ? { iterations: num(f.iterations) } : {}),
      ...(num(f['episode-steps']) !== undefined ? { episodeSteps: num(f['episode-steps']) } : {}),
      ...(typeof f.data === 'string' ? { initialData: f.data } : {}),
      ...(typeof f['init-from'] === 'string' ? { initFrom: f['init-from'] } : {}),
      ...(typeof f.recurrent === 'string' ? { recurrent: { cell: f.recurrent.split(':')[0] as 'gru' | 'lstm', hidden: Number(f.recurrent.split(':')[1] ?? 64) } } : {}),
      command: argv.join(' '),
    };
    const p = planner(f.planner);
    if (p) cfg.planner = { ...preset.planner, ...p };
    let last = 0;
    const res = await trainModelBasedMeta(cfg, (pr) => {
      const t = Date.now();
      if (t - last > 5000 || pr.phase === 'done') {
        last = t;
        console.error(JSON.stringify(pr));
      }
    });
    if (typeof f['copy-to'] === 'string') {
      fs.mkdirSync(path.dirname(f['copy-to']), { recursive: true });
      fs.copyFileSync(res.checkpointPath, f['copy-to']);
    }
    console.log(JSON.stringify({ runDir: res.runDir, checkpoint: res.checkpointPath, final: res.final }));
  } else if (cmd === 'eval-adapt') {
    const fault = typeof f.fault === 'string' ? f.fault : 'cripple:3';
    const leg = Number(fault.split(':')[1]);
    const res = await evalAdaptDetailed({
      env: typeof f.env === 'string' ? f.env : 'Ant-v0',
      fault: { kind: 'cripple', leg, shrink: true },
      at: num(f.at),
      methods: (typeof f.methods === 'string' ? f.methods : 'grbal,rebal,mb,mbde').split(',') as EvalMethod[],
      episodes: num(f.episodes) ?? 5,
      seed: num(f.seed) ?? 0,
      steps: num(f.steps),
      checkpointDir: typeof f['checkpoint-dir'] === 'string' ? f['checkpoint-dir'] : undefined,
      planner: planner(f.planner),
      ...(f['no-adapt'] ? { adapt: false } : {}),
      onEpisode: (r) => console.error(JSON.stringify(r)),
    });
    if (f.detailed) console.log(JSON.stringify(res));
    else console.log(JSON.stringify({ methods: res.methods }));
  } else if (cmd === 'set-planner') {
    // set-planner <checkpoint.json> <kind:candidates:horizon>: the controller's default planner
    const file = pos[1];
    const p = planner(pos[2]);
    if (!file || !p) throw new Error('set-planner <checkpoint.json> <rs|cem|mppi:candidates:horizon>');
    const ck = loadCheckpoint(file);
    ck.planner = { ...ck.planner, ...p } as PlannerConfig;
    saveCheckpoint(file, ck);
    console.log(JSON.stringify({ file, planner: ck.planner }));
  } else if (cmd === 'headroom') {
    const spec = resolveTask(typeof f.env === 'string' ? f.env : 'Ant-v0');
    const faults = f.faults === 'train' ? spec.trainFaults : [spec.testFault];
    const out: Record<string, unknown> = {};
    for (const m of (typeof f.methods === 'string' ? f.methods : 'mb,grbal,rebal').split(',') as EvalMethod[]) {
      const checkpoint = defaultCheckpointPath(spec.id, m, typeof f['checkpoint-dir'] === 'string' ? path.resolve(f['checkpoint-dir']) : undefined);
      out[m] = await adaptationHeadroom({ spec, checkpoint, faults, seed: num(f.seed) ?? 0 });
    }
    console.log(JSON.stringify({ env: spec.id, faults: f.faults === 'train' ? 'train' : 'test', methods: out }));
  } else {
    throw new Error('usage: cli.ts train <grbal|rebal|mb> ... | eval-adapt ... | set-planner ... | headroom ...');
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  });
}
