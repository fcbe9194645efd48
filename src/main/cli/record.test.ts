import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseCommandLine } from './index';

const parseArgs = (argv: string[]) => parseCommandLine(['record', ...argv])!.args;

vi.mock('./shell-choice', () => ({ findChromium: () => null }));

describe('adaptlab record', () => {
  it('parses its options and refuses bad ones with a usage error', async () => {
    const { recordOptions } = await import('./record');
    const r = recordOptions(parseArgs(['--scenario', 's.json', '--out', 'o.webm', '--width', '320', '--height', '240', '--fps', '30', '--duration', '2']));
    expect(r.options).toEqual({ format: 'webm', width: 320, height: 240, fps: 30, duration: 2 });
    expect(r.out.endsWith('o.webm')).toBe(true);
    expect(() => recordOptions(parseArgs(['--out', 'o.mp4']))).toThrow('--scenario FILE is required');
    expect(() => recordOptions(parseArgs(['--scenario', 's', '--out', 'o.mov']))).toThrow(/must end in \.mp4/);
    expect(() => recordOptions(parseArgs(['--scenario', 's', '--out', 'o.mp4', '--width', '321']))).toThrow(/must be even/);
    expect(() => recordOptions(parseArgs(['--scenario', 's', '--out', 'o.mp4', '--fps', '120']))).toThrow(/--fps expects an integer in \[1, 60\]/);
  });

  it('refuses an --out folder it cannot make before rendering (mkdir -p never returns on /proc/x)', { timeout: 10_000 }, async () => {
    const { recordOptions } = await import('./record');
    expect(() => recordOptions(parseArgs(['--scenario', 's.json', '--out', '/proc/x/o.mp4']))).toThrow(/--out \/proc\/x: cannot create/);
  });

  it('says so when the scene is missing, and when no Chromium is found', async () => {
    const { main } = await import('./index');
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    try {
      // The gait scenario asks the plain Ant scene for GrBAL, which only the adaptation scene runs.
      const dir = mkdtempSync(join(tmpdir(), 'rec-cli-'));
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ ...JSON.parse(readFileSync('assets/scenarios/ant-gait-broken-leg.json', 'utf8')), method: 'grbal' }));
      expect(await main(['record', '--scenario', bad, '--out', '/tmp/never.mp4'])).toBe(1);
      expect(errors.join('\n')).toMatch(/scene Ant-v0 cannot run method "grbal"/);
      expect(await main(['record', '--scenario', 'assets/scenarios/demo-falling.json', '--out', '/tmp/never.mp4'])).toBe(1);
      expect(errors.join('\n')).toMatch(/no Chromium found .* set ADAPTLAB_CHROMIUM/);
    } finally {
      spy.mockRestore();
    }
  });
});
