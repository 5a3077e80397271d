/**
 * Sending the custom DAP requests of shared/protocol/custom-dap.ts with
 * their argument and response types checked. The name table is typed by
 * the protocol's request map, so a renamed or added request fails to
 * compile here rather than failing at run time. No `vscode` import: the
 * session is described structurally.
 */

import type {
  CustomRequestArguments,
  CustomRequestName,
  CustomResponseBody,
} from '../shared/protocol/custom-dap';

/** Each custom request's name, checked against the protocol's request map both ways. */
export const CUSTOM_REQUESTS: { readonly [K in CustomRequestName]: K } = {
  stepSwitch: 'stepSwitch',
  runToGreenlet: 'runToGreenlet',
  greenletSnapshot: 'greenletSnapshot',
  greenletWhy: 'greenletWhy',
};

/** The part of vscode.DebugSession this module needs. */
export interface CustomRequestTarget {
  customRequest(command: string, args?: object): PromiseLike<unknown>;
}

export async function sendCustomRequest<K extends CustomRequestName>(
  session: CustomRequestTarget,
  name: K,
  args: CustomRequestArguments<K>,
): Promise<CustomResponseBody<K>> {
  // The adapter is the other half of this contract (it implements the same
  // map), so its response body is taken as declared rather than re-validated.
  return (await session.customRequest(CUSTOM_REQUESTS[name], args)) as CustomResponseBody<K>;
}
