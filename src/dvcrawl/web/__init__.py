"""The staff review desk: FastAPI + Jinja2, server-rendered (see dvcrawl.web.app.create_app)."""
