/*
 * Constants of the trace format (docs/trace-format.md), for a compiled recorder.
 * Generated from shared/trace/schema.ts by scripts/gen-schema.mjs: do not edit.
 */
#ifndef GREENLET_LENS_SCHEMA_H
#define GREENLET_LENS_SCHEMA_H

#define GLT_MAGIC "\x89\x47\x4c\x54\x0d\x0a\x1a\x0a"
#define GLT_MAGIC_SIZE 8
#define GLT_VERSION_MAJOR 1
#define GLT_VERSION_MINOR 2
#define GLT_FORMAT_NAME "greenlet-lens-trace"
#define GLT_CHUNK_MARKER 0xC5
#define GLT_FIRST_EXTENSION_TAG 0x80

/* Record tags. An event record is: tag, dt (u), then its fields in this order;
   an extension record (tag >= GLT_FIRST_EXTENSION_TAG): tag, length (u), then its fields. */
enum glt_tag {
    GLT_T_STR = 0x01, /* STR: u length, then that many bytes of UTF-8 */
    GLT_T_FRAME = 0x02, /* FRAME: s file, u line, s function */
    GLT_T_STACK = 0x03, /* STACK: u n, then n × f, innermost first */
    GLT_T_SPAWN = 0x10, /* spawn: g g, parent g, gkind gkind, name s, func s, site f, stack k */
    GLT_T_SWITCH = 0x11, /* switch: from g, to g */
    GLT_T_THROW = 0x12, /* switch: from g, to g */
    GLT_T_BLOCK = 0x13, /* block: g g, reason reason, obj o, timeout timeout, site f, stack k */
    GLT_T_READY = 0x14, /* ready: g g, by g */
    GLT_T_EXCEPTION = 0x15, /* exception: g g, type s, message s, traceback s */
    GLT_T_EXIT = 0x16, /* exit: g g, flags flags, value s, error s */
    GLT_T_RENAME = 0x17, /* rename: g g, name s */
    GLT_T_OBJECT = 0x20, /* object: obj o, okind okind, capacity capacity, type s, site f, by g */
    GLT_T_PUT = 0x21, /* put: obj o, item s */
    GLT_T_GET = 0x22, /* get: obj o, item s */
    GLT_T_QSYNC = 0x23, /* qsync: obj o, items strs */
    GLT_T_SET = 0x24, /* set: obj o, value s */
    GLT_T_SETEXC = 0x25, /* setexc: obj o, error s */
    GLT_T_CLEAR = 0x26, /* clear: obj o */
    GLT_T_ACQUIRE = 0x27, /* acquire: obj o, g g */
    GLT_T_RELEASE = 0x28, /* release: obj o, g g */
    GLT_T_MARK = 0x30, /* mark: label s */
    GLT_T_ERROR = 0x3E, /* error: message s */
    GLT_T_END = 0x3F, /* end: code i, switches u, errors u */
    GLT_T_OBSERVED = 0xA0, /* observed: g g, by g, how how */
    GLT_T_NAMED = 0xA1, /* named: obj o, name s */
};

/* Greenlet kinds (spawn.gkind) */
enum glt_gkind {
    GLT_G_MAIN = 0, /* main */
    GLT_G_HUB = 1, /* hub */
    GLT_G_GEVENT = 2, /* gevent */
    GLT_G_GREENLET = 3, /* greenlet */
};

/* Block reasons (block.reason) */
enum glt_reason {
    GLT_R_OTHER = 0, /* other */
    GLT_R_SLEEP = 1, /* sleep */
    GLT_R_QGET = 2, /* queue_get */
    GLT_R_QPUT = 3, /* queue_put */
    GLT_R_EVENT = 4, /* event_wait */
    GLT_R_RESULT = 5, /* result_get */
    GLT_R_JOIN = 6, /* join */
    GLT_R_LOCK = 7, /* lock_acquire */
    GLT_R_IO = 8, /* io */
};

/* Object kinds (object.okind) */
enum glt_okind {
    GLT_O_QUEUE = 1, /* Queue */
    GLT_O_LIFO = 2, /* LifoQueue */
    GLT_O_PRIORITY = 3, /* PriorityQueue */
    GLT_O_JOINABLE = 4, /* JoinableQueue */
    GLT_O_CHANNEL = 5, /* Channel */
    GLT_O_EVENT = 6, /* Event */
    GLT_O_RESULT = 7, /* AsyncResult */
    GLT_O_SEMAPHORE = 8, /* Semaphore */
    GLT_O_BOUNDED = 9, /* BoundedSemaphore */
    GLT_O_LOCK = 10, /* Lock */
    GLT_O_RLOCK = 11, /* RLock */
    GLT_O_SIMPLE = 12, /* SimpleQueue */
};

/* Exit flags (bits) (exit.flags) */
enum glt_flags {
    GLT_EXIT_STARTED = 1, /* started */
    GLT_EXIT_READY = 2, /* ready */
    GLT_EXIT_SUCCESSFUL = 4, /* successful */
    GLT_EXIT_KILLED = 8, /* killed */
};

/* Observation kinds (observed.how) */
enum glt_how {
    GLT_HOW_JOIN = 0, /* join */
    GLT_HOW_LINK = 1, /* link */
    GLT_HOW_LINK_VALUE = 2, /* link_value */
    GLT_HOW_UNKNOWN = 3, /* unknown */
    GLT_HOW_HELD = 4, /* held */
};

#endif /* GREENLET_LENS_SCHEMA_H */
