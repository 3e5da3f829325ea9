"""The django-fsm edges of the complaint, made from the registry's `Edge`s, so the states
an action leaves and reaches are declared once (complaints.lifecycle.actions).

`Complaint` inherits `LifecycleEdges`; django-fsm collects the methods when the model
class is prepared. They are called only by the commit path (complaints.lifecycle.engine),
after it has locked the row and checked the actor.
"""

from django_fsm import RETURN_VALUE, transition

from .actions import ACTIONS


def _edge_method(action):
    edge = action.edge
    if edge.choose is not None:
        def method(self):
            return edge.choose(self)
        target = RETURN_VALUE(*edge.targets)
    else:
        def method(self):
            return None
        target = edge.target
    method.__name__ = method.__qualname__ = action.name
    method.__doc__ = f"{action.name}: {', '.join(edge.source)} → {', '.join(action.target_states)}"
    return transition(field="state", source=list(edge.source), target=target)(method)


LifecycleEdges = type("LifecycleEdges", (), {
    "__module__": __name__,
    "__doc__": "The lifecycle's state changes (one method per state-changing action).",
    **{name: _edge_method(action) for name, action in ACTIONS.items() if action.changes_state},
})
