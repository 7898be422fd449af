"""What residents asked and how Wegwijzer answered, for the staff app: a log kept beside the
conversation store (masked, as stored), residents' feedback, staff tags, and the figures."""
