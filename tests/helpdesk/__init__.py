"""Callback requests and the admin API."""
