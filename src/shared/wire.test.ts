import { describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot } from './wire';
import type { PopulationFrame, SimSnapshot } from './snapshot';

const base: SimSnapshot = { sessionId: 's1', frame: 3, time: 0.5, episode: 0, episodeTime: 0.5, poses: Float32Array.from([1, 2, 3, 0, 0, 0, 1]), telemetry: { reward: 1.5 }, realTimeFactor: 1 };

describe('snapshot wire framing', () => {
  it('round-trips poses, scalars and plain overlay data', () => {
    expect(decodeSnapshot(encodeSnapshot(base))).toEqual(base);
    const s = { ...base, overlays: { highlight: [3, 4], ghostPath: [0, 1, 2, 3, 4, 5] } };
    expect(decodeSnapshot(encodeSnapshot(s))).toEqual(s);
  });

  it("carries overlays' typed arrays (a population's per-robot arrays) as binary, whatever their lengths", () => {
    const population: PopulationFrame = {
      columns: ['mass.torso', 'friction.*'],
      params: Float32Array.from([3.5, 1, 4.25, 2, 8, 1.5]),
      returns: Float32Array.from([10, 20.5, -1]),
      alive: Uint8Array.from([1, 0, 1]),
      policy: 'learned:epopt',
      adaptation: null,
    };
    const s: SimSnapshot = { ...base, poses: new Float32Array(3 * 4 * 7).map((_, i) => i / 7), overlays: { population, trail: Float64Array.from([1, 2, 3]), highlight: [1] } };
    const buf = encodeSnapshot(s);
    const d = decodeSnapshot(buf);
    expect(d.poses).toEqual(s.poses);
    expect(d.overlays).toEqual(s.overlays);
    expect((d.overlays!.population as PopulationFrame).alive).toBeInstanceOf(Uint8Array);
    // binary, not JSON: the frame is the arrays' bytes plus a small header
    expect(buf.byteLength).toBeLessThan(s.poses.byteLength + 6 * 4 + 3 * 4 + 4 + 24 + 500);
  });
});
