/**
 * Domain randomization as a scene control (kind 'drTerms'): the schema its value (a list of DR
 * terms) is checked against, and what the renderer's DR panel needs to edit them (SceneInfo.dr).
 * Env scenes and population scenes declare the same control.
 */
import { z } from 'zod';
import type { SceneInfo } from '../../shared/contract';
import type { ControlDecl } from '../../shared/scene-decl';
import { termProblem, type DRTerm, type PhysParams } from '../../shared/dr-terms';
import { drTermSchema } from '../../shared/env-config';
import { ENV_SPECS } from '../../physics/envs/registry';
import type { EnvId } from '../../physics/envs/types';

// the schema lives with the contract: env configs (pair files) hold DR terms too
export { drTermSchema };

/** The control's value: the whole list of terms (empty: no randomization). */
export const drTermsSchema = z.array(drTermSchema).max(64);

export function drTermsControl(id: string, label: string): ControlDecl {
  return { id, kind: 'drTerms', label, hint: 'terms on the nominal parameters; Apply sends them all and restarts the episode' };
}

/** What the panel edits: every nominal parameter, the env's suggested terms, those in effect at open. */
export function drInfo(id: EnvId, nominal: PhysParams, active: DRTerm[]): NonNullable<SceneInfo['dr']> {
  return { nominal, suggested: ENV_SPECS[id].randomizers, active };
}

/** Throws the reasons terms cannot be sampled on these parameters (none: returns them). */
export function checkTerms(terms: DRTerm[], nominal: PhysParams): DRTerm[] {
  const problems = terms.map((t) => termProblem(t, nominal)).filter((p) => p !== null);
  if (problems.length) throw new Error(problems.join('; '));
  return terms;
}
