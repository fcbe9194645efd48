/**
 * The recorder's overlay: event labels that fire at the same moment (adaptation on and the twin
 * shown, both at t = 0) are stacked, not drawn over each other.
 */
import { expect, test } from 'vitest';
import { drawOverlay, type OverlayInput } from './overlay';

/** A 2D context that records the text it is asked to draw; every other call is a no-op. */
function recordingContext(): { ctx: CanvasRenderingContext2D; texts: { text: string; x: number; y: number }[] } {
  const texts: { text: string; x: number; y: number }[] = [];
  const noop = () => gradient;
  const gradient = { addColorStop: () => {} };
  const ctx = new Proxy({} as Record<string | symbol, unknown>, {
    get: (target, key) => {
      if (key === 'fillText') return (text: string, x: number, y: number) => texts.push({ text, x, y });
      if (key === 'measureText') return (text: string) => ({ width: 7 * text.length });
      return key in target ? target[key] : noop;
    },
    set: (target, key, value) => ((target[key] = value), true),
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, texts };
}

test('event labels at the same moment go on separate rows', () => {
  const { ctx, texts } = recordingContext();
  const input: OverlayInput = {
    title: 't', method: 'grbal', env: 'adapt-ant', seed: 0, time: 8, frame: 240, frames: 600, duration: 20, sparkKey: 'lateral_error',
    samples: [{ t: 0, v: 0 }, { t: 8, v: 1 }],
    fired: [{ at: 0, action: 'adaptation', on: true }, { at: 0, action: 'twin', on: true }, { at: 4, action: 'breakLeg', leg: 3 }],
    actions: ['adaptation', 'twin', 'breakLeg'],
  };
  drawOverlay(ctx, 1280, 720, input);
  // the last drawn: the legend names 'adaptation on' too, before the markers
  const at = (text: string) => texts.findLast((t) => t.text === text)!;
  const on = at('adaptation on');
  const twin = at('unadapted twin shown');
  expect(on.x).toBe(twin.x);
  expect(twin.y).toBeGreaterThan(on.y);
  // a label with room beside the earlier ones stays on the first row
  expect(at('leg 3 broken').y).toBe(on.y);
});
