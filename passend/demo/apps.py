from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organisations, their people (the personas) and `seed_demo`.

    The top layer (docs/architecture.md): it builds data through every app's
    services, and no app imports it. Tests and benchmarks share the personas.
    """

    name = "passend.demo"
    label = "demo"
