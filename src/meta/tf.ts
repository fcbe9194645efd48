/**
 * The one place src/meta imports TensorFlow.js from, so every module shares one engine instance.
 * Native backends (tfjs-node, tfjs-node-gpu) register themselves into this same engine when
 * loaded by {@link initBackend} in ./backend.ts.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Scalar = tf.Scalar;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
