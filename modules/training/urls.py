from django.urls import path

from modules.training import views

urlpatterns = [
    path("training/", views.training_home, name="training-home"),
    path("training/attachments/<int:pk>/", views.attachment_download, name="training-attachment"),
    path("training/<slug:key>/intyg.pdf", views.certificate_download, name="training-certificate"),
    # A tenant's own courses, with the editors the national team uses (the same URL names as on the central site).
    path("training/local/", views.local_courses, name="local-courses"),
    path("training/local/courses/new/", views.course_edit, name="content-course-new"),
    path("training/local/courses/<int:pk>/", views.course_edit, name="content-course-edit"),
    path("training/local/courses/<int:course_pk>/lessons/new/", views.lesson_edit, name="content-lesson-new"),
    path("training/local/courses/<int:course_pk>/lessons/<int:pk>/", views.lesson_edit, name="content-lesson-edit"),
    path("training/<slug:key>/<slug:lesson_key>/", views.lesson_page, name="training-lesson"),
]
