from django.contrib.auth import views as auth_views
from django.urls import path

from . import token_views, twofactor, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/2fa/", twofactor.two_factor, name="two_factor"),
    path("account/tokens/", token_views.token_list, name="api_tokens"),
    path(
        "account/tokens/<int:token_id>/revoke/", token_views.token_revoke, name="api_token_revoke"
    ),
]
