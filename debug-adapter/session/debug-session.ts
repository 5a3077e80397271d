/**
 * The `greenlet` debug adapter: translates between DAP and a DebugTarget
 * (debug-adapter/target/), a live program or a recorded trace, nothing
 * more. Every DAP request is handled once, here, whatever the target;
 * greenlets are threads (thread id = greenlet id); the greenlet-specific
 * requests and the live event stream are the custom messages of
 * shared/protocol/custom-dap.ts.
 *
 * Used inline by the extension (`new GreenletDebugSession()`, the board's
 * stream handed over in-process by streamBoardTo) and as the standalone adapter
 * dist/adapter.js (the board's stream as custom events).
 */
import {
  CapabilitiesEvent, ContinuedEvent, DebugSession, Event, ExitedEvent, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent, ThreadEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'path';
import {
  EXCEPTION_FILTERS, type AttachArguments, type BoardStreamSink, type CustomEventName, type CustomEvents, type GreenletStatusBody, type LaunchArguments,
} from '../../shared/protocol/custom-dap';
import type { StopInfo } from '../../shared/protocol/stop';
import { messageOf } from '../../shared/errors';
import { couldNotWorkOutFindings } from '../../shared/present/finding-words';
import { AdapterError, AdapterErrorId } from '../errors';
import { DEFAULT_MAX_THREADS } from '../../shared/protocol/launch-attributes';
import { validateAttach, validateLaunch, validateReplay } from '../runtime/launch-config';
import type { ChildRequest } from '../runtime/live-runtime';
import type { BreakpointSpec } from '../runtime/protocol';
import type { DebugTarget, TargetFrame, TargetValue } from '../target/debug-target';
import { LiveFindings } from '../target/live-findings';
import { LiveTarget } from '../target/live-target';
import { ReplayTarget } from '../target/replay-target';
import { customRequestHandlers, isCustomRequest, runCustomRequest } from './custom-requests';
import { asErrorResponse } from './error-response';
import { OUTPUT_BACKLOG_BYTES, TraceStream, streamOptionsFromEnv, type TraceBatch } from './trace-stream';
import { LocalRefs, localVariables } from './greenlet-scope';
import { objectSummary } from './object-scope';
import { greenletLine } from '../../shared/present/greenlet-words';
import { exceptionInfoBody, isExceptionStop, stoppedEventBody } from './stop-events';
import { listThreads } from './threads';
import { processName } from '../../shared/present/process-words';

type LaunchRequestArguments = DebugProtocol.LaunchRequestArguments & LaunchArguments;
type AttachRequestArguments = DebugProtocol.AttachRequestArguments & AttachArguments;

const CHILD_SESSION_TIMEOUT_MS = 20_000;

/** A child session's name in the Call Stack: its pid and where it came from. */
export function childSessionName(c: ChildRequest): string {
  return processName(c);
}

interface Debugging {
  readonly target: DebugTarget;
  readonly stream: TraceStream;
  /** launch and replay end the program on disconnect by default; attach lets it run on. */
  readonly mode: 'launch' | 'attach' | 'replay';
  /** A live program's findings, sent after each stop (a recording's are the trace editor's). */
  readonly findings: LiveFindings | null;
}

export class GreenletDebugSession extends DebugSession {
  private current: Debugging | null = null;
  private maxThreads = DEFAULT_MAX_THREADS;
  private lastStop: StopInfo | null = null;
  /** The Greenlet scope's references (the adapter's own, from the model); valid until the target runs again. */
  private readonly refs = new LocalRefs();
  private toldAboutCap = false;
  /** The client starts child sessions on `startDebugging` (forked children are followed only then). */
  private clientStartsSessions = false;
  /** The client asked to end the session (terminate or disconnect): the end is the user's doing. */
  private endRequested = false;
  private exitCode: number | null = null;
  private endedSent = false;
  /** Disconnected without ending the program (attach's default): it runs on. */
  private detached = false;
  /** `terminated` was sent: the stops, output and events that still trickle in are dropped. */
  private ended = false;

  private readonly customHandlers = customRequestHandlers(() => this.need());
  /** Where DAP messages are written when the adapter runs as a process (stdout); null inline. */
  private output: NodeJS.WritableStream | null = null;

  /** Where the board's stream goes in-process (inline in the extension host); null: as custom events. */
  private board: BoardStreamSink | null = null;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  /** Inline, before the launch: the board's stream goes to `sink` in-process instead of as custom events. */
  streamBoardTo(sink: BoardStreamSink): void {
    this.board = sink;
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

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.clientStartsSessions = args.supportsStartDebuggingRequest === true;
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsTerminateRequest: true,
      // Lets a client choose on disconnect: VS Code's Disconnect of a launch, or Stop of an attach.
      supportTerminateDebuggee: true,
      supportsExceptionInfoRequest: true,
      // Evaluated on the runtime's own thread: nothing evaluated lets the program run (greenlet_lens/evaluate.py).
      supportsEvaluateForHovers: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['.'],
      supportsSetVariable: true,
      supportsSetExpression: true,
      supportsClipboardContext: true,
      // Terminate Thread: Greenlet.kill() of a gevent Greenlet (GreenletExit once the program runs on).
      supportsTerminateThreadsRequest: true,
      // Said again by the target once launched: a replay can step back.
      supportsStepBack: false,
      supportsSingleThreadExecutionRequests: false,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ filter: f.filter, label: f.label, default: f.default })),
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchRequestArguments): void {
    if (args.replay !== undefined) {
      let note: string | null = null;
      this.begin(response, async () => {
        const config = validateReplay(args);
        this.maxThreads = config.maxThreads;
        const opened = await ReplayTarget.open(config.trace);
        note = opened.note;
        return { target: opened.target, mode: 'replay' };
      }, () => {
        if (note !== null) this.sendEvent(new OutputEvent(note, 'console'));
      });
      return;
    }
    this.begin(response, async () => {
      const validated = validateLaunch(args);
      const config = this.clientStartsSessions ? validated : { ...validated, subProcess: false, followSpawned: false };
      this.maxThreads = config.maxThreads;
      const target = new LiveTarget();
      return { target, mode: 'launch', findings: findingsOf(target, config.blockedLoopMs), start: () => target.launch(config) };
    });
  }

  protected override attachRequest(response: DebugProtocol.AttachResponse, args: AttachRequestArguments): void {
    this.begin(response, async () => {
      const config = validateAttach(args);
      this.maxThreads = config.maxThreads;
      const target = new LiveTarget();
      return { target, mode: 'attach', findings: findingsOf(target, config.blockedLoopMs), start: () => target.attach(config) };
    });
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
        const spec: BreakpointSpec = { line: this.convertClientLineToDebugger(b.line) };
        if (b.condition !== undefined && b.condition !== '') spec.condition = b.condition;
        if (b.hitCondition !== undefined && b.hitCondition !== '') spec.hitCondition = b.hitCondition;
        if (b.logMessage !== undefined && b.logMessage !== '') spec.logMessage = b.logMessage;
        return spec;
      });
      const results = await this.need().target.setBreakpoints(file, specs);
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
      await this.need().target.setExceptionFilters([...filters]);
    });
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    // VS Code pauses a thread it knows of, and does nothing when it knows none: a `thread` event makes it ask for
    // them once the program runs (its own ask right after configurationDone may come before any greenlet exists).
    this.handle(response, () => this.need().target.configurationDone(), () => this.sendLive(new ThreadEvent('started', 1)));
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.handle(response, async () => {
      await this.need().target.continue(false);
      response.body = { allThreadsContinued: true };
    });
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.handle(response, () => this.need().target.continue(true));
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.handle(response, () => this.need().target.stepSwitch(true));
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.handle(response, () => this.need().target.pause());
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.handle(response, () => this.need().target.stepLine('next', args.threadId));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.handle(response, () => this.need().target.stepLine('stepIn', args.threadId));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.handle(response, () => this.need().target.stepLine('stepOut', args.threadId));
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    this.handle(response, async () => {
      const list = listThreads(this.need().target.state(), this.maxThreads, this.lastStop?.g ?? null);
      // Before the first trace event VS Code still needs a thread to show a stop or a pause on.
      response.body = { threads: list.threads.length > 0 ? list.threads : [{ id: 1, name: 'g1 main' }] };
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
      const levels = args.levels !== undefined && args.levels > 0 ? args.levels : 0;
      const { frames, total } = await this.need().target.stack(args.threadId, args.startFrame ?? 0, levels);
      response.body = { stackFrames: frames.map((f) => this.dapFrame(f)), totalFrames: total };
    });
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.handle(response, async () => {
      const { g, scopes } = await this.need().target.scopes(args.frameId);
      const out: DebugProtocol.Scope[] = scopes.map((s) => {
        const scope: DebugProtocol.Scope = { name: s.name, variablesReference: s.ref, expensive: false };
        if (s.locals === true) scope.presentationHint = 'locals';
        return scope;
      });
      // After Locals (which VS Code expands), before Globals.
      const greenlet: DebugProtocol.Scope = { name: 'Greenlet', variablesReference: this.refs.alloc({ kind: 'greenlet', g }), expensive: false };
      out.splice(scopes.findIndex((s) => s.locals === true) + 1, 0, greenlet);
      response.body = { scopes: out };
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.handle(response, async () => {
      const { target } = this.need();
      const ref = args.variablesReference;
      if (LocalRefs.isLocal(ref)) {
        const window = { ...(args.filter !== undefined ? { filter: args.filter } : {}), ...(args.start !== undefined ? { start: args.start } : {}), ...(args.count !== undefined ? { count: args.count } : {}) };
        response.body = { variables: localVariables(this.refs.lookup(ref), target.state(), this.refs, window) };
        return;
      }
      const vars = await target.variables(ref, args.start, args.count, args.filter);
      response.body = { variables: vars.map((v) => ({ name: v.name, ...this.dapValue(v) })) };
    });
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.handleValue(response, async () => {
      const context = args.context === 'watch' || args.context === 'hover' || args.context === 'clipboard' || args.context === 'variables' ? args.context : 'repl';
      const v = this.dapValue(await this.need().target.evaluate(args.frameId ?? null, args.expression, context));
      response.body = { ...v, result: v.value };
    });
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    this.handleValue(response, async () => {
      // The text's first character is the client's column 1 (or 0); the runtime counts from 0.
      const base = this.convertDebuggerColumnToClient(1);
      const targets = await this.need().target.completions(args.frameId ?? null, args.text, Math.max(0, args.column - base));
      response.body = {
        targets: targets.map((t) => {
          const item: DebugProtocol.CompletionItem = { label: t.label };
          if (t.type !== undefined) item.type = t.type as DebugProtocol.CompletionItemType;
          if (t.start !== undefined) item.start = t.start + base;
          if (t.length !== undefined) item.length = t.length;
          return item;
        }),
      };
    });
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.handleValue(response, async () => {
      if (LocalRefs.isLocal(args.variablesReference)) {
        throw new AdapterError(AdapterErrorId.InvalidRequest, 'the Greenlet scope shows what gevent knows about the greenlet; it cannot be set');
      }
      response.body = this.dapValue(await this.need().target.setVariable(args.variablesReference, args.name, args.value));
    });
  }

  protected override terminateThreadsRequest(response: DebugProtocol.TerminateThreadsResponse, args: DebugProtocol.TerminateThreadsArguments): void {
    this.handle(response, () => this.need().target.killGreenlets(args.threadIds ?? []));
  }

  protected override setExpressionRequest(response: DebugProtocol.SetExpressionResponse, args: DebugProtocol.SetExpressionArguments): void {
    this.handleValue(response, async () => {
      response.body = this.dapValue(await this.need().target.setExpression(args.frameId ?? null, args.expression, args.value));
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    this.handle(response, async () => {
      const { target } = this.need();
      if (this.lastStop === null || this.lastStop.g !== args.threadId || !isExceptionStop(this.lastStop)) {
        throw new AdapterError(AdapterErrorId.UnknownId, `thread ${args.threadId} is not stopped on an exception`);
      }
      response.body = exceptionInfoBody(this.lastStop, target.state());
    });
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    this.handle(response, async () => {
      if (!isCustomRequest(this.customHandlers, command)) throw new AdapterError(AdapterErrorId.UnknownRequest, `unknown request "${command}"`);
      response.body = await runCustomRequest(this.customHandlers, command, args);
    });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.endRequested = true;
    this.handle(response, () => this.need().target.disconnect(true));
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): void {
    const current = this.current;
    this.endRequested = true;
    const done = (): void => {
      if (current !== null) {
        current.stream.flush();
        this.sendEnded();
      }
      this.sendResponse(response);
      this.shutdown();
    };
    if (current === null) {
      done();
      return;
    }
    // DAP: terminateDebuggee decides when given; without it a launched program ends and an attached one runs on.
    // `arguments` is optional in DAP, whatever the declared type says.
    const given = (args as DebugProtocol.DisconnectArguments | undefined)?.terminateDebuggee;
    const terminate = given ?? current.mode !== 'attach';
    this.detached = !terminate && current.mode !== 'replay';
    current.target.disconnect(terminate).then(done, (err: unknown) => this.fail(response, err));
  }

  override shutdown(): void {
    // Nothing the session started may outlive it (stdio mode exits the process right after).
    this.disposeCurrent();
    super.shutdown();
  }

  /** Inline in the extension host, VS Code ends the adapter with dispose(), not shutdown(). */
  override dispose(): void {
    this.disposeCurrent();
    super.dispose();
  }

  /**
   * A launch, attach or replay: makes the target, listens to it, starts it;
   * then the response, the target's capabilities and `initialized`.
   */
  private begin(
    response: DebugProtocol.Response,
    make: () => Promise<{ target: DebugTarget; mode: Debugging['mode']; findings?: LiveFindings; start?: () => Promise<void> }>,
    after?: () => void,
  ): void {
    let made: DebugTarget | null = null;
    this.handle(response, async () => {
      if (this.current !== null) throw new AdapterError(AdapterErrorId.InvalidRequest, 'this session is already debugging');
      const { target, mode, findings, start } = await make();
      made = target;
      const stream = new TraceStream((batch) => this.sendTrace(batch), {
        ...streamOptionsFromEnv(process.env),
        backedUp: () => this.unsentBytes() > OUTPUT_BACKLOG_BYTES,
      });
      this.current = { target, stream, mode, findings: findings ?? null };
      this.listen(this.current);
      try {
        await start?.();
      } catch (err) {
        // A program that started but could not be configured must not run on unseen.
        this.disposeCurrent();
        this.current = null;
        throw err;
      }
    }, () => {
      after?.();
      if (made?.capabilities.stepBack === true) this.sendEvent(new CapabilitiesEvent({ supportsStepBack: true }));
      this.sendEvent(new InitializedEvent());
    });
  }

  /**
   * A forked child becomes a session of its own, under this one, the way
   * VS Code's Python debugger follows subprocesses: the DAP reverse request
   * `startDebugging` with an attach configuration that takes the child.
   */
  private startChildSession(target: DebugTarget, c: ChildRequest): void {
    if (this.ended) {
      target.refuseChild?.(c.attach.subProcessToken!);
      return;
    }
    const configuration = { type: 'greenlet', request: 'attach', name: childSessionName(c), ...c.attach };
    const args: DebugProtocol.StartDebuggingRequestArguments = { request: 'attach', configuration };
    this.sendRequest('startDebugging', args, CHILD_SESSION_TIMEOUT_MS, (response) => {
      if (response.success) return;
      target.refuseChild?.(c.attach.subProcessToken!);
      this.sendLive(new OutputEvent(`Greenlet Lens: process ${c.pid} is not debugged: ${response.message ?? 'the client did not start its session'}\n`, 'console'));
    });
  }

  private listen({ target, stream, findings }: Debugging): void {
    target.on('output', ({ category, text }) => this.sendLive(new OutputEvent(text, category)));
    target.on('bytes', (bytes) => stream.add(bytes));
    target.on('stopped', (stop) => {
      if (this.ended) return;
      this.lastStop = stop;
      this.refs.reset();
      // The events up to the stop go first, then the status: one ordered stream for the board.
      stream.flush();
      const event = new StoppedEvent(stop.reason) as DebugProtocol.StoppedEvent;
      event.body = stoppedEventBody(stop, target.state());
      this.sendStatus({ kind: 'stopped', stop, description: event.body.description ?? '' });
      this.sendLive(event);
      findings?.atStop(stop).then(
        (list) => this.sendCustomEvent('greenletFindings', { findings: list, seq: stop.seq }),
        (err: unknown) => this.sendLive(new OutputEvent(`${couldNotWorkOutFindings(messageOf(err))}\n`, 'stderr')),
      );
    });
    target.on('continued', () => {
      const threadId = this.lastStop?.g ?? 1;
      this.lastStop = null;
      this.refs.reset();
      this.sendStatus({ kind: 'continued' });
      this.sendLive(new ContinuedEvent(threadId, true));
    });
    target.on('exited', ({ code }) => {
      stream.flush();
      this.exitCode = code;
      this.sendLive(new ExitedEvent(code));
    });
    target.on('terminated', () => {
      stream.flush();
      stream.dispose();
      this.sendEnded();
      this.sendLive(new TerminatedEvent());
      this.ended = true;
    });
    target.on('error', (err) => this.sendLive(new OutputEvent(`Greenlet Lens: ${err.message}\n`, 'stderr')));
    target.on('child', (c) => this.startChildSession(target, c));
  }

  /** Once: the session is over, with the program's exit code when it said one. */
  private sendEnded(): void {
    if (this.endedSent) return;
    this.endedSent = true;
    this.sendStatus(this.detached
      ? { kind: 'ended', exitCode: null, byUser: true, detached: true }
      : { kind: 'ended', exitCode: this.exitCode, byUser: this.endRequested });
  }

  /**
   * A target's value as DAP's variable fields. A greenlet or gevent object the model knows
   * expands to what the board shows of it (object-scope.ts), its Python attributes last.
   */
  private dapValue(v: TargetValue): { value: string; type?: string; variablesReference: number; indexedVariables?: number } {
    const out: { value: string; type?: string; variablesReference: number; indexedVariables?: number } = { value: v.value, variablesReference: v.ref };
    if (v.type !== undefined) out.type = v.type;
    if (v.indexed !== undefined) out.indexedVariables = v.indexed;
    const state = this.need().target.state();
    const g = v.greenlet !== undefined ? state.greenlets.find((x) => x.id === v.greenlet) : undefined;
    if (g !== undefined) {
      out.value = greenletLine(g);
      out.variablesReference = this.refs.alloc({ kind: 'greenlet', g: g.id, raw: v.ref });
      delete out.indexedVariables;
    }
    const summary = v.object !== undefined ? objectSummary(state, v.object) : null;
    if (v.object !== undefined && summary !== null) {
      out.value = summary;
      out.variablesReference = this.refs.alloc({ kind: 'object', obj: v.object, raw: v.ref });
      delete out.indexedVariables;
    }
    return out;
  }

  /** A target frame as DAP wants it: client lines, a source to open when there is a file. */
  private dapFrame(f: TargetFrame): DebugProtocol.StackFrame {
    const frame: DebugProtocol.StackFrame = { id: f.id, name: f.name, line: f.line > 0 ? this.convertDebuggerLineToClient(f.line) : 0, column: f.line > 0 ? 1 : 0 };
    // "<string>", "<frozen importlib._bootstrap>": no file to open.
    if (f.file !== null) frame.source = path.isAbsolute(f.file) ? { name: path.basename(f.file), path: f.file } : { name: f.file, presentationHint: 'deemphasize' };
    if (f.hint !== undefined) frame.presentationHint = f.hint;
    if (f.library === true) {
      // VS Code opens the first frame whose source is not deemphasized: the program's own line, not hub.py.
      frame.presentationHint = 'subtle';
      if (frame.source !== undefined) frame.source.presentationHint = 'deemphasize';
    }
    return frame;
  }

  private disposeCurrent(): void {
    this.current?.target.dispose();
    this.current?.stream.dispose();
  }

  /** An event caused by the program; after `terminated` there is no session left to show it in. */
  private sendLive(event: DebugProtocol.Event): void {
    if (!this.ended) this.sendEvent(event);
  }

  /** The next batch of the board's stream: to the extension in-process, else as a `greenletTrace` event. */
  private sendTrace(batch: TraceBatch): void {
    if (this.ended) return;
    if (this.board !== null) this.board.trace(batch.bytes, batch.offset);
    else this.sendCustomEvent('greenletTrace', { data: Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.length).toString('base64'), offset: batch.offset });
  }

  /** A status of the board's stream, in its place after the bytes: the same way as the bytes. */
  private sendStatus(body: GreenletStatusBody): void {
    if (this.ended) return;
    if (this.board !== null) this.board.status(body);
    else this.sendCustomEvent('greenletStatus', body);
  }

  /** The only way custom events are sent: name and body checked against shared/protocol/custom-dap.ts. */
  private sendCustomEvent<K extends CustomEventName>(name: K, body: CustomEvents[K]): void {
    this.sendLive(new Event(name, body));
  }

  private need(): Debugging {
    if (this.current === null) throw new AdapterError(AdapterErrorId.NotConnected, 'no program is being debugged (launch or attach first)');
    return this.current;
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

  private fail(response: DebugProtocol.Response, err: unknown, showUser = true): void {
    this.sendResponse(asErrorResponse(response, err, showUser));
  }

  /**
   * handle() for evaluate and its kin: a failure is the answer itself (the
   * expression's exception, shown in the console, the watch or not at all
   * for a hover), not something to pop up.
   */
  private handleValue(response: DebugProtocol.Response, work: () => Promise<unknown>): void {
    work().then(() => this.sendResponse(response), (err: unknown) => this.fail(response, err, false));
  }
}

/** The findings of a live target; the blocked-loop threshold is the watchdog's (0: neither looks). */
function findingsOf(target: LiveTarget, blockedLoopMs: number): LiveFindings {
  return new LiveFindings(target, blockedLoopMs > 0 ? { blockedLoopMs } : { disabled: ['blocked-loop'] });
}
