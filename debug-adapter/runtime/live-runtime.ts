/**
 * One live debugging session seen from the adapter: the debuggee process (for
 * launch), the runtime channel and the trace model, behind one typed event
 * emitter and one method per request of docs/debug-protocol.md. Knows
 * nothing of DAP; the session translates.
 */
import { describeRuntime } from '../../shared/runtime-versions';
import { EXCEPTION_FILTERS } from '../../shared/protocol/custom-dap';
import type { TraceEvent } from '../../shared/trace/events';
import { AdapterError, AdapterErrorId, asAdapterError } from '../errors';
import { RuntimeChannel } from './channel';
import { establishAttach, establishLaunch, type Established } from './connect';
import type { Debuggee } from './launcher';
import type { AttachConfig, LaunchConfig, SessionOptions } from './launch-config';
import { listField, valueOf } from './messages';
import type {
  BreakpointResult, BreakpointSpec, ConfigureArguments, HelloNotification, RuntimeArgs, RuntimeBody, RuntimeFrame, RuntimeNotification,
  RuntimeRequestType, RuntimeScope, RuntimeValue, RuntimeVariable, RuntimeCompletion, EvaluateContext, WaitProofResult, WaitRef,
} from './protocol';
import type { StopInfo } from '../../shared/protocol/stop';
import { NotificationQueue, STOP_EVENT_WAIT_MS } from './notification-queue';
import { TraceFeed } from './trace-feed';
import { TypedEmitter } from './typed-emitter';
import { ChildPort, type ChildArrival } from './children';
import type { AttachArguments } from '../../shared/protocol/custom-dap';

export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
const DISCONNECT_TIMEOUT_MS = 2000;
/** How long a terminated program's runtime gets to finish its trace and exit before the group is signalled. */
const RUNTIME_EXIT_WAIT_MS = 1000;
/** How long a launched program may outlive its runtime's connection before it counts as lost. */
const LOST_RUNTIME_GRACE_MS = 1000;

export interface LiveRuntimeEvents {
  /** Emitted only once the model holds event `seq`. */
  stopped: StopInfo;
  continued: null;
  output: { category: 'stdout' | 'stderr' | 'console'; text: string };
  exited: { code: number };
  /** The session is over: the program ended or the connection closed. */
  terminated: null;
  /** New model events, in order, as they were decoded. */
  events: readonly TraceEvent[];
  /** The trace's bytes as they came, in order, from its header on (the board decodes them itself). */
  bytes: Uint8Array;
  /** A problem outside any request: a lost connection, a protocol violation, a corrupt trace stream. */
  error: AdapterError;
  /**
   * A forked child of a launched program asks to be debugged: `attach` is
   * the configuration of its session (the client starts it), or refuseChild.
   */
  child: ChildRequest;
}

export interface ChildRequest {
  readonly pid: number;
  readonly parentPid: number;
  readonly startedBy: 'fork' | 'spawn';
  readonly attach: AttachArguments;
}

export class LiveRuntime extends TypedEmitter<LiveRuntimeEvents> {
  readonly feed = new TraceFeed();
  private channel: RuntimeChannel | null = null;
  private debuggee: Debuggee | null = null;
  private helloValue: HelloNotification | null = null;
  private configureArgs: ConfigureArguments | null = null;
  private readonly notifications = new NotificationQueue(
    () => this.feed.eventCount,
    (n) => this.dispatch(n),
    (seq, count) => this.fail(
      AdapterErrorId.ProtocolViolation,
      `the runtime reported a stop after event ${seq}, but after ${STOP_EVENT_WAIT_MS} ms the trace holds only ${count} events ` +
        '(docs/debug-protocol.md: trace bytes are flushed before "stopped"); showing the stop anyway',
    ),
  );
  private exitCode: number | null = null;
  private exitedSent = false;
  private terminatedSent = false;
  private ending = false;
  /** The user detached: the program runs on without us, so dispose() must not kill it. */
  private detached = false;
  /** Connected and greeted; before that a dying program is the launch request's error, not an exit. */
  private established = false;
  private disposed = false;
  /** launch with subProcess: where forked children connect (runtime/children.ts). */
  private children: ChildPort | null = null;
  private secret: string | null = null;

  get model() {
    return this.feed.model;
  }

  get hello(): HelloNotification | null {
    return this.helloValue;
  }

  get connected(): boolean {
    return this.channel !== null && this.channel.isOpen;
  }

  async launch(config: LaunchConfig, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<void> {
    if (config.subProcess) {
      const children = await ChildPort.open();
      this.children = children;
      children.on('child', (c) => this.onChild(config, c));
    }
    try {
      const est = await establishLaunch(config, connectTimeoutMs, (debuggee) => {
        this.debuggee = debuggee;
        debuggee.on('output', (o) => this.emit('output', o));
        debuggee.on('exit', (info) => this.onDebuggeeExit(debuggee, info.code));
      }, this.children?.port ?? null);
      this.secret = est.secret ?? null;
      await this.start(est, config, config.stopOnEntry);
    } catch (err) {
      this.closeChildren();
      throw err;
    }
  }

  /** A child the client will not debug runs on, unfollowed. */
  refuseChild(token: string): void {
    this.children?.refuse(token);
  }

  private onChild(config: LaunchConfig, c: ChildArrival): void {
    if (this.secret === null || this.ending) {
      this.refuseChild(c.token);
      return;
    }
    this.emit('child', {
      pid: c.pid,
      parentPid: c.parentPid,
      startedBy: c.startedBy,
      attach: {
        port: this.children!.port, secret: this.secret, subProcessToken: c.token,
        justMyCode: config.justMyCode, blockedLoopMs: config.blockedLoopMs, maxThreads: config.maxThreads,
      },
    });
  }

  private closeChildren(): void {
    this.children?.close();
    this.children = null;
  }

  async attach(config: AttachConfig, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<void> {
    const est = await establishAttach(config, connectTimeoutMs);
    if (config.trace !== null) {
      this.feed.saveTo(config.trace, (err) => this.fail(AdapterErrorId.TraceWriteFailed, `cannot write the trace ${config.trace}: ${err.message}`));
    }
    await this.start(est, config, false);
  }

  /** justMyCode as configured (true until the runtime is configured). */
  get justMyCode(): boolean {
    return this.configureArgs?.justMyCode ?? true;
  }

  setExceptionFilters(filters: string[]): Promise<void> {
    if (this.configureArgs === null) return Promise.reject(notConnected('configure'));
    this.configureArgs = { ...this.configureArgs, exceptionFilters: filters };
    return this.request('configure', this.configureArgs).then(() => undefined);
  }

  async setBreakpoints(file: string, breakpoints: BreakpointSpec[]): Promise<BreakpointResult[]> {
    return listField(await this.request('setBreakpoints', { file, breakpoints }), 'breakpoints', 'setBreakpoints');
  }

  configurationDone = (): Promise<unknown> => this.request('configurationDone', {});
  resume = (): Promise<unknown> => this.request('continue', {});
  pause = (): Promise<unknown> => this.request('pause', {});
  stepSwitch = (): Promise<unknown> => this.request('stepSwitch', {});
  runToGreenlet = (g: number): Promise<unknown> => this.request('runToGreenlet', { g });
  next = (g: number): Promise<unknown> => this.request('next', { g });
  stepIn = (g: number): Promise<unknown> => this.request('stepIn', { g });
  stepOut = (g: number): Promise<unknown> => this.request('stepOut', { g });

  async stack(g: number, startFrame: number, levels: number): Promise<RuntimeBody<'stack'>> {
    const body = await this.request('stack', { g, startFrame, levels });
    const frames = listField<RuntimeFrame>(body, 'frames', 'stack');
    return { frames, total: typeof body.total === 'number' ? body.total : frames.length };
  }

  async scopes(frameId: number): Promise<RuntimeBody<'scopes'>> {
    return { scopes: listField<RuntimeScope>(await this.request('scopes', { frameId }), 'scopes', 'scopes') };
  }

  async variables(variablesReference: number, start?: number, count?: number, filter?: 'named' | 'indexed'): Promise<RuntimeBody<'variables'>> {
    const args: RuntimeArgs<'variables'> = { variablesReference };
    if (start !== undefined) args.start = start;
    if (count !== undefined) args.count = count;
    if (filter !== undefined) args.filter = filter;
    return { variables: listField<RuntimeVariable>(await this.request('variables', args), 'variables', 'variables') };
  }

  /** Evaluated on the runtime's control thread, in frame `frameId` (undefined: the stop's own frame). */
  async evaluate(frameId: number | undefined, expression: string, context: EvaluateContext): Promise<RuntimeValue> {
    return valueOf(await this.request('evaluate', withFrame({ expression, context }, frameId)), 'result', 'evaluate');
  }

  async completions(frameId: number | undefined, text: string, column: number): Promise<RuntimeCompletion[]> {
    return listField<RuntimeCompletion>(await this.request('completions', withFrame({ text, column }, frameId)), 'targets', 'completions');
  }

  async setVariable(variablesReference: number, name: string, value: string): Promise<RuntimeValue> {
    return valueOf(await this.request('setVariable', { variablesReference, name, value }), 'value', 'setVariable');
  }

  /** Terminate Thread: gevent's Greenlet.kill(block=False) of each; GreenletExit comes when the program runs on. */
  killGreenlets = (gs: number[]): Promise<unknown> => this.request('killGreenlets', { gs });

  async setExpression(frameId: number | undefined, expression: string, value: string): Promise<RuntimeValue> {
    return valueOf(await this.request('setExpression', withFrame({ expression, value }, frameId)), 'value', 'setExpression');
  }

  /** While stopped: which of these waits nothing that can still run can end (docs/debug-protocol.md). */
  async waitProofs(waits: WaitRef[]): Promise<WaitProofResult[]> {
    return listField<WaitProofResult>(await this.request('waitProofs', { waits }), 'waits', 'waitProofs');
  }

  /**
   * Ends the session. terminate: the program ends and so does everything it
   * started (the runtime is asked first, so the trace gets its end; then the
   * whole process group is signalled, even when the runtime already exited).
   * Otherwise the runtime detaches and the program runs on.
   */
  async disconnect(terminate: boolean): Promise<void> {
    this.ending = true;
    this.detached = !terminate;
    const debuggee = this.debuggee;
    if (!terminate) debuggee?.release();
    if (this.connected) {
      await this.channel!.request('disconnect', { terminate }, DISCONNECT_TIMEOUT_MS).catch((err: unknown) => {
        // A program that ends at once may close the connection before answering; that is success.
        if (debuggee === null || debuggee.running) this.emit('error', asAdapterError(err, AdapterErrorId.ConnectionLost));
      });
    }
    if (terminate && debuggee !== null) {
      // The runtime finishes the trace and exits (status 143) by itself; signals come after it had the chance.
      await Promise.race([debuggee.exited.catch(() => undefined), delay(RUNTIME_EXIT_WAIT_MS)]);
      try {
        await debuggee.terminate();
      } finally {
        this.channel?.close();
      }
      return;
    }
    this.channel?.close();
    this.finish();
  }

  /**
   * The adapter itself is going away: nothing it launched may outlive it, and
   * nothing more is emitted (no stop or output may follow the session's end).
   */
  dispose(): void {
    if (this.disposed) return;
    this.ending = true;
    this.closeChildren();
    this.notifications.clear();
    try {
      if (!this.detached) this.debuggee?.killNow();
    } catch (err) {
      // The last thing said: the program could not be ended and may still run.
      this.emit('error', asAdapterError(err, AdapterErrorId.TerminateFailed));
    }
    this.disposed = true;
    this.channel?.close();
  }

  protected override emit<K extends keyof LiveRuntimeEvents & string>(event: K, payload: LiveRuntimeEvents[K]): void {
    if (!this.disposed) super.emit(event, payload);
  }

  private request<K extends RuntimeRequestType>(type: K, args: RuntimeArgs<K>): Promise<RuntimeBody<K>> {
    if (this.channel === null) return Promise.reject(notConnected(type));
    return this.channel.request(type, args);
  }

  private async start(est: Established, options: SessionOptions, stopOnEntry: boolean): Promise<void> {
    const { channel, hello } = est;
    this.established = true;
    this.channel = channel;
    this.helloValue = hello;
    // Which Python, gevent and greenlet the program runs on: gevent, or plain greenlets only.
    this.emit('output', { category: 'console', text: `Greenlet Lens: ${describeRuntime(hello)}\n` });
    channel.on('trace', (bytes) => {
      this.emit('bytes', bytes);
      this.onTrace(this.feed.push(bytes));
    });
    channel.on('notification', (n) => this.notifications.push(n));
    channel.on('violation', (message) => this.fail(AdapterErrorId.ProtocolViolation, message));
    channel.on('close', ({ error }) => this.onChannelClose(error));
    // Trace bytes and notifications that came right after the hello were held for these listeners.
    channel.deliver();
    this.configureArgs = {
      stopOnEntry,
      exceptionFilters: EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter),
      blockedLoopMs: options.blockedLoopMs,
      justMyCode: options.justMyCode,
    };
    await channel.request('configure', this.configureArgs);
  }

  private onTrace(result: ReturnType<TraceFeed['push']>): void {
    if (result.events.length > 0) this.emit('events', result.events);
    if (result.problem !== null) {
      this.fail(AdapterErrorId.ProtocolViolation, `the live trace stream is unreadable from byte ${result.problem.offset ?? '?'}: ${result.problem.message}`);
    }
    this.notifications.drain();
  }

  private dispatch(n: RuntimeNotification): void {
    switch (n.type) {
      case 'stopped':
        this.emit('stopped', n.stop);
        break;
      case 'continued':
        this.emit('continued', null);
        break;
      case 'exited':
        this.exitCode = n.code;
        // A launched program's own exit status (a signal, say) is the truer one; attach has only this.
        if (this.debuggee === null) this.sendExited(n.code);
        break;
      case 'output':
        this.emit('output', { category: n.category, text: n.text });
        break;
      case 'hello':
        break;
    }
  }

  private onChannelClose(error: Error | null): void {
    const rest = this.feed.finish();
    this.onTrace(rest);
    // Stops the model never caught up with are moot once the program is gone.
    this.notifications.clear();
    const debuggee = this.debuggee;
    if (debuggee !== null && debuggee.running) {
      // After `exited`, or when ending, the process is on its way out; a crash
      // or os._exit() closes the socket an instant before the exit is seen, so
      // only a program still running a moment later has really lost its runtime.
      if (this.ending || this.exitCode !== null) return;
      const timer = setTimeout(() => {
        if (!debuggee.running) return;
        const why = error !== null ? ` (${error.message})` : '';
        this.fail(AdapterErrorId.ConnectionLost, `the runtime closed its connection while the program still runs${why}; ending the program`);
        debuggee.terminate().catch((err: unknown) => this.emit('error', asAdapterError(err, AdapterErrorId.TerminateFailed)));
      }, LOST_RUNTIME_GRACE_MS);
      void debuggee.exited.finally(() => clearTimeout(timer)).catch(() => undefined);
      return;
    }
    if (debuggee === null) {
      if (error !== null && !this.ending) this.fail(AdapterErrorId.ConnectionLost, `the connection to the runtime broke: ${error.message}`);
      if (this.exitCode !== null) this.sendExited(this.exitCode);
      this.finish();
    }
  }

  private onDebuggeeExit(debuggee: Debuggee, code: number): void {
    // Ended by itself, not by the adapter: whatever it left running is not the session's to kill.
    if (!this.ending) debuggee.release();
    if (this.terminatedSent || !this.established) return;
    if (!this.connected) {
      this.sendExited(code);
      this.finish();
      return;
    }
    // The runtime's socket closes with the process; the stream's tail may still be in flight.
    const channel = this.channel!;
    const timer = setTimeout(() => channel.close(), 500);
    channel.once('close', () => {
      clearTimeout(timer);
      this.sendExited(code);
      this.finish();
    });
  }

  private sendExited(code: number): void {
    if (this.exitedSent) return;
    this.exitedSent = true;
    this.emit('exited', { code });
  }

  private finish(): void {
    if (this.terminatedSent) return;
    this.terminatedSent = true;
    this.closeChildren();
    this.emit('terminated', null);
  }

  private fail(id: AdapterErrorId, message: string): void {
    this.emit('error', new AdapterError(id, message));
  }
}

function notConnected(what: string): AdapterError {
  return new AdapterError(AdapterErrorId.NotConnected, `cannot send "${what}": no program is being debugged`);
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function withFrame<T extends object>(args: T, frameId: number | undefined): T & { frameId?: number } {
  return frameId === undefined ? args : { ...args, frameId };
}
