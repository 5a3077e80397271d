/**
 * The live event stream: trace bytes from the channel go through the shared
 * TraceDecoder into the shared TraceModel, the same code that reads a trace
 * file, so a live session and a replayed recording show the same state.
 */
import * as fs from 'fs';
import { TraceModel } from '../../shared/model/trace-model';
import { TraceDecoder } from '../../shared/trace/decoder';
import type { Header, TraceEvent } from '../../shared/trace/events';
import type { TraceError } from '../../shared/errors';
import { openTraceOutput } from '../../shared/node/trace-output';

export class TraceFeed {
  // Only the latest state: the adapter's memory stays flat however long the program runs.
  readonly model = new TraceModel({ history: false });
  private readonly decoder = new TraceDecoder();
  private reportedProblem = false;
  /** attach with `trace`: the stream is a trace file byte for byte, so it is written as it comes. */
  private sink: fs.WriteStream | null = null;
  private sinkError: Error | null = null;

  get header(): Header | null {
    return this.decoder.header;
  }

  get eventCount(): number {
    return this.model.eventCount;
  }

  get ended(): boolean {
    return this.decoder.ended;
  }

  /** Writes every byte received from now on to `file` as well. */
  saveTo(file: string, onError: (err: Error) => void): void {
    let fd: number;
    try {
      fd = openTraceOutput(file);
    } catch (err) {
      this.sinkError = err as Error;
      onError(err as Error);
      return;
    }
    this.sink = fs.createWriteStream('', { fd });
    this.sink.on('error', (err) => {
      this.sinkError = err;
      onError(err);
    });
  }

  /**
   * Decodes the next bytes and appends the events to the model. Returns the
   * new events, and the decoder's problem the first time there is one.
   */
  push(bytes: Buffer): { events: TraceEvent[]; problem: TraceError | null } {
    if (this.sink !== null && this.sinkError === null) this.sink.write(bytes);
    const events = this.decoder.push(bytes);
    this.model.appendAll(events);
    return { events, problem: this.takeProblem(this.decoder.problem) };
  }

  /** The stream is over: decodes what remains and says how it ended. */
  finish(): { events: TraceEvent[]; problem: TraceError | null } {
    this.sink?.end();
    const result = this.decoder.finish();
    this.model.appendAll(result.events);
    return { events: result.events, problem: this.takeProblem(result.problem) };
  }

  private takeProblem(problem: TraceError | null): TraceError | null {
    if (problem === null || this.reportedProblem) return null;
    this.reportedProblem = true;
    return problem;
  }
}
