/** Help text and the usage error that maps to exit status 2. */

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `usage: greenlet-lens <command> [options]

Record and inspect traces of gevent/greenlet programs.

commands:
  record [--python PY] [--output FILE] [--] script.py [args...]
  record [--python PY] [--output FILE] -m module [args...]
        run a program under the tracer and write a trace
        (default FILE: greenlet-lens-<timestamp>.glt in the current directory)
  cat FILE [--header]
        print the events as JSON Lines; --header first prints {"header": {...}}
  state FILE [--at N] [--text]
        print the reconstructed state after event N (default: the last event)
        as JSON, or with --text as a short summary
  stats FILE [--json]
        print counts per event kind, greenlets, objects, size and duration
  view FILE [--port N] [--theme dark|light] [--open]
        serve the board for FILE on http://127.0.0.1:PORT/ (loopback only;
        default port 0: any free one) until Ctrl-C; --open starts a browser
  check FILE [--fail-on warning|error] [--format text|json|sarif]
        [--blocked-loop-ms N] [--slow-wakeup-ms N] [--growth-min-items N]
        [--timeout-min-fires N] [--timeout-min-share F] [--disable KIND,...]
        print what is wrong in the run: deadlocks, waiters nobody can wake,
        leaked greenlets, exceptions nobody observed, blocked loops, queues
        growing without bound, slow wake-ups, timeouts firing often; with
        --fail-on exit 3 when a finding is at least that bad
  export --format perfetto FILE [-o OUT.json]
        write the trace as Chrome trace-event JSON (chrome://tracing, Perfetto
        UI): a track per greenlet with running and waiting slices, spawns,
        exceptions, marks and wake-up arrows (default: stdout)

The Python interpreter for record is --python, else $GREENLET_LENS_PYTHON,
else the first of python3 on PATH and /usr/bin/python3 that can import gevent,
else one that can import greenlet (plain greenlet programs only).

exit status: 0 success (also for a trace without an end record), 1 unreadable,
truncated or corrupt input, 2 usage error, 3 findings at or above --fail-on;
record exits with the program's status.
`;
