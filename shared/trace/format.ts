/**
 * The reader's view of the file layout (docs/trace-format.md "File
 * layout"): sizes of the fixed parts, and the limits past which a size is
 * taken for corruption. The constants a writer shares (magic, version, tags,
 * enums) are in schema.ts.
 */

/** magic (8) + major (2) + minor (2) + header length (4). */
export const PREAMBLE_SIZE = 16;
/** marker (1) + payload length (4) + crc32 (4). */
export const CHUNK_HEADER_SIZE = 9;

/**
 * Sizes above these are treated as corruption rather than waited for: the
 * runtime flushes at 64 KiB, so a multi-hundred-MiB chunk means a flipped
 * length byte, and waiting for it would buffer the rest of the file for nothing.
 */
export const MAX_HEADER_SIZE = 16 * 1024 * 1024;
export const MAX_CHUNK_SIZE = 256 * 1024 * 1024;
