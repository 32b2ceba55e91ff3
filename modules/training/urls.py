from django.urls import path

from modules.training import views

urlpatterns = [
    path("training/", views.training_home, name="training-home"),
    path("training/<slug:key>/<slug:lesson_key>/", views.lesson_page, name="training-lesson"),
]
