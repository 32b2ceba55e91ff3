from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "modules.training"
    label = "training"
    verbose_name = "Utbildning"

    def ready(self):
        from modules.training.onboarding import training_checklist_state
        from tenants.onboarding.checklist import item_source_register

        item_source_register("training", training_checklist_state)
