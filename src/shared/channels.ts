/**
 * The only place transport channel names live (IPC channels, WebSocket paths, HTTP routes).
 * Lint forbids these strings anywhere else.
 */
export const IPC_INVOKE = 'adaptlab:invoke';
export const IPC_EVENT = 'adaptlab:event';
export const IPC_SUBSCRIBE = 'adaptlab:subscribe';
export const WS_PATH = '/ws';
export const TOKEN_QUERY = 'token';
export const TOKEN_COOKIE = 'adaptlab_token';
export const API_INFO_PATH = '/api/info';
/** Largest WebSocket message the browser shell accepts; every request the contract admits fits in it. */
export const WS_MAX_PAYLOAD = 1024 * 1024;
