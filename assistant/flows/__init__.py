"""What each conversation decides, without Rasa: the dialogue table (which intents start or
interrupt a flow), the questions, and one module per guided flow (gemeente, clientondersteuning,
eigen_bijdrage, pgb, handover, callback), each matching its form in actions/."""
