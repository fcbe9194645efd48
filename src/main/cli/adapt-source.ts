/**
 * `adaptlab adapt-source`: EPOpt's source-distribution adaptation (src/meta/source-posterior.ts).
 * A few episodes of the policy on a target whose parameters the command knows but the update does
 * not see; the prior (the env's suggested DR terms, or --prior FILE) is updated from them and the
 * posterior is printed (--json: one line) and written as DR terms (--out FILE), which
 * `adaptlab train epopt --terms FILE --init-from RUN` continues training on.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ENV_SPECS, isEnvId, makeEnv } from '../../physics/envs/registry';
import { termProblem, type DRTerm, type PhysParams } from '../../shared/dr-terms';
import { loadTermsFile } from '../../meta/terms-file';
import { boolFlag, flag, intFlag, numFlag, UsageError, type FlagTable, type ParsedArgs } from './flags';
import { ensureWritableDir } from './args';
import { loadPolicyArg } from './policy-arg';

export const ADAPT_SOURCE_USAGE =
  'adaptlab adapt-source --policy FILE --env ID --target KEY=V[,KEY=V...] [--prior TERMS.json] [--episodes K] [--steps T] [--particles M] [--accept F] [--rounds R] [--horizon H] [--seed S] [--out TERMS.json] [--json]';

export const ADAPT_SOURCE_FLAGS: FlagTable = {
  policy: { kind: 'string', hint: 'FILE', help: 'the policy that runs on the target (a policy file)' },
  env: { kind: 'string', values: () => Object.keys(ENV_SPECS), help: "physics env (default: the policy's own)" },
  target: { kind: 'string', hint: 'KEY=V,...', help: "the hidden target's parameters, e.g. mass.torso=8,damping.*=3 (KEY.* sets every KEY.x)" },
  prior: { kind: 'string', hint: 'TERMS.json', help: "the prior as DR terms (a JSON array; default: the env's suggested randomizers)" },
  episodes: { kind: 'int', min: 1, max: 100, help: 'target episodes (default 3)' },
  steps: { kind: 'int', min: 1, max: 10_000, help: 'steps per target episode at most (default 200)' },
  particles: { kind: 'int', min: 2, max: 100_000, help: 'particles per round (default 100)' },
  accept: { kind: 'number', help: 'fraction of particles kept per round (default 0.2)' },
  rounds: { kind: 'int', min: 1, max: 100, help: 'rounds; each draws from the fit to the last one (default 3)' },
  horizon: { kind: 'int', min: 1, max: 10_000, help: 'steps of each target episode replayed open loop (default 30)' },
  seed: { kind: 'int', min: 0, max: 2 ** 31 - 1, help: 'seed of the draws; target episodes use seed 1000000 + k (default 0)' },
  out: { kind: 'string', hint: 'TERMS.json', help: 'write the posterior as DR terms' },
  json: { kind: 'boolean', help: 'one JSON line' },
};

/** `mass.torso=8,damping.*=3` against the env's parameters: every key known, every value finite. */
export function parseTarget(text: string, nominal: PhysParams): PhysParams {
  const out: PhysParams = {};
  for (const part of text.split(',').filter((s) => s.trim())) {
    const m = /^\s*([\w.*-]+)\s*=\s*(\S+)\s*$/.exec(part);
    if (!m) throw new UsageError(`--target: "${part}" is not KEY=VALUE`);
    const value = Number(m[2]);
    if (!Number.isFinite(value)) throw new UsageError(`--target ${m[1]}: "${m[2]}" is not a number`);
    const keys = m[1].endsWith('.*') ? Object.keys(nominal).filter((k) => k.startsWith(m[1].slice(0, -1))) : [m[1]].filter((k) => k in nominal);
    if (!keys.length) throw new UsageError(`--target ${m[1]}: no such parameter (the env has: ${Object.keys(nominal).sort().join(', ')})`);
    for (const k of keys) out[k] = value;
  }
  if (!Object.keys(out).length) throw new UsageError('--target: give at least one KEY=VALUE');
  return out;
}

function readTerms(file: string, nominal: PhysParams): DRTerm[] {
  let terms: DRTerm[];
  try {
    terms = loadTermsFile(file, 'prior');
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (!terms.length) throw new UsageError(`--prior ${file}: an empty list of DR terms (the prior needs at least one)`);
  terms.forEach((t, i) => {
    const problem = termProblem(t, nominal);
    if (problem) throw new UsageError(`--prior ${file}: term ${i}: ${problem}`);
  });
  return terms;
}

export async function adaptSourceCommand(args: ParsedArgs): Promise<number> {
  const file = flag(args, 'policy');
  if (!file) throw new UsageError('give --policy FILE');
  const policy = await loadPolicyArg(file);
  if (typeof policy === 'string') throw new UsageError(`--policy ${file}: adapt-source runs a learned policy file on the target`);
  const envId = flag(args, 'env') ?? policy.env;
  if (!isEnvId(envId)) throw new UsageError(`--env ${envId}: adapt-source runs on a physics env (${Object.keys(ENV_SPECS).join(', ')})`);
  const targetText = flag(args, 'target');
  if (!targetText) throw new UsageError('give --target KEY=VALUE,... (the hidden parameters of the target)');
  const accept = numFlag(args, 'accept') ?? 0.2;
  if (!(accept > 0 && accept <= 1)) throw new UsageError(`--accept ${accept}: a fraction in (0, 1]`);
  const out = flag(args, 'out');
  if (out) ensureWritableDir(resolve(out, '..'), 'out');

  const env = await makeEnv(envId);
  const nominal = env.nominalParams();
  env.dispose();
  const target = parseTarget(targetText, nominal);
  const priorFile = flag(args, 'prior');
  const prior = priorFile ? readTerms(priorFile, nominal) : ENV_SPECS[envId].randomizers;
  const opts = {
    episodes: intFlag(args, 'episodes', 3),
    steps: intFlag(args, 'steps', 200),
    particles: intFlag(args, 'particles', 100),
    accept,
    rounds: intFlag(args, 'rounds', 3),
    horizon: intFlag(args, 'horizon', 30),
    seed: intFlag(args, 'seed', 0),
  };
  const { adaptSource } = await import('../../meta/source-posterior');
  const t0 = Date.now();
  const r = await adaptSource(envId, policy, prior, target, { ...opts, targetSeed: 1_000_000 });
  const params = r.params.map((p) => ({ key: p.label, truth: target[p.key] ?? nominal[p.key], prior: p.prior, posterior: p.posterior }));
  if (out) writeFileSync(out, JSON.stringify(r.terms, null, 2) + '\n');
  if (boolFlag(args, 'json')) {
    const line = { env: envId, target, ...opts, targetSteps: r.trajectories.map((t) => t.steps), params, rounds: r.rounds.map((x) => x.threshold), seconds: (Date.now() - t0) / 1000 };
    console.log(JSON.stringify(line));
  } else {
    console.log(`${envId}: ${opts.episodes} target episodes (${r.trajectories.map((t) => t.steps).join(', ')} steps), ${opts.rounds} rounds of ${opts.particles} particles, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const p of params)
      console.log(`  ${p.key.padEnd(16)} truth ${p.truth.toFixed(3).padStart(7)}   prior ${p.prior.mean.toFixed(3)} ± ${p.prior.std.toFixed(3)}   posterior ${p.posterior.mean.toFixed(3)} ± ${p.posterior.std.toFixed(3)}`);
    if (out) console.log(`posterior DR terms written to ${out}`);
  }
  return 0;
}
