/**
 * Loads a compiled extension module with `vscode` resolved to a test's stand-in
 * (the real module exists only inside the editor). Unit tests of one module only.
 */
import Module from 'node:module';

export function loadWithFakeVscode<T>(fakeVscode: unknown, resolvedPath: string): T {
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = loader._load;
  loader._load = function (request: string, parent: unknown, isMain: boolean): unknown {
    return request === 'vscode' ? fakeVscode : original.call(this, request, parent, isMain);
  };
  try {
    return require(resolvedPath) as T;
  } finally {
    loader._load = original;
  }
}
