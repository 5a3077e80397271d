/**
 * The adapter's end of the runtime channel (docs/debug-protocol.md): framed
 * JSON requests with sequence numbers and timeouts, runtime notifications,
 * and the raw trace bytes, over one loopback TCP connection.
 *
 * launch: the runtime's end is a socket pair the adapter's child inherits
 * (launcher.ts), so no port exists for anyone else to reach. attach:
 * RuntimeChannel.connect() dials the runtime's loopback port. Either way the
 * handshake is a mutual proof of the secret (HMAC of both sides' nonces): the
 * secret itself never crosses the connection, and nothing about the program
 * comes before the proofs.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { messageOf } from '../../shared/errors';
import * as net from 'net';
import { AdapterError, AdapterErrorId } from '../errors';
import { FrameReader, FramingError, KIND_JSON, KIND_TRACE, encodeJson } from './framing';
import {
  PROTOCOL_VERSION,
  type HelloNotification,
  type RuntimeGreeting,
  type RuntimeArgs,
  type RuntimeBody,
  type RuntimeNotification,
  type RuntimeRequestType,
  type RuntimeResponse,
} from './protocol';
import { identityOf, parseRuntimeMessage } from './messages';
import { TypedEmitter } from './typed-emitter';

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
/** Requests whose failure is the answer to the user's expression (its exception), shown as it is. */
const EXPRESSION_REQUESTS: ReadonlySet<string> = new Set<RuntimeRequestType>(['evaluate', 'setVariable', 'setExpression', 'completions', 'killGreenlets']);

export interface ChannelEvents {
  notification: RuntimeNotification;
  /** Trace bytes, in order: the trace file's preamble, header and chunks. */
  trace: Buffer;
  /** Something the protocol does not allow; the channel stays open unless the stream is unreadable. */
  violation: string;
  /** The connection ended; `error` says why when it was not a clean close. */
  close: { error: Error | null };
}

type Held = { trace: Buffer } | { notification: RuntimeNotification };

interface Pending {
  readonly type: string;
  readonly resolve: (body: unknown) => void;
  readonly reject: (err: AdapterError) => void;
  readonly timer: NodeJS.Timeout;
}

export class RuntimeChannel extends TypedEmitter<ChannelEvents> {
  private readonly reader = new FrameReader();
  private readonly pending = new Map<number, Pending>();
  private nextSeq = 1;
  private closed = false;
  private helloWaiter: ((hello: RuntimeGreeting | AdapterError) => void) | null = null;
  private hello: RuntimeGreeting | null = null;
  private sawFirstMessage = false;
  private held: Held[] | null = [];

  constructor(private readonly socket: net.Socket) {
    super();
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (err) => this.shutdown(err));
    socket.on('close', () => this.shutdown(null));
  }

  /** attach: connects to the runtime, retrying while nothing listens yet, until the deadline. */
  static async connect(host: string, port: number, timeoutMs: number): Promise<RuntimeChannel> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return new RuntimeChannel(await dial(host, port));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ECONNREFUSED' || Date.now() + 100 > deadline) {
          throw new AdapterError(
            AdapterErrorId.AttachFailed,
            `cannot connect to the Greenlet Lens runtime at ${host}:${port} (${(err as Error).message}). ` +
              `Start the program with "python3 -m greenlet_lens listen --port ${port} app.py" first.`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Whether something accepts connections at host:port (the connection is closed at once, nothing sent). */
  static async listens(host: string, port: number): Promise<boolean> {
    try {
      (await dial(host, port)).destroy();
      return true;
    } catch {
      return false;
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * The handshake: the runtime's `hello` (protocol, nonce) must be its first
   * message; ours carries our nonce and proof; its answer carries its proof,
   * then who it is. `vet` may refuse that identity by throwing. Resolves to it.
   */
  async handshake(secret: string, timeoutMs: number, vet: (hello: HelloNotification) => void = () => undefined): Promise<HelloNotification> {
    const greeting = await this.waitForHello(timeoutMs);
    if (greeting.protocol !== PROTOCOL_VERSION) {
      throw new AdapterError(
        AdapterErrorId.HandshakeFailed,
        `the runtime speaks protocol version ${String(greeting.protocol)}; this adapter speaks version ${PROTOCOL_VERSION}. ` +
          'Use the runtime-instrumentation that comes with this adapter.',
      );
    }
    const nonce = randomBytes(16).toString('hex');
    let body: Record<string, unknown>;
    try {
      body = await this.request('hello', { protocol: PROTOCOL_VERSION, nonce, proof: proofOf(secret, 'adapter', greeting.nonce, nonce) }, timeoutMs);
    } catch (err) {
      const why = messageOf(err);
      throw new AdapterError(AdapterErrorId.HandshakeFailed, `the runtime refused the adapter's hello (${why}); is the secret right?`);
    }
    const expected = Buffer.from(proofOf(secret, 'runtime', nonce, greeting.nonce));
    const given = Buffer.from(typeof body['proof'] === 'string' ? body['proof'] : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AdapterError(
        AdapterErrorId.HandshakeFailed,
        'the process that answered could not prove it knows the secret, so it is not the program meant; nothing more was sent to it',
      );
    }
    const hello = identityOf(greeting.protocol, body);
    vet(hello);
    return hello;
  }

  request<K extends RuntimeRequestType>(type: K, args: RuntimeArgs<K>, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<RuntimeBody<K>> {
    if (this.closed) {
      return Promise.reject(new AdapterError(AdapterErrorId.NotConnected, `cannot send "${type}": the runtime is not connected`));
    }
    const seq = this.nextSeq++;
    return new Promise<RuntimeBody<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new AdapterError(AdapterErrorId.RequestTimeout, `the runtime did not answer "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(seq, { type, resolve: resolve as (body: unknown) => void, reject, timer });
      this.socket.write(encodeJson({ ...args, type, seq }));
    });
  }

  close(): void {
    this.socket.end();
    // A peer that never closes its side must not keep the adapter alive.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private waitForHello(timeoutMs: number): Promise<RuntimeGreeting> {
    if (this.hello !== null) return Promise.resolve(this.hello);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.helloWaiter = null;
        reject(new AdapterError(AdapterErrorId.ConnectTimeout, `the runtime sent no hello within ${timeoutMs} ms`));
      }, timeoutMs);
      this.helloWaiter = (result) => {
        clearTimeout(timer);
        this.helloWaiter = null;
        if (result instanceof AdapterError) reject(result);
        else resolve(result);
      };
    });
  }

  private onData(data: Buffer): void {
    let frames;
    try {
      frames = this.reader.push(data);
    } catch (err) {
      const why = err instanceof FramingError ? err.message : String(err);
      this.emit('violation', `unreadable data from the runtime: ${why}`);
      this.socket.destroy();
      this.shutdown(new AdapterError(AdapterErrorId.ProtocolViolation, why));
      return;
    }
    for (const frame of frames) {
      if (frame.kind === KIND_TRACE) this.deliverOrHold({ trace: frame.payload });
      else if (frame.kind === KIND_JSON) this.onJson(frame.payload);
    }
  }

  /**
   * Starts passing on trace bytes and notifications. Until then they are held,
   * so none is lost between the handshake and the owner's listeners.
   */
  deliver(): void {
    const held = this.held;
    this.held = null;
    for (const item of held ?? []) this.deliverOrHold(item);
  }

  private deliverOrHold(item: Held): void {
    if (this.held !== null) this.held.push(item);
    else if ('trace' in item) this.emit('trace', item.trace);
    else this.emit('notification', item.notification);
  }

  private onJson(payload: Buffer): void {
    const parsed = parseRuntimeMessage(payload);
    if (typeof parsed === 'string') {
      this.emit('violation', parsed);
      return;
    }
    const first = !this.sawFirstMessage;
    this.sawFirstMessage = true;
    if (parsed.type === 'response') {
      this.onResponse(parsed);
      return;
    }
    if (parsed.type === 'hello') {
      if (!first) this.emit('violation', 'the runtime sent a second hello');
      this.hello = parsed;
      this.helloWaiter?.(parsed);
      return;
    }
    if (first) {
      const err = new AdapterError(AdapterErrorId.HandshakeFailed, `the runtime's first message was "${parsed.type}", not "hello"`);
      this.helloWaiter?.(err);
      this.emit('violation', err.message);
    }
    this.deliverOrHold({ notification: parsed });
  }

  private onResponse(r: RuntimeResponse): void {
    const p = this.pending.get(r.request_seq);
    if (p === undefined) {
      this.emit('violation', `the runtime answered request ${r.request_seq}, which is not pending`);
      return;
    }
    this.pending.delete(r.request_seq);
    clearTimeout(p.timer);
    if (r.success) p.resolve(r.body ?? {});
    else if (EXPRESSION_REQUESTS.has(p.type)) p.reject(new AdapterError(AdapterErrorId.EvaluationFailed, r.message ?? 'the runtime gave no reason'));
    else p.reject(new AdapterError(AdapterErrorId.RuntimeRequestFailed, `${p.type}: ${r.message ?? 'the runtime gave no reason'}`));
  }

  private shutdown(error: Error | null): void {
    if (this.closed) return;
    this.closed = true;
    const why = error !== null ? `: ${error.message}` : '';
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new AdapterError(AdapterErrorId.ConnectionLost, `the connection to the runtime closed before it answered "${p.type}"${why}`));
    }
    this.pending.clear();
    this.helloWaiter?.(new AdapterError(AdapterErrorId.HandshakeFailed, `the runtime closed the connection before its hello${why}`));
    this.emit('close', { error });
  }
}

function dial(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** HMAC-SHA256 of "greenlet-lens ROLE FIRST SECOND" keyed with the secret, hex (docs/debug-protocol.md). */
export function proofOf(secret: string, role: 'adapter' | 'runtime', first: string, second: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`greenlet-lens ${role} ${first} ${second}`, 'ascii').digest('hex');
}
