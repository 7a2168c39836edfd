from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "passend.coaching"
    label = "coaching"

    def ready(self) -> None:
        # The `.ics` of an appointment rides along with its notification e-mail.
        from django.db.models.signals import post_delete, post_save

        from passend.candidates.counts import row_changed
        from passend.coaching.models import Trajectory
        from passend.coaching.notices import register

        register()
        # A trajectory changes the home page's counts ("mine", "no trajectory").
        for signal in (post_save, post_delete):
            signal.connect(
                row_changed,
                sender=Trajectory,
                dispatch_uid=f"passend.coaching.counts.{signal is post_save}",
            )
