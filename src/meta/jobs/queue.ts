/**
 * A job queue running at most `concurrency` jobs at once (default: the number of cores). Generic
 * over how a job starts, so the workbench service can queue training workers:
 * ```ts
 * const q = new JobQueue((spec, hooks) => startTrainingWorker(spec, hooks));
 * const job = q.enqueue(spec, { onProgress });   // job.id, job.result, job.cancel()
 * ```
 * Cancelling a queued job removes it without starting it (its result resolves to null).
 */
import os from 'node:os';

export interface StartedJob<R> {
  result: Promise<R>;
  cancel(): void;
}

export interface QueueHooks<P> {
  onProgress?: (p: P) => void;
  onStarted?: (backend: string) => void;
}

export interface QueuedJob<R> {
  id: number;
  /** Resolves with the job's result, or null if it was cancelled before it started. */
  result: Promise<R | null>;
  cancel(): void;
  readonly state: 'queued' | 'running' | 'finished';
}

export class JobQueue<S, R, P = unknown> {
  private nextId = 1;
  private running = 0;
  private waiting: (() => void)[] = [];

  constructor(
    private readonly start: (spec: S, hooks: QueueHooks<P>) => StartedJob<R>,
    readonly concurrency: number = Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  enqueue(spec: S, hooks: QueueHooks<P> = {}): QueuedJob<R> {
    const id = this.nextId++;
    let state: 'queued' | 'running' | 'finished' = 'queued';
    let started: StartedJob<R> | null = null;
    let cancelled = false;
    let resolveOuter!: (r: R | null) => void;
    let rejectOuter!: (e: unknown) => void;
    const result = new Promise<R | null>((res, rej) => {
      resolveOuter = res;
      rejectOuter = rej;
    });
    const launch = () => {
      if (cancelled) return this.next();
      state = 'running';
      this.running++;
      try {
        started = this.start(spec, hooks);
      } catch (e) {
        this.finish();
        state = 'finished';
        rejectOuter(e);
        return;
      }
      started.result.then(
        (r) => {
          state = 'finished';
          this.finish();
          resolveOuter(r);
        },
        (e) => {
          state = 'finished';
          this.finish();
          rejectOuter(e);
        },
      );
    };
    if (this.running < this.concurrency) launch();
    else this.waiting.push(launch);
    return {
      id,
      result,
      cancel: () => {
        if (state === 'queued') {
          cancelled = true;
          state = 'finished';
          this.waiting = this.waiting.filter((f) => f !== launch);
          resolveOuter(null);
        } else if (state === 'running') started?.cancel();
      },
      get state() {
        return state;
      },
    };
  }

  private finish(): void {
    this.running--;
    this.next();
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length) this.waiting.shift()!();
  }
}
