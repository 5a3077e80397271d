/**
 * DAP over a recorded trace (a launch with `replay`): the requests a stopped
 * session answers, translated to and from debug-adapter/replay/. The cursor
 * sits on a switch; every move ends in a `stopped` event, never in
 * `terminated`, so the user can always step back. Frames are the recorded
 * block stacks (no locals): each frame's only scope is the Greenlet scope.
 */
import { StoppedEvent, TerminatedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'path';
import type { Frame } from '../../shared/trace/events';
import { AdapterError, AdapterErrorId } from '../errors';
import type { TraceReplay } from '../replay/trace-replay';
import { requireGreenlet } from './custom-requests';
import { LocalRefs, localVariables } from './greenlet-scope';
import { IdTable } from './id-table';
import type { LineMapper } from './inspector';
import { stoppedEventBody } from './stop-events';
import { listThreads } from './threads';

export interface ReplayReply {
  body?: unknown;
  /** Sent after the response. */
  events?: DebugProtocol.Event[];
}

export interface ReplayLines extends LineMapper {
  toDebugger(line: number): number;
}

type Handler = (args: Record<string, unknown>) => ReplayReply;

/** Frame ids of replay frames; a replay session has no runtime frames to keep apart from. */
const REPLAY_FRAME_BASE = 1;

export class ReplaySession {
  private readonly breakpoints = new Map<string, Set<number>>();
  private readonly frames = new IdTable<number>(REPLAY_FRAME_BASE, 'frame');
  private readonly refs = new LocalRefs();
  private readonly handlers: Record<string, Handler>;

  constructor(
    private readonly replay: TraceReplay,
    private readonly maxThreads: number,
    private readonly lines: ReplayLines,
  ) {
    const move = (reason: 'entry' | 'switch' | 'breakpoint', edge: 'start' | 'end' | null = null): ReplayReply => this.stopped(reason, edge);
    this.handlers = {
      setBreakpoints: (a) => ({ body: this.setBreakpoints(a as unknown as DebugProtocol.SetBreakpointsArguments) }),
      setExceptionBreakpoints: () => ({}),
      configurationDone: () => move('entry', 'start'),
      threads: () => ({ body: { threads: listThreads(this.replay.state(), this.maxThreads, this.replay.current.to).threads } }),
      stackTrace: (a) => ({ body: this.stackTrace(a as unknown as DebugProtocol.StackTraceArguments) }),
      scopes: (a) => ({ body: this.scopes(a as unknown as DebugProtocol.ScopesArguments) }),
      variables: (a) => ({ body: { variables: localVariables(this.refs.lookup(Number(a['variablesReference'])), this.replay.state(), this.refs) } }),
      continue: () => ({ ...(this.replay.continueForward(this.breakpoints) ? move('breakpoint') : this.atEnd()), body: { allThreadsContinued: true } }),
      reverseContinue: () => (this.replay.continueBackward(this.breakpoints) ? move('breakpoint') : this.atStart()),
      next: () => this.forward(),
      stepIn: () => this.forward(),
      stepOut: () => this.forward(),
      stepSwitch: () => ({ ...this.forward(), body: {} }),
      stepBack: () => (this.replay.stepBack() ? move('switch') : this.atStart()),
      pause: () => ({}),
      runToGreenlet: (a) => ({ ...this.runTo(requireGreenlet('runToGreenlet', a)), body: {} }),
      greenletSnapshot: () => ({ body: { state: this.replay.state(), header: this.replay.header, eventCount: this.replay.model.eventCount } }),
      terminate: () => ({ events: [new TerminatedEvent()] }),
    };
  }

  handles(command: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.handlers, command);
  }

  request(command: string, args: unknown): ReplayReply {
    const handler = this.handlers[command];
    if (handler === undefined) throw new AdapterError(AdapterErrorId.UnknownRequest, `a replay session does not answer "${command}"`);
    return handler((args ?? {}) as Record<string, unknown>);
  }

  private forward(): ReplayReply {
    return this.replay.stepForward() ? this.stopped('switch') : this.atEnd();
  }

  private runTo(g: number): ReplayReply {
    const from = this.replay.position;
    while (this.replay.stepForward()) if (this.replay.current.to === g) return this.stopped('switch');
    while (this.replay.position > from) this.replay.stepBack();
    throw new AdapterError(AdapterErrorId.InvalidRequest, `g${g} is not switched into again in this trace`);
  }

  private atEnd(): ReplayReply {
    return this.stopped('switch', 'end');
  }

  private atStart(): ReplayReply {
    return this.stopped('entry', 'start');
  }

  private stopped(reason: 'entry' | 'switch' | 'breakpoint', edge: 'start' | 'end' | null = null): ReplayReply {
    this.frames.reset();
    this.refs.reset();
    const event = new StoppedEvent(reason) as DebugProtocol.StoppedEvent;
    event.body = stoppedEventBody(this.replay.stopHere(reason, edge), this.replay.state());
    return { events: [event] };
  }

  private setBreakpoints(args: DebugProtocol.SetBreakpointsArguments): DebugProtocol.SetBreakpointsResponse['body'] {
    const wanted = args.breakpoints ?? [];
    const file = args.source.path;
    if (file === undefined) return { breakpoints: wanted.map(() => ({ verified: false, message: 'Greenlet Lens sets breakpoints in files only' })) };
    const lines = new Set(wanted.map((b) => this.lines.toDebugger(b.line)));
    this.breakpoints.set(path.resolve(file), lines);
    // In a replay a breakpoint stops where a recorded greenlet resumes: the line must be a recorded wait site.
    return { breakpoints: wanted.map((b) => ({ verified: true, line: b.line })) };
  }

  private stackTrace(args: DebugProtocol.StackTraceArguments): DebugProtocol.StackTraceResponse['body'] {
    const g = args.threadId;
    const view = this.replay.state().greenlets.find((x) => x.id === g);
    if (view === undefined) throw new AdapterError(AdapterErrorId.UnknownId, `thread ${g} is not a greenlet of this trace at this point`);
    const recorded = this.replay.stackOf(g);
    let all: DebugProtocol.StackFrame[];
    if (recorded.length > 0) {
      all = recorded.map((f) => this.frame(g, f));
    } else {
      // No recorded stack (the hub, a greenlet that never waited): one label frame, for its Greenlet scope.
      const frame: DebugProtocol.StackFrame = { id: this.frames.alloc(g), name: `${view.label} (no recorded stack)`, line: 0, column: 0, presentationHint: 'label' };
      const site = view.spawnSite;
      if (site !== null && path.isAbsolute(site.file)) {
        frame.source = { name: path.basename(site.file), path: site.file };
        frame.line = this.lines.toClient(site.line);
        frame.column = 1;
      }
      all = [frame];
    }
    const start = args.startFrame ?? 0;
    const levels = args.levels !== undefined && args.levels > 0 ? args.levels : all.length;
    return { stackFrames: all.slice(start, start + levels), totalFrames: all.length };
  }

  private frame(g: number, f: Frame): DebugProtocol.StackFrame {
    const frame: DebugProtocol.StackFrame = { id: this.frames.alloc(g), name: f.function, line: this.lines.toClient(f.line), column: 1 };
    if (path.isAbsolute(f.file)) frame.source = { name: path.basename(f.file), path: f.file };
    else frame.source = { name: f.file, presentationHint: 'deemphasize' };
    return frame;
  }

  private scopes(args: DebugProtocol.ScopesArguments): DebugProtocol.ScopesResponse['body'] {
    const g = this.frames.lookup(args.frameId);
    return { scopes: [{ name: 'Greenlet', variablesReference: this.refs.alloc({ kind: 'greenlet', g }), expensive: false }] };
  }
}
