"""The web server of the demo pages and the admin API."""
