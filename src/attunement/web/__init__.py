"""The Django web app: pages and a JSON API over the same domain packages."""
