/** `adaptlab train`, `adaptlab runs`, `adaptlab eval`: training from the command line. */
import { resolve } from 'node:path';
import { evaluateRun } from '../../meta/jobs/eval';
import { startTrainingWorker } from '../../meta/jobs/spawn';

import { listRuns } from '../service/runs';
import { trainingSpec } from '../service/jobs';
import { boolFlag, flag, intFlag, UsageError, type ParsedArgs } from './args';

export function formatDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}

export async function train(args: ParsedArgs): Promise<number> {
  const algo = args.positional[0];
  if (algo !== 'ppo') throw new UsageError(`unknown algorithm "${algo ?? ''}" (available: ppo)`);
  const env = flag(args, 'env');
  if (!env) throw new UsageError('--env is required (e.g. Hopper-v0, Ant-v0, QuadPayload-v0, PointReach-v0)');
  const steps = intFlag(args, 'steps', 100_000, 1, 1e9);
  const seed = intFlag(args, 'seed', 0, 0, 2 ** 31 - 1);
  const out = resolve(flag(args, 'out') ?? 'runs');
  const numEnvs = flag(args, 'num-envs') ? intFlag(args, 'num-envs', 16, 1, 256) : undefined;
  const spec = { ...trainingSpec({ algo, env, steps, seed, numEnvs }, out), ...(flag(args, 'backend') ? { backend: flag(args, 'backend') } : {}) };
  const resumeDir = flag(args, 'resume');
  if (resumeDir) Object.assign(spec, { runDir: resolve(resumeDir), resume: true, runsRoot: undefined });
  const job = startTrainingWorker(spec, {
    onStarted: (backend) => console.log(`train: PPO on ${env}, ${steps} steps, seed ${seed}, backend ${backend}`),
    onProgress: (p) => {
      const ret = typeof p.metrics.episodeReturn === 'number' ? p.metrics.episodeReturn.toFixed(1) : '—';
      const fps = typeof p.metrics.fps === 'number' ? p.metrics.fps.toFixed(0) : '—';
      const pct = ((100 * p.step) / p.totalSteps).toFixed(0);
      console.log(`step ${p.step}/${p.totalSteps} (${pct}%)  return ${ret}  ${fps} steps/s  ETA ${formatDuration(p.etaSeconds)}`);
    },
  });
  const stop = () => {
    console.log('train: stopping after this iteration (checkpointing)…');
    job.cancel();
  };
  process.once('SIGINT', stop);
  const result = await job.result;
  process.off('SIGINT', stop);
  console.log(`train: ${result.status} at step ${result.step}; run folder ${result.runDir}`);
  return 0;
}

export async function runs(args: ParsedArgs): Promise<number> {
  const root = resolve(args.positional[0] ?? 'runs');
  const list = listRuns(root);
  if (boolFlag(args, 'json')) {
    console.log(JSON.stringify(list));
    return 0;
  }
  if (!list.length) {
    console.log(`no runs in ${root}`);
    return 0;
  }
  const rows = list.map((r) => [r.id, r.algo, r.env, r.status, `${r.step}/${r.totalSteps ?? '?'}`, r.last.episodeReturn?.toFixed(1) ?? '—', r.backend ?? '—']);
  const head = ['RUN', 'ALGO', 'ENV', 'STATUS', 'STEPS', 'RETURN', 'BACKEND'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join('  '));
  return 0;
}

export async function evaluate(args: ParsedArgs): Promise<number> {
  const run = flag(args, 'run');
  if (!run) throw new UsageError('--run DIR is required');
  const episodes = intFlag(args, 'episodes', 10, 1, 10_000);
  const seed = intFlag(args, 'seed', 0, 0, 2 ** 31 - 1);
  const r = await evaluateRun(resolve(run), { episodes, seed, ...(flag(args, 'backend') ? { backend: flag(args, 'backend') } : {}) });
  const summary = { run: resolve(run), env: r.env, step: r.step, episodes, mean: r.mean, std: r.std, returns: r.returns };
  if (boolFlag(args, 'json')) console.log(JSON.stringify(summary));
  else console.log(`${r.env} at step ${r.step}: return ${r.mean.toFixed(2)} ± ${r.std.toFixed(2)} over ${episodes} episodes`);
  return 0;
}


