from django.apps import AppConfig
from django.conf import settings


class CryptoConfig(AppConfig):
    name = "passend.privacy.crypto"
    label = "crypto"

    def ready(self) -> None:
        from passend.privacy.crypto import checks  # noqa: F401  (registers the checks)
        from passend.privacy.crypto.conf import parse_blind_index_key, parse_master_keys

        # Refuse to start without usable keys, rather than fail on the first
        # write of personal data (or, worse, write it unencrypted).
        parse_master_keys(
            getattr(settings, "PASSEND_MASTER_KEYS", ""),
            getattr(settings, "PASSEND_ACTIVE_MASTER_KEY", ""),
        )
        parse_blind_index_key(getattr(settings, "PASSEND_BLIND_INDEX_KEY", ""))
