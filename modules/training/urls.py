from django.urls import path

from modules.training import views

urlpatterns = [
    path("training/", views.training_home, name="training-home"),
    path("training/attachments/<int:pk>/", views.attachment_download, name="training-attachment"),
    path("training/<slug:key>/intyg.pdf", views.certificate_download, name="training-certificate"),
    path("training/<slug:key>/<slug:lesson_key>/", views.lesson_page, name="training-lesson"),
]
