/**
 * What the runtime's interpreter probe (greenlet_lens/probe.py) prints for a
 * Python with gevent, for fake interpreters in unit tests to answer with
 * (`PY -c ...` is the probe).
 */
export const PROBE_ANSWER = JSON.stringify({
  python: '3.11.2', implementation: 'cpython', greenlet: '2.0.2', gevent: '22.10.2',
  loop: 'gevent.libev.corecext', compiled: true, importErrors: {},
});

/** A shell line answering the probe, then exiting. */
export const ANSWER_PROBE = `if [ "$1" = "-c" ]; then echo '${PROBE_ANSWER}'; exit 0; fi`;
