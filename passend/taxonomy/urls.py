from django.urls import path

from passend.taxonomy import views

app_name = "taxonomy"
urlpatterns = [
    path("", views.index, name="index"),
    path("occupations/search", views.occupation_search, name="occupation_search"),
    path("occupations/<int:pk>/", views.occupation_detail, name="occupation"),
    path("skills/search", views.skill_search, name="skill_search"),
    path("skills/<int:pk>/", views.skill_detail, name="skill"),
    path("options/<slug:kind>", views.combobox_options, name="options"),
]
