"""End-to-end over REST and socket.io against the real servers."""
