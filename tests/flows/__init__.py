"""What each conversation decides, without Rasa."""
