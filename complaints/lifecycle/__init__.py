"""The complaint's lifecycle: states (states), the action registry (actions), the one
commit path (engine: perform, available_actions), filing (filing), what each action does
(handlers), the SLA clock (clock) and the errors (errors). See docs/architecture.md.

Import from the submodules; this package module stays empty so that the model can import
the leaf modules (states, actions, fsm) without importing the engine."""
