"""The widget in headless Chromium (Playwright)."""
