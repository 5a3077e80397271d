/**
 * Forked children of a launched program, each becoming a debug session of
 * its own (docs/debug-protocol.md, "Children").
 *
 * A followed child connects to this port (127.0.0.1, any free port, open
 * only while its launch session lives) and sends its runtime's `hello` with
 * `child: {pid, parentPid, startedBy}`. The port holds that connection and announces
 * it with a one-time token; the child session (started by the client on the
 * `startDebugging` request) connects here too, sends `{"type": "claim",
 * "token": …}`, and from then on the two sockets are joined byte for byte:
 * the child session and the child runtime do the usual mutual handshake with
 * the session's secret through the join. Nothing but a pid is read before
 * that proof; an unknown token, junk, a frame over 4 KiB or 10 s of silence
 * closes the connection.
 */
import { randomBytes } from 'crypto';
import * as net from 'net';
import { FrameReader, KIND_JSON } from './framing';
import { TypedEmitter } from './typed-emitter';

const PREAUTH_MAX = 4096;
const FIRST_FRAME_TIMEOUT_MS = 10_000;
/** How long an announced child waits for its session to claim it. */
const CLAIM_TIMEOUT_MS = 30_000;

export interface ChildArrival {
  readonly token: string;
  readonly pid: number;
  readonly parentPid: number;
  /** How it came to be: forked from its parent, or a new Python its parent started. */
  readonly startedBy: 'fork' | 'spawn';
}

interface Waiting {
  readonly socket: net.Socket;
  /** What the child sent so far (its hello), for its session. */
  readonly bytes: Buffer;
  readonly timer: NodeJS.Timeout;
}

export class ChildPort extends TypedEmitter<{ child: ChildArrival }> {
  private readonly waiting = new Map<string, Waiting>();
  private readonly sockets = new Set<net.Socket>();
  private closed = false;

  private constructor(private readonly server: net.Server) {
    super();
    server.on('connection', (socket) => this.accept(socket));
  }

  static open(): Promise<ChildPort> {
    return new Promise((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve(new ChildPort(server));
      });
    });
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** No child is announced or joined after this; joined ones are cut. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    this.waiting.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** The child announced with this token will not be debugged: it runs on unfollowed. */
  refuse(token: string): void {
    const w = this.waiting.get(token);
    if (w === undefined) return;
    this.waiting.delete(token);
    clearTimeout(w.timer);
    w.socket.destroy();
  }

  private accept(socket: net.Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const reader = new FrameReader();
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => socket.destroy(), FIRST_FRAME_TIMEOUT_MS);
    const onData = (data: Buffer): void => {
      chunks.push(data);
      size += data.length;
      let first;
      try {
        first = reader.push(data)[0];
      } catch {
        socket.destroy();
        return;
      }
      if (first === undefined) {
        if (size > PREAUTH_MAX) socket.destroy();
        return;
      }
      clearTimeout(timer);
      socket.off('data', onData);
      socket.pause();
      const message = first.kind === KIND_JSON && first.payload.length <= PREAUTH_MAX ? parse(first.payload) : null;
      if (message === null) socket.destroy();
      else this.first(socket, message, Buffer.concat(chunks, size));
    };
    socket.on('data', onData);
  }

  private first(socket: net.Socket, message: Record<string, unknown>, bytes: Buffer): void {
    const child = message['child'] as Record<string, unknown> | undefined;
    if (message['type'] === 'hello' && typeof child === 'object' && child !== null &&
        Number.isInteger(child['pid']) && Number.isInteger(child['parentPid'])) {
      const token = randomBytes(16).toString('hex');
      const timer = setTimeout(() => this.refuse(token), CLAIM_TIMEOUT_MS);
      this.waiting.set(token, { socket, bytes, timer });
      const startedBy = child['startedBy'] === 'spawn' ? 'spawn' : 'fork';
      this.emit('child', { token, pid: child['pid'] as number, parentPid: child['parentPid'] as number, startedBy });
      return;
    }
    const token = message['token'];
    const w = message['type'] === 'claim' && typeof token === 'string' ? this.waiting.get(token) : undefined;
    if (w === undefined) {
      socket.destroy();
      return;
    }
    this.waiting.delete(token as string);
    clearTimeout(w.timer);
    // Bytes after the claim frame belong to the session's side of the join.
    const claimLength = 5 + bytes.readUInt32BE(1);
    socket.write(w.bytes);
    if (bytes.length > claimLength) w.socket.write(bytes.subarray(claimLength));
    w.socket.pipe(socket);
    socket.pipe(w.socket);
    w.socket.on('close', () => socket.destroy());
    socket.on('close', () => w.socket.destroy());
    socket.resume();
    w.socket.resume();
  }
}

function parse(payload: Uint8Array): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The first frame a child session sends to the port: which child it takes. */
export function claimFrame(token: string): Record<string, string> {
  return { type: 'claim', token };
}
