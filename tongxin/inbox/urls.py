from django.urls import path

from tongxin.inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.notifications, name="notifications"),
    path("<int:pk>/", views.notification_open, name="notification_open"),
    path("read/", views.notifications_read, name="notifications_read"),
    path("bell/", views.bell, name="bell"),
    path("preferences/", views.preferences, name="preferences"),
]
