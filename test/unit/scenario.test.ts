import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeEvent, eventCommand, methodCommand, parseScenario, recordingFileName, resolveRecording, scenarioProblems, ScenarioError } from '../../src/shared/scenario';

const base = { title: 'T', env: 'demo-falling', method: 'none', duration: 2 };

describe('scenario schema', () => {
  it('fills defaults', () => {
    const s = parseScenario(base);
    expect(s.seed).toBe(0);
    expect(s.events).toEqual([]);
    expect(s.camera).toEqual({ mode: 'orbit' });
    expect(s.overlay).toEqual({});
  });

  it('rejects unknown fields, unknown actions, odd sizes and late events, naming the field', () => {
    expect(() => parseScenario({ ...base, colour: 1 })).toThrow(ScenarioError);
    expect(() => parseScenario({ ...base, events: [{ at: 1, action: 'explode' }] })).toThrow(/events\.0/);
    expect(() => parseScenario({ ...base, width: 321 })).toThrow(/width: must be even/);
    expect(() => parseScenario({ ...base, events: [{ at: 3, action: 'marker', label: 'x' }] }, 'f.json')).toThrow(
      /f\.json is not a valid scenario:\n {2}events\.0\.at: event at 3 s is after the end/,
    );
    expect(() => parseScenario({ ...base, fps: 120 })).toThrow(/fps/);
  });

  it('resolves options over the scenario over defaults, with frames = duration × fps', () => {
    const s = parseScenario({ ...base, fps: 24, width: 640, height: 360 });
    expect(resolveRecording(s)).toEqual({ width: 640, height: 360, fps: 24, duration: 2, format: 'mp4', frames: 48 });
    expect(resolveRecording(s, { fps: 60, duration: 3, format: 'webm' })).toMatchObject({ fps: 60, frames: 180, format: 'webm' });
    expect(resolveRecording(parseScenario(base))).toMatchObject({ width: 1280, height: 720, fps: 30, frames: 60 });
  });

  it('reports a missing scene and unsupported events clearly', () => {
    const s = parseScenario({ ...base, env: 'Ant-v0', duration: 10, events: [{ at: 4, action: 'breakLeg', leg: 3 }] });
    expect(scenarioProblems(s, [{ id: 'demo-falling' }])).toEqual(['scene Ant-v0 is not available (available: demo-falling)']);
    const d = parseScenario({ ...base, events: [{ at: 1, action: 'breakLeg', leg: 3 }, { at: 1, action: 'marker', label: 'm' }] });
    const problems = scenarioProblems(d, [{ id: 'demo-falling', controls: [] }]);
    expect(problems).toEqual(['scene demo-falling does not support the event "breakLeg" (leg 3 broken at t = 1.0 s): it has no "fault" control']);
    expect(scenarioProblems(d, [{ id: 'demo-falling', controls: [{ id: 'fault' }] }])).toEqual([]);
    expect(scenarioProblems(d, [{ id: 'demo-falling', controls: [{ id: 'fault' }], legs: 2 }])).toEqual([
      'scene demo-falling has 2 legs (0 to 1): cannot break leg 3',
    ]);
  });

  it('maps methods and events to scene commands', () => {
    const g = parseScenario({ ...base, method: 'grbal' });
    expect(methodCommand(g, { id: 'x', controls: [] })).toBeNull();
    const opts = (...v: string[]) => v.map((value) => ({ value }));
    expect(methodCommand(g, { id: 'x', controls: [{ id: 'method', options: opts('grbal', 'mb') }] })).toEqual({ control: 'method', value: 'grbal' });
    const policy = { id: 'policy', options: opts('gait', 'random', 'zero') };
    expect(() => methodCommand(g, { id: 'x', controls: [policy] })).toThrow('scene x cannot run method "grbal" (it offers: gait, random, zero)');
    expect(methodCommand(parseScenario({ ...base, method: 'gait' }), { id: 'x', controls: [policy] })).toEqual({ control: 'policy', value: 'gait' });
    expect(eventCommand({ at: 4, action: 'breakLeg', leg: 3 })).toEqual({ control: 'fault', value: { leg: 3, at: 4 } });
    expect(eventCommand({ at: 0, action: 'adaptation', on: false })).toEqual({ control: 'adaptation', value: false });
    expect(eventCommand({ at: 0, action: 'marker', label: 'x' })).toBeNull();
    expect(eventCommand({ at: 5, action: 'swapPayload', payload_mass: 0.25, cable_length: 1 })).toEqual({ control: 'swap', value: { payload_mass: 0.25, cable_length: 1 } });
    expect(eventCommand({ at: 5, action: 'swapPayload' })).toEqual({ control: 'swap', value: {} });
    expect(eventCommand({ at: 0, action: 'twin', on: true })).toEqual({ control: 'twin', value: true });
    // the twin is adapt-ant's: a scene without the control says so
    const t = parseScenario({ ...base, events: [{ at: 0, action: 'twin', on: true }] });
    expect(scenarioProblems(t, [{ id: 'demo-falling', controls: [] }])).toEqual(['scene demo-falling does not support the event "twin" (unadapted twin shown at t = 0.0 s): it has no "twin" control']);
  });

  it('describes events and names files', () => {
    expect(describeEvent({ at: 4, action: 'breakLeg', leg: 3 })).toBe('leg 3 broken at t = 4.0 s');
    expect(describeEvent({ at: 0, action: 'adaptation', on: true })).toBe('adaptation on at t = 0.0 s');
    expect(describeEvent({ at: 5, action: 'swapPayload', payload_mass: 0.25, cable_length: 1 })).toBe('payload swapped (0.25 kg, 1 m cable) at t = 5.0 s');
    expect(recordingFileName('Ant: a leg breaks!', 'mp4', new Date('2026-01-02T03:04:05Z'))).toBe('ant-a-leg-breaks-20260102-030405.mp4');
  });

  it('every shipped scenario is valid', () => {
    const dir = new URL('../../assets/scenarios/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(expect.arrayContaining(['ant-broken-leg.json', 'demo-falling.json']));
    for (const f of files) parseScenario(JSON.parse(readFileSync(new URL(f, dir), 'utf8')), f);
    const ant = parseScenario(JSON.parse(readFileSync(new URL('ant-broken-leg.json', dir), 'utf8')));
    expect(ant).toMatchObject({ env: 'adapt-ant', method: 'grbal' });
    expect(ant.events).toContainEqual({ at: 4, action: 'breakLeg', leg: 3 });
  });
});
