"""The web application: pages for officers, reviewers, the head and supervisors, the JSON API
under /api, and the public disclosure and complaint pages (``casefiles serve``)."""

from casefiles.web.app import create_app

__all__ = ["create_app"]
