/**
 * An in-process stand-in for the Python runtime's end of the channel, for
 * unit tests of the adapter's channel and runtime layer: it listens on
 * loopback, speaks the framing, records what the adapter sends and answers
 * requests through a handler the test supplies.
 */
import * as net from 'node:net';
import { proofOf } from '../../debug-adapter/runtime/channel';
import { FrameReader, KIND_JSON, KIND_TRACE, encodeFrame, encodeJson } from '../../debug-adapter/runtime/framing';

export type Json = Record<string, unknown>;
/** Returns the response body, or an Error to answer success: false, or null to not answer at all. */
export type Handler = (request: Json) => Json | Error | null;

export class FakeRuntime {
  readonly received: Json[] = [];
  handler: Handler = () => ({});
  /** The secret the fake proves it knows when the adapter's hello comes (null: the handler answers it). */
  secret: string | null = null;
  /** Identity fields of the hello answer. */
  identity: Json = { pid: process.pid, python: '3.11.2', gevent: '22.10.2', greenlet: '2.0.2', argv: ['app.py'] };
  readonly nonce = 'f'.repeat(32);
  private socket: net.Socket | null = null;
  private readonly reader = new FrameReader();
  private waiters: { type: string; resolve: (m: Json) => void }[] = [];
  private connectedResolve: (() => void) | null = null;
  readonly connected: Promise<void>;

  private constructor(private readonly server: net.Server, readonly port: number) {
    this.connected = new Promise((resolve) => (this.connectedResolve = resolve));
    server.on('connection', (socket) => {
      this.socket = socket;
      socket.on('data', (data: Buffer) => this.onData(data));
      socket.on('error', () => undefined);
      this.connectedResolve?.();
    });
  }

  static listen(): Promise<FakeRuntime> {
    return new Promise((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => resolve(new FakeRuntime(server, (server.address() as net.AddressInfo).port)));
    });
  }

  /** A connection to an adapter-side server (the launch direction). */
  static async dial(port: number): Promise<FakeRuntime> {
    const socket = net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const fake = await FakeRuntime.listen();
    fake.server.emit('connection', socket);
    return fake;
  }

  sendJson(message: Json): void {
    this.socket!.write(encodeJson(message));
  }

  /** The runtime's greeting (protocol 2, a nonce); the identity comes in the hello's answer. */
  sendHello(extra: Json = {}): void {
    this.sendJson({ type: 'hello', protocol: 2, nonce: this.nonce, ...extra });
  }

  /** The answer a runtime knowing `secret` gives the adapter's hello. */
  helloAnswer(request: Json, secret: string): Json | Error {
    const theirs = String(request['nonce']);
    if (request['proof'] !== proofOf(secret, 'adapter', this.nonce, theirs)) return new Error('wrong secret');
    return { ...this.identity, proof: proofOf(secret, 'runtime', theirs, this.nonce) };
  }

  sendTrace(bytes: Uint8Array): void {
    this.socket!.write(encodeFrame(KIND_TRACE, bytes));
  }

  sendRaw(bytes: Uint8Array): void {
    this.socket!.write(bytes);
  }

  /** Resolves with the next (or an already received, unclaimed) message of this type. */
  next(type: string): Promise<Json> {
    const seen = this.received.find((m) => m['type'] === type && !claimed.has(m));
    if (seen !== undefined) {
      claimed.add(seen);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => this.waiters.push({ type, resolve }));
  }

  respond(request: Json, body: Json | Error): void {
    const base = { type: 'response', request_seq: request['seq'] };
    this.sendJson(body instanceof Error ? { ...base, success: false, message: body.message } : { ...base, success: true, body });
  }

  closeConnection(): void {
    this.socket?.end();
  }

  close(): void {
    this.socket?.destroy();
    this.server.close();
  }

  private onData(data: Buffer): void {
    for (const frame of this.reader.push(data)) {
      if (frame.kind !== KIND_JSON) continue;
      const m = JSON.parse(frame.payload.toString('utf8')) as Json;
      this.received.push(m);
      const w = this.waiters.findIndex((x) => x.type === m['type']);
      if (w >= 0) {
        claimed.add(m);
        this.waiters.splice(w, 1)[0]!.resolve(m);
      }
      const answer = m['type'] === 'hello' && this.secret !== null ? this.helloAnswer(m, this.secret) : this.handler(m);
      if (answer !== null) this.respond(m, answer);
    }
  }
}

const claimed = new WeakSet<Json>();
