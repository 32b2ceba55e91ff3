from django.urls import path

from modules.casework import assessment_views, meeting_views, plan_views, views

urlpatterns = [
    path("gallring/", views.retention_page, name="casework-retention"),
    path("barn/<int:child_id>/process/", views.process_page, name="casework-process"),
    path("barn/<int:child_id>/oro/", views.concern_page, name="casework-concern"),
    path(
        "barn/<int:child_id>/oro/<int:concern_id>/kvittera/",
        views.concern_acknowledge_page,
        name="casework-concern-acknowledge",
    ),
    path("barn/<int:child_id>/bedomning/", assessment_views.assessment_page, name="casework-assessment"),
    path("barn/<int:child_id>/plan/", views.plan_start_page, name="casework-plan-start"),
    path("barn/<int:child_id>/plan/pdf/", plan_views.plan_pdf_page, name="casework-plan-pdf"),
    path("barn/<int:child_id>/plan/mal/", views.goal_page, name="casework-goal"),
    path("barn/<int:child_id>/plan/insats/", views.action_page, name="casework-action"),
    path("barn/<int:child_id>/plan/insats/<int:action_id>/klar/", views.action_done_page, name="casework-action-done"),
    path("barn/<int:child_id>/plan/uppfoljning/", views.review_page, name="casework-review"),
    path("barn/<int:child_id>/avsluta/", views.close_page, name="casework-close"),
    path("barn/<int:child_id>/moten/", meeting_views.meeting_page, name="casework-meeting"),
    path(
        "barn/<int:child_id>/moten/<int:meeting_id>/", meeting_views.meeting_detail_page, name="casework-meeting-detail"
    ),
    path(
        "barn/<int:child_id>/moten/<int:meeting_id>/andra/",
        meeting_views.meeting_change_page,
        name="casework-meeting-change",
    ),
    path(
        "barn/<int:child_id>/moten/<int:meeting_id>/stall-in/",
        meeting_views.meeting_cancel_page,
        name="casework-meeting-cancel",
    ),
    path(
        "barn/<int:child_id>/moten/<int:meeting_id>/narvaro/",
        meeting_views.meeting_attendance_page,
        name="casework-meeting-attendance",
    ),
    path(
        "barn/<int:child_id>/moten/<int:meeting_id>/protokoll/",
        meeting_views.meeting_record_page,
        name="casework-meeting-record",
    ),
    path(
        "barn/<int:child_id>/moten/<int:meeting_id>/kallelse/<str:language>.pdf",
        meeting_views.meeting_kallelse_pdf_page,
        name="casework-meeting-kallelse-pdf",
    ),
    path(
        "barn/<int:child_id>/moten/<int:meeting_id>/anteckningar/<str:language>.pdf",
        meeting_views.meeting_minutes_pdf_page,
        name="casework-meeting-minutes-pdf",
    ),
    # Barnets plan over time (plan_views).
    path("dokument/", plan_views.document_settings_page, name="casework-document-settings"),
    path("barn/<int:child_id>/registerutdrag/pdf/", plan_views.register_extract_pdf_page, name="casework-register-pdf"),
    path("barn/<int:child_id>/plan/mal/<int:goal_id>/andra/", plan_views.goal_edit_page, name="casework-goal-edit"),
    path("barn/<int:child_id>/plan/mal/<int:goal_id>/avsluta/", plan_views.goal_end_page, name="casework-goal-end"),
    path(
        "barn/<int:child_id>/plan/insats/<int:action_id>/andra/",
        plan_views.action_edit_page,
        name="casework-action-edit",
    ),
    path(
        "barn/<int:child_id>/plan/insats/<int:action_id>/avsluta/",
        plan_views.action_end_page,
        name="casework-action-end",
    ),
    path("barn/<int:child_id>/plan/folj-upp/", plan_views.follow_up_page, name="casework-follow-up"),
    path("barn/<int:child_id>/plan/revidera/", plan_views.revise_page, name="casework-plan-revise"),
    path("barn/<int:child_id>/plan/godkannande/", plan_views.agreement_page, name="casework-plan-agreement"),
    path("barn/<int:child_id>/plan/version/<int:number>/", plan_views.version_page, name="casework-plan-version"),
]
