/** One Content-Security-Policy for both shells; `connect` adds the WebSocket origin in the browser shell. */
export function contentSecurityPolicy(connect = ''): string {
  return [
    "default-src 'self'",
    // wasm-unsafe-eval: tfjs/mediabunny may compile WebAssembly in the renderer; no JS eval.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    `connect-src 'self' ${connect}`.trim(),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
