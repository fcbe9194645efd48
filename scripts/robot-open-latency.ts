/**
 * How long other requests wait while robot.open reads a hostile URDF: `npx tsx scripts/robot-open-latency.ts`.
 *
 * For each hostile file, starts robot.open on a WorkbenchService and meanwhile calls app.info
 * every 10 ms, recording each call's latency until the open settles; then does the same with the
 * old, synchronous parse on the service's thread (inspectRobotSync) for comparison. Prints one
 * JSON line per file and a summary line: { maxAppInfoMs, ... }. The target: app.info never waits
 * more than 100 ms behind a robot.open. Timings depend on the machine: this is a measurement, not
 * a test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { inspectRobotSync } from '../src/main/service/robot-files';
import { WorkbenchService } from '../src/main/service/workbench';

const dir = mkdtempSync(join(tmpdir(), 'adaptlab-open-latency-'));

function massRobot(value: string, pad = 0): string {
  const filler = pad > 0 ? `<!-- ${'x'.repeat(pad)} -->` : '';
  return `<robot name="r">${filler}<link name="a"><inertial><mass value="${value}"/></inertial></link></robot>`;
}

/** n links in a chain that closes on itself at the end: the whole file must be parsed to find out. */
function bigCycle(n: number): string {
  const parts = ['<robot name="big">'];
  const body = '<inertial><mass value="1"/><inertia ixx="0.01" iyy="0.01" izz="0.01"/></inertial><visual><geometry><box size="0.1 0.1 0.1"/></geometry></visual>';
  for (let i = 0; i < n; i++) parts.push(`<link name="link_${i}">${body}</link>`);
  for (let i = 0; i < n; i++) parts.push(`<joint name="joint_${i}" type="revolute"><parent link="link_${i}"/><child link="link_${(i + 1) % n}"/><origin xyz="0 0 0.1"/><axis xyz="0 1 0"/><limit lower="-1" upper="1" effort="1" velocity="1"/></joint>`);
  parts.push('</robot>');
  return parts.join('\n');
}

/** CPU time this thread has used (ms), from /proc on Linux; undefined elsewhere. */
function threadCpuMs(): number | undefined {
  try {
    // fields after the ")" of the command name: state is field 3, utime 14, stime 15 (clock ticks)
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

interface Probe {
  samples: number;
  maxMs: number;
  p50Ms: number;
  /** scene.list at the same moments: a request without file-system work (app.info resolves packages synchronously on every call). */
  sceneListMaxMs: number;
  /** The event loop's worst delay (perf_hooks), over the same span. */
  loopDelayMaxMs: number;
}

/** Calls app.info every 10 ms while `work` runs; latencies of those calls. */
async function probe(service: WorkbenchService, work: () => Promise<unknown>): Promise<{ probe: Probe; result: unknown; workMs: number; mainThreadCpuMs?: number }> {
  const lat: number[] = [];
  const latList: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let done = false;
  // A request due every 10 ms: its latency runs from when it was due (so a blocked event loop,
  // which delays the sending too, counts) to its answer.
  const pinger = (async () => {
    while (!done) {
      const due = performance.now() + 10;
      await new Promise((r) => setTimeout(r, 10));
      await service.call('app.info', {});
      lat.push(performance.now() - due);
      const t = performance.now();
      await service.call('scene.list', {});
      latList.push(performance.now() - t);
    }
  })();
  // let the pinger start, then start the work; a synchronous parse inside `work` blocks both
  await new Promise((r) => setTimeout(r, 30));
  const t0 = performance.now();
  const cpu0 = threadCpuMs();
  let result: unknown;
  try {
    result = await work();
  } catch (e) {
    result = e instanceof Error ? `${e.name}: ${e.message.slice(0, 160)}` : String(e);
  }
  const workMs = performance.now() - t0;
  const cpu1 = threadCpuMs();
  // One more ping after the work: it catches a delay that a synchronous parse caused.
  await new Promise((r) => setTimeout(r, 20));
  done = true;
  await pinger;
  loop.disable();
  const sorted = [...lat].sort((a, b) => a - b);
  return {
    probe: {
      samples: lat.length,
      maxMs: round(sorted[sorted.length - 1] ?? 0),
      p50Ms: round(sorted[Math.floor(sorted.length / 2)] ?? 0),
      sceneListMaxMs: round(Math.max(0, ...latList)),
      loopDelayMaxMs: round(loop.max / 1e6),
    },
    result,
    workMs: round(workMs),
    // the service thread's own CPU time during the work (pings included): what could have delayed a request
    ...(cpu0 !== undefined && cpu1 !== undefined ? { mainThreadCpuMs: round(cpu1 - cpu0) } : {}),
  };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

async function main(): Promise<void> {
  const files: [string, string | null][] = [
    ['digits-60000 (73 kB)', massRobot('1'.repeat(60_000), 13_000)],
    ['digits-200kB', massRobot('1'.repeat(200_000))],
    ['digits-10MB', massRobot('9'.repeat(10 * 2 ** 20) + 'x')],
    ['cycle-36000-links (~15 MB)', bigCycle(36_000)],
  ];
  const paths: [string, string][] = [];
  for (const [name, xml] of files) {
    const p = join(dir, name.replace(/[^a-zA-Z0-9-]+/g, '_') + '.urdf');
    writeFileSync(p, xml!);
    paths.push([name, p]);
  }
  if (process.platform !== 'win32') {
    const fifo = join(dir, 'fifo.urdf');
    execFileSync('mkfifo', [fifo]);
    paths.push(['fifo', fifo]);
    paths.push(['/dev/zero', '/dev/zero']);
  }
  const service = new WorkbenchService({ shell: 'browser', shellReason: 'latency probe' });
  const rows: Record<string, unknown>[] = [];
  try {
    // warm up: the first worker start compiles the sources (tsx) and the first app.info probes backends
    await service.call('app.info', {});
    await service.call('robot.open', { path: paths[0][1] });
    const idle = await probe(service, () => new Promise((r) => setTimeout(r, 500)));
    console.log(JSON.stringify({ file: '(idle, no open)', mainThreadCpuMs: idle.mainThreadCpuMs, appInfo: idle.probe }));
    for (const [name, p] of paths) {
      const open = await probe(service, () => service.call('robot.open', { path: p }));
      const r = open.result as { ok?: boolean; error?: { code: string; message: string } };
      const row: Record<string, unknown> = {
        file: name, openMs: open.workMs, mainThreadCpuMs: open.mainThreadCpuMs, outcome: r?.ok === false ? `${r.error!.code}: ${r.error!.message.slice(0, 140)}` : r, appInfo: open.probe,
      };
      if (name !== 'fifo' && name !== '/dev/zero') {
        // the old behaviour, for comparison: the same parse on the service's thread
        const sync = await probe(service, async () => inspectRobotSync(p, {}));
        row.syncOnMainThread = { parseMs: sync.workMs, mainThreadCpuMs: sync.mainThreadCpuMs, appInfo: sync.probe };
      }
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  } finally {
    service.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  const worst = (k: keyof Probe) => Math.max(...rows.map((r) => (r.appInfo as Probe)[k]));
  const maxAppInfoMs = worst('maxMs');
  console.log(JSON.stringify({
    maxAppInfoMsDuringRobotOpen: maxAppInfoMs,
    maxSceneListMsDuringRobotOpen: worst('sceneListMaxMs'),
    maxLoopDelayMsDuringRobotOpen: worst('loopDelayMaxMs'),
    targetMs: 100,
    met: maxAppInfoMs <= 100,
  }));
}

await main();
process.exit(0);
