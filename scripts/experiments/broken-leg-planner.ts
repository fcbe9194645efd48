// The broken-leg protocol (paired against MB) with the preset's planner changed: how the
// comparison depends on MPPI's temperature. Prints one JSON line, as
// `eval-adapt --preset ant-broken-leg --json` does, and a line per episode on stderr.
// --seeds and --episodes replace the protocol's 8 seeds x 5 episodes; `--seeds 101 --episodes 8`
// are the development episodes episodeSeed(101, 0..7), apart from the protocol's, on which
// planner settings were looked at before the protocol was run with them.
// npx tsx scripts/experiments/broken-leg-planner.ts --temperature 2 [--at 0] [--methods oracle,grbal,mb] [--seeds 1,2,...] [--episodes 5]
import { evalBrokenLeg } from '../../src/meta/mbrl/eval-broken-leg.js';
import type { EvalMethod } from '../../src/meta/mbrl/eval.js';
import { flag, numArg } from '../lib/args.js';

const seeds = flag('seeds');
const episodes = flag('episodes');
const res = await evalBrokenLeg({
  at: numArg('at', 0),
  methods: (flag('methods') ?? 'oracle,grbal,mb').split(',') as EvalMethod[],
  planner: { temperature: numArg('temperature', 1) },
  seeds: seeds ? seeds.split(',').map(Number) : undefined,
  episodesPerSeed: episodes ? Number(episodes) : undefined,
  onEpisode: (e) => console.error(JSON.stringify(e)),
});
console.log(JSON.stringify(res));
