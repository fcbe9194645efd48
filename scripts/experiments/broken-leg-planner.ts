// The broken-leg protocol (8 seeds x 5 episodes, paired against MB) with the preset's planner
// changed: how the comparison depends on MPPI's temperature. Prints one JSON line, as
// `eval-adapt --preset ant-broken-leg --json` does, and a line per episode on stderr.
// npx tsx scripts/experiments/broken-leg-planner.ts --temperature 2 [--at 0] [--methods oracle,grbal,mb]
import { evalBrokenLeg } from '../../src/meta/mbrl/eval-broken-leg.js';
import type { EvalMethod } from '../../src/meta/mbrl/eval.js';
import { flag, numArg } from '../lib/args.js';

const temperature = numArg('temperature', 1);
const res = await evalBrokenLeg({
  at: numArg('at', 0),
  methods: (flag('methods') ?? 'oracle,grbal,mb').split(',') as EvalMethod[],
  planner: { temperature },
  onEpisode: (e) => console.error(JSON.stringify(e)),
});
console.log(JSON.stringify(res));
