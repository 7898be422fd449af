"""Helpers the tests share: trackers for action tests, reply readers, a socket.io client, the widget page."""
