from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    """Django's login; django-axes locks a username after repeated failures."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True
