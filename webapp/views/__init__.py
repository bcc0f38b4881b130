"""Blueprints: citizen (no login), auth (staff login, users), recruit, intake and audit."""
