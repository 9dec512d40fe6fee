from django.urls import path

from . import views

app_name = "points"

urlpatterns = [
    path("", views.home, name="home"),
    path("points/", views.point_list, name="list"),
    path("points/<slug:slug>/", views.point_detail, name="detail"),
    path("pain/", views.pain_type_list, name="pain_types"),
    path("pain/<slug:slug>/", views.pain_type_detail, name="pain_type"),
    path("references/", views.reference_list, name="references"),
    path("safety/", views.safety, name="safety"),
]
