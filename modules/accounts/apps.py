from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "modules.accounts"
    label = "accounts"
    verbose_name = "Konton"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from modules.accounts.strong_auth import record_lockout, record_sign_in_failure

        user_login_failed.connect(record_sign_in_failure, dispatch_uid="accounts.sign_in_failure")
        user_locked_out.connect(record_lockout, dispatch_uid="accounts.lockout")
