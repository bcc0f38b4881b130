"""The role-by-route matrix: every staff route refuses every other role and anonymous users."""

from __future__ import annotations

import re

import pytest

from tests.webapp.webhelpers import add_staff, csrf, login
from webapp.access import ROLES_ATTRIBUTE
from webapp.staff import ROLES


def staff_routes(app) -> list[tuple[str, str, frozenset[str]]]:
    """(method, url, roles) for every route whose view names its roles."""
    routes = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        roles = getattr(view, ROLES_ATTRIBUTE, None)
        if roles is None:
            continue
        url = re.sub(r"<(?:int:)?(\w+)>", lambda m: "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, url, roles))
    return routes


def test_every_staff_page_names_its_roles(app) -> None:
    unguarded = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff")
        and rule.endpoint not in {"auth.login", "auth.logout", "auth.home"}
        and getattr(app.view_functions[rule.endpoint], ROLES_ATTRIBUTE, None) is None
    ]
    assert unguarded == []
    assert len(staff_routes(app)) >= 10


def _request(client, method: str, url: str, token: str):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token})


def test_anonymous_users_are_refused_everywhere(app, client) -> None:
    token = csrf(client.get("/staff/login").text)
    for method, url, _roles in staff_routes(app):
        response = _request(client, method, url, token)
        if method == "GET":
            assert response.status_code == 303, url
            assert "/staff/login" in response.headers["Location"], url
        else:
            assert response.status_code == 401, (method, url)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_only_its_own_pages(app, client, role) -> None:
    add_staff(app, f"user-{role}", role)
    login(client, f"user-{role}")
    token = csrf(client.get("/staff/login").text)
    for method, url, roles in staff_routes(app):
        response = _request(client, method, url, token)
        if role in roles:
            assert response.status_code not in (401, 403), (role, method, url)
            if response.status_code == 303:
                assert "/staff/login" not in response.headers["Location"], (role, url)
        else:
            assert response.status_code == 403, (role, method, url)
