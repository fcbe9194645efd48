/**
 * Ant-v0 as a model-based meta-RL task family (GrBAL's ant): torso x, y in the observation
 * (includeXY, so the imagined forward reward is exact and the ghost path has positions), legs 0-2
 * crippled (actuators zeroed, lower segment shrunk) or intact for meta-training, leg 3 held out.
 * Importing this module registers 'Ant-v0' for {@link resolveTask}.
 */
import { makeEnv } from '../../physics/envs/registry.js';
import type { AntConfig } from '../../physics/envs/ant.js';
import type { Fault } from '../../physics/envs/types.js';
import { registerMbTask } from './envs.js';
import type { MbEnv, MbFault, MbTaskSpec } from './types.js';

/** Obs layout with includeXY: 0 x, 1 y, 2 z, 3-6 torso quat (w, x, y, z), 7-14 joints, 15-17 lin vel, 18-20 ang vel, 21-28 joint vel. */
export const ANT_POSITION_INDICES: [number, number, number] = [0, 1, 2];

export const cripple = (leg: number): MbFault => ({ kind: 'cripple', leg, shrink: true });

/**
 * GrBAL's ant reward weights the control cost 100x less than Gymnasium's (0.5 x 1e-2 |a|^2): with
 * Gymnasium's 0.5 |a|^2 an MPC in imagination prefers standing still to walking.
 */
export const ANT_MB_CONFIG: AntConfig = { includeXY: true, ctrlCostWeight: 0.005 };

/**
 * The env config model-based meta-RL runs Ant-v0 with (ANT_MB_CONFIG + overrides); `episodic:
 * false` drops the healthy-height termination (evaluation and the Adaptation view).
 */
export function antMbEnvConfig(o: { episodic?: boolean } = {}, config: AntConfig = {}): AntConfig {
  const cfg: AntConfig = { ...ANT_MB_CONFIG, ...config };
  return o.episodic === false ? { ...cfg, terminateWhenUnhealthy: false } : cfg;
}

export function antTaskSpec(config: AntConfig = {}): MbTaskSpec {
  return {
    id: 'Ant-v0',
    make: async (o) => {
      const env = await makeEnv('Ant-v0', antMbEnvConfig(o, config));
      return {
        id: env.id,
        observationSize: env.observationSize,
        actionSize: env.actionSize,
        dt: env.dt,
        maxEpisodeSteps: env.maxEpisodeSteps,
        reset: (o) => env.reset(o),
        step: (a) => env.step(a),
        applyFault: (f) => env.applyFault(f as Fault),
        rewardFromTransition: (o, a, n, out) => env.rewardFromTransition(o, a, n, out),
        dispose: () => env.dispose(),
      } satisfies MbEnv;
    },
    trainFaults: [null, cripple(0), cripple(1), cripple(2)],
    testFault: cripple(3),
    positionIndices: ANT_POSITION_INDICES,
    excludeInputDims: [0, 1],
    episodeSteps: antMbEnvConfig({}, config).maxEpisodeSteps ?? 1000,
  };
}

registerMbTask('Ant-v0', () => antTaskSpec());
