"""Objects whose attribute lookups are program code: expanding them in the
Variables view must not run any of it. Prints how often it ran."""
import gevent

calls = []


class Spy(object):
    def __init__(self):
        object.__setattr__(self, "visible", 1)

    def __getattribute__(self, name):
        calls.append("__getattribute__ " + name)
        return object.__getattribute__(self, name)


class DictProperty(object):
    @property
    def __dict__(self):
        calls.append("__dict__")
        return {"fake": 1}


class ClassProperty(object):
    def __init__(self):
        self.real = 2

    @property
    def __class__(self):
        calls.append("__class__")
        return dict


def work():
    spy, dict_prop, class_prop = Spy(), DictProperty(), ClassProperty()
    gevent.sleep(0)  # BREAK
    return spy, dict_prop, class_prop


gevent.spawn(work).join()
print("program code ran %d times: %s" % (len(calls), calls))
