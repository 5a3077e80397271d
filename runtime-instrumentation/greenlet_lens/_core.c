/*
 * The compiled recorder core: the hot paths of tracer.py, recorder.py,
 * waits.py and encoder.py in C, against Python's public C API only. Built on
 * first use by accel.py (one compiler call, cached outside the project).
 *
 *   Encoder      encoder.PyEncoder's constructor, attributes and methods;
 *                writes byte for byte what it writes.
 *   SwitchState  state.SwitchState's attributes, and the greenlet trace
 *                callback itself (tracer.make_tracer's trace), a block's
 *                wait_info and a spawn's walk (waits.WaitInspector's), the
 *                queue item record (Recorder.queue_recorder's record), and a
 *                gevent greenlet's spawn, first switch and end
 *                (Recorder.spawned, SwitchMixin._check_name and _exited,
 *                observe.at_death where compiled gevent hides the links).
 *
 * Nothing here may raise into the program: every failure inside a hook goes
 * to the recorder's error(where, exception), as in the Python recorder.
 * Tags and enums come from _schema.h, generated from the one trace schema.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <pythread.h>
#include <time.h>
#include <math.h>
#include <string.h>
#include "_schema.h"

/* -- Encoder ---------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    PyObject *buf;        /* bytearray */
    long long last_us;
    long long events;
    long long nstrings;
    PyObject *strings;    /* dict: str -> id */
    PyObject *on_full;
    Py_ssize_t flush_size;
    Py_ssize_t max_interned;
} Encoder;

static PyTypeObject EncoderType;

static inline int put_uvarint(unsigned char *p, unsigned long long v)
{
    int n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)((v & 0x7F) | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

static int enc_append(Encoder *e, const unsigned char *data, Py_ssize_t n)
{
    Py_ssize_t old = PyByteArray_GET_SIZE(e->buf);
    if (PyByteArray_Resize(e->buf, old + n) < 0)
        return -1;
    memcpy(PyByteArray_AS_STRING(e->buf) + old, data, (size_t)n);
    return 0;
}

/* The record's tag and time delta; moves last_us to now (as the Python one does, even backwards). */
static inline int enc_head(Encoder *e, unsigned char *p, int tag, long long now)
{
    long long dt = now - e->last_us;
    e->last_us = now;
    p[0] = (unsigned char)tag;
    return 1 + put_uvarint(p + 1, dt > 0 ? (unsigned long long)dt : 0);
}

static int enc_done(Encoder *e, const unsigned char *p, Py_ssize_t n, int events)
{
    if (enc_append(e, p, n) < 0)
        return -1;
    e->events += events;
    if (PyByteArray_GET_SIZE(e->buf) > e->flush_size) {
        PyObject *r = PyObject_CallNoArgs(e->on_full);
        if (r == NULL)
            return -1;
        Py_DECREF(r);
    }
    return 0;
}

/* A field value: a non-negative int (string, frame and object ids included). */
static int as_field(PyObject *v, unsigned long long *out)
{
    if (!PyLong_Check(v)) {
        PyErr_Format(PyExc_TypeError, "a record field must be an int, not %.100s", Py_TYPE(v)->tp_name);
        return -1;
    }
    int overflow;
    long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (x == -1 && PyErr_Occurred())
        return -1;
    if (overflow > 0) {
        *out = PyLong_AsUnsignedLongLong(v);
        return (*out == (unsigned long long)-1 && PyErr_Occurred()) ? -1 : 0;
    }
    if (overflow < 0 || x < 0) {
        PyErr_SetString(PyExc_ValueError, "a record field must not be negative");
        return -1;
    }
    *out = (unsigned long long)x;
    return 0;
}

static int as_time(PyObject *v, long long *out)
{
    *out = PyLong_AsLongLong(v);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* The id of s, defining it (a STR record) first if it is new; -1 on error. */
static long long enc_string(Encoder *e, PyObject *s)
{
    if (!PyUnicode_Check(s)) {
        PyErr_Format(PyExc_TypeError, "a string value must be a str, not %.100s", Py_TYPE(s)->tp_name);
        return -1;
    }
    PyObject *found = PyDict_GetItemWithError(e->strings, s);
    if (found != NULL)
        return PyLong_AsLongLong(found);
    if (PyErr_Occurred())
        return -1;
    PyObject *data = PyUnicode_AsEncodedString(s, "utf-8", "replace");
    if (data == NULL)
        return -1;
    Py_ssize_t len = PyBytes_GET_SIZE(data);
    unsigned char head[16];
    int h = 0;
    head[h++] = GLT_T_STR;
    h += put_uvarint(head + h, (unsigned long long)len);
    Py_ssize_t old = PyByteArray_GET_SIZE(e->buf);
    if (PyByteArray_Resize(e->buf, old + h + len) < 0) {
        Py_DECREF(data);
        return -1;
    }
    char *dst = PyByteArray_AS_STRING(e->buf) + old;
    memcpy(dst, head, (size_t)h);
    memcpy(dst + h, PyBytes_AS_STRING(data), (size_t)len);
    Py_DECREF(data);
    long long sid = ++e->nstrings;
    if (PyDict_GET_SIZE(e->strings) < e->max_interned) {
        PyObject *id = PyLong_FromLongLong(sid);
        if (id == NULL)
            return -1;
        int rc = PyDict_SetItem(e->strings, s, id);
        Py_DECREF(id);
        if (rc < 0)
            return -1;
    }
    return sid;
}

static int enc_event2(Encoder *e, int tag, long long now, unsigned long long a, unsigned long long b)
{
    unsigned char p[40];
    int n = enc_head(e, p, tag, now);
    n += put_uvarint(p + n, a);
    n += put_uvarint(p + n, b);
    return enc_done(e, p, n, 1);
}

static PyObject *Encoder_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *last_us, *on_full;
    Py_ssize_t flush_size = 64 * 1024, max_interned = 200000;
    if (!PyArg_ParseTuple(args, "OO|nn:Encoder", &last_us, &on_full, &flush_size, &max_interned))
        return NULL;
    Encoder *e = (Encoder *)type->tp_alloc(type, 0);
    if (e == NULL)
        return NULL;
    if (as_time(last_us, &e->last_us) < 0)
        goto fail;
    e->buf = PyByteArray_FromStringAndSize(NULL, 0);
    e->strings = PyDict_New();
    if (e->buf == NULL || e->strings == NULL)
        goto fail;
    PyObject *zero = PyLong_FromLong(0);
    if (zero == NULL || PyDict_SetItemString(e->strings, "", zero) < 0) {
        Py_XDECREF(zero);
        goto fail;
    }
    Py_DECREF(zero);
    Py_INCREF(on_full);
    e->on_full = on_full;
    e->flush_size = flush_size;
    e->max_interned = max_interned;
    return (PyObject *)e;
fail:
    Py_DECREF(e);
    return NULL;
}

/* A type's object fields, listed once (X-macros) for its traverse and clear. */
#define ENCODER_OBJECTS(X) X(buf) X(strings) X(on_full)
#define VISIT_FIELD(f) Py_VISIT(self->f);
#define CLEAR_FIELD(f) Py_CLEAR(self->f);

static int Encoder_traverse(Encoder *self, visitproc visit, void *arg)
{
    ENCODER_OBJECTS(VISIT_FIELD)
    return 0;
}

static int Encoder_clear(Encoder *self)
{
    ENCODER_OBJECTS(CLEAR_FIELD)
    return 0;
}

/* tp_dealloc of a GC type whose fields clear() drops. */
static void gc_dealloc(PyObject *o, inquiry clear)
{
    PyObject_GC_UnTrack(o);
    clear(o);
    Py_TYPE(o)->tp_free(o);
}

static void Encoder_dealloc(PyObject *e)
{
    gc_dealloc(e, (inquiry)Encoder_clear);
}

static PyObject *Encoder_string(Encoder *e, PyObject *s)
{
    long long sid = enc_string(e, s);
    return sid < 0 ? NULL : PyLong_FromLongLong(sid);
}

static PyObject *Encoder_event(Encoder *e, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 2) {
        PyErr_SetString(PyExc_TypeError, "event(tag, now_us, *fields)");
        return NULL;
    }
    Py_ssize_t room = 16 + 10 * nargs;
    unsigned char small[256];
    unsigned char *p = room <= (Py_ssize_t)sizeof small ? small : PyMem_Malloc((size_t)room);
    if (p == NULL)
        return PyErr_NoMemory();
    PyObject *result = NULL;
    unsigned long long tag, v;
    long long now;
    if (as_field(args[0], &tag) < 0 || as_time(args[1], &now) < 0)
        goto out;
    /* Fields are checked before the record starts: a bad one writes nothing. */
    int n = 0;
    {
        unsigned char *q = p + 12;  /* head (tag + dt) fits in 11 bytes */
        int m = 0;
        for (Py_ssize_t i = 2; i < nargs; i++) {
            if (as_field(args[i], &v) < 0)
                goto out;
            m += put_uvarint(q + m, v);
        }
        unsigned char head[12];
        int h = enc_head(e, head, (int)tag, now);
        memmove(p + h, q, (size_t)m);
        memcpy(p, head, (size_t)h);
        n = h + m;
    }
    if (enc_done(e, p, n, 1) < 0)
        goto out;
    result = Py_NewRef(Py_None);
out:
    if (p != small)
        PyMem_Free(p);
    return result;
}

static PyObject *Encoder_event2(Encoder *e, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned long long tag, a, b;
    long long now;
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "event2(tag, now_us, a, b)");
        return NULL;
    }
    if (as_field(args[0], &tag) < 0 || as_time(args[1], &now) < 0 || as_field(args[2], &a) < 0
        || as_field(args[3], &b) < 0)
        return NULL;
    if (enc_event2(e, (int)tag, now, a, b) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static int enc_block_switch(Encoder *e, long long now, unsigned long long g, unsigned long long reason,
                            unsigned long long obj, unsigned long long timeout, unsigned long long site,
                            unsigned long long stack, int tag, unsigned long long to)
{
    unsigned char p[128];
    int n = enc_head(e, p, GLT_T_BLOCK, now);
    n += put_uvarint(p + n, g);
    n += put_uvarint(p + n, reason);
    n += put_uvarint(p + n, obj);
    n += put_uvarint(p + n, timeout);
    n += put_uvarint(p + n, site);
    n += put_uvarint(p + n, stack);
    p[n++] = (unsigned char)tag;
    p[n++] = 0;
    n += put_uvarint(p + n, g);
    n += put_uvarint(p + n, to);
    return enc_done(e, p, n, 2);
}

static int enc_ready_switch(Encoder *e, long long now, unsigned long long g, unsigned long long by, int tag,
                            unsigned long long origin)
{
    unsigned char p[64];
    int n = enc_head(e, p, GLT_T_READY, now);
    n += put_uvarint(p + n, g);
    n += put_uvarint(p + n, by);
    p[n++] = (unsigned char)tag;
    p[n++] = 0;
    n += put_uvarint(p + n, origin);
    n += put_uvarint(p + n, g);
    return enc_done(e, p, n, 2);
}

/* Arguments (now_us, field, ...): nargs must be n; f[1..n-1] get the fields. 0, or -1 with an error. */
static int now_and_fields(PyObject *const *args, Py_ssize_t nargs, int n, const char *usage, long long *now,
                          unsigned long long *f)
{
    if (nargs != n) {
        PyErr_SetString(PyExc_TypeError, usage);
        return -1;
    }
    if (as_time(args[0], now) < 0)
        return -1;
    for (int i = 1; i < n; i++)
        if (as_field(args[i], &f[i]) < 0)
            return -1;
    return 0;
}

static PyObject *Encoder_block_switch(Encoder *e, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned long long f[9];
    long long now;
    if (now_and_fields(args, nargs, 9, "block_switch(now_us, g, reason, obj, timeout, site, stack, tag, to)", &now, f)
        < 0)
        return NULL;
    if (enc_block_switch(e, now, f[1], f[2], f[3], f[4], f[5], f[6], (int)f[7], f[8]) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *Encoder_ready_switch(Encoder *e, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned long long f[5];
    long long now;
    if (now_and_fields(args, nargs, 5, "ready_switch(now_us, g, by, tag, origin)", &now, f) < 0)
        return NULL;
    if (enc_ready_switch(e, now, f[1], f[2], (int)f[3], f[4]) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static int enc_item(Encoder *e, int tag, long long now, unsigned long long obj, PyObject *text)
{
    long long sid = enc_string(e, text);
    if (sid < 0)
        return -1;
    return enc_event2(e, tag, now, obj, (unsigned long long)sid);
}

static PyObject *Encoder_item(Encoder *e, PyObject *const *args, Py_ssize_t nargs)
{
    unsigned long long tag, obj;
    long long now;
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "item(tag, now_us, obj, text)");
        return NULL;
    }
    if (as_field(args[0], &tag) < 0 || as_time(args[1], &now) < 0 || as_field(args[2], &obj) < 0)
        return NULL;
    if (enc_item(e, (int)tag, now, obj, args[3]) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *Encoder_leave_out(Encoder *e, PyObject *arg)
{
    long long us;
    if (as_time(arg, &us) < 0)
        return NULL;
    if (us > 0)
        e->last_us += us;
    Py_RETURN_NONE;
}

static PyMethodDef Encoder_methods[] = {
    {"string", (PyCFunction)Encoder_string, METH_O, "The id of s, defining it first if it is new."},
    {"event", (PyCFunction)(void (*)(void))Encoder_event, METH_FASTCALL, "One event record."},
    {"event2", (PyCFunction)(void (*)(void))Encoder_event2, METH_FASTCALL, "event() for two fields."},
    {"block_switch", (PyCFunction)(void (*)(void))Encoder_block_switch, METH_FASTCALL, "A block and its switch."},
    {"ready_switch", (PyCFunction)(void (*)(void))Encoder_ready_switch, METH_FASTCALL, "A ready and its switch."},
    {"item", (PyCFunction)(void (*)(void))Encoder_item, METH_FASTCALL, "A put or get of an item's text."},
    {"leave_out", (PyCFunction)Encoder_leave_out, METH_O, "Leave us microseconds out of later times."},
    {NULL}
};

static PyMemberDef Encoder_members[] = {
    {"buf", T_OBJECT_EX, offsetof(Encoder, buf), READONLY, NULL},
    {"last_us", T_LONGLONG, offsetof(Encoder, last_us), 0, NULL},
    {"events", T_LONGLONG, offsetof(Encoder, events), 0, NULL},
    {"nstrings", T_LONGLONG, offsetof(Encoder, nstrings), 0, NULL},
    {"strings", T_OBJECT_EX, offsetof(Encoder, strings), READONLY, NULL},
    {"on_full", T_OBJECT_EX, offsetof(Encoder, on_full), 0, NULL},
    {"flush_size", T_PYSSIZET, offsetof(Encoder, flush_size), 0, NULL},
    {"max_interned", T_PYSSIZET, offsetof(Encoder, max_interned), 0, NULL},
    {NULL}
};

static PyTypeObject EncoderType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "greenlet_lens._core.Encoder",
    .tp_basicsize = sizeof(Encoder),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "The compiled encoder (encoder.PyEncoder's twin).",
    .tp_new = Encoder_new,
    .tp_dealloc = Encoder_dealloc,
    .tp_traverse = (traverseproc)Encoder_traverse,
    .tp_clear = (inquiry)Encoder_clear,
    .tp_methods = Encoder_methods,
    .tp_members = Encoder_members,
};

/* -- SwitchState ------------------------------------------------------ */

/* One slot of the address cache in front of `ids` and `objects`: a weak
   reference to the object it answers for, and its logical id. */
typedef struct {
    PyObject *ref, *n;
} IdSlot;
#define ID_SLOTS 256

typedef struct {
    PyObject_HEAD
    char enabled;
    long long switches;
    long long current;
    long long last_switch_us;
    PyObject *switch_hook;
    /* The debugger's filter on switch_hook (see hook_wanted). */
    char hook_all;
    long long hook_target;
    PyObject *prev_tracer;
    /* containers, shared with the Recorder */
    PyObject *ids, *objects, *hubs, *blocked, *block_reasons, *waiters, *last_waker, *started, *unnamed;
    unsigned long main_ident;
    /* bind() */
    Encoder *enc;
    PyObject *wait_info, *slow, *error, *interrupt, *safe_repr;
    /* the WaitInspector's caches, read in place, and its methods for what they miss (waits.py) */
    PyObject *w_codes, *w_calls, *w_code, *w_line, *w_settle;
    Py_ssize_t depth;
    /* bind_greenlets(): the Recorder's greenlet tables and what a spawn and an exit call */
    PyObject *gkind, *names, *funcs, *g_add, *getcurrent, *name_of, *func_name, *exit_cls, *at_death, *spawned_py;
    PyObject *unseen, *rec, *has_links;
    PyObject *sealed_greenlet;  /* gevent's Greenlet when compiled (its links out of reach), else None */
    Py_ssize_t name_limit, repr_limit, max_unseen;
    /* ids and objects looked up by address first (cached_id) */
    IdSlot gslots[ID_SLOTS], oslots[ID_SLOTS];
} State;

static PyTypeObject StateType;
static PyObject *s_switch, *s_throw, *s_dead, *s_gr_frame, *s_0x, *s_where_switch, *s_where_queue;
/* greenlet.greenlet's own `dead` and `gr_frame` getters (NULL: none found), called directly on every
   switch and block: the lookup through a gevent Greenlet's type, whose `dead` is a property over the
   base one, cost ~1,300 instructions a switch. A greenlet switching out has run, so it was not
   cancelled before its start: the base getter's `dead` is gevent's. No subclass's override is called. */
static PyObject *base_dead, *base_gr_frame;
static PyObject *s_name, *s__run, *s_value, *s_exception, *s_successful, *s___qualname__, *s_where_spawn,
    *s_empty, *g_gevent, *s___init__, *s__links, *s_ended_hook, *s_where_observed, *s_kinds, *s__cache, *s_seconds,
    *s_timeout, *s_self;
static PyObject *s_wait_info, *s__codes, *s__calls, *s__code, *s__line, *s_settle, *s_depth, *s__stacks, *s_stack,
    *s_f_locals, *s_f_globals, *s___dict__, *s_load_global, *zero;

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static PyObject *State_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *c[9], *last, *main;
    if (!PyArg_ParseTuple(args, "OOOOOOOOOOO:SwitchState", &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6],
                          &c[7], &c[8], &last, &main))
        return NULL;
    if (!PyDict_Check(c[0]) || !PyDict_Check(c[1]) || !PyAnySet_Check(c[2]) || !PyDict_Check(c[3])
        || !PyDict_Check(c[4]) || !PyDict_Check(c[5]) || !PyDict_Check(c[6]) || !PyAnySet_Check(c[7])
        || !PyAnySet_Check(c[8])) {
        PyErr_SetString(PyExc_TypeError, "SwitchState: containers of the wrong type");
        return NULL;
    }
    State *s = (State *)type->tp_alloc(type, 0);
    if (s == NULL)
        return NULL;
    PyObject **slots[9] = {&s->ids, &s->objects, &s->hubs, &s->blocked, &s->block_reasons, &s->waiters,
                           &s->last_waker, &s->started, &s->unnamed};
    for (int i = 0; i < 9; i++)
        *slots[i] = Py_NewRef(c[i]);
    s->enabled = 1;
    s->current = 1;
    s->last_switch_us = PyLong_AsLongLong(last);
    s->main_ident = PyLong_AsUnsignedLong(main);
    s->switch_hook = Py_NewRef(Py_None);
    s->hook_all = 1;
    s->prev_tracer = Py_NewRef(Py_None);
    if (PyErr_Occurred()) {
        Py_DECREF(s);
        return NULL;
    }
    return (PyObject *)s;
}

#define STATE_OBJECTS(X)                                                                                      \
    X(switch_hook) X(prev_tracer) X(ids) X(objects) X(hubs) X(blocked) X(block_reasons) X(waiters) X(last_waker) \
    X(started) X(unnamed) X(enc) X(wait_info) X(slow) X(error) X(interrupt) X(safe_repr) X(w_codes) X(w_calls)   \
    X(w_code) X(w_line) X(w_settle) X(gkind) X(names) X(funcs) X(g_add) X(getcurrent) X(name_of) X(func_name)   \
    X(exit_cls) X(at_death) X(spawned_py) X(unseen) X(rec) X(has_links) X(sealed_greenlet)

static int State_traverse(State *self, visitproc visit, void *arg)
{
    STATE_OBJECTS(VISIT_FIELD)
    for (int i = 0; i < ID_SLOTS; i++) {
        Py_VISIT(self->gslots[i].ref);
        Py_VISIT(self->gslots[i].n);
        Py_VISIT(self->oslots[i].ref);
        Py_VISIT(self->oslots[i].n);
    }
    return 0;
}

static void forget_slots(State *self)
{
    for (int i = 0; i < ID_SLOTS; i++) {
        Py_CLEAR(self->gslots[i].ref);
        Py_CLEAR(self->gslots[i].n);
        Py_CLEAR(self->oslots[i].ref);
        Py_CLEAR(self->oslots[i].n);
    }
}

static int State_clear(State *self)
{
    STATE_OBJECTS(CLEAR_FIELD)
    forget_slots(self);
    return 0;
}

static void State_dealloc(PyObject *s)
{
    gc_dealloc(s, (inquiry)State_clear);
}

static PyObject *State_bind(State *s, PyObject *args)
{
    PyObject *enc, *waits, *slow, *error, *interrupt, *safe_repr;
    if (!PyArg_ParseTuple(args, "O!OOOOO:bind", &EncoderType, &enc, &waits, &slow, &error, &interrupt,
                          &safe_repr))
        return NULL;
    PyObject *got[6];
    PyObject *names[6] = {s_wait_info, s__codes, s__calls, s__code, s__line, s_settle};
    for (int i = 0; i < 6; i++) {
        got[i] = PyObject_GetAttr(waits, names[i]);
        if (got[i] == NULL) {
            while (i--)
                Py_DECREF(got[i]);
            return NULL;
        }
    }
    PyObject *depth = PyObject_GetAttr(waits, s_depth);
    Py_ssize_t d = depth ? PyLong_AsSsize_t(depth) : -1;
    Py_XDECREF(depth);
    if (d < 0 || !PyDict_Check(got[1]) || !PyDict_Check(got[2])) {
        for (int i = 0; i < 6; i++)
            Py_DECREF(got[i]);
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "bind: not a WaitInspector");
        return NULL;
    }
    PyObject **slots[11] = {(PyObject **)&s->enc, &s->slow, &s->error, &s->interrupt, &s->safe_repr,
                            &s->wait_info, &s->w_codes, &s->w_calls, &s->w_code, &s->w_line, &s->w_settle};
    PyObject *vals[11] = {Py_NewRef(enc), Py_NewRef(slow), Py_NewRef(error), Py_NewRef(interrupt),
                          Py_NewRef(safe_repr), got[0], got[1], got[2], got[3], got[4], got[5]};
    for (int i = 0; i < 11; i++)
        Py_XSETREF(*slots[i], vals[i]);
    s->depth = d;
    Py_RETURN_NONE;
}

/* bind_greenlets(rec, getcurrent, name_of, func_name, at_death, has_links,
 * name_limit, repr_limit, max_unseen): what spawn(), a first switch and an
 * exit need: the Recorder's tables (read from rec) and its helpers. */
static PyObject *State_bind_greenlets(State *s, PyObject *args)
{
    PyObject *rec, *o[5];
    Py_ssize_t limits[3];
    if (!PyArg_ParseTuple(args, "OOOOOOnnn:bind_greenlets", &rec, &o[0], &o[1], &o[2], &o[3], &o[4], &limits[0],
                          &limits[1], &limits[2]))
        return NULL;
    const char *attrs[7] = {"gkind", "names", "funcs", "unseen_ends", "spawned", "_exit_cls", "greenlets"};
    PyObject *got[8] = {0};
    for (int i = 0; i < 7; i++)
        if ((got[i] = PyObject_GetAttrString(rec, attrs[i])) == NULL)
            goto fail;
    if ((got[7] = PyObject_GetAttrString(got[6], "add")) == NULL)
        goto fail;
    if (!PyDict_Check(got[0]) || !PyDict_Check(got[1]) || !PyDict_Check(got[2]) || !PyAnySet_Check(got[3])) {
        PyErr_SetString(PyExc_TypeError, "bind_greenlets: not a Recorder");
        goto fail;
    }
    PyObject **slots[13] = {&s->gkind, &s->names, &s->funcs, &s->unseen, &s->spawned_py, &s->exit_cls, &s->g_add,
                            &s->rec, &s->getcurrent, &s->name_of, &s->func_name, &s->at_death, &s->has_links};
    PyObject *vals[13] = {got[0], got[1], got[2], got[3], got[4], got[5], got[7], Py_NewRef(rec), Py_NewRef(o[0]),
                          Py_NewRef(o[1]), Py_NewRef(o[2]), Py_NewRef(o[3]), Py_NewRef(o[4])};
    Py_DECREF(got[6]);
    for (int i = 0; i < 13; i++)
        Py_XSETREF(*slots[i], vals[i]);
    PyObject *cls = PyObject_GetAttrString(rec, "_gevent_greenlet");
    if (cls == NULL)
        return NULL;
    if (!PyType_Check(cls) || ((PyTypeObject *)cls)->tp_flags & Py_TPFLAGS_HEAPTYPE)
        Py_SETREF(cls, Py_NewRef(Py_None));
    Py_XSETREF(s->sealed_greenlet, cls);
    s->name_limit = limits[0];
    s->repr_limit = limits[1];
    s->max_unseen = limits[2];
    Py_RETURN_NONE;
fail:
    for (int i = 0; i < 8; i++)
        Py_XDECREF(got[i]);
    return NULL;
}

/* The pending exception, handed to error(where, exc) (a KeyboardInterrupt to
 * interrupt()): nothing raised in a hook reaches the program. */
static void report_error(State *s, PyObject *where)
{
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *exc = PyErr_GetRaisedException();
#else
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (value != NULL && tb != NULL)
        PyException_SetTraceback(value, tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    PyObject *exc = value;
#endif
    if (exc == NULL)
        return;
    PyObject *r;
    if (PyErr_GivenExceptionMatches(exc, PyExc_KeyboardInterrupt))
        r = s->interrupt ? PyObject_CallNoArgs(s->interrupt) : NULL;
    else
        r = s->error ? PyObject_CallFunctionObjArgs(s->error, where, exc, NULL) : NULL;
    Py_XDECREF(r);
    Py_DECREF(exc);
    PyErr_Clear();
}

/* g.<name> through greenlet.greenlet's own getter `descr` when there is one and g is a greenlet. */
static PyObject *base_attr(PyObject *descr, PyObject *g, PyObject *name)
{
    descrgetfunc get = descr != NULL ? Py_TYPE(descr)->tp_descr_get : NULL;
    if (get != NULL && PyObject_TypeCheck(g, PyDescr_TYPE(descr)))
        return get(descr, g, (PyObject *)Py_TYPE(g));
    return PyObject_GetAttr(g, name);
}

/* d[key], borrowed, or NULL (no error set when missing). */
static inline PyObject *lookup(PyObject *d, PyObject *key)
{
    return PyDict_GetItemWithError(d, key);
}

static PyObject *id_key(PyObject *obj)
{
    return PyLong_FromVoidPtr(obj);
}

/* The weak reference `ref` still refers to `obj`. */
static inline int weak_is(PyObject *ref, PyObject *obj)
{
#if PY_VERSION_HEX >= 0x030D0000
    PyObject *o = NULL;
    int alive = PyWeakref_GetRef(ref, &o);
    if (alive < 0) {
        PyErr_Clear();
        return 0;
    }
    Py_XDECREF(o);
    return alive == 1 && o == obj;
#else
    return PyWeakref_GET_OBJECT(ref) == obj;
#endif
}

/* table.get(id(obj)) (an IdMap's `ids`), with a slot per address in front:
 * a switch looked up both greenlets by a fresh int each time (allocated,
 * hashed, compared, freed). A slot's weak reference makes sure an address
 * reused by a newer object is never taken for the old one; IdMap forgets a
 * dead object's key as its own weak reference dies, and forget_ids() (a
 * restart) empties the slots. A borrowed reference, or NULL: not there, or
 * an error (PyErr_Occurred). */
static PyObject *cached_id(IdSlot *slots, PyObject *table, PyObject *obj)
{
    IdSlot *c = &slots[((uintptr_t)obj >> 4) & (ID_SLOTS - 1)];
    if (c->ref != NULL && weak_is(c->ref, obj))
        return c->n;
    PyObject *key = id_key(obj);
    if (key == NULL)
        return NULL;
    PyObject *n = lookup(table, key);
    Py_DECREF(key);
    if (n == NULL)
        return NULL;
    PyObject *ref = PyWeakref_NewRef(obj, NULL);
    if (ref == NULL) {
        PyErr_Clear();  /* not weakly referenceable: looked up by key each time */
        return n;
    }
    Py_XSETREF(c->ref, ref);
    Py_XSETREF(c->n, Py_NewRef(n));
    return n;
}

/* -- wait_info: waits.WaitInspector.wait_info's twin ---------------------
 *
 * The walk over a blocking greenlet's frames, its stack and site, with the
 * inspector's per-code entries ([code, class, {lasti: fid}, {lasti: call},
 * gevent reason]) read in place; what they miss is filled in by the
 * inspector's own methods (_code, _line), so both recorders define the same
 * frames and stacks in the same order. The reason and object: a cached call
 * on an object already known is looked up here; everything else (a reason
 * from gevent's own frames, a first sight, a call not analysed yet) is
 * settled by WaitInspector.settle. Frames need the public frame API of 3.11.
 */
#if PY_VERSION_HEX >= 0x030B0000
#define WALK_LIMIT 64
enum { C_USER = 0, C_OURS = 1 };

/* The inspector's entry for code (a new reference), made by waits._code if there is none. */
static PyObject *code_entry(State *s, PyCodeObject *code)
{
    PyObject *key = id_key((PyObject *)code);
    if (key == NULL)
        return NULL;
    PyObject *e = lookup(s->w_codes, key);
    Py_DECREF(key);
    if (e != NULL && PyList_CheckExact(e) && PyList_GET_SIZE(e) == 5 && PyList_GET_ITEM(e, 0) == (PyObject *)code)
        return Py_NewRef(e);
    if (PyErr_Occurred())
        return NULL;
    e = PyObject_CallOneArg(s->w_code, (PyObject *)code);
    if (e != NULL && !(PyList_CheckExact(e) && PyList_GET_SIZE(e) == 5 && PyDict_CheckExact(PyList_GET_ITEM(e, 2))
                       && PyDict_CheckExact(PyList_GET_ITEM(e, 3)))) {
        Py_DECREF(e);
        PyErr_SetString(PyExc_TypeError, "WaitInspector._code gave no entry");
        return NULL;
    }
    return e;
}

/* The frame id of f at its instruction lasti (a new reference): e's cache, else waits._line. */
static PyObject *frame_fid(State *s, PyFrameObject *f, PyObject *e, PyObject *lasti)
{
    PyObject *fid = lookup(PyList_GET_ITEM(e, 2), lasti);
    if (fid != NULL)
        return Py_NewRef(fid);
    if (PyErr_Occurred())
        return NULL;
    return PyObject_CallFunctionObjArgs(s->w_line, (PyObject *)f, e, NULL);
}

/* d.get(name) for a frame's f_locals (a dict, or 3.13's proxy): 1 found, 0 not, -1 error. */
static int mapping_get(PyObject *d, PyObject *name, PyObject **out)
{
    if (PyDict_CheckExact(d)) {
        *out = Py_XNewRef(lookup(d, name));
        return *out != NULL ? 1 : (PyErr_Occurred() ? -1 : 0);
    }
    *out = PyObject_GetItem(d, name);
    if (*out != NULL)
        return 1;
    if (PyErr_ExceptionMatches(PyExc_KeyError)) {
        PyErr_Clear();
        return 0;
    }
    return -1;
}

/* callsite.resolve for the common chains (a local or global name, then
 * attributes read from instance dicts): a new reference, or NULL (no error)
 * where callsite.resolve has to say. */
static PyObject *resolve_fast(PyFrameObject *f, PyObject *chain)
{
    if (!PyTuple_CheckExact(chain) || PyTuple_GET_SIZE(chain) != 2)
        return NULL;
    PyObject *op = PyTuple_GET_ITEM(chain, 0), *names = PyTuple_GET_ITEM(chain, 1);
    if (!PyTuple_CheckExact(names) || PyTuple_GET_SIZE(names) < 1 || !PyUnicode_Check(op))
        return NULL;
    PyObject *first = PyTuple_GET_ITEM(names, 0), *obj = NULL;
    int found = 0;
    if (PyUnicode_Compare(op, s_load_global) != 0) {
        PyObject *loc = PyObject_GetAttr((PyObject *)f, s_f_locals);
        found = loc ? mapping_get(loc, first, &obj) : -1;
        Py_XDECREF(loc);
    }
    if (found == 0) {
        PyObject *glob = PyObject_GetAttr((PyObject *)f, s_f_globals);
        found = glob && PyDict_CheckExact(glob) ? mapping_get(glob, first, &obj) : -1;
        Py_XDECREF(glob);
    }
    for (Py_ssize_t i = 1; found == 1 && i < PyTuple_GET_SIZE(names); i++) {
        PyObject *d = PyObject_GenericGetAttr(obj, s___dict__);
        Py_DECREF(obj);
        obj = NULL;
        found = d && PyDict_CheckExact(d) ? mapping_get(d, PyTuple_GET_ITEM(names, i), &obj) : -1;
        Py_XDECREF(d);
    }
    if (found != 1) {
        Py_XDECREF(obj);
        PyErr_Clear();
        return NULL;
    }
    return obj;
}

/* A wait in a cached call on an object already known (a queue's get, an
 * event's wait): 1 with reason, obj and timeout set (new references), 0 when
 * WaitInspector.settle has to say, -1 on error. */
static int wait_on_known(State *s, PyFrameObject *site_frame, PyObject *site_entry, PyObject **reason,
                         PyObject **obj, PyObject **timeout)
{
    PyObject *lasti = PyLong_FromLong(PyFrame_GetLasti(site_frame));
    if (lasti == NULL)
        return -1;
    PyObject *call = lookup(PyList_GET_ITEM(site_entry, 3), lasti);
    Py_DECREF(lasti);
    if (call == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (call == Py_None) {
        *reason = PyLong_FromLong(GLT_R_OTHER);
        *obj = Py_NewRef(zero);
        *timeout = Py_NewRef(Py_None);
        return *reason != NULL ? 1 : -1;
    }
    if (!PyTuple_CheckExact(call) || PyTuple_GET_SIZE(call) != 3)
        return 0;
    PyObject *name = PyTuple_GET_ITEM(call, 0), *t = PyTuple_GET_ITEM(call, 2);
    PyObject *target = resolve_fast(site_frame, PyTuple_GET_ITEM(call, 1));
    if (target == NULL)
        return 0;
    PyObject *key = PyTuple_Pack(2, (PyObject *)Py_TYPE(target), name);
    PyObject *idk = key ? id_key(target) : NULL;
    Py_DECREF(target);
    if (idk == NULL) {
        Py_XDECREF(key);
        return -1;
    }
    PyObject *hit = lookup(s->w_calls, key);
    /* okind 0: a call told by its name alone (gevent.sleep), on no object */
    int by_name = hit != NULL && PyTuple_CheckExact(hit) && PyTuple_GET_SIZE(hit) == 2
                  && PyLong_CheckExact(PyTuple_GET_ITEM(hit, 1)) && PyLong_AsLong(PyTuple_GET_ITEM(hit, 1)) == 0;
    PyObject *n = hit == NULL ? NULL : by_name ? zero : lookup(s->objects, idk);
    Py_DECREF(key);
    Py_DECREF(idk);
    if (n == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (!PyTuple_CheckExact(hit) || PyTuple_GET_SIZE(hit) != 2)
        return 0;
    int number = PyFloat_CheckExact(t) || (PyLong_Check(t) && !PyBool_Check(t));
    *reason = Py_NewRef(PyTuple_GET_ITEM(hit, 0));
    *obj = Py_NewRef(n);
    *timeout = Py_NewRef(number ? t : Py_None);
    return 1;
}

/* A local of f (a new reference in *out): 1 found, 0 not, -1 error. locals:
 * f's f_locals, read once by the caller where there is no PyFrame_GetVar. */
static int frame_local(PyFrameObject *f, PyObject *locals, PyObject *name, PyObject **out)
{
#if PY_VERSION_HEX >= 0x030C0000
    (void)locals;
    *out = PyFrame_GetVar(f, name);
    if (*out != NULL)
        return 1;
    if (PyErr_ExceptionMatches(PyExc_NameError)) {
        PyErr_Clear();
        return 0;
    }
    return -1;
#else
    (void)f;
    return mapping_get(locals, name, out);
#endif
}

/* The kind rec.kinds has cached for tp (KindTable._cache), a borrowed
 * reference, or NULL (no error) when it has not met tp yet. */
static PyObject *cached_kind(State *s, PyTypeObject *tp)
{
    PyObject *kinds = PyObject_GetAttr(s->rec, s_kinds);
    PyObject *cache = kinds ? PyObject_GetAttr(kinds, s__cache) : NULL;
    Py_XDECREF(kinds);
    PyObject *k = cache && PyDict_CheckExact(cache) ? lookup(cache, (PyObject *)tp) : NULL;
    Py_XDECREF(cache);  /* the table keeps it, and k */
    PyErr_Clear();
    return k;
}

/* WaitInspector.settle for a reason read from gevent's own frame rframe
 * (a sleep, or a wait on something that is none of the recorded kinds, such
 * as a socket): 1 with obj and timeout set (new references), 0 when settle
 * has to say (a recorded object, a join), -1 on error. */
static int settle_reason(State *s, PyObject *reason, PyFrameObject *rframe, PyObject **obj, PyObject **timeout)
{
    long r = PyLong_AsLong(reason);
    if (r == -1 && PyErr_Occurred())
        return -1;
    if (s->rec == NULL || r == GLT_R_JOIN)
        return 0;
    PyObject *locals = NULL, *t = NULL, *target = NULL;
#if PY_VERSION_HEX < 0x030C0000
    if ((locals = PyObject_GetAttr((PyObject *)rframe, s_f_locals)) == NULL)
        return -1;
#endif
    int rc = -1;
    if (frame_local(rframe, locals, r == GLT_R_SLEEP ? s_seconds : s_timeout, &t) < 0)
        goto out;
    if (r != GLT_R_SLEEP) {
        int found = frame_local(rframe, locals, s_self, &target);
        if (found < 0)
            goto out;
        if (found && target != Py_None) {
            PyObject *k = cached_kind(s, Py_TYPE(target));
            if (k == NULL || !PyLong_CheckExact(k) || PyLong_AsLong(k) != 0) {
                rc = 0;  /* not met yet, or one of the recorded kinds */
                goto out;
            }
        }
    }
    int number = t != NULL && (PyFloat_Check(t) || (PyLong_Check(t) && !PyBool_Check(t)));
    *timeout = Py_NewRef(number ? t : Py_None);
    *obj = Py_NewRef(zero);
    rc = 1;
out:
    Py_XDECREF(locals);
    Py_XDECREF(t);
    Py_XDECREF(target);
    return rc;
}

/* What a walk over a suspended greenlet's frames found (new references or NULL). */
struct walk {
    PyObject *stack_id, *site, *site_entry, *reason;
    PyFrameObject *site_frame, *rframe;
};

static void walk_clear(struct walk *w)
{
    Py_CLEAR(w->stack_id);
    Py_CLEAR(w->site);
    Py_CLEAR(w->site_entry);
    Py_CLEAR(w->reason);
    Py_CLEAR(w->site_frame);
    Py_CLEAR(w->rframe);
}

/* The stack id of a tuple of frame ids (a new reference): the encoder's table, else its stack(). */
static PyObject *stack_id(State *s, PyObject *frames)
{
    PyObject *table = PyObject_GetAttr((PyObject *)s->enc, s__stacks);
    PyObject *id = table && PyDict_Check(table) ? Py_XNewRef(lookup(table, frames)) : NULL;
    Py_XDECREF(table);
    if (id == NULL && !PyErr_Occurred())
        id = PyObject_CallMethodOneArg((PyObject *)s->enc, s_stack, frames);
    return id;
}

/* WaitInspector.walk, and the walk wait_info inlines (with_reason): the stack
 * (innermost first, this runtime's frames left out, depth frames at most),
 * the site (the program's innermost frame) and, for a wait, the reason read
 * from gevent's innermost frame above the site. 0, or -1 with an error. */
static int walk_frames(State *s, PyObject *frame, int limit, int with_reason, struct walk *w)
{
    PyObject *stack = PyList_New(0);
    PyFrameObject *f = frame == Py_None ? NULL : (PyFrameObject *)Py_NewRef(frame);
    w->site = Py_NewRef(zero);
    int rc = -1;
    if (stack == NULL)
        goto out;
    for (int n = 0; f != NULL && n < limit; n++) {
        PyCodeObject *code = PyFrame_GetCode(f);
        PyObject *e = code_entry(s, code);
        Py_DECREF(code);
        if (e == NULL)
            goto out;
        long c = PyLong_AsLong(PyList_GET_ITEM(e, 1));
        int stop = 0;
        if (c != C_OURS) {
            PyObject *r = PyList_GET_ITEM(e, 4);
            if (with_reason && w->reason == NULL && w->site_frame == NULL && r != Py_None) {
                w->reason = Py_NewRef(r);
                w->rframe = (PyFrameObject *)Py_NewRef(f);
            }
            int in_stack = PyList_GET_SIZE(stack) < s->depth;
            if (in_stack || (w->site_frame == NULL && c == C_USER)) {
                PyObject *lasti = PyLong_FromLong(PyFrame_GetLasti(f));
                PyObject *fid = lasti ? frame_fid(s, f, e, lasti) : NULL;
                Py_XDECREF(lasti);
                if (fid == NULL || (in_stack && PyList_Append(stack, fid) < 0)) {
                    Py_XDECREF(fid);
                    Py_DECREF(e);
                    goto out;
                }
                if (c == C_USER && w->site_frame == NULL) {
                    w->site_frame = (PyFrameObject *)Py_NewRef(f);
                    Py_SETREF(w->site, Py_NewRef(fid));
                    w->site_entry = Py_NewRef(e);
                    stop = !in_stack;
                }
                Py_DECREF(fid);
            } else {
                stop = w->site_frame != NULL;
            }
        }
        Py_DECREF(e);
        if (stop)
            break;
        Py_SETREF(f, PyFrame_GetBack(f));
    }
    PyObject *frames = PyList_AsTuple(stack);
    if (frames == NULL)
        goto out;
    w->stack_id = stack_id(s, frames);
    Py_DECREF(frames);
    rc = w->stack_id != NULL ? 0 : -1;
out:
    Py_XDECREF(f);
    Py_XDECREF(stack);
    return rc;
}

/* (reason, obj id, timeout or None, site fid, stack id), as WaitInspector.wait_info gives. */
static PyObject *wait_info(State *s, PyObject *frame, PyObject *waiter)
{
    if (frame != Py_None && !PyFrame_Check(frame))
        return PyObject_CallFunctionObjArgs(s->wait_info, frame, waiter, NULL);
    struct walk w = {0};
    PyObject *result = NULL, *reason = NULL, *obj = NULL, *timeout = NULL;
    if (walk_frames(s, frame, WALK_LIMIT, 1, &w) < 0)
        goto out;
    int known = 0;
    if (w.reason == NULL && w.site_frame == NULL) {
        reason = PyLong_FromLong(GLT_R_OTHER);
        obj = Py_NewRef(zero);
        timeout = Py_NewRef(Py_None);
        known = reason != NULL ? 1 : -1;
    } else if (w.reason == NULL) {
        known = wait_on_known(s, w.site_frame, w.site_entry, &reason, &obj, &timeout);
    } else {
        known = settle_reason(s, w.reason, w.rframe, &obj, &timeout);
        if (known == 1)
            reason = Py_NewRef(w.reason);
    }
    if (known < 0)
        goto out;
    if (known == 0) {
        PyObject *rot = PyObject_CallFunctionObjArgs(
            s->w_settle, w.reason ? w.reason : Py_None, w.rframe ? (PyObject *)w.rframe : Py_None,
            w.site_frame ? (PyObject *)w.site_frame : Py_None, w.site_entry ? w.site_entry : Py_None, w.site,
            waiter, NULL);
        if (rot == NULL)
            goto out;
        if (!PyTuple_CheckExact(rot) || PyTuple_GET_SIZE(rot) != 3) {
            Py_DECREF(rot);
            PyErr_SetString(PyExc_TypeError, "WaitInspector.settle gave no 3-tuple");
            goto out;
        }
        reason = Py_NewRef(PyTuple_GET_ITEM(rot, 0));
        obj = Py_NewRef(PyTuple_GET_ITEM(rot, 1));
        timeout = Py_NewRef(PyTuple_GET_ITEM(rot, 2));
        Py_DECREF(rot);
    }
    result = PyTuple_Pack(5, reason, obj, timeout, w.site, w.stack_id);
out:
    walk_clear(&w);
    Py_XDECREF(reason);
    Py_XDECREF(obj);
    Py_XDECREF(timeout);
    return result;
}

/* walk(frame, limit=64): WaitInspector.walk's twin, (site fid, stack id). */
static PyObject *State_walk(State *s, PyObject *const *args, Py_ssize_t nargs)
{
    int limit = 64;
    if (nargs < 1 || nargs > 2 || (nargs == 2 && (limit = (int)PyLong_AsLong(args[1])) == -1 && PyErr_Occurred())) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "walk(frame, limit=64)");
        return NULL;
    }
    if (s->enc == NULL || (args[0] != Py_None && !PyFrame_Check(args[0]))) {
        PyErr_SetString(PyExc_TypeError, "walk: not bound, or not a frame");
        return NULL;
    }
    struct walk w = {0};
    PyObject *r = walk_frames(s, args[0], limit, 0, &w) < 0 ? NULL : PyTuple_Pack(2, w.site, w.stack_id);
    walk_clear(&w);
    return r;
}
#else
static PyObject *wait_info(State *s, PyObject *frame, PyObject *waiter)
{
    return PyObject_CallFunctionObjArgs(s->wait_info, frame, waiter, NULL);
}
#endif

/* -- a gevent greenlet's spawn, first switch and exit ---------------------
 *
 * Recorder.spawned, SwitchMixin._check_name and _exited for what nearly
 * every gevent greenlet is: a name the program gave or none, a function
 * whose __qualname__ is its name, an end with observe.at_death after it.
 * Anything else (a long or odd name, another kind of callable, a value to
 * render) is left to the recorder's own functions, so both recorders write
 * the same records in the same order.
 */

/* d.pop(key, None) without the value. */
static int dict_discard(PyObject *d, PyObject *key)
{
    int has = PyDict_Contains(d, key);
    return has > 0 ? PyDict_DelItem(d, key) : has;
}

/* The text of a value (an exit's value or error): reprs.safe_repr's, which
 * for an int short enough is its repr. A new reference. */
static PyObject *value_text(State *s, PyObject *v)
{
    if (v == Py_None)
        return Py_NewRef(s_empty);
    if (PyLong_CheckExact(v)) {
        PyObject *r = PyObject_Repr(v);
        if (r == NULL || PyUnicode_GET_LENGTH(r) <= s->repr_limit)
            return r;
        Py_DECREF(r);
    }
    return PyObject_CallOneArg(s->safe_repr, v);
}

/* reprs.bounded_name(compat.explicit_name(g)), a new reference: the
 * instance dict's "name" read here when it is a plain short str or absent. */
static PyObject *greenlet_name(State *s, PyObject *g)
{
    PyObject *d = PyObject_GenericGetAttr(g, s___dict__);
    if (d == NULL || !PyDict_CheckExact(d)) {
        Py_XDECREF(d);
        PyErr_Clear();
        return PyObject_CallOneArg(s->name_of, g);
    }
    PyObject *name = lookup(d, s_name), *r;
    if (name == NULL)
        r = PyErr_Occurred() ? NULL : Py_NewRef(s_empty);
    else if (!PyUnicode_Check(name))
        r = Py_NewRef(s_empty);
    else if (PyUnicode_CheckExact(name) && PyUnicode_GET_LENGTH(name) <= s->name_limit)
        r = Py_NewRef(name);
    else
        r = PyObject_CallOneArg(s->name_of, g);
    Py_DECREF(d);
    return r;
}

/* reprs.bounded_name(reprs.callable_name(compat.run_callable(g))), a new
 * reference: a function's (or a bound method's function's) __qualname__ here. */
static PyObject *greenlet_func(State *s, PyObject *g)
{
    PyObject *fn = PyObject_GetAttr(g, s__run);
    if (fn == NULL) {
        PyErr_Clear();
        return PyObject_CallOneArg(s->func_name, Py_None);
    }
    PyObject *f = PyMethod_Check(fn) ? PyMethod_GET_FUNCTION(fn) : fn, *r = NULL;
    if (PyFunction_Check(f)) {
        PyObject *q = PyObject_GetAttr(f, s___qualname__);
        if (q != NULL && PyUnicode_CheckExact(q) && PyUnicode_GET_LENGTH(q) <= s->name_limit)
            r = q;
        else {
            Py_XDECREF(q);
            PyErr_Clear();
        }
    }
    if (r == NULL)
        r = PyObject_CallOneArg(s->func_name, fn);
    Py_DECREF(fn);
    return r;
}

/* Whether greenlet n (g) is a gevent greenlet: 1, 0, or -1 with an error. */
static int is_gevent_kind(State *s, PyObject *n)
{
    PyObject *k = lookup(s->gkind, n);
    if (k == NULL)
        return PyErr_Occurred() ? -1 : 0;
    return PyObject_RichCompareBool(k, g_gevent, Py_EQ);
}

/* _check_name's question without its answer: 1 when g (id n) is not a gevent
 * greenlet or keeps the name recorded, 0 when it needs a rename, -1 on error. */
static int name_unchanged(State *s, PyObject *g, PyObject *n)
{
    int gev = is_gevent_kind(s, n);
    if (gev <= 0)
        return gev < 0 ? -1 : 1;
    PyObject *name = greenlet_name(s, g);
    if (name == NULL)
        return -1;
    PyObject *old = lookup(s->names, n);
    int same = old != NULL ? PyObject_RichCompareBool(name, old, Py_EQ)
                           : (PyErr_Occurred() ? -1 : PyObject_RichCompareBool(name, s_empty, Py_EQ));
    Py_DECREF(name);
    return same;
}

/* A record of up to 8 fields. */
static int enc_fields(Encoder *e, int tag, long long now, const unsigned long long *f, int nf)
{
    unsigned char p[16 + 10 * 8];
    int n = enc_head(e, p, tag, now);
    for (int i = 0; i < nf && i < 8; i++)
        n += put_uvarint(p + n, f[i]);
    return enc_done(e, p, n, 1);
}

/* An `observed` record (SharedRecords.observed): a length instead of a dt, the clock untouched. */
static int enc_observed(Encoder *e, unsigned long long g, unsigned long long by, unsigned long long how)
{
    unsigned char p[40];
    int n = 2;
    n += put_uvarint(p + n, g);
    n += put_uvarint(p + n, by);
    n += put_uvarint(p + n, how);
    p[0] = GLT_T_OBSERVED;
    p[1] = (unsigned char)(n - 2);
    return enc_done(e, p, n, 1);
}

/* observe.at_death (who is set to see g's end) where compiled gevent keeps
 * the links out of reach and only says whether there are any; a list of
 * links (pure-Python gevent) is told apart by observe.at_death itself.
 * Nothing fails the switch: an error goes to error("observed"). */
static void died(State *s, PyObject *g, PyObject *o, int outcome)
{
    /* compiled gevent's own Greenlet has no readable _links (spared the AttributeError) */
    PyObject *links = (PyObject *)Py_TYPE(g) == s->sealed_greenlet ? NULL : PyObject_GenericGetAttr(g, s__links);
    if (links != NULL && PyList_CheckExact(links)) {
        Py_DECREF(links);
        PyObject *r = PyObject_CallFunctionObjArgs(s->at_death, g, o, outcome ? Py_True : Py_False, NULL);
        Py_XDECREF(r);
        if (r == NULL)
            report_error(s, s_where_observed);
        return;
    }
    Py_XDECREF(links);
    PyErr_Clear();
    PyObject *has = s->has_links != Py_None ? PyObject_CallOneArg(s->has_links, g) : NULL;
    int seen = has != NULL ? PyObject_IsTrue(has) : 0;
    Py_XDECREF(has);
    PyErr_Clear();  /* compat.greenlet_has_links: no answer is no links */
    PyObject *hook = NULL;
    if (seen > 0) {
        unsigned long long n = PyLong_AsUnsignedLongLong(o);
        if ((n == (unsigned long long)-1 && PyErr_Occurred()) || enc_observed(s->enc, n, 0, GLT_HOW_UNKNOWN) < 0)
            goto fail;
    } else {
        seen = 0;
    }
    if (outcome && !seen && PySet_GET_SIZE(s->unseen) < s->max_unseen && PySet_Add(s->unseen, o) < 0)
        goto fail;
    hook = PyObject_GetAttr(s->rec, s_ended_hook);
    if (hook == NULL)
        goto fail;
    if (hook != Py_None) {
        PyObject *r = PyObject_CallFunctionObjArgs(hook, g, o, seen ? Py_True : Py_False, NULL);
        if (r == NULL)
            goto fail;
        Py_DECREF(r);
    }
    Py_DECREF(hook);
    return;
fail:
    Py_XDECREF(hook);
    report_error(s, s_where_observed);
}

/* SwitchMixin._exited for a gevent greenlet g (id o) whose name is unchanged. 0, or -1 with an error. */
static int exit_gevent(State *s, PyObject *g, PyObject *o, long long now)
{
    unsigned long long f[4] = {PyLong_AsUnsignedLongLong(o), GLT_EXIT_STARTED | GLT_EXIT_READY, 0, 0};
    if (PyErr_Occurred())
        return -1;
    PyObject *value = PyObject_GetAttr(g, s_value);
    PyObject *error = value ? PyObject_GetAttr(g, s_exception) : NULL;
    PyObject *ok = error ? PyObject_CallMethodNoArgs(g, s_successful) : NULL;
    PyObject *vt = NULL, *et = NULL;
    int rc = -1;
    if (ok == NULL)
        goto out;
    int yes = PyObject_IsTrue(ok);
    if (yes < 0)
        goto out;
    if (yes)
        f[1] |= GLT_EXIT_SUCCESSFUL;
    if (value != Py_None) {
        int killed = PyObject_IsInstance(value, s->exit_cls);
        if (killed < 0)
            goto out;
        if (killed)
            f[1] |= GLT_EXIT_KILLED;
    }
    if (dict_discard(s->blocked, o) < 0 || (vt = value_text(s, value)) == NULL || (et = value_text(s, error)) == NULL)
        goto out;
    long long vs = enc_string(s->enc, vt), es = vs < 0 ? -1 : enc_string(s->enc, et);
    if (es < 0)
        goto out;
    f[2] = (unsigned long long)vs;
    f[3] = (unsigned long long)es;
    if (enc_fields(s->enc, GLT_T_EXIT, now, f, 4) < 0)
        goto out;
    died(s, g, o, value != Py_None || error != Py_None);
    /* Nothing more happens to a dead greenlet: what is kept about it goes. */
    if (dict_discard(s->block_reasons, o) < 0 || dict_discard(s->gkind, o) < 0 || dict_discard(s->names, o) < 0
        || dict_discard(s->funcs, o) < 0 || PySet_Discard(s->started, o) < 0)
        goto out;
    rc = 0;
out:
    Py_XDECREF(value);
    Py_XDECREF(error);
    Py_XDECREF(ok);
    Py_XDECREF(vt);
    Py_XDECREF(et);
    return rc;
}

#if PY_VERSION_HEX >= 0x030B0000
/* Recorder.spawned: g's spawn and ready, in the spawner before g first runs. 0, or -1 with an error. */
static int spawn(State *s, PyObject *g)
{
    PyObject *key = id_key(g);
    if (key == NULL)
        return -1;
    int known = PyDict_Contains(s->ids, key);
    Py_DECREF(key);
    if (known != 0)
        return known;
    PyObject *cur = PyObject_CallNoArgs(s->getcurrent);
    if (cur == NULL)
        return -1;
    PyObject *parent = cached_id(s->gslots, s->ids, cur);
    Py_DECREF(cur);  /* still alive: it is the running greenlet */
    if (parent == NULL) {
        if (PyErr_Occurred())
            return -1;
        /* The spawner is met for the first time: the recorder's own spawned() says so first. */
        PyObject *r = PyObject_CallOneArg(s->spawned_py, g);
        Py_XDECREF(r);
        return r == NULL ? -1 : 0;
    }
    unsigned long long f[7] = {0, PyLong_AsUnsignedLongLong(parent), GLT_G_GEVENT, 0, 0, 0, 0};
    if (PyErr_Occurred())
        return -1;
    PyFrameObject *frame = PyEval_GetFrame();
    struct walk w = {0};
    PyObject *name = NULL, *func = NULL, *n = NULL;
    int rc = -1;
    if (walk_frames(s, frame ? (PyObject *)frame : Py_None, WALK_LIMIT, 0, &w) < 0
        || as_field(w.site, &f[5]) < 0 || as_field(w.stack_id, &f[6]) < 0)
        goto out;
    if ((name = greenlet_name(s, g)) == NULL || (func = greenlet_func(s, g)) == NULL
        || (n = PyObject_CallOneArg(s->g_add, g)) == NULL || as_field(n, &f[0]) < 0)
        goto out;
    if (PyDict_SetItem(s->gkind, n, g_gevent) < 0 || PyDict_SetItem(s->names, n, name) < 0
        || PyDict_SetItem(s->funcs, n, func) < 0)
        goto out;
    long long now = now_us();
    long long ns = enc_string(s->enc, name), fs = ns < 0 ? -1 : enc_string(s->enc, func);
    if (fs < 0)
        goto out;
    f[3] = (unsigned long long)ns;
    f[4] = (unsigned long long)fs;
    if (enc_fields(s->enc, GLT_T_SPAWN, now, f, 7) < 0 || enc_event2(s->enc, GLT_T_READY, now, f[0], f[1]) < 0)
        goto out;
    rc = 0;
out:
    walk_clear(&w);
    Py_XDECREF(name);
    Py_XDECREF(func);
    Py_XDECREF(n);
    return rc;
}

/* spawned(g): gevent's spawn callback (Recorder.spawned's twin). */
static PyObject *State_spawned(State *s, PyObject *g)
{
    if (!s->enabled || s->enc == NULL || s->spawned_py == NULL || PyThread_get_thread_ident() != s->main_ident)
        Py_RETURN_NONE;
    if (spawn(s, g) < 0)
        report_error(s, s_where_spawn);
    Py_RETURN_NONE;
}
#endif

/* The live debugger's switch hook, filtered here: a Python call per switch
   costs more than recording it. Without hook_all (no step, sync or line
   tracing pending) only a throw (a LoopExit, a kill) and a switch into
   hook_target (run to a greenlet; 0: none) can need it. state.py's
   hook_wanted is the pure-Python twin. */
static int hook_wanted(State *s, int tag, unsigned long long tv)
{
    if (s->switch_hook == Py_None)
        return 0;
    return s->hook_all || tag == GLT_T_THROW || (s->hook_target != 0 && (unsigned long long)s->hook_target == tv);
}

/* The switch itself, once both greenlets are known and named; dead: origin
 * (a gevent greenlet) has just ended; first: target runs for the first time
 * (its name checked). 0, or -1 with an error. */
static int fast_switch(State *s, PyObject *event, int tag, PyObject *origin, PyObject *o, PyObject *t, int dead,
                       int first)
{
    Encoder *e = s->enc;
    unsigned long long ov = PyLong_AsUnsignedLongLong(o), tv = PyLong_AsUnsignedLongLong(t);
    if (PyErr_Occurred())
        return -1;
    long long now = now_us();
    if (dead && exit_gevent(s, origin, o, now) < 0)
        return -1;
    if (first && PySet_Add(s->started, t) < 0)
        return -1;
    int t_hub = PySet_Contains(s->hubs, t);
    if (t_hub < 0)
        return -1;
    if (t_hub) {
        int o_hub = dead ? 1 : PySet_Contains(s->hubs, o);
        if (o_hub < 0)
            return -1;
        if (!o_hub) {
            /* The block: why and where origin waits (waits.py; cached per location). */
            PyObject *frame = base_attr(base_gr_frame, origin, s_gr_frame);
            if (frame == NULL)
                return -1;
            PyObject *info = wait_info(s, frame, o);
            Py_DECREF(frame);
            if (info == NULL)
                return -1;
            if (!PyTuple_Check(info) || PyTuple_GET_SIZE(info) != 5) {
                Py_DECREF(info);
                PyErr_SetString(PyExc_TypeError, "wait_info gave no 5-tuple");
                return -1;
            }
            PyObject *reason = PyTuple_GET_ITEM(info, 0), *obj = PyTuple_GET_ITEM(info, 1);
            PyObject *timeout = PyTuple_GET_ITEM(info, 2);
            unsigned long long rv, objv, site, stack, tfield = 0;
            if (as_field(reason, &rv) < 0 || as_field(obj, &objv) < 0
                || as_field(PyTuple_GET_ITEM(info, 3), &site) < 0 || as_field(PyTuple_GET_ITEM(info, 4), &stack) < 0
                || PyDict_SetItem(s->blocked, o, obj) < 0 || PyDict_SetItem(s->block_reasons, o, reason) < 0)
                goto block_fail;
            if (objv && (rv == GLT_R_EVENT || rv == GLT_R_RESULT)) {
                /* waiters.setdefault(obj, []).append(o) */
                PyObject *ws = lookup(s->waiters, obj);
                if (ws == NULL) {
                    if (PyErr_Occurred())
                        goto block_fail;
                    PyObject *fresh = PyList_New(0);
                    if (fresh == NULL)
                        goto block_fail;
                    int rc = PyDict_SetItem(s->waiters, obj, fresh);
                    Py_DECREF(fresh);
                    if (rc < 0)
                        goto block_fail;
                    ws = fresh;  /* held by the dict */
                }
                PyObject *r = PyObject_CallMethod(ws, "append", "O", o);
                if (r == NULL)
                    goto block_fail;
                Py_DECREF(r);
            }
            if (timeout != Py_None) {
                /* int(max(timeout, 0) * 1e6) + 1 */
                double d = PyFloat_AsDouble(timeout);
                if (d == -1.0 && PyErr_Occurred())
                    goto block_fail;
                if (isnan(d) || isinf(d)) {
                    PyErr_SetString(PyExc_ValueError, "a wait's timeout is not finite");
                    goto block_fail;
                }
                d = d < 0 ? 0 : d * 1e6;
                tfield = (unsigned long long)d + 1;
            }
            Py_DECREF(info);
            if (enc_block_switch(e, now, ov, rv, objv, tfield, site, stack, tag, tv) < 0)
                return -1;
            goto switched;
block_fail:
            Py_DECREF(info);
            return -1;
        }
        if (enc_event2(e, tag, now, ov, tv) < 0)
            return -1;
        goto switched;
    }
    PyObject *obj = lookup(s->blocked, t);
    if (obj == NULL && PyErr_Occurred())
        return -1;
    if (obj != NULL) {
        /* The resume: who made t ready. */
        Py_INCREF(obj);
        if (PyDict_DelItem(s->blocked, t) < 0) {
            Py_DECREF(obj);
            return -1;
        }
        int has = PyObject_IsTrue(obj);
        PyObject *by = o;
        if (has < 0) {
            Py_DECREF(obj);
            return -1;
        }
        if (has) {
            /* A throw (Timeout, kill) comes from the loop, not from the object's last user. */
            if (tag != GLT_T_THROW) {
                PyObject *w = lookup(s->last_waker, obj);
                if (w == NULL && PyErr_Occurred()) {
                    Py_DECREF(obj);
                    return -1;
                }
                if (w != NULL)
                    by = w;
            }
            PyObject *ws = lookup(s->waiters, obj);
            if (ws == NULL && PyErr_Occurred()) {
                Py_DECREF(obj);
                return -1;
            }
            if (ws != NULL && PyList_Check(ws)) {
                for (Py_ssize_t i = 0; i < PyList_GET_SIZE(ws); i++) {
                    int eq = PyObject_RichCompareBool(PyList_GET_ITEM(ws, i), t, Py_EQ);
                    if (eq < 0) {
                        Py_DECREF(obj);
                        return -1;
                    }
                    if (eq) {
                        if (PySequence_DelItem(ws, i) < 0) {
                            Py_DECREF(obj);
                            return -1;
                        }
                        break;
                    }
                }
            }
        }
        Py_INCREF(by);
        Py_DECREF(obj);
        unsigned long long byv = PyLong_AsUnsignedLongLong(by);
        Py_DECREF(by);
        if (PyErr_Occurred())
            return -1;
        if (enc_ready_switch(e, now, tv, byv, tag, ov) < 0)
            return -1;
        goto switched;
    }
    if (enc_event2(e, tag, now, ov, tv) < 0)
        return -1;
switched:
    s->switches++;
    s->current = (long long)tv;
    s->last_switch_us = now;
    if (hook_wanted(s, tag, tv)) {
        PyObject *hook = Py_NewRef(s->switch_hook);
        PyObject *r = PyObject_CallFunctionObjArgs(hook, event, origin, o, t, NULL);
        Py_DECREF(hook);
        if (r == NULL)
            return -1;
        Py_DECREF(r);
    }
    return 0;
}

static void on_switch(State *s, PyObject *event, int tag, PyObject *targs)
{
    if (!PyTuple_Check(targs) || PyTuple_GET_SIZE(targs) != 2) {
        PyErr_SetString(PyExc_TypeError, "a switch's args are not (origin, target)");
        return;
    }
    PyObject *origin = PyTuple_GET_ITEM(targs, 0), *target = PyTuple_GET_ITEM(targs, 1);
    PyObject *o = NULL, *t = NULL;
    o = Py_XNewRef(cached_id(s->gslots, s->ids, origin));
    if (o == NULL && PyErr_Occurred())
        goto out;
    t = Py_XNewRef(cached_id(s->gslots, s->ids, target));
    if (t == NULL && PyErr_Occurred())
        goto out;
    int fast = o != NULL && t != NULL;
    if (fast) {
        int c = PySet_Contains(s->unnamed, o);
        if (c < 0)
            goto out;
        fast = !c;
    }
    int first = 0, dead = 0;
    if (fast) {
        int c = PySet_Contains(s->started, t);
        if (c < 0)
            goto out;
        if (!c) {
            /* A first run: fast unless it needs a rename first (_check_name). */
            first = 1;
            fast = name_unchanged(s, target, t);
            if (fast < 0)
                goto out;
        }
    }
    if (fast) {
        PyObject *d = base_attr(base_dead, origin, s_dead);
        if (d == NULL)
            goto out;
        dead = PyObject_IsTrue(d);
        Py_DECREF(d);
        if (dead < 0)
            goto out;
        if (dead) {
            /* An end: fast for a gevent greenlet that needs no rename first. */
            fast = is_gevent_kind(s, o);
            if (fast > 0)
                fast = name_unchanged(s, origin, o);
            if (fast < 0)
                goto out;
        }
    }
    if (fast) {
        fast_switch(s, event, tag, origin, o, t, dead, first);
    } else {
        PyObject *r = PyObject_CallFunctionObjArgs(s->slow, event, origin, target, o ? o : Py_None,
                                                   t ? t : Py_None, NULL);
        Py_XDECREF(r);
    }
out:
    Py_XDECREF(o);
    Py_XDECREF(t);
}

/* greenlet.settrace's callback: trace(event, args). */
static PyObject *State_call(State *s, PyObject *args, PyObject *kwds)
{
    PyObject *event, *targs;
    if (!PyArg_UnpackTuple(args, "trace", 2, 2, &event, &targs))
        return NULL;
    if (s->enabled && s->enc != NULL) {
        int tag = 0;
        if (event == s_switch || (PyUnicode_Check(event) && PyUnicode_Compare(event, s_switch) == 0))
            tag = GLT_T_SWITCH;
        else if (event == s_throw || (PyUnicode_Check(event) && PyUnicode_Compare(event, s_throw) == 0))
            tag = GLT_T_THROW;
        if (tag) {
            on_switch(s, event, tag, targs);
            if (PyErr_Occurred())
                report_error(s, s_where_switch);
        }
    }
    PyObject *prev = s->prev_tracer;
    if (prev != Py_None) {
        Py_INCREF(prev);
        PyObject *r = PyObject_CallFunctionObjArgs(prev, event, targs, NULL);
        Py_DECREF(prev);
        if (r == NULL)
            return NULL;  /* the program's own tracer raised: as without the recorder */
        Py_DECREF(r);
    }
    Py_RETURN_NONE;
}

/* record(queue, tag, item): an item entered or left a recorded queue. */
static int record_item(State *s, PyObject *q, PyObject *tagobj, PyObject *item)
{
    PyObject *n = cached_id(s->oslots, s->objects, q);
    if (n == NULL)
        return PyErr_Occurred() ? -1 : 0;
    Py_INCREF(n);
    int rc = -1;
    PyObject *text = NULL;
    unsigned long long nv, tag;
    if (as_field(n, &nv) < 0 || as_field(tagobj, &tag) < 0)
        goto out;
    if (nv == 0) {
        rc = 0;  /* gevent's own */
        goto out;
    }
    PyObject *cur = PyLong_FromLongLong(s->current);
    if (cur == NULL)
        goto out;
    int set = PyDict_SetItem(s->last_waker, n, cur);
    Py_DECREF(cur);
    if (set < 0)
        goto out;
    int plain = PyLong_CheckExact(item);
    if (!plain && PyUnicode_CheckExact(item) && PyUnicode_GET_LENGTH(item) < 40) {
        int has = PyUnicode_Contains(item, s_0x);
        if (has < 0)
            goto out;
        plain = !has;
    }
    text = plain ? PyObject_Repr(item) : PyObject_CallOneArg(s->safe_repr, item);
    if (text == NULL)
        goto out;
    rc = enc_item(s->enc, (int)tag, now_us(), nv, text);
out:
    Py_XDECREF(text);
    Py_DECREF(n);
    return rc;
}

static PyObject *State_record(State *s, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "record(queue, tag, item)");
        return NULL;
    }
    if (!s->enabled || s->enc == NULL || PyThread_get_thread_ident() != s->main_ident)
        Py_RETURN_NONE;
    if (record_item(s, args[0], args[1], args[2]) < 0)
        report_error(s, s_where_queue);
    Py_RETURN_NONE;
}

/* -- gevent's compiled queues: _get/_put hooked in their Cython vtables --
 *
 * A Python subclass of a Cython class makes every cpdef call on its
 * instances look for a Python override (and the hook itself is a Python
 * call); the vtable hooks cost neither. Every compiled gevent queue class
 * derives from gevent's Cython ``Queue``, whose vtable starts, in every
 * gevent release (its .pxd), with ``cpdef _get(self)`` and ``cpdef
 * _put(self, item)``: C functions (self, skip_dispatch) and (self, item,
 * skip_dispatch). Internal calls (put -> _put, the hub's unlock) go through
 * the vtable of the instance, found right after the object header. The
 * class's __init__ is hooked in tp_init (calling the Python hook that decides
 * whose object it is), so type(), isinstance, super() and pickling are the
 * class's own.
 */
typedef PyObject *(*get_fn)(PyObject *, int);
typedef PyObject *(*put_fn)(PyObject *, PyObject *, int);

typedef struct {
    PyTypeObject *type;
    void **vtab;
    get_fn get;
    put_fn put;
    initproc init;      /* the class's own tp_init, or NULL when not hooked */
    PyObject *init_hook;
} Patched;

#define MAX_PATCHED 32
static Patched patched[MAX_PATCHED];
static int npatched;
static State *queue_state;      /* the recorder whose records the hooks write */
static PyObject *queue_first;   /* rec.first_sight(obj) */
static PyObject *tag_put, *tag_get;

static inline void **vtab_of(PyObject *self)
{
    return *(void ***)((char *)self + sizeof(PyObject));
}

static const Patched *by_vtab(void **vtab)
{
    for (int i = 0; i < npatched; i++)
        if (patched[i].vtab == vtab)
            return &patched[i];
    return NULL;
}

/* Before a recorded operation: an object met for the first time is described (rec.first_sight). */
static void queue_before(PyObject *self)
{
    State *s = queue_state;
    if (s == NULL || !s->enabled || PyThread_get_thread_ident() != s->main_ident)
        return;
    PyObject *key = id_key(self);
    if (key == NULL) {
        report_error(s, s_where_queue);
        return;
    }
    int known = PyDict_Contains(s->objects, key);
    Py_DECREF(key);
    if (known == 0) {
        PyObject *r = PyObject_CallOneArg(queue_first, self);
        Py_XDECREF(r);
    }
    if (PyErr_Occurred())
        report_error(s, s_where_queue);
}

static void queue_after(PyObject *self, PyObject *tag, PyObject *item)
{
    State *s = queue_state;
    if (s == NULL || !s->enabled || s->enc == NULL || PyThread_get_thread_ident() != s->main_ident)
        return;
    if (record_item(s, self, tag, item) < 0)
        report_error(s, s_where_queue);
}

/* The hooks keep the program's exception, if any, exactly as the original left it. */
/* Non-zero inside a hooked _get/_put on the recorded thread: the call one
 * hook makes reaches the other (a program's subclass: Cython dispatches the
 * vtable call to the Python-level method, which is hooked too), and is
 * recorded once. Other threads are never recorded and never count. */
static int hook_depth;

static inline int on_recorded_thread(void)
{
    return queue_state != NULL && PyThread_get_thread_ident() == queue_state->main_ident;
}

/* The hooked class's originals for self, or NULL with an error. */
static const Patched *originals(PyObject *self)
{
    const Patched *p = by_vtab(vtab_of(self));
    if (p == NULL)
        PyErr_SetString(PyExc_SystemError, "greenlet-lens: a queue vtable hook lost its original");
    return p;
}

static PyObject *hooked_get(PyObject *self, int skip_dispatch)
{
    const Patched *p = originals(self);
    if (p == NULL)
        return NULL;
    if (hook_depth || !on_recorded_thread())
        return p->get(self, skip_dispatch);
    queue_before(self);
    hook_depth++;
    PyObject *item = p->get(self, skip_dispatch);
    hook_depth--;
    if (item != NULL)
        queue_after(self, tag_get, item);
    return item;
}

static PyObject *hooked_put(PyObject *self, PyObject *item, int skip_dispatch)
{
    const Patched *p = originals(self);
    if (p == NULL)
        return NULL;
    if (hook_depth || !on_recorded_thread())
        return p->put(self, item, skip_dispatch);
    queue_before(self);
    hook_depth++;
    PyObject *r = p->put(self, item, skip_dispatch);
    hook_depth--;
    if (r != NULL)
        queue_after(self, tag_put, item);
    return r;
}

/* The Python-level _get/_put of a hooked class (gevent's get() calls
 * ``self._get`` through its attribute, not the vtable): a descriptor in the
 * class's dict in place of Cython's method, calling it. */
typedef struct {
    PyObject_HEAD
    PyObject *orig;   /* Cython's method descriptor */
    PyObject *tag;    /* GLT_T_GET or GLT_T_PUT */
    vectorcallfunc vectorcall;
} HookedMethod;

static PyObject *HookedMethod_vectorcall(HookedMethod *m, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs < 1 || hook_depth || !on_recorded_thread())
        return PyObject_Vectorcall(m->orig, args, nargsf, kwnames);
    PyObject *self = args[0];
    queue_before(self);
    hook_depth++;
    PyObject *r = PyObject_Vectorcall(m->orig, args, nargsf, kwnames);
    hook_depth--;
    if (r != NULL) {
        if (m->tag == tag_get)
            queue_after(self, tag_get, r);
        else if (nargs >= 2 && kwnames == NULL)
            queue_after(self, tag_put, args[1]);
    }
    return r;
}

static PyObject *HookedMethod_get(PyObject *m, PyObject *obj, PyObject *type)
{
    if (obj == NULL || obj == Py_None)
        return Py_NewRef(m);
    return PyMethod_New(m, obj);
}

static void HookedMethod_dealloc(HookedMethod *m)
{
    Py_XDECREF(m->orig);
    Py_XDECREF(m->tag);
    Py_TYPE(m)->tp_free((PyObject *)m);
}

static PyObject *HookedMethod_getattro(HookedMethod *m, PyObject *name)
{
    /* __name__, __doc__, __qualname__… are the original's. */
    PyObject *r = PyObject_GenericGetAttr((PyObject *)m, name);
    if (r == NULL && PyErr_ExceptionMatches(PyExc_AttributeError)) {
        PyErr_Clear();
        r = PyObject_GetAttr(m->orig, name);
    }
    return r;
}

static PyTypeObject HookedMethodType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "greenlet_lens._core.HookedMethod",
    .tp_basicsize = sizeof(HookedMethod),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_vectorcall_offset = offsetof(HookedMethod, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_descr_get = HookedMethod_get,
    .tp_dealloc = (destructor)HookedMethod_dealloc,
    .tp_getattro = (getattrofunc)HookedMethod_getattro,
    .tp_doc = "A hooked _get/_put of a compiled gevent queue class.",
};

/* Replaces cls.__dict__[name] (if cls defines it) by a HookedMethod calling it. */
static int hook_method(PyTypeObject *tp, const char *name, PyObject *tag)
{
    PyObject *orig = PyDict_GetItemString(tp->tp_dict, name);
    if (orig == NULL || Py_TYPE(orig) == &HookedMethodType)
        return 0;
    HookedMethod *m = PyObject_New(HookedMethod, &HookedMethodType);
    if (m == NULL)
        return -1;
    m->orig = Py_NewRef(orig);
    m->tag = Py_NewRef(tag);
    m->vectorcall = (vectorcallfunc)HookedMethod_vectorcall;
    int rc = PyDict_SetItemString(tp->tp_dict, name, (PyObject *)m);
    Py_DECREF(m);
    return rc;
}

static int hooked_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    /* The nearest hooked class of the instance (a program's subclass inherits the hook). */
    PyObject *mro = Py_TYPE(self)->tp_mro;
    const Patched *p = NULL;
    for (Py_ssize_t i = 0; mro != NULL && i < PyTuple_GET_SIZE(mro) && p == NULL; i++)
        for (int j = 0; j < npatched; j++)
            if ((PyObject *)patched[j].type == PyTuple_GET_ITEM(mro, i) && patched[j].init_hook != NULL) {
                p = &patched[j];
                break;
            }
    if (p == NULL) {
        PyErr_SetString(PyExc_SystemError, "greenlet-lens: an __init__ hook lost its original");
        return -1;
    }
    /* hook(self, *args, **kwds): the Python hook calls the class's own __init__. */
    Py_ssize_t n = args ? PyTuple_GET_SIZE(args) : 0;
    PyObject *full = PyTuple_New(n + 1);
    if (full == NULL)
        return -1;
    PyTuple_SET_ITEM(full, 0, Py_NewRef(self));
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(full, i + 1, Py_NewRef(PyTuple_GET_ITEM(args, i)));
    PyObject *r = PyObject_Call(p->init_hook, full, kwds);
    Py_DECREF(full);
    if (r == NULL)
        return -1;
    Py_DECREF(r);
    return 0;
}

static void **own_vtab(PyTypeObject *cls)
{
    PyObject *capsule = PyDict_GetItemString(cls->tp_dict, "__pyx_vtable__");
    if (capsule == NULL || !PyCapsule_CheckExact(capsule))
        return NULL;
    void **vtab = PyCapsule_GetPointer(capsule, PyCapsule_GetName(capsule));
    if (vtab == NULL)
        PyErr_Clear();
    return vtab;
}

/* patch_queue(state, cls, first_sight, init_hook): True when cls's _get/_put are hooked in its vtable. */
static PyObject *patch_queue(PyObject *module, PyObject *args)
{
    PyObject *state, *cls, *first, *init_hook;
    if (!PyArg_ParseTuple(args, "O!O!OO:patch_queue", &StateType, &state, &PyType_Type, &cls, &first, &init_hook))
        return NULL;
    PyTypeObject *tp = (PyTypeObject *)cls;
    if (tp->tp_flags & Py_TPFLAGS_HEAPTYPE || tp->tp_basicsize < (Py_ssize_t)(sizeof(PyObject) + sizeof(void *)))
        Py_RETURN_FALSE;
    void **vtab = own_vtab(tp);
    if (vtab == NULL || npatched >= MAX_PATCHED)
        Py_RETURN_FALSE;
    for (int i = 0; i < npatched; i++)
        if (patched[i].type == tp)
            Py_RETURN_TRUE;
    if (queue_state != NULL && (PyObject *)queue_state != state) {
        PyErr_SetString(PyExc_RuntimeError, "the queues are hooked for another recorder");
        return NULL;
    }
    Patched *p = &patched[npatched];
    const Patched *same = by_vtab(vtab);
    p->type = (PyTypeObject *)Py_NewRef(cls);
    p->vtab = vtab;
    if (same != NULL) {
        p->get = same->get;
        p->put = same->put;
    } else {
        p->get = (get_fn)vtab[0];
        p->put = (put_fn)vtab[1];
    }
    p->init = NULL;
    p->init_hook = NULL;
    if (init_hook != Py_None) {
        p->init = tp->tp_init;
        p->init_hook = Py_NewRef(init_hook);
    }
    npatched++;
    if (queue_state == NULL) {
        queue_state = (State *)Py_NewRef(state);
        queue_first = Py_NewRef(first);
    }
    if (same == NULL) {
        vtab[0] = (void *)hooked_get;
        vtab[1] = (void *)hooked_put;
    }
    if (p->init_hook != NULL) {
        tp->tp_init = hooked_init;
        /* super().__init__() and a subclass's slot look __init__ up in the
         * class's dict, past tp_init: the hook is found there too (a class
         * without an __init__ of its own leaves it to its base's). */
        PyObject *own = PyDict_GetItemWithError(tp->tp_dict, s___init__);
        if (own == NULL && PyErr_Occurred())
            return NULL;
        if (own != NULL && Py_IS_TYPE(own, &PyWrapperDescr_Type)
            && PyDict_SetItem(tp->tp_dict, s___init__, init_hook) < 0)
            return NULL;
    }
    if (hook_method(tp, "_get", tag_get) < 0 || hook_method(tp, "_put", tag_put) < 0)
        return NULL;
    PyType_Modified(tp);
    Py_RETURN_TRUE;
}

/* can_patch_queue(cls): cls is a compiled class with a Cython vtable of its own. */
static PyObject *can_patch_queue(PyObject *module, PyObject *cls)
{
    if (!PyType_Check(cls) || ((PyTypeObject *)cls)->tp_flags & Py_TPFLAGS_HEAPTYPE)
        Py_RETURN_FALSE;
    return PyBool_FromLong(own_vtab((PyTypeObject *)cls) != NULL);
}

/* restore_type(obj, cls): obj, made by gevent's own code through a rebound
 * name (an instance of the recorder's subclass of cls, which adds nothing to
 * cls's layout), is made cls's own instance again, as without the recorder:
 * its operations then cost nothing more. True when done. */
static PyObject *restore_type(PyObject *module, PyObject *args)
{
    PyObject *obj;
    PyTypeObject *cls;
    if (!PyArg_ParseTuple(args, "OO!:restore_type", &obj, &PyType_Type, &cls))
        return NULL;
    PyTypeObject *tp = Py_TYPE(obj);
    unsigned long layout = Py_TPFLAGS_HAVE_GC;
#ifdef Py_TPFLAGS_MANAGED_DICT
    layout |= Py_TPFLAGS_MANAGED_DICT;
#endif
#ifdef Py_TPFLAGS_MANAGED_WEAKREF
    layout |= Py_TPFLAGS_MANAGED_WEAKREF;
#endif
    if (tp == cls)
        Py_RETURN_TRUE;
    if (!(tp->tp_flags & Py_TPFLAGS_HEAPTYPE) || tp->tp_base != cls || tp->tp_basicsize != cls->tp_basicsize
        || tp->tp_itemsize != cls->tp_itemsize || tp->tp_dictoffset != cls->tp_dictoffset
        || tp->tp_weaklistoffset != cls->tp_weaklistoffset || ((tp->tp_flags ^ cls->tp_flags) & layout)
        || tp->tp_finalize != cls->tp_finalize || tp->tp_del != cls->tp_del)
        Py_RETURN_FALSE;
    /* An instance of a heap type holds a reference to it (subtype_dealloc drops it). */
    if (cls->tp_flags & Py_TPFLAGS_HEAPTYPE)
        Py_INCREF(cls);
    Py_SET_TYPE(obj, cls);
    Py_DECREF(tp);
    Py_RETURN_TRUE;
}

static PyMethodDef module_methods[] = {
    {"restore_type", restore_type, METH_VARARGS,
     "restore_type(obj, cls): gevent's own object, made through the recorder's subclass of cls, made cls's again."},
    {"patch_queue", patch_queue, METH_VARARGS,
     "patch_queue(state, cls, first_sight, init_hook): hook cls's _get/_put in its vtable and its __init__."},
    {"can_patch_queue", can_patch_queue, METH_O, "can_patch_queue(cls): cls has a Cython vtable of its own."},
    {NULL}
};

/* forget_ids(): the recorder starts a new trace (restart) and its ids afresh: no slot may answer with an old one. */
static PyObject *State_forget_ids(State *s, PyObject *Py_UNUSED(ignored))
{
    forget_slots(s);
    Py_RETURN_NONE;
}

static PyMethodDef State_methods[] = {
    {"forget_ids", (PyCFunction)State_forget_ids, METH_NOARGS, "forget_ids(): empty the address cache of ids and objects."},
    {"bind", (PyCFunction)State_bind, METH_VARARGS,
     "bind(encoder, wait_info, slow, error, interrupt, safe_repr)"},
    {"bind_greenlets", (PyCFunction)State_bind_greenlets, METH_VARARGS,
     "bind_greenlets(rec, getcurrent, name_of, func_name, at_death, has_links, name_limit, repr_limit, "
     "max_unseen)"},
    {"record", (PyCFunction)(void (*)(void))State_record, METH_FASTCALL,
     "record(queue, tag, item): a put or get of a recorded queue."},
#if PY_VERSION_HEX >= 0x030B0000
    {"walk", (PyCFunction)(void (*)(void))State_walk, METH_FASTCALL,
     "walk(frame, limit=64): WaitInspector.walk's twin, (site fid, stack id)."},
    {"spawned", (PyCFunction)State_spawned, METH_O, "spawned(g): gevent's spawn callback (Recorder.spawned's twin)."},
#endif
    {NULL}
};

static PyMemberDef State_members[] = {
    {"enabled", T_BOOL, offsetof(State, enabled), 0, NULL},
    {"switches", T_LONGLONG, offsetof(State, switches), 0, NULL},
    {"current", T_LONGLONG, offsetof(State, current), 0, NULL},
    {"last_switch_us", T_LONGLONG, offsetof(State, last_switch_us), 0, NULL},
    {"switch_hook", T_OBJECT, offsetof(State, switch_hook), 0, NULL},
    {"hook_all", T_BOOL, offsetof(State, hook_all), 0, NULL},
    {"hook_target", T_LONGLONG, offsetof(State, hook_target), 0, NULL},
    {"prev_tracer", T_OBJECT, offsetof(State, prev_tracer), 0, NULL},
    {"ids", T_OBJECT_EX, offsetof(State, ids), READONLY, NULL},
    {"objects", T_OBJECT_EX, offsetof(State, objects), READONLY, NULL},
    {"hubs", T_OBJECT_EX, offsetof(State, hubs), READONLY, NULL},
    {"blocked", T_OBJECT_EX, offsetof(State, blocked), READONLY, NULL},
    {"block_reasons", T_OBJECT_EX, offsetof(State, block_reasons), READONLY, NULL},
    {"waiters", T_OBJECT_EX, offsetof(State, waiters), READONLY, NULL},
    {"last_waker", T_OBJECT_EX, offsetof(State, last_waker), READONLY, NULL},
    {"started", T_OBJECT_EX, offsetof(State, started), READONLY, NULL},
    {"unnamed", T_OBJECT_EX, offsetof(State, unnamed), READONLY, NULL},
    {"main_ident", T_ULONG, offsetof(State, main_ident), READONLY, NULL},
    {NULL}
};

static PyTypeObject StateType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "greenlet_lens._core.SwitchState",
    .tp_basicsize = sizeof(State),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "The switch tracer's state (state.SwitchState's twin) and the trace callback.",
    .tp_new = State_new,
    .tp_dealloc = State_dealloc,
    .tp_traverse = (traverseproc)State_traverse,
    .tp_clear = (inquiry)State_clear,
    .tp_call = (ternaryfunc)State_call,
    .tp_methods = State_methods,
    .tp_members = State_members,
};

static struct PyModuleDef coremodule = {
    PyModuleDef_HEAD_INIT, "_core", "The compiled recorder core (see accel.py).", -1, module_methods,
};

PyMODINIT_FUNC PyInit__core(void)
{
    s_switch = PyUnicode_InternFromString("switch");
    s_throw = PyUnicode_InternFromString("throw");
    s_dead = PyUnicode_InternFromString("dead");
    s_gr_frame = PyUnicode_InternFromString("gr_frame");
    s_0x = PyUnicode_InternFromString("0x");
    s_where_switch = PyUnicode_InternFromString("switch");
    s_where_queue = PyUnicode_InternFromString("queue");
    s_wait_info = PyUnicode_InternFromString("wait_info");
    s__codes = PyUnicode_InternFromString("_codes");
    s__calls = PyUnicode_InternFromString("_calls");
    s__code = PyUnicode_InternFromString("_code");
    s__line = PyUnicode_InternFromString("_line");
    s_settle = PyUnicode_InternFromString("settle");
    s_depth = PyUnicode_InternFromString("depth");
    s__stacks = PyUnicode_InternFromString("_stacks");
    s_stack = PyUnicode_InternFromString("stack");
    s_f_locals = PyUnicode_InternFromString("f_locals");
    s_f_globals = PyUnicode_InternFromString("f_globals");
    s___dict__ = PyUnicode_InternFromString("__dict__");
    s_load_global = PyUnicode_InternFromString("LOAD_GLOBAL");
    zero = PyLong_FromLong(0);
    s_name = PyUnicode_InternFromString("name");
    s__run = PyUnicode_InternFromString("_run");
    s_value = PyUnicode_InternFromString("value");
    s_exception = PyUnicode_InternFromString("exception");
    s_successful = PyUnicode_InternFromString("successful");
    s___qualname__ = PyUnicode_InternFromString("__qualname__");
    s_where_spawn = PyUnicode_InternFromString("spawn");
    s_empty = PyUnicode_InternFromString("");
    s___init__ = PyUnicode_InternFromString("__init__");
    s__links = PyUnicode_InternFromString("_links");
    s_ended_hook = PyUnicode_InternFromString("ended_hook");
    s_where_observed = PyUnicode_InternFromString("observed");
    s_kinds = PyUnicode_InternFromString("kinds");
    s__cache = PyUnicode_InternFromString("_cache");
    s_seconds = PyUnicode_InternFromString("seconds");
    s_timeout = PyUnicode_InternFromString("timeout");
    s_self = PyUnicode_InternFromString("self");
    g_gevent = PyLong_FromLong(GLT_G_GEVENT);
    if (!s_name || !s__run || !s_value || !s_exception || !s_successful || !s___qualname__ || !s_where_spawn
        || !s_empty || !g_gevent || !s___init__ || !s__links || !s_ended_hook || !s_where_observed
        || !s_kinds || !s__cache || !s_seconds || !s_timeout || !s_self)
        return NULL;
    if (!s_wait_info || !s__codes || !s__calls || !s__code || !s__line || !s_settle || !s_depth || !s__stacks
        || !s_stack || !s_f_locals || !s_f_globals || !s___dict__ || !s_load_global || !zero)
        return NULL;
    tag_put = PyLong_FromLong(GLT_T_PUT);
    tag_get = PyLong_FromLong(GLT_T_GET);
    if (!s_switch || !s_throw || !s_dead || !s_gr_frame || !s_0x || !s_where_switch || !s_where_queue || !tag_put
        || !tag_get)
        return NULL;
    if (PyType_Ready(&EncoderType) < 0 || PyType_Ready(&StateType) < 0 || PyType_Ready(&HookedMethodType) < 0)
        return NULL;
    PyObject *gmod = PyImport_ImportModule("greenlet");
    PyObject *gtype = gmod != NULL ? PyObject_GetAttrString(gmod, "greenlet") : NULL;
    if (gtype != NULL && PyType_Check(gtype)) {
        /* Only getset descriptors of the type itself: anything else is looked up as before. */
        PyObject *d = PyDict_GetItemWithError(((PyTypeObject *)gtype)->tp_dict, s_dead);
        PyObject *f = d != NULL ? PyDict_GetItemWithError(((PyTypeObject *)gtype)->tp_dict, s_gr_frame) : NULL;
        if (d != NULL && f != NULL && PyObject_TypeCheck(d, &PyGetSetDescr_Type) && PyObject_TypeCheck(f, &PyGetSetDescr_Type)) {
            base_dead = Py_NewRef(d);
            base_gr_frame = Py_NewRef(f);
        }
    }
    Py_XDECREF(gtype);
    Py_XDECREF(gmod);
    PyErr_Clear();
    PyObject *m = PyModule_Create(&coremodule);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "Encoder", (PyObject *)&EncoderType) < 0
        || PyModule_AddObjectRef(m, "SwitchState", (PyObject *)&StateType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
