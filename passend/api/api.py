from ninja import NinjaAPI

api = NinjaAPI(title="Passend API", version="1", urls_namespace="api")
