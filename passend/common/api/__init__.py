"""The API toolkit every app's router uses: problem details, pagination, the actor.

Leaf layer (docs/architecture.md): it imports ninja and Django, never an app of
Passend. The `api` app assembles the routers of the feature apps into one
NinjaAPI and resolves who is calling; the feature apps build their operations
with what is here, so they never import the `api` app.
"""
