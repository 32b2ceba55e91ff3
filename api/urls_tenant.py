"""API of a tenant site."""

from django.urls import path, re_path

from api import (
    assessment_drafts,
    audit,
    casework,
    children,
    consent,
    meetings,
    model_config,
    organisations,
    overview,
    plan,
    staff,
    staff_imports,
    statistics,
    training,
)
from api.exceptions import NotFoundView
from api.urls_common import urlpatterns as common_urlpatterns

urlpatterns = [
    *common_urlpatterns,
    # Staff, organisations, the child's record, consent and loggkontroll.
    path("token/", staff.ObtainToken.as_view(), name="api-token"),
    path("staff/", staff.StaffDirectory.as_view(), name="api-staff"),
    path("staff/invitations/", staff.StaffInvite.as_view(), name="api-staff-invite"),
    path("staff/<int:user_id>/deactivate/", staff.StaffDeactivate.as_view(), name="api-staff-deactivate"),
    path("staff/<int:user_id>/", staff.StaffChange.as_view(), name="api-staff-change"),
    path("staff/imports/", staff_imports.StaffImportList.as_view(), name="api-staff-imports"),
    path("staff/imports/<int:pk>/", staff_imports.StaffImportDetail.as_view(), name="api-staff-import"),
    path("staff/imports/<int:pk>/rows/", staff_imports.StaffImportRows.as_view(), name="api-staff-import-rows"),
    path(
        "staff/imports/<int:pk>/confirm/", staff_imports.StaffImportConfirm.as_view(), name="api-staff-import-confirm"
    ),
    path(
        "staff/imports/<int:pk>/progress/",
        staff_imports.StaffImportProgress.as_view(),
        name="api-staff-import-progress",
    ),
    path("organisations/", organisations.OrganisationList.as_view(), name="api-organisations"),
    path("statistics/", statistics.LocalStatistics.as_view(), name="api-statistics-local"),
    path("units/", organisations.UnitList.as_view(), name="api-units"),
    path("organisations/<int:pk>/", organisations.OrganisationDetail.as_view(), name="api-organisation"),
    path("organisations/<int:pk>/close/", organisations.OrganisationClose.as_view(), name="api-organisation-close"),
    path("units/<int:pk>/", organisations.UnitDetail.as_view(), name="api-unit"),
    path("units/<int:pk>/close/", organisations.UnitClose.as_view(), name="api-unit-close"),
    path("children/", children.ChildList.as_view(), name="api-children"),
    path("children/search/", children.ChildSearch.as_view(), name="api-children-search"),
    path("children/emergency-access/", children.EmergencyAccessRequest.as_view(), name="api-children-emergency-access"),
    path("children/<int:child_id>/", children.ChildDetail.as_view(), name="api-child"),
    path("children/<int:child_id>/export/", children.ChildExport.as_view(), name="api-child-export"),
    path(
        "children/<int:child_id>/reveal-personnummer/",
        children.ChildRevealPersonnummer.as_view(),
        name="api-child-reveal-personnummer",
    ),
    path("children/<int:child_id>/chronology/", children.ChildChronology.as_view(), name="api-child-chronology"),
    path(
        "children/<int:child_id>/relationships/", children.ChildRelationships.as_view(), name="api-child-relationships"
    ),
    path("children/<int:child_id>/child-contact/", children.ChildContactSet.as_view(), name="api-child-contact"),
    path(
        "children/<int:child_id>/support-coordinator/",
        children.SupportCoordinatorSet.as_view(),
        name="api-child-support-coordinator",
    ),
    path("children/<int:child_id>/team/", children.TeamMemberAdd.as_view(), name="api-child-team"),
    path("children/<int:child_id>/guardians/", children.GuardianAdd.as_view(), name="api-child-guardians"),
    path("children/<int:child_id>/units/", children.ChildUnitsSet.as_view(), name="api-child-units"),
    path(
        "children/<int:child_id>/team/<int:member_id>/end/",
        children.TeamMemberEnd.as_view(),
        name="api-child-team-end",
    ),
    path("children/<int:child_id>/consents/", consent.ConsentList.as_view(), name="api-child-consents"),
    path(
        "children/<int:child_id>/consents/<int:consent_id>/withdraw/",
        consent.ConsentWithdraw.as_view(),
        name="api-child-consent-withdraw",
    ),
    path("access-review/", audit.AccessReview.as_view(), name="api-access-review"),
    path("emergency-access/", audit.EmergencyAccessOpen.as_view(), name="api-emergency-access-open"),
    path(
        "emergency-access/<int:grant_id>/review/",
        audit.EmergencyAccessReview.as_view(),
        name="api-emergency-access-review",
    ),
    # Installed model configuration, release choice and training.
    path("model-configuration/", model_config.CurrentConfiguration.as_view(), name="api-model-configuration"),
    path(
        "model-configuration/<int:version>/",
        model_config.ConfigurationByVersion.as_view(),
        name="api-model-configuration-version",
    ),
    path("release/", model_config.ReleaseState.as_view(), name="api-release-state"),
    path("training/courses/", training.MyCourses.as_view(), name="api-training-courses"),
    path("training/courses/<slug:key>/lessons/", training.CourseLessons.as_view(), name="api-training-lessons"),
    path(
        "training/courses/<slug:key>/lessons/<slug:lesson_key>/quiz/",
        training.LessonQuiz.as_view(),
        name="api-training-quiz",
    ),
    path("training/completion/", training.CompletionByRole.as_view(), name="api-training-completion"),
    path("training/local-courses/", training.LocalCourses.as_view(), name="api-training-local-courses"),
    path(
        "training/local-courses/<slug:key>/lessons/",
        training.LocalLessons.as_view(),
        name="api-training-local-lessons",
    ),
    path("local-resources/", model_config.LocalResources.as_view(), name="api-local-resources"),
    # The process for one child (modules/casework).
    path("caseload/", overview.Caseload.as_view(), name="api-caseload"),
    path("me/attention/", casework.MyAttention.as_view(), name="api-my-attention"),
    path("retention/", casework.RetentionPeriod.as_view(), name="api-retention"),
    path("children/<int:child_id>/concerns/", casework.ConcernList.as_view(), name="api-child-concerns"),
    path(
        "children/<int:child_id>/concerns/<int:concern_id>/acknowledge/",
        casework.ConcernAcknowledge.as_view(),
        name="api-child-concern-acknowledge",
    ),
    path("children/<int:child_id>/assessments/", casework.AssessmentList.as_view(), name="api-child-assessments"),
    path(
        "children/<int:child_id>/assessment-draft/",
        assessment_drafts.AssessmentDraftView.as_view(),
        name="api-child-assessment-draft",
    ),
    path("children/<int:child_id>/compass/", casework.CompassOverTime.as_view(), name="api-child-compass"),
    path("children/<int:child_id>/plan/", casework.PlanView.as_view(), name="api-child-plan"),
    path("children/<int:child_id>/plan/goals/", casework.GoalAdd.as_view(), name="api-child-plan-goals"),
    path("children/<int:child_id>/plan/actions/", casework.ActionAdd.as_view(), name="api-child-plan-actions"),
    path(
        "children/<int:child_id>/plan/actions/<int:action_id>/done/",
        casework.ActionDone.as_view(),
        name="api-child-plan-action-done",
    ),
    # Barnets plan over time (modules/casework/plan_services).
    path("me/actions/", plan.MyActions.as_view(), name="api-my-actions"),
    path("children/<int:child_id>/plan/goals/<int:goal_id>/", plan.GoalChange.as_view(), name="api-child-plan-goal"),
    path("children/<int:child_id>/plan/goals/<int:goal_id>/end/", plan.GoalEnd.as_view(), name="api-child-goal-end"),
    path(
        "children/<int:child_id>/plan/actions/<int:action_id>/",
        plan.ActionChange.as_view(),
        name="api-child-plan-action",
    ),
    path(
        "children/<int:child_id>/plan/actions/<int:action_id>/end/",
        plan.ActionEnd.as_view(),
        name="api-child-plan-action-end",
    ),
    path("children/<int:child_id>/plan/follow-ups/", plan.FollowUps.as_view(), name="api-child-plan-follow-ups"),
    path("children/<int:child_id>/plan/versions/", plan.Versions.as_view(), name="api-child-plan-versions"),
    path(
        "children/<int:child_id>/plan/versions/<int:number>/",
        plan.VersionDetail.as_view(),
        name="api-child-plan-version",
    ),
    path("children/<int:child_id>/plan/agreements/", plan.Agreements.as_view(), name="api-child-plan-agreements"),
    path("children/<int:child_id>/close/", casework.CaseClose.as_view(), name="api-child-close"),
    # A child's Barnteam meetings (modules/casework/meetings.py).
    path("children/<int:child_id>/meetings/", meetings.MeetingList.as_view(), name="api-child-meetings"),
    path(
        "children/<int:child_id>/meetings/<int:meeting_id>/",
        meetings.MeetingDetail.as_view(),
        name="api-child-meeting",
    ),
    path(
        "children/<int:child_id>/meetings/<int:meeting_id>/cancel/",
        meetings.MeetingCancel.as_view(),
        name="api-child-meeting-cancel",
    ),
    path(
        "children/<int:child_id>/meetings/<int:meeting_id>/attendance/",
        meetings.MeetingAttendance.as_view(),
        name="api-child-meeting-attendance",
    ),
    path(
        "children/<int:child_id>/meetings/<int:meeting_id>/record/",
        meetings.MeetingRecord.as_view(),
        name="api-child-meeting-record",
    ),
    # Last: every other path under /api/ is answered with the error body (api.exceptions).
    re_path(r"^[\s\S]*/$", NotFoundView.as_view(), name="api-not-found"),
]
