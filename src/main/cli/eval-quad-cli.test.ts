/**
 * `adaptlab eval-adapt` on the quadrotor: the payload and reference flags, one JSON line per run,
 * and errors that name what was wrong.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './index';
import { runCli } from '../../../test/support/capture-console';

afterEach(() => vi.restoreAllMocks());
const root = mkdtempSync(join(tmpdir(), 'adaptlab-quad-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (argv: string[]) => runCli(main, argv);

describe('adaptlab eval-adapt --env QuadPayload-v0', () => {
  it('flies the payload given and prints one JSON line: tracking error with its interval and crashes per method', async () => {
    const r = await run(['eval-adapt', '--env', 'QuadPayload-v0', '--reference', 'circle', '--payload', 'cable_length=0.8,payload_mass=0.15', '--methods', 'pid', '--episodes', '2', '--seed', '3', '--json']);
    expect(r.rc).toBe(0);
    const j = JSON.parse(r.out.at(-1)!);
    expect(j.payload).toEqual({ payload_mass: 0.15, cable_length: 0.8 });
    expect(j.reference).toBe('circle');
    expect(j.methods.pid.trackingError.n).toBe(2);
    expect(j.methods.pid.trackingError.mean).toBeGreaterThan(0);
    expect(j.methods.pid.trackingError.mean).toBeLessThan(0.5);
    expect(j.methods.pid.crashes).toBe(0);
  });

  it('names a method the quadrotor does not know, a malformed payload, a missing checkpoint, and quadrotor flags on the ant', async () => {
    expect((await run(['eval-adapt', '--env', 'QuadPayload-v0', '--methods', 'grbal'])).err.join('\n')).toMatch(/the quadrotor knows latent, mb, mbhist, oracle, pid, not grbal/);
    expect((await run(['eval-adapt', '--env', 'QuadPayload-v0', '--payload', 'cable=1'])).err.join('\n')).toMatch(/cable_length=L,payload_mass=M/);
    expect((await run(['eval-adapt', '--env', 'QuadPayload-v0', '--methods', 'latent', '--checkpoint-dir', root])).err.join('\n')).toMatch(/no latent checkpoint for QuadPayloadVel-v0 at .*latent\.json/);
    expect((await run(['eval-adapt', '--env', 'Ant-v0', '--payload', 'cable_length=1'])).err.join('\n')).toMatch(/--payload is for the quadrotor/);
  });
});
