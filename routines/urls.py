from django.urls import path

from . import calendar, views

app_name = "routines"

urlpatterns = [
    path("routine/", views.routine_page, name="routine"),
    path("routine/badge/", views.badge, name="badge"),
    path("routine/add/<slug:slug>/", views.add_point, name="add"),
    path("routine/steps/<slug:key>/", views.update_step, name="update_step"),
    path("routine/steps/<slug:key>/move/", views.move_step, name="move_step"),
    path("routine/steps/<slug:key>/remove/", views.remove_step, name="remove_step"),
    path("routine/free-step/", views.add_free_step, name="add_free_step"),
    path("routine/title/", views.rename, name="rename"),
    path("routine/schedule/", views.set_schedule, name="schedule"),
    path("routine/clear/", views.clear, name="clear"),
    path("routine/save/", views.save, name="save"),
    path("routine/print/", views.working_print, name="working_print"),
    path("routine/session/", views.working_session, name="working_session"),
    path("r/<slug:token>/", views.shared, name="shared"),
    path("r/<slug:token>/print/", views.shared_print, name="shared_print"),
    path("r/<slug:token>/session/", views.shared_session, name="shared_session"),
    path("r/<slug:token>/calendar.ics", calendar.calendar_file, name="calendar"),
    path("r/<slug:token>/copy/", views.copy, name="copy"),
]
