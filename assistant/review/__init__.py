"""What the Wmo-raad uses to review Wegwijzer: the conversation book, try-outs, test conversations and sign-off."""
