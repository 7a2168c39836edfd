from django.urls import path

from passend.privacy.requests import views

app_name = "requests"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("new/sent/", views.sent, name="sent"),
    path("mine/", views.mine, name="mine"),
    path("mine/<uuid:request_id>/", views.mine_detail, name="mine_detail"),
    path("dispute/", views.dispute, name="dispute"),
    path("register/", views.register, name="register"),
    path("platform/", views.platform, name="platform"),
    path("platform/<uuid:request_id>/", views.platform_detail, name="platform_detail"),
    path("<uuid:request_id>/", views.detail, name="detail"),
    path("<uuid:request_id>/identity/", views.identity, name="identity"),
    path("<uuid:request_id>/extend/", views.extend, name="extend"),
    path("<uuid:request_id>/reply/", views.reply, name="reply"),
    path("<uuid:request_id>/refuse/", views.refuse, name="refuse"),
    path("<uuid:request_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<uuid:request_id>/export/", views.export, name="export"),
    path("<uuid:request_id>/restrict/", views.restrict, name="restrict"),
    path("<uuid:request_id>/object/", views.object_, name="object"),
]
