"""The adapter's requests, answered on the control thread (docs/debug-protocol.md)."""
from . import evaluate
from .debugger import RUN, RUN_TO, STEP_SWITCH
from .linetrace import Step


class RequestError(Exception):
    pass


def _not_stopped():
    raise RequestError("the program is running: stop it first")


def _configure(dbg, args):
    dbg.stop_on_entry = bool(args.get("stopOnEntry", False))
    if "exceptionFilters" in args:
        dbg.filters = set(args.get("exceptionFilters") or ())
    if "blockedLoopMs" in args:
        dbg.interrupts.blocked_loop_ms = max(0, int(args.get("blockedLoopMs") or 0))
    if "justMyCode" in args:
        dbg.just_my_code = bool(args.get("justMyCode"))
    return {}


def _set_breakpoints(dbg, args):
    result = dbg.lines.set_breakpoints(args["file"], args.get("breakpoints") or [])
    dbg.request_sync()
    if dbg.state is None:
        dbg.interrupts.request_sync()
    return {"breakpoints": result}


def _configuration_done(dbg, args):
    # The program is let go only once this is answered (handle): a program
    # that closes every descriptor as it starts would cut the answer off.
    dbg.configured = True
    return {}


def _continue(dbg, args):
    dbg.resume(RUN) or _not_stopped()
    return {}


def _step_switch(dbg, args):
    dbg.resume(STEP_SWITCH) or _not_stopped()
    return {}


def _run_to(dbg, args):
    g = int(args["g"])
    if dbg.rec.greenlets.object_of(g) is None:
        raise RequestError("no live greenlet g%d" % g)
    dbg.resume(RUN_TO, run_to=g) or _not_stopped()
    return {}


def _line_step(kind):
    def step(dbg, args):
        state = dbg.state
        if state is None:
            _not_stopped()
        g = int(args.get("g", state.g))
        frames = state._frames_of(g)
        top = frames[0][0] if frames else None
        dbg.resume(RUN, step=Step(kind, g, top))
        return {}
    return step


def _pause(dbg, args):
    if dbg.state is None:
        dbg.interrupts.request("pause")
    return {}


def _stack(dbg, args):
    state = dbg.state or _not_stopped()
    return state.stack(int(args["g"]), int(args.get("startFrame") or 0), int(args.get("levels") or 0))


def _scopes(dbg, args):
    state = dbg.state or _not_stopped()
    return state.scopes(int(args["frameId"]))


def _variables(dbg, args):
    state = dbg.state or _not_stopped()
    return state.variables(int(args["variablesReference"]), int(args.get("start") or 0), int(args.get("count") or 0),
                           args.get("filter"))


def _frame_id(args):
    f = args.get("frameId")
    return None if f is None else int(f)


def _evaluate(dbg, args):
    state = dbg.state or _not_stopped()
    return evaluate.evaluate(state, _frame_id(args), str(args["expression"]), str(args.get("context") or "repl"))


def _completions(dbg, args):
    state = dbg.state or _not_stopped()
    text = str(args.get("text") or "")
    return evaluate.completions(state, _frame_id(args), text, int(args.get("column", len(text))))


def _set_variable(dbg, args):
    state = dbg.state or _not_stopped()
    return evaluate.set_variable(state, int(args["variablesReference"]), str(args["name"]), str(args["value"]))


def _set_expression(dbg, args):
    state = dbg.state or _not_stopped()
    return evaluate.set_expression(state, _frame_id(args), str(args["expression"]), str(args["value"]))


def _kill(dbg, args):
    state = dbg.state or _not_stopped()
    return evaluate.kill_greenlets(state, [int(g) for g in args["gs"]])


def _wait_proofs(dbg, args):
    if dbg.state is None:
        _not_stopped()
    from .reach import prove
    waits = list(args.get("waits") or [])
    try:
        return {"waits": prove(dbg, waits)}
    except (LookupError, ValueError, TypeError):
        raise
    except Exception as e:
        # A walk that fails must not take the control thread with it.
        raise RequestError("cannot prove the waits: %s: %s" % (type(e).__name__, e))


def _disconnect(dbg, args):
    return {"terminate": bool(args.get("terminate"))}


HANDLERS = {
    "configure": _configure, "setBreakpoints": _set_breakpoints,
    "configurationDone": _configuration_done, "continue": _continue, "stepSwitch": _step_switch,
    "runToGreenlet": _run_to, "next": _line_step("next"), "stepIn": _line_step("stepIn"),
    "stepOut": _line_step("stepOut"), "pause": _pause, "stack": _stack, "scopes": _scopes,
    "variables": _variables, "waitProofs": _wait_proofs, "evaluate": _evaluate, "completions": _completions,
    "setVariable": _set_variable, "setExpression": _set_expression, "killGreenlets": _kill,
    "disconnect": _disconnect,
}


def refuse(dbg, seq, message):
    dbg.send({"type": "response", "request_seq": seq, "success": False, "message": message})


def handle(dbg, msg):
    kind = msg.get("type")
    seq = msg.get("seq")
    handler = HANDLERS.get(kind)
    try:
        if handler is None:
            raise RequestError("unknown request %r" % kind)
        args = msg.get("arguments")
        body = handler(dbg, args if isinstance(args, dict) else msg)
        answer = {"type": "response", "request_seq": seq, "success": True, "body": body}
        if kind == "disconnect" and not body.get("terminate"):
            # Let go before answering: an adapter that attaches again as soon
            # as it has the answer must find the program free.
            dbg.detach(farewell=answer)
            return
        dbg.send(answer)
        if kind == "configurationDone":
            dbg.let_program_start()
    except (RequestError, LookupError, evaluate.EvalError) as e:
        dbg.send({"type": "response", "request_seq": seq, "success": False, "message": str(e)})
    except (ValueError, TypeError, AttributeError, KeyError, OverflowError, RecursionError) as e:
        refuse(dbg, seq, "bad %s request: %s: %s" % (kind, type(e).__name__, e))
        return
    if kind == "disconnect":
        dbg.terminate(143)
