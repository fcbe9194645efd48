/**
 * EPOpt's CVaR selection, shared by the trainer (src/meta/rl/epopt.ts: the PPO step on these
 * trajectories only) and the population view (the robots it outlines), so both pick alike.
 */

/**
 * Indices of the worst ceil(epsilon * n) returns (at least one), worst first. Ties keep the lower
 * index first (a stable order); NaN counts as the worst return.
 */
export function selectWorst(returns: ArrayLike<number>, epsilon: number): Int32Array {
  const n = returns.length;
  if (n === 0) return new Int32Array(0);
  if (!(epsilon > 0 && epsilon <= 1)) throw new Error(`epsilon must be in (0, 1], got ${epsilon}`);
  const k = Math.min(n, Math.max(1, Math.ceil(epsilon * n - 1e-9)));
  const key = (i: number) => (Number.isNaN(returns[i]) ? -Infinity : returns[i]);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
  return Int32Array.from(order.slice(0, k));
}
