/**
 * Loads a compiled extension module with `vscode` resolved to a test's stand-in
 * (the real module exists only inside the editor). Unit tests of one module only.
 */
import Module from 'node:module';
import * as path from 'node:path';

type Listener<T> = (value: T) => void;

/** A stand-in for vscode.EventEmitter: event(listener), fire(value). */
export function emitter<T>() {
  const listeners = new Set<Listener<T>>();
  return {
    event: (l: Listener<T>) => { listeners.add(l); return { dispose: () => listeners.delete(l) }; },
    fire: (v: T) => { for (const l of [...listeners]) l(v); },
    clear: () => listeners.clear(),
    get size() { return listeners.size; },
  };
}

/** A stand-in for vscode.Uri with the few members the extension uses. */
export class FakeUri {
  constructor(readonly fsPath: string, readonly scheme = 'file') {}
  toString(): string { return `${this.scheme}://${this.fsPath}`; }
  static file(p: string): FakeUri { return new FakeUri(p); }
  static joinPath(base: FakeUri, ...parts: string[]): FakeUri { return new FakeUri(path.join(base.fsPath, ...parts), base.scheme); }
}

export function loadWithFakeVscode<T>(fakeVscode: unknown, resolvedPath: string): T {
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = loader._load;
  loader._load = function (request: string, parent: unknown, isMain: boolean): unknown {
    return request === 'vscode' ? fakeVscode : original.call(this, request, parent, isMain);
  };
  try {
    // The module must load through Module._load, hooked above, so a static import cannot do.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(resolvedPath) as T;
  } finally {
    loader._load = original;
  }
}
