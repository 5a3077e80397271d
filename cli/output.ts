/**
 * Writing to stdout/stderr. Output is batched (one write per 64 KiB, not per
 * line, since `cat` prints millions of lines) and waits for 'drain', so a
 * slow pipe does not make Node buffer the whole trace in memory. A closed
 * pipe (`| head`) ends the process quietly, as Unix tools do.
 */

const FLUSH_AT = 64 * 1024;

export class Output {
  private pending: string[] = [];
  private size = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }

  async line(text: string): Promise<void> {
    this.pending.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.size = 0;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => this.stream.once('drain', resolve));
    }
  }
}

export function printError(message: string): void {
  process.stderr.write(`greenlet-lens: error: ${message}\n`);
}

export function printNote(message: string): void {
  process.stderr.write(`greenlet-lens: note: ${message}\n`);
}
