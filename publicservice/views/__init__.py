"""Views of the public-service (complaints) app."""
