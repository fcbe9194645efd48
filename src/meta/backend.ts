/**
 * Backend choice: tfjs-node-gpu -> tfjs-node -> wasm (SIMD) -> cpu, the first that loads.
 *
 * Override with the `backend` argument, or the ADAPTLAB_BACKEND environment variable
 * (`tensorflow` for the native bindings, `wasm`, `cpu`; `node-gpu`/`node` are accepted aliases).
 * An explicit choice that fails to load throws instead of silently falling back.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { tf } from './tf.js';

export type BackendPreference = 'auto' | 'tensorflow' | 'node-gpu' | 'node' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** The tfjs backend name now active: 'tensorflow' (tfjs-node[-gpu]), 'wasm' or 'cpu'. */
  backend: string;
  /** Human-readable: 'tfjs-node-gpu', 'tfjs-node', 'wasm-simd', 'wasm', 'cpu'. */
  name: string;
  /** Backends tried before this one and why they failed (for logs). */
  tried: { name: string; error: string }[];
}

let current: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;
let pendingPref: string | null = null;

function errMsg(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

async function tryNative(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<string> {
  // Dynamic import through a variable so bundlers and tsc do not require the optional package.
  const spec: string = pkg;
  await import(/* @vite-ignore */ spec);
  if (!tf.findBackend('tensorflow')) throw new Error(`${pkg} loaded but registered no 'tensorflow' backend`);
  const ok = await tf.setBackend('tensorflow');
  if (!ok) throw new Error(`setBackend('tensorflow') failed`);
  await tf.ready();
  return pkg === '@tensorflow/tfjs-node-gpu' ? 'tfjs-node-gpu' : 'tfjs-node';
}

async function tryWasm(): Promise<string> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const isNode = typeof process !== 'undefined' && !!process.versions?.node;
  if (isNode) {
    // In Node the .wasm binaries must be found on disk: point at the package's dist folder.
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    wasm.setWasmPaths(path.join(dir, 'dist') + path.sep);
  }
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error(`setBackend('wasm') failed`);
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return simd ? 'wasm-simd' : 'wasm';
}

async function tryCpu(): Promise<string> {
  const ok = await tf.setBackend('cpu');
  if (!ok) throw new Error(`setBackend('cpu') failed`);
  await tf.ready();
  return 'cpu';
}

function normalize(pref: string | undefined): BackendPreference {
  const p = (pref ?? 'auto').trim().toLowerCase();
  if (p === '' || p === 'auto') return 'auto';
  if (p === 'tensorflow' || p === 'tfjs-node' || p === 'node') return p === 'tfjs-node' ? 'node' : (p as BackendPreference);
  if (p === 'node-gpu' || p === 'tfjs-node-gpu' || p === 'gpu') return 'node-gpu';
  if (p === 'wasm' || p === 'wasm-simd') return 'wasm';
  if (p === 'cpu') return 'cpu';
  throw new Error(`unknown backend '${pref}' (expected auto, node-gpu, node, tensorflow, wasm, cpu)`);
}

/**
 * Selects and initializes the learning backend. Idempotent: a second call with the same (or no)
 * preference returns the first result; a different explicit preference switches backend.
 *
 * @param pref explicit choice; defaults to process.env.ADAPTLAB_BACKEND, then 'auto'.
 */
export async function initBackend(pref?: BackendPreference | string): Promise<BackendInfo> {
  const envPref = typeof process !== 'undefined' ? process.env.ADAPTLAB_BACKEND : undefined;
  const choice = normalize(pref ?? envPref);
  if (current && (choice === 'auto' || pendingPref === choice)) return current;
  if (pending && pendingPref === choice) return pending;
  pendingPref = choice;
  pending = (async () => {
    // Silence tfjs's "install tfjs-node" banner and skip debug-only checks.
    tf.env().set('PROD', true);
    const candidates: { name: string; load: () => Promise<string> }[] = [];
    if (choice === 'auto' || choice === 'node-gpu' || choice === 'tensorflow')
      candidates.push({ name: 'tfjs-node-gpu', load: () => tryNative('@tensorflow/tfjs-node-gpu') });
    if (choice === 'auto' || choice === 'node' || choice === 'tensorflow')
      candidates.push({ name: 'tfjs-node', load: () => tryNative('@tensorflow/tfjs-node') });
    if (choice === 'auto' || choice === 'wasm') candidates.push({ name: 'wasm', load: tryWasm });
    if (choice === 'auto' || choice === 'cpu') candidates.push({ name: 'cpu', load: tryCpu });
    const tried: { name: string; error: string }[] = [];
    for (const c of candidates) {
      try {
        const name = await c.load();
        current = { backend: tf.getBackend(), name, tried };
        return current;
      } catch (e) {
        tried.push({ name: c.name, error: errMsg(e) });
      }
    }
    pending = null;
    throw new Error(`no backend could be loaded for '${choice}': ${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}`);
  })();
  return pending;
}

/** The active backend's info, or null before {@link initBackend}. */
export function backendInfo(): BackendInfo | null {
  return current;
}

/** Parses `--backend X` / `--backend=X` from argv (for CLIs); undefined if absent. */
export function backendFromArgv(argv: readonly string[] = process.argv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--backend') return argv[i + 1];
    if (a.startsWith('--backend=')) return a.slice('--backend='.length);
  }
  return undefined;
}
