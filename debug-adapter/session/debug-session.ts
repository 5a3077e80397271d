/**
 * The `greenlet` debug adapter: translates between DAP and the runtime layer
 * (debug-adapter/runtime/), nothing more. Greenlets are threads (thread id =
 * greenlet id); the greenlet-specific requests and the live event stream are
 * the custom messages of shared/protocol/custom-dap.ts.
 *
 * Used inline by the extension (`new GreenletDebugSession()`) and as the
 * standalone adapter dist/adapter.js.
 */
import {
  CapabilitiesEvent, ContinuedEvent, DebugSession, Event, ExitedEvent, InitializedEvent, OutputEvent, Response, StoppedEvent, TerminatedEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  EXCEPTION_FILTERS, type AttachArguments, type CustomEventName, type CustomEvents, type LaunchArguments,
} from '../../shared/protocol/custom-dap';
import { AdapterError, AdapterErrorId } from '../errors';
import { DEFAULT_MAX_THREADS, validateAttach, validateLaunch, validateReplay } from '../runtime/launch-config';
import { LiveRuntime, type StopInfo } from '../runtime/live-runtime';
import { TraceReplay } from '../replay/trace-replay';
import { customRequestHandlers, isCustomRequest, runCustomRequest } from './custom-requests';
import { asErrorResponse } from './error-response';
import { EventStream, OUTPUT_BACKLOG_BYTES, streamOptionsFromEnv } from './event-stream';
import { Inspector } from './inspector';
import { ReplaySession } from './replay-session';
import { exceptionInfoBody, isExceptionStop, stoppedEventBody } from './stop-events';

type LaunchRequestArguments = DebugProtocol.LaunchRequestArguments & LaunchArguments;
type AttachRequestArguments = DebugProtocol.AttachRequestArguments & AttachArguments;

interface Live {
  readonly runtime: LiveRuntime;
  readonly inspector: Inspector;
  readonly stream: EventStream;
  readonly mode: 'launch' | 'attach';
}

export class GreenletDebugSession extends DebugSession {
  private live: Live | null = null;
  /** A launch with `replay`: a recorded trace instead of a program (replay-session.ts answers its requests). */
  private replay: ReplaySession | null = null;
  private maxThreads = DEFAULT_MAX_THREADS;
  private lastStop: StopInfo | null = null;
  private toldAboutCap = false;
  /** `terminated` was sent: the runtime's stops, output and events that still trickle in are dropped. */
  private ended = false;

  private readonly customHandlers = customRequestHandlers(() => this.need());
  /** Where DAP messages are written when the adapter runs as a process (stdout); null inline. */
  private output: NodeJS.WritableStream | null = null;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    this.output = outStream;
    super.start(inStream, outStream);
  }

  /** Bytes written to the client that it has not read yet (0 inline, where VS Code takes each message as it comes). */
  private unsentBytes(): number {
    const length = (this.output as { writableLength?: unknown } | null)?.writableLength;
    return typeof length === 'number' ? length : 0;
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsTerminateRequest: true,
      // Lets a client choose on disconnect: VS Code's Disconnect of a launch, or Stop of an attach.
      supportTerminateDebuggee: true,
      supportsExceptionInfoRequest: true,
      supportsStepBack: false,
      supportsSingleThreadExecutionRequests: false,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ filter: f.filter, label: f.label, default: f.default })),
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchRequestArguments): void {
    if (args.replay !== undefined) {
      this.launchReplay(response, args);
      return;
    }
    this.handle(response, async () => {
      const config = validateLaunch(args);
      this.maxThreads = config.maxThreads;
      await this.startRuntime('launch', (rt) => rt.launch(config));
    }, () => this.sendEvent(new InitializedEvent()));
  }

  protected override attachRequest(response: DebugProtocol.AttachResponse, args: AttachRequestArguments): void {
    this.handle(response, async () => {
      const config = validateAttach(args);
      this.maxThreads = config.maxThreads;
      await this.startRuntime('attach', (rt) => rt.attach(config));
    }, () => this.sendEvent(new InitializedEvent()));
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.handle(response, async () => {
      const wanted = args.breakpoints ?? [];
      const file = args.source.path;
      if (file === undefined) {
        response.body = { breakpoints: wanted.map(() => ({ verified: false, message: 'Greenlet Lens sets breakpoints in files only' })) };
        return;
      }
      const specs = wanted.map((b) => {
        const spec: { line: number; condition?: string; hitCondition?: string } = { line: this.convertClientLineToDebugger(b.line) };
        if (b.condition !== undefined && b.condition !== '') spec.condition = b.condition;
        if (b.hitCondition !== undefined && b.hitCondition !== '') spec.hitCondition = b.hitCondition;
        return spec;
      });
      const results = await this.need().runtime.setBreakpoints(file, specs);
      response.body = {
        breakpoints: wanted.map((b, i) => {
          const r = results[i];
          if (r === undefined) return { verified: false, line: b.line, message: 'the runtime did not answer for this breakpoint' };
          const bp: DebugProtocol.Breakpoint = { verified: r.verified, line: this.convertDebuggerLineToClient(r.line) };
          // The runtime sends `message: null` when it has nothing to say; DAP wants a string or nothing.
          if (typeof r.message === 'string' && r.message !== '') bp.message = r.message;
          return bp;
        }),
      };
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.handle(response, async () => {
      const filters = new Set(args.filters);
      for (const option of args.filterOptions ?? []) filters.add(option.filterId);
      await this.need().runtime.setExceptionFilters([...filters]);
    });
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.handle(response, () => this.need().runtime.configurationDone());
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.handle(response, async () => {
      await this.need().runtime.resume();
      response.body = { allThreadsContinued: true };
    });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.handle(response, () => this.need().runtime.pause());
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.handle(response, () => this.need().runtime.next(args.threadId));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.handle(response, () => this.need().runtime.stepIn(args.threadId));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.handle(response, () => this.need().runtime.stepOut(args.threadId));
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    this.handle(response, async () => {
      const list = this.need().inspector.threads(this.maxThreads, this.lastStop?.g ?? null);
      response.body = { threads: list.threads };
      if (list.omitted > 0 && !this.toldAboutCap) {
        this.toldAboutCap = true;
        this.sendEvent(new OutputEvent(
          `Greenlet Lens: ${list.omitted} greenlets are not listed as threads (maxThreads is ${this.maxThreads}); the board shows them all.\n`,
          'console',
        ));
      }
    });
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.handle(response, async () => {
      response.body = await this.need().inspector.stackTrace(args);
    });
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.handle(response, async () => {
      response.body = await this.need().inspector.scopes(args);
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.handle(response, async () => {
      response.body = await this.need().inspector.variables(args);
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    this.handle(response, async () => {
      const live = this.need();
      if (this.lastStop === null || this.lastStop.g !== args.threadId || !isExceptionStop(this.lastStop)) {
        throw new AdapterError(AdapterErrorId.UnknownId, `thread ${args.threadId} is not stopped on an exception`);
      }
      response.body = exceptionInfoBody(this.lastStop, live.inspector.state());
    });
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    this.handle(response, async () => {
      if (!isCustomRequest(this.customHandlers, command)) throw new AdapterError(AdapterErrorId.UnknownRequest, `unknown request "${command}"`);
      response.body = await runCustomRequest(this.customHandlers, command, args);
    });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.handle(response, () => this.need().runtime.disconnect(true));
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): void {
    const live = this.live;
    const done = (): void => {
      live?.stream.flush();
      this.sendResponse(response);
      this.shutdown();
    };
    if (live === null) {
      done();
      return;
    }
    // DAP: terminateDebuggee decides when given; without it a launched program ends and an attached one runs on.
    // `arguments` is optional in DAP, whatever the declared type says.
    const given = (args as DebugProtocol.DisconnectArguments | undefined)?.terminateDebuggee;
    const terminate = given ?? live.mode === 'launch';
    live.runtime.disconnect(terminate).then(done, (err: unknown) => this.fail(response, err));
  }

  private launchReplay(response: DebugProtocol.LaunchResponse, args: LaunchRequestArguments): void {
    let note: string | null = null;
    this.handle(response, async () => {
      if (this.live !== null || this.replay !== null) throw new AdapterError(AdapterErrorId.InvalidRequest, 'this session is already debugging');
      const config = validateReplay(args);
      const opened = await TraceReplay.open(config.trace);
      note = opened.note;
      this.replay = new ReplaySession(opened.replay, config.maxThreads, {
        toClient: (line) => this.convertDebuggerLineToClient(line),
        toDebugger: (line) => this.convertClientLineToDebugger(line),
      });
    }, () => {
      if (note !== null) this.sendEvent(new OutputEvent(note, 'console'));
      this.sendEvent(new CapabilitiesEvent({ supportsStepBack: true }));
      this.sendEvent(new InitializedEvent());
    });
  }

  /** In a replay session the replay answers every request it knows; the rest (initialize, disconnect) go the usual way. */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const replay = this.replay;
    if (replay === null || !replay.handles(request.command)) {
      super.dispatchRequest(request);
      return;
    }
    const response: DebugProtocol.Response = new Response(request);
    let events: DebugProtocol.Event[] = [];
    this.handle(response, async () => {
      const reply = replay.request(request.command, request.arguments);
      if (reply.body !== undefined) response.body = reply.body;
      events = reply.events ?? [];
    }, () => events.forEach((e) => this.sendEvent(e)));
  }

  override shutdown(): void {
    // Nothing the session started may outlive it (stdio mode exits the process right after).
    this.live?.runtime.dispose();
    this.live?.stream.dispose();
    super.shutdown();
  }

  /** Inline in the extension host, VS Code ends the adapter with dispose(), not shutdown(). */
  override dispose(): void {
    this.live?.runtime.dispose();
    this.live?.stream.dispose();
    super.dispose();
  }

  private async startRuntime(mode: Live['mode'], start: (rt: LiveRuntime) => Promise<void>): Promise<void> {
    if (this.live !== null) throw new AdapterError(AdapterErrorId.InvalidRequest, 'this session is already debugging a program');
    const runtime = new LiveRuntime();
    const inspector = new Inspector(runtime, { toClient: (line) => this.convertDebuggerLineToClient(line) });
    const stream = new EventStream((body) => this.sendCustomEvent('greenletEvents', body), () => runtime.feed.header, {
      ...streamOptionsFromEnv(process.env),
      backedUp: () => this.unsentBytes() > OUTPUT_BACKLOG_BYTES,
    });
    this.live = { runtime, inspector, stream, mode };
    this.wire(this.live);
    try {
      await start(runtime);
    } catch (err) {
      // A program that started but could not be configured must not run on unseen.
      runtime.dispose();
      stream.dispose();
      this.live = null;
      throw err;
    }
  }

  private wire({ runtime, inspector, stream }: Live): void {
    runtime.on('output', ({ category, text }) => this.sendLive(new OutputEvent(text, category)));
    runtime.on('events', (events) => stream.add(events));
    runtime.on('stopped', (stop) => {
      if (this.ended) return;
      this.lastStop = stop;
      inspector.invalidate();
      stream.flush();
      const event = new StoppedEvent(stop.reason) as DebugProtocol.StoppedEvent;
      event.body = stoppedEventBody(stop);
      this.sendLive(event);
    });
    runtime.on('continued', () => {
      const threadId = this.lastStop?.g ?? 1;
      this.lastStop = null;
      inspector.invalidate();
      this.sendLive(new ContinuedEvent(threadId, true));
    });
    runtime.on('exited', ({ code }) => {
      stream.flush();
      this.sendLive(new ExitedEvent(code));
    });
    runtime.on('terminated', () => {
      stream.flush();
      stream.dispose();
      this.sendLive(new TerminatedEvent());
      this.ended = true;
    });
    runtime.on('error', (err) => this.sendLive(new OutputEvent(`Greenlet Lens: ${err.message}\n`, 'stderr')));
  }

  /** An event caused by the program; after `terminated` there is no session left to show it in. */
  private sendLive(event: DebugProtocol.Event): void {
    if (!this.ended) this.sendEvent(event);
  }

  /** The only way custom events are sent: name and body checked against shared/protocol/custom-dap.ts. */
  private sendCustomEvent<K extends CustomEventName>(name: K, body: CustomEvents[K]): void {
    this.sendLive(new Event(name, body));
  }

  private need(): Live {
    if (this.live === null) throw new AdapterError(AdapterErrorId.NotConnected, 'no program is being debugged (launch or attach first)');
    return this.live;
  }

  /** Runs a request's work; any failure becomes an error response carrying the AdapterErrorId. */
  private handle(response: DebugProtocol.Response, work: () => Promise<unknown>, after?: () => void): void {
    work().then(
      () => {
        this.sendResponse(response);
        after?.();
      },
      (err: unknown) => this.fail(response, err),
    );
  }

  private fail(response: DebugProtocol.Response, err: unknown): void {
    this.sendResponse(asErrorResponse(response, err));
  }
}
