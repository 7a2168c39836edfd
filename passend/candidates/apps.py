from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "passend.candidates"
    label = "candidates"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from passend.candidates.counts import row_changed
        from passend.candidates.models import CandidateProfile
        from passend.candidates.services import profiles_follow_renamed_memberships
        from passend.tenancy.models import Membership
        from passend.tenancy.signals import memberships_renamed

        memberships_renamed.connect(
            profiles_follow_renamed_memberships, dispatch_uid="passend.candidates.sort_name"
        )
        # The lists' cached counts (passend.candidates.counts) start anew.
        for model in (Membership, CandidateProfile):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    row_changed,
                    sender=model,
                    dispatch_uid=f"passend.candidates.counts.{model.__name__}.{name}",
                )
