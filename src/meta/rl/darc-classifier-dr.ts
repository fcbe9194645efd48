/**
 * DARC's reward correction from the domain classifiers' logits, free of TensorFlow so that both the
 * trainer (./darc-classifier.ts) and the readers of a shipped run's classifiers
 * (./darc-classifier-file.ts, the DARC view in the sim worker) use this one function.
 */

/**
 * dr = log q(t|s,a,s') - log q(s|s,a,s') - log q(t|s,a) + log q(s|s,a) per row, from 2-class
 * logits [n, 2] (row-major, class 0 = source, 1 = target). With a softmax over two classes
 * log q(t) - log q(s) is the logit difference (the normalizer cancels), so this is
 * (sas[1] - sas[0]) - (sa[1] - sa[0]).
 */
export function deltaReward<T extends Float32Array | Float64Array = Float32Array>(
  saLogits: ArrayLike<number>,
  sasLogits: ArrayLike<number>,
  out: T = new Float32Array(saLogits.length / 2) as T,
): T {
  for (let i = 0; i < out.length; i++) out[i] = sasLogits[2 * i + 1] - sasLogits[2 * i] - (saLogits[2 * i + 1] - saLogits[2 * i]);
  return out;
}
