/**
 * Raw WebSocket frames, written byte by byte, for testing what a server does with frames that a
 * well-behaved client library would never send (used by the server test and the soak script).
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { WS_PATH } from '../../src/shared/channels';

export interface FrameSpec {
  opcode?: number;
  fin?: boolean;
  rsv?: number; // 0..7, bits RSV1..RSV3
  masked?: boolean;
  payload?: Buffer;
  /** Length written into the header instead of the payload's (a lie, e.g. 2^62). */
  declaredLength?: bigint;
}

export function frame(spec: FrameSpec): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0);
  const opcode = spec.opcode ?? 1;
  const masked = spec.masked ?? true;
  const len = spec.declaredLength ?? BigInt(payload.length);
  const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  if (len < 126n) head.push(maskBit | Number(len));
  else if (len < 65536n) head.push(maskBit | 126, Number(len >> 8n) & 0xff, Number(len) & 0xff);
  else {
    head.push(maskBit | 127);
    for (let i = 7; i >= 0; i--) head.push(Number((len >> BigInt(8 * i)) & 0xffn));
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(head), key, body]);
}

/** The malformed frames the reliability issue lists: each must cost the sender its socket only. */
export function malformedFrames(maxPayload: number): { name: string; bytes: Buffer }[] {
  const close = (code: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(code);
    return b;
  };
  return [
    { name: 'message over the frame limit', bytes: frame({ payload: Buffer.alloc(maxPayload + 1, 0x61) }) },
    { name: 'RSV1 set without an extension', bytes: frame({ rsv: 4, payload: Buffer.from('{}') }) },
    { name: 'unmasked client frame', bytes: frame({ masked: false, payload: Buffer.from('{}') }) },
    { name: 'reserved opcode 3', bytes: frame({ opcode: 3, payload: Buffer.from('x') }) },
    { name: 'invalid UTF-8 in a text frame', bytes: frame({ payload: Buffer.from([0xc3, 0x28, 0xff, 0xfe]) }) },
    { name: 'declared length 2^62', bytes: frame({ declaredLength: 2n ** 62n, payload: Buffer.alloc(16) }) },
    { name: 'close code 999', bytes: frame({ opcode: 8, payload: close(999) }) },
    { name: 'fragmented control frame', bytes: frame({ opcode: 9, fin: false, payload: Buffer.from('p') }) },
    { name: 'continuation without a start', bytes: frame({ opcode: 0, payload: Buffer.from('x') }) },
  ];
}

/** Opens a socket, completes the WebSocket handshake, resolves once the server said 101. */
export function rawUpgrade(port: number, token: string, path = WS_PATH): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('no handshake answer in 5 s'));
    }, 5000);
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('data', function onData(d) {
      got += d.toString('latin1');
      if (!got.includes('\r\n\r\n')) return;
      clearTimeout(timer);
      sock.off('data', onData);
      if (got.startsWith('HTTP/1.1 101')) resolve(sock);
      else {
        sock.destroy();
        reject(new Error(`handshake refused: ${got.split('\r\n')[0]}`));
      }
    });
    sock.write(
      [
        `GET ${path}?token=${encodeURIComponent(token)} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        `Origin: http://127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
  });
}

/** Resolves when the server closes the socket (or after `ms`, with false). */
export function closedWithin(sock: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (sock.destroyed) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    sock.on('close', () => {
      clearTimeout(t);
      resolve(true);
    });
    sock.on('error', () => undefined);
    sock.resume();
  });
}
