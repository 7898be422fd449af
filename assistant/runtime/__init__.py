"""Running Wegwijzer: the processes and their supervision, the action server, training when the
inputs changed, the Dutch spaCy pipeline, the browser and npm set-up for the widget tests."""
