/**
 * Learned policies a scene can play: the shipped ones, assets/policies/<env>/<name>.json (made by
 * the README's training commands). Named by id, so a request never carries a file path.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ControlDecl } from '../../shared/scene-decl';
import type { EnvId } from '../../physics/envs/types';
import { scriptedPolicies } from '../../physics/controllers/scripted';
import { assetsDir } from './scenarios';

export interface PolicyEntry {
  id: string;
  label: string;
  file: string;
}

const LABELS: Record<string, string> = {
  ppo: 'PPO',
  sac: 'SAC',
  dr: 'DR (EPOpt, epsilon 1)',
  epopt: 'EPOpt (epsilon 0.1)',
  mass3: 'torso 3 kg only',
  mass6: 'torso 6 kg only',
  mass9: 'torso 9 kg only',
};

/** Shipped policies for an env, PPO first. */
export function listPolicies(envId: string): PolicyEntry[] {
  const dir = join(assetsDir(), 'policies', envId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^[\w.-]+\.json$/.test(f))
    .map((f) => {
      const id = f.slice(0, -5);
      return { id, label: `${LABELS[id] ?? id} (learned)`, file: join(dir, f) };
    })
    .sort((a, b) => (a.id === 'ppo' ? -1 : b.id === 'ppo' ? 1 : a.id.localeCompare(b.id)));
}

export function findPolicy(envId: string, id: string): PolicyEntry {
  const p = listPolicies(envId).find((e) => e.id === id);
  if (!p) throw new Error(`no learned policy "${id}" for ${envId} (shipped: ${listPolicies(envId).map((e) => e.id).join(', ') || 'none'})`);
  return p;
}

/** What a scene plays first: its first shipped learned policy ('learned:<id>'), else the scripted fallback. */
export function defaultPolicy(policies: readonly { id: string }[], fallback: string): string {
  return policies[0] ? `learned:${policies[0].id}` : fallback;
}

/** What an env's scenes play first: its first shipped learned policy, else its first scripted controller. */
export function envDefaultPolicy(id: EnvId): string {
  return defaultPolicy(listPolicies(id), scriptedPolicies(id)[0].id);
}

/** The policy choice of an env's scenes: its shipped learned policies, then the scripted ones that fit it. */
export function policyControl(id: EnvId, hint?: string): ControlDecl {
  return {
    id: 'policy',
    kind: 'select',
    label: 'Policy',
    ...(hint ? { hint } : {}),
    options: [
      ...listPolicies(id).map((p) => ({ value: `learned:${p.id}`, label: p.label })),
      ...scriptedPolicies(id).map((p) => ({ value: p.id, label: p.label })),
    ],
    initial: envDefaultPolicy(id),
  };
}
