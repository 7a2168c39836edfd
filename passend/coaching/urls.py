from django.urls import path

from passend.coaching import views

app_name = "coaching"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("me/", views.me, name="me"),
    path("candidates/<uuid:candidate_id>/", views.candidate, name="candidate"),
    path(
        "candidates/<uuid:candidate_id>/trajectories/new/",
        views.trajectory_create,
        name="trajectory_create",
    ),
    path("candidates/<uuid:candidate_id>/notes/new/", views.note_create, name="note_create"),
    path(
        "candidates/<uuid:candidate_id>/trajectories/",
        views.trajectory_list,
        name="trajectory_list",
    ),
    path("candidates/<uuid:candidate_id>/notes/", views.note_list, name="note_list"),
    path(
        "candidates/<uuid:candidate_id>/appointments/",
        views.appointment_list,
        name="appointment_list",
    ),
    path("candidates/<uuid:candidate_id>/timeline/", views.timeline, name="timeline"),
    path(
        "trajectories/<uuid:trajectory_id>/tasks/", views.trajectory_tasks, name="trajectory_tasks"
    ),
    path(
        "candidates/<uuid:candidate_id>/appointments/new/",
        views.appointment_create,
        name="appointment_create",
    ),
    path("trajectories/<uuid:trajectory_id>/edit/", views.trajectory_edit, name="trajectory_edit"),
    path("trajectories/<uuid:trajectory_id>/tasks/new/", views.task_create, name="task_create"),
    path(
        "appointments/<uuid:appointment_id>/edit/",
        views.appointment_edit,
        name="appointment_edit",
    ),
    path(
        "appointments/<uuid:appointment_id>/calendar.ics",
        views.appointment_ics,
        name="appointment_ics",
    ),
    path("tasks/<uuid:task_id>/toggle/", views.task_toggle, name="task_toggle"),
    path("tasks/<uuid:task_id>/progress/", views.task_progress, name="task_progress"),
]
