/**
 * Browser-safe entry point of the trace reader. read-file.ts is deliberately
 * not re-exported: it imports fs, and the webview bundle imports this file.
 */
export * from './events';
export * from './format';
export * from './schema';
export { crc32 } from './crc32';
export { TraceDecoder, type DecodeResult, type DecodeStatus } from './decoder';
export { ErrorCode, TraceError } from '../errors';
