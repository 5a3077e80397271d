/**
 * Any failure as a DAP error response: the AdapterErrorId as the message id
 * (so clients can branch on it), the message shown to the user.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { AdapterErrorId, asAdapterError } from '../errors';

export function asErrorResponse(response: DebugProtocol.Response, err: unknown, showUser = true): DebugProtocol.Response {
  const e = asAdapterError(err, AdapterErrorId.RuntimeRequestFailed);
  // Built by hand: DebugSession.sendErrorResponse throws on a message holding "{_…}" (a Python dict
  // repr, say). Without `variables`, VS Code shows `format` as it is.
  response.success = false;
  response.message = e.message;
  response.body = { error: { id: e.id, format: e.message, showUser } };
  return response;
}
