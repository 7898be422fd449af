"""The website: the widget, its demo pages and privacy statement (public/), and the web server that serves them."""
