from django.urls import path

from modules.children import views

urlpatterns = [
    path("barn/", views.child_list, name="child-list"),
    path("barn/registrera/", views.child_register_page, name="child-register"),
    path("barn/nodatkomst/", views.emergency_access_page, name="child-emergency-access"),
    path("barn/<int:child_id>/", views.child_detail, name="child-detail"),
    path("barn/<int:child_id>/personnummer/", views.child_reveal_personnummer, name="child-reveal-personnummer"),
    path("barn/<int:child_id>/kronologi/", views.child_chronology, name="child-chronology"),
    path("barn/<int:child_id>/barnkontakt/", views.child_contact_page, name="child-contact"),
    path("barn/<int:child_id>/stodsamordnare/", views.support_coordinator_page, name="child-support-coordinator"),
    path("barn/<int:child_id>/barnteam/", views.team_member_add_page, name="child-team-add"),
    path("barn/<int:child_id>/vardnadshavare/", views.guardian_add_page, name="child-guardian-add"),
    path("barn/<int:child_id>/enheter/", views.child_units_page, name="child-units"),
    path("barn/<int:child_id>/barnteam/<int:member_id>/avsluta/", views.team_member_end_page, name="child-team-end"),
]
