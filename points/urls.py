from django.urls import path

from . import views

app_name = "points"

urlpatterns = [
    path("", views.home, name="home"),
    path("points/", views.point_list, name="list"),
    path("points/<slug:slug>/", views.point_detail, name="detail"),
    path("pain/", views.condition_list, name="conditions"),
    path("pain/<slug:slug>/", views.condition_detail, name="condition"),
    path("references/", views.reference_list, name="references"),
    path("safety/", views.safety, name="safety"),
]
