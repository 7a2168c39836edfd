from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from passend.web import navigation
from passend.web.forms import FORM_TEMPLATE

register = template.Library()


@register.simple_tag(takes_context=True)
def main_nav(context: dict[str, Any]) -> list[navigation.NavItem]:
    request = context.get("request")
    return navigation.main_nav(request) if request is not None else []


@register.simple_tag(takes_context=True)
def main_menu(context: dict[str, Any]) -> list[navigation.NavItem | navigation.NavGroup]:
    """The main navigation with the admin's links grouped into menus."""
    request = context.get("request")
    return navigation.main_menu(request) if request is not None else []


@register.simple_tag(takes_context=True)
def account_nav(context: dict[str, Any]) -> list[navigation.NavItem]:
    request = context.get("request")
    return navigation.account_nav(request) if request is not None else []


@register.filter
def render_form(form: forms.BaseForm) -> SafeString:
    """`{{ form|render_form }}`: the error summary and every field, in Passend's style."""
    return form.render(template_name=FORM_TEMPLATE)
