import { describe, expect, it } from 'vitest';
import type { TrainerField } from '../../../shared/contract';
import { changedKeys, controlOf, initialValues, toConfig } from './trainer-form';

// Fields as 'trainers.list' sends them (the shapes configFields gives for zod schemas).
const fields: TrainerField[] = [
  { key: 'numEnvs', type: 'number', isInt: true, min: 1, max: 64, defaultValue: 8, description: 'parallel envs' },
  { key: 'lr', type: 'number', min: 0, max: 1, defaultValue: 3e-4 },
  { key: 'annealLr', type: 'boolean', defaultValue: true },
  { key: 'activation', type: 'enum', values: ['tanh', 'relu'], defaultValue: 'tanh' },
  { key: 'hidden', type: 'array', elementType: 'number', isInt: true, min: 1, defaultValue: [64, 64] },
  { key: 'data', type: 'string', description: 'a data.json path' },
  { key: 'planner', type: 'string', defaultValue: 'mppi' },
  { key: 'learnInnerLr', type: 'boolean' },
  { key: 'preset', type: 'enum', values: ['demo', 'paper'] },
  { key: 'past', type: 'optional' },
  { key: 'future', type: 'number', isInt: true, optional: true },
];

describe('the generated training form', () => {
  it('gives each kind of field its control', () => {
    expect(controlOf(fields[0])).toEqual({ kind: 'number', min: 1, max: 64, step: 1, placeholder: '' });
    expect(controlOf(fields[1])).toMatchObject({ kind: 'number', step: 'any' });
    expect(controlOf(fields[2])).toEqual({ kind: 'checkbox' });
    expect(controlOf(fields[3])).toEqual({ kind: 'select', choices: ['tanh', 'relu'], unset: false });
    expect(controlOf(fields[4])).toMatchObject({ kind: 'text', placeholder: 'e.g. 64,64' });
    expect(controlOf(fields[5])).toMatchObject({ kind: 'text' });
    // a boolean or enum without a default may be left to the trainer
    expect(controlOf(fields[7])).toEqual({ kind: 'select', choices: ['true', 'false'], unset: true });
    expect(controlOf(fields[8])).toMatchObject({ kind: 'select', unset: true });
    expect(controlOf(fields[9])).toMatchObject({ kind: 'text' });
    expect(controlOf(fields[10])).toMatchObject({ kind: 'number', step: 1, placeholder: 'default' });
  });

  it('prefills the defaults and sends them back as the config', () => {
    const v = initialValues(fields);
    expect(v).toMatchObject({ numEnvs: 8, annealLr: true, activation: 'tanh', hidden: '64,64', data: '', learnInnerLr: '' });
    expect(changedKeys(fields, v)).toEqual([]);
    expect(toConfig(fields, v)).toEqual({ config: { numEnvs: 8, lr: 3e-4, annealLr: true, activation: 'tanh', hidden: [64, 64], planner: 'mppi' } });
  });

  it('reads edited values in their types, and leaves empty optional ones out', () => {
    const v = { ...initialValues(fields), numEnvs: '4', annealLr: false, hidden: ' 32, 16 ', data: 'runs/x/data.json', learnInnerLr: 'false', preset: 'paper', past: '16' };
    expect(changedKeys(fields, v)).toEqual(['numEnvs', 'annealLr', 'hidden', 'data', 'learnInnerLr', 'preset', 'past']);
    // an optional number left empty is left out; filled in, it is sent
    expect(toConfig([fields[10]], { future: '' })).toEqual({ config: {} });
    expect(toConfig([fields[10]], { future: 8 })).toEqual({ config: { future: 8 } });
    expect(toConfig(fields, v)).toEqual({
      config: { numEnvs: 4, lr: 3e-4, annealLr: false, activation: 'tanh', hidden: [32, 16], data: 'runs/x/data.json', planner: 'mppi', learnInnerLr: false, preset: 'paper', past: 16 },
    });
    // a field of a kind the form does not know: lists of numbers and text pass as such
    expect(toConfig([fields[9]], { past: '128,128' })).toEqual({ config: { past: [128, 128] } });
    expect(toConfig([fields[9]], { past: 'mppi:128:8' })).toEqual({ config: { past: 'mppi:128:8' } });
  });

  it('names the option it cannot read', () => {
    expect(toConfig(fields, { ...initialValues(fields), numEnvs: '' })).toEqual({ error: 'numEnvs: enter a number' });
    expect(toConfig(fields, { ...initialValues(fields), lr: 'fast' })).toEqual({ error: 'lr: "fast" is not a number' });
    expect(toConfig(fields, { ...initialValues(fields), hidden: '64,x' })).toEqual({ error: 'hidden: "x" is not a number (give a list like 64,64)' });
  });
});
