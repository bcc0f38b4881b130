"""webapp: the Flask app factory, blueprints, templates, and the `deltaker` command line."""
