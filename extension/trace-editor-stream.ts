/**
 * What the trace editor (trace-editor.ts) sends a board showing a trace
 * file: the file's bytes as `traceBytes` messages, in order, in pieces of at
 * most TRACE_PIECE_SIZE, `final` on the last; or, when the file cannot be
 * read, one `error` message. No `vscode` import: the reading (Node fs, or
 * bytes handed over by vscode.workspace.fs) and the sequencing are unit-tested
 * under plain Node.
 */

import { messageOf } from '../shared/errors';
import * as fs from 'fs';
import * as path from 'path';
import type { HostToBoard } from '../shared/protocol/board-messages';

/** The custom editor's view type (package.json contributes.customEditors). */
export const TRACE_EDITOR_VIEW_TYPE = 'greenletLens.traceEditor';
export const TRACE_PIECE_SIZE = 1024 * 1024;

/** The board's title for a trace file. */
export function traceTitle(filePath: string): string {
  return `Greenlet Lens: ${path.basename(filePath)}`;
}

/** `bytes` in pieces of at most `size` (copies: a posted view must not drag its whole buffer along). */
export function* bytePieces(bytes: Uint8Array, size = TRACE_PIECE_SIZE): Generator<Uint8Array> {
  checkSize(size);
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, Math.min(at + size, bytes.length));
}

/** A file's bytes in pieces of at most `size`, read as they are asked for. */
export async function* filePieces(filePath: string, size = TRACE_PIECE_SIZE): AsyncGenerator<Uint8Array> {
  checkSize(size);
  const handle = await fs.promises.open(filePath, 'r');
  try {
    for (;;) {
      const buffer = new Uint8Array(size);
      const { bytesRead } = await handle.read(buffer, 0, size, null);
      if (bytesRead === 0) return;
      yield bytesRead === size ? buffer : buffer.slice(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

export type StreamResult =
  /** Every byte was posted; `pieces` messages, the last one `final`. */
  | { readonly kind: 'done'; readonly bytes: number; readonly pieces: number }
  /** The file could not be read; an `error` message was posted. */
  | { readonly kind: 'failed'; readonly message: string }
  /** stop() said so (the board went away or reloaded), or the board no longer takes messages. */
  | { readonly kind: 'stopped' };

/** Posts a message to the board; false (or a false promise) when it was not delivered. */
export type Post = (message: HostToBoard) => boolean | void | PromiseLike<boolean | void>;

/**
 * Posts `pieces` to the board as traceBytes messages, one piece behind the
 * reader so the last one can say `final` (an empty file is one empty final
 * piece). Each post is awaited, so a slow webview holds the reading back.
 * Never rejects: a read failure becomes an `error` message and a `failed` result.
 */
export async function streamTrace(
  pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  post: Post,
  stop: () => boolean = () => false,
): Promise<StreamResult> {
  let held: Uint8Array | null = null;
  let bytes = 0;
  let count = 0;
  const send = async (piece: Uint8Array, final: boolean): Promise<boolean> => {
    if (stop()) return false;
    const delivered = await post({ type: 'traceBytes', bytes: piece, final });
    count++;
    return delivered !== false;
  };
  try {
    for await (const piece of pieces) {
      if (stop()) return { kind: 'stopped' };
      if (held !== null && !(await send(held, false))) return { kind: 'stopped' };
      held = piece;
      bytes += piece.length;
    }
  } catch (err) {
    if (stop()) return { kind: 'stopped' };
    const message = describeReadError(err);
    await Promise.resolve(post({ type: 'error', message })).then(undefined, () => undefined);
    return { kind: 'failed', message };
  }
  if (!(await send(held ?? new Uint8Array(0), true))) return { kind: 'stopped' };
  return { kind: 'done', bytes, pieces: count };
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  FileNotFound: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  NoPermissions: 'permission denied',
  EISDIR: 'it is a directory',
  FileIsADirectory: 'it is a directory',
};

/** A short reason for a failed read (Node fs codes and vscode.FileSystemError codes). */
export function describeReadError(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && READ_ERRORS[code] !== undefined) return READ_ERRORS[code]!;
  return messageOf(err);
}

function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`bad piece size ${size}`);
}
