from django.urls import path

from modules.accounts import views

urlpatterns = [
    path("personal/", views.staff_page, name="staff"),
    path("personal/<int:user_id>/", views.staff_edit_page, name="staff-edit"),
    path("personal/<int:user_id>/inaktivera/", views.staff_deactivate_page, name="staff-deactivate"),
    path("mitt-telefonnummer/", views.my_phone_page, name="my-phone"),
    path("personal/import/", views.staff_import_page, name="staff-import"),
    path(
        "personal/import/mall.csv",
        views.staff_import_template,
        {"file_format": "csv"},
        name="staff-import-template-csv",
    ),
    path(
        "personal/import/mall.xlsx",
        views.staff_import_template,
        {"file_format": "xlsx"},
        name="staff-import-template-xlsx",
    ),
    path("personal/import/<int:pk>/", views.staff_import_detail_page, name="staff-import-detail"),
    path("personal/import/<int:pk>/progress.json", views.staff_import_progress_json, name="staff-import-progress"),
    path(
        "personal/<int:user_id>/tvastegsverifiering/",
        views.staff_second_factor_reset_page,
        name="staff-second-factor-reset",
    ),
]
