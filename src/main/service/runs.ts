/** Reading run folders for the Runs panel and the CLI (written by src/meta/runs.ts). */
import { TRAINERS } from '../../meta/trainers/registry';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricSeries, RunSummary } from '../../shared/contract';
import { effectiveState, hasTrainerConfig, Run } from '../../meta/runs';

const VIDEO = /\.(mp4|webm)$/i;

/**
 * The workbench continues (jobs.resume) a run of any trainer in the registry made by the one
 * driver (its config.json holds the trainer's config); model-based runs from before the driver
 * (no trainer config, checkpoints/latest.json the model itself) continue by a warm start. A run's listed status is its
 * status.json's, except that a 'running' run whose process is gone (kill -9, a crash) lists as
 * 'interrupted': resumable from its last checkpoint.
 */
export function isResumable(cfg: { algo?: unknown; trainer?: unknown; ppo?: unknown }): boolean {
  return TRAINERS.some((t) => t.id === cfg.algo) && hasTrainerConfig(cfg);
}

export function listRuns(root: string): RunSummary[] {
  if (!existsSync(root)) return [];
  return Run.list(root)
    .map((dir) => summarize(dir))
    .filter((r): r is RunSummary => r !== null)
    .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
}

export function summarize(dir: string): RunSummary | null {
  try {
    const run = Run.open(dir);
    const cfg = run.config<Record<string, unknown>>();
    const status = run.status();
    const rows = run.metrics();
    const lastRow = rows[rows.length - 1];
    const last: Record<string, number> = {};
    if (lastRow) for (const [k, v] of Object.entries(lastRow)) if (typeof v === 'number' && k !== 'wallTime') last[k] = v;
    const videos = findVideos(dir);
    return {
      id: run.id,
      dir,
      algo: String(cfg.algo ?? 'unknown'),
      env: String(cfg.env ?? 'unknown'),
      seed: typeof cfg.seed === 'number' ? cfg.seed : null,
      status: effectiveState(status),
      step: status?.step ?? lastRow?.step ?? 0,
      totalSteps: status?.totalSteps ?? (typeof cfg.totalSteps === 'number' ? cfg.totalSteps : null),
      stepUnit: typeof cfg.stepUnit === 'string' ? cfg.stepUnit : 'env steps',
      resumable: isResumable(cfg),
      createdAt: typeof cfg.createdAt === 'string' ? cfg.createdAt : null,
      backend: status?.backend ?? (typeof cfg.backend === 'string' ? cfg.backend : null),
      last,
      videos,
    };
  } catch {
    return null; // not a run folder (or a half-written one): skip it
  }
}

function findVideos(dir: string): string[] {
  const out: string[] = [];
  for (const sub of [dir, join(dir, 'videos')]) {
    if (!existsSync(sub)) continue;
    for (const f of readdirSync(sub)) if (VIDEO.test(f)) out.push(join(sub, f));
  }
  return out;
}

/** Metrics of a run, thinned to at most maxPoints rows (evenly, keeping the last). */
export function runMetrics(dir: string, runId: string, maxPoints = 2000): MetricSeries {
  const rows = Run.open(dir).metrics();
  const stride = Math.max(1, Math.ceil(rows.length / maxPoints));
  const picked = rows.filter((_, i) => i % stride === 0 || i === rows.length - 1);
  const keys = new Set<string>();
  for (const r of picked) for (const [k, v] of Object.entries(r)) if (typeof v === 'number' && k !== 'step' && k !== 'wallTime') keys.add(k);
  const values: Record<string, (number | null)[]> = {};
  for (const k of keys) values[k] = picked.map((r) => (typeof r[k] === 'number' ? (r[k] as number) : null));
  return { runId, steps: picked.map((r) => r.step), values };
}

/** Opens a folder in the desktop's file manager, where there is one. */
export function revealFolder(path: string): boolean {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  try {
    const child = spawn(cmd, [path], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
