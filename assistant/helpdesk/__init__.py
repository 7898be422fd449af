"""What the municipality's helpdesk gets: callback requests (stored sealed) and the admin API."""
