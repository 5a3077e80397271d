"""Constants of the trace format (docs/trace-format.md).

Generated from shared/trace/schema.ts by scripts/gen-schema.mjs: do not edit; change the schema
and run the generator (test/unit/schema.test.ts fails while this file is stale).
"""

MAGIC = b"\x89GLT\r\n\x1a\n"
VERSION = (1, 2)
FORMAT_NAME = "greenlet-lens-trace"
CHUNK_MARKER = 0xC5
FIRST_EXTENSION_TAG = 0x80

# Record tags
T_STR = 0x01
T_FRAME = 0x02
T_STACK = 0x03
T_SPAWN = 0x10
T_SWITCH = 0x11
T_THROW = 0x12
T_BLOCK = 0x13
T_READY = 0x14
T_EXCEPTION = 0x15
T_EXIT = 0x16
T_RENAME = 0x17
T_OBJECT = 0x20
T_PUT = 0x21
T_GET = 0x22
T_QSYNC = 0x23
T_SET = 0x24
T_SETEXC = 0x25
T_CLEAR = 0x26
T_ACQUIRE = 0x27
T_RELEASE = 0x28
T_MARK = 0x30
T_ERROR = 0x3E
T_END = 0x3F
T_OBSERVED = 0xA0
T_NAMED = 0xA1

# Greenlet kinds (spawn.gkind)
G_MAIN = 0
G_HUB = 1
G_GEVENT = 2
G_GREENLET = 3

# Block reasons (block.reason)
R_OTHER = 0
R_SLEEP = 1
R_QGET = 2
R_QPUT = 3
R_EVENT = 4
R_RESULT = 5
R_JOIN = 6
R_LOCK = 7
R_IO = 8
REASON_NAMES = ("other", "sleep", "queue_get", "queue_put", "event_wait", "result_get", "join", "lock_acquire", "io")

# Object kinds (object.okind)
O_QUEUE = 1
O_LIFO = 2
O_PRIORITY = 3
O_JOINABLE = 4
O_CHANNEL = 5
O_EVENT = 6
O_RESULT = 7
O_SEMAPHORE = 8
O_BOUNDED = 9
O_LOCK = 10
O_RLOCK = 11
O_SIMPLE = 12
OKIND_NAMES = {
    O_QUEUE: "Queue",
    O_LIFO: "LifoQueue",
    O_PRIORITY: "PriorityQueue",
    O_JOINABLE: "JoinableQueue",
    O_CHANNEL: "Channel",
    O_EVENT: "Event",
    O_RESULT: "AsyncResult",
    O_SEMAPHORE: "Semaphore",
    O_BOUNDED: "BoundedSemaphore",
    O_LOCK: "Lock",
    O_RLOCK: "RLock",
    O_SIMPLE: "SimpleQueue",
}

# Exit flags (bits) (exit.flags)
EXIT_STARTED = 1
EXIT_READY = 2
EXIT_SUCCESSFUL = 4
EXIT_KILLED = 8

# Observation kinds (observed.how)
HOW_JOIN = 0
HOW_LINK = 1
HOW_LINK_VALUE = 2
HOW_UNKNOWN = 3
HOW_HELD = 4

# Fields of each event record after its tag and dt, in wire order: (JSON name, encoding)
FIELDS = {
    T_SPAWN: (("g", "g"), ("parent", "g"), ("gkind", "gkind"), ("name", "s"), ("func", "s"), ("site", "f"), ("stack", "k")),
    T_SWITCH: (("from", "g"), ("to", "g")),
    T_THROW: (("from", "g"), ("to", "g")),
    T_BLOCK: (("g", "g"), ("reason", "reason"), ("obj", "o"), ("timeout", "timeout"), ("site", "f"), ("stack", "k")),
    T_READY: (("g", "g"), ("by", "g")),
    T_EXCEPTION: (("g", "g"), ("type", "s"), ("message", "s"), ("traceback", "s")),
    T_EXIT: (("g", "g"), ("flags", "flags"), ("value", "s"), ("error", "s")),
    T_RENAME: (("g", "g"), ("name", "s")),
    T_OBJECT: (("obj", "o"), ("okind", "okind"), ("capacity", "capacity"), ("type", "s"), ("site", "f"), ("by", "g")),
    T_PUT: (("obj", "o"), ("item", "s")),
    T_GET: (("obj", "o"), ("item", "s")),
    T_QSYNC: (("obj", "o"), ("items", "strs")),
    T_SET: (("obj", "o"), ("value", "s")),
    T_SETEXC: (("obj", "o"), ("error", "s")),
    T_CLEAR: (("obj", "o"),),
    T_ACQUIRE: (("obj", "o"), ("g", "g")),
    T_RELEASE: (("obj", "o"), ("g", "g")),
    T_MARK: (("label", "s"),),
    T_ERROR: (("message", "s"),),
    T_END: (("code", "i"), ("switches", "u"), ("errors", "u")),
    T_OBSERVED: (("g", "g"), ("by", "g"), ("how", "how")),
    T_NAMED: (("obj", "o"), ("name", "s")),
}
