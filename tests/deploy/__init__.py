"""The deployment files in deploy/."""
